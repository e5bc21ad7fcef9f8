"""Setting up bank imports: editing the banks' column mappings and the matching rules, and
trying a mapping on a file before it is saved.

Mappings and rules are configuration, not history: they change in place, but every change is
in the audit trail (who, what before, what after), and neither is ever deleted — earlier
imports name their mapping — only deactivated, so it is no longer offered or matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.core.digests import text_digest
from pompolit.ledger import services
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import.lines import BankLine, CsvLayout, parse_csv
from pompolit.ledger.bank_import.models import BankMapping, ImportRule
from pompolit.ledger.models import Campaign, Fund
from pompolit.members import policy
from pompolit.members.models import Member

# How many lines of a trial file the page shows (all of them are read and checked).
TRIAL_LINES = 50


def set_mapping_active(actor: Member | None, mapping: BankMapping, active: bool) -> None:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    with transaction.atomic():
        BankMapping.objects.filter(pk=mapping.pk).update(active=active)
        mapping.active = active
        record("ledger.bank_mapping_activated" if active else "ledger.bank_mapping_deactivated",
               actor=actor, obj=mapping, details={"code": mapping.code})


def _rule_state(rule: ImportRule) -> dict[str, Any]:
    # The name and the pattern are typed text (a pattern is often a payer's name): digests.
    return {"name": text_digest(rule.name), "priority": rule.priority,
            "direction": rule.direction,
            "reference_contains": text_digest(rule.reference_contains),
            "currency": rule.currency_id,
            "outcome": rule.outcome, "fund": rule.fund.code if rule.fund else None,
            "campaign": rule.campaign.code if rule.campaign else None, "active": rule.active}


def update_rule(actor: Member | None, rule: ImportRule, *, name: str, outcome: str,
                fund: Fund | None = None, reference_contains: str = "",
                direction: str | None = None, currency: str | None = None,
                campaign: Campaign | None = None, priority: int = 100) -> ImportRule:
    """Change a rule; the audit entry keeps what it was before and what it is now."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    direction = bank_import.check_rule(outcome, fund, direction)
    before = _rule_state(rule)
    rule.name, rule.outcome, rule.fund, rule.campaign = name, outcome, fund, campaign
    rule.reference_contains, rule.direction = reference_contains.strip(), direction
    rule.currency = services.currency(currency) if currency else None
    rule.priority = priority
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        record("ledger.import_rule_changed", actor=actor, obj=rule,
               details={"before": before, "after": _rule_state(rule)})
    return rule


def set_rule_active(actor: Member | None, rule: ImportRule, active: bool) -> None:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    with transaction.atomic():
        ImportRule.objects.filter(pk=rule.pk).update(active=active)
        rule.active = active
        record("ledger.import_rule_activated" if active else "ledger.import_rule_deactivated",
               actor=actor, obj=rule, details={"outcome": rule.outcome})


# -- trying a mapping on a file ----------------------------------------------------------------


@dataclass(frozen=True)
class TrialLine:
    line: BankLine
    decision: bank_import.Decision


@dataclass(frozen=True)
class Trial:
    """What a mapping reads from a file: every line is read, the first TRIAL_LINES shown."""

    count: int
    lines: list[TrialLine]
    incoming: int
    outgoing: int
    unmatched: int


def try_mapping(data: bytes, *, encoding: str, delimiter: str, columns: Mapping[str, str],
                currency: str) -> Trial:
    """Read the file with a mapping that need not be saved; match the lines against the
    active rules. Changes nothing. A file the mapping cannot read raises ValidationError
    naming each line and column."""
    layout = CsvLayout(encoding, delimiter, {k: v for k, v in columns.items() if v}, currency)
    lines = parse_csv(data, layout)
    if not lines:
        raise ValidationError(_("The mapping finds the table's header, but no lines under it."))
    rules = list(ImportRule.objects.filter(active=True).select_related("fund", "campaign"))
    decided = [TrialLine(line, bank_import.match(line, rules)) for line in lines]
    return Trial(
        count=len(decided), lines=decided[:TRIAL_LINES],
        incoming=sum(t.line.incoming for t in decided),
        outgoing=sum(not t.line.incoming for t in decided),
        unmatched=sum(not t.decision.outcome for t in decided),
    )
