"""Importing a bank statement: read it, match each line to a rule (or to the treasurer's
choice), show the preview, then post all of it in one transaction — or nothing.

Idempotent: each line's fingerprint is an HMAC-SHA256, keyed from the server's secret, of
the normalised line (account, date, amount, currency, reference, counterparty, the bank's
own id) and its occurrence number among identical lines of the file; `ImportedLine` keeps
it under a unique constraint. The same file, or a statement overlapping an imported one,
posts nothing twice. Without the key the fingerprint reveals nothing about the line, and
no counterparty is kept unless the treasurer asks for it (then encrypted).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.core.digests import text_digest
from pompolit.core.errors import error_messages
from pompolit.ledger import services
from pompolit.ledger.bank_import import camt053
from pompolit.ledger.bank_import.lines import MAX_ERRORS, BankLine, CsvLayout, parse_csv
from pompolit.ledger.bank_import.models import (
    COLUMN_ROLES,
    BankImport,
    BankMapping,
    Direction,
    ImportedLine,
    ImportOutcome,
    ImportRule,
    KeptCounterparty,
    StatementFormat,
)
from pompolit.ledger.models import (
    Account,
    AccountType,
    Campaign,
    Channel,
    Currency,
    EntryKind,
    Fund,
)
from pompolit.ledger.money import Money, MoneyError
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.errors import VaultError

FEE_ACCOUNT = "expenses:bank-fees"
FINGERPRINT_FORMAT = b"pompolit-bank-line/1"


# -- fingerprints ------------------------------------------------------------------------------


def _key() -> bytes:
    secret = getattr(settings, "POMPOLIT_IMPORT_FINGERPRINT_KEY", "") or settings.SECRET_KEY
    return hmac.new(str(secret).encode(), FINGERPRINT_FORMAT, hashlib.sha256).digest()


@functools.lru_cache(maxsize=65536)  # payers and purposes repeat across a statement
def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_NOT_ALNUM = re.compile(r"[\W_]")  # \w is str.isalnum() and "_"


def normalised(line: BankLine, account: str) -> str:
    return "\x1f".join([
        account, line.date.isoformat(), line.currency, f"{line.amount.normalize():f}",
        _norm(line.reference), _norm(line.counterparty),
        _NOT_ALNUM.sub("", line.counterparty_account).upper(),
        _norm(line.bank_id),
    ])


def fingerprints(lines: Sequence[BankLine], account: str) -> list[str]:
    """One per line; identical lines are told apart by their occurrence in the file."""
    seen: Counter[str] = Counter()
    result = []
    key = _key()
    for line in lines:
        text = normalised(line, account)
        seen[text] += 1
        message = f"{text}\x1e{seen[text]}".encode()
        result.append(hmac.new(key, message, hashlib.sha256).hexdigest())
    return result


def file_fingerprint(data: bytes) -> str:
    return hmac.new(_key(), b"file\x1e" + data, hashlib.sha256).hexdigest()


# -- mappings and rules ------------------------------------------------------------------------


PRESETS: dict[str, dict[str, Any]] = {
    # Sberbank Business Online's statement export (Windows-1251, ;, credit and debit columns).
    "sberbank": {"name": "Сбербанк (выписка, CSV)", "encoding": "cp1251", "delimiter": ";",
                 "columns": {"date": "Дата проводки", "debit": "Сумма по дебету",
                             "credit": "Сумма по кредиту", "reference": "Назначение платежа",
                             "counterparty": "Контрагент", "counterparty_account":
                             "Счёт контрагента", "bank_id": "№ документа"}},
    # Tinkoff (T-Bank) personal account export: UTF-8 or 1251, ;, a signed amount.
    "tinkoff": {"name": "Т-Банк (Тинькофф), операции", "encoding": "auto", "delimiter": ";",
                "columns": {"date": "Дата операции", "amount": "Сумма операции",
                            "currency": "Валюта операции", "reference": "Описание",
                            "counterparty": "", "bank_id": ""}},
}


def save_mapping(actor: Member | None, *, code: str, name: str, columns: Mapping[str, str],
                 currency: str = "RUB", account: str = "assets:bank", encoding: str = "auto",
                 delimiter: str = "auto") -> BankMapping:
    """Create or replace a bank's mapping (it is configuration, not history: audited)."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    unknown = set(columns) - set(COLUMN_ROLES)
    if unknown:
        raise ValidationError(_("Unknown column roles: %(roles)s")
                              % {"roles": ", ".join(sorted(unknown))})
    target = services.account(account)
    if target.type != AccountType.ASSET:
        raise ValidationError({"account": _("A bank statement is for an asset account.")})
    values = {"name": name, "columns": {k: v for k, v in columns.items() if v},
              "currency": services.currency(currency), "account": target,
              "encoding": encoding, "delimiter": delimiter}
    with transaction.atomic():
        mapping, created = BankMapping.objects.update_or_create(
            code=code, defaults=values, create_defaults={**values, "created_by": actor})
        mapping.full_clean(exclude=["created_by"])  # None: the command line
        record("ledger.bank_mapping_saved", actor=actor, obj=mapping,
               details={"code": code, "columns": mapping.columns, "created": created})
    return mapping


def check_rule(outcome: str, fund: Fund | None, direction: str | None) -> str:
    """Refuse a rule that cannot work; the direction it gets (by default, from its outcome)."""
    if outcome not in ImportOutcome.values:
        raise ValidationError({"outcome": _("Choose what the matching lines are.")})
    if outcome != ImportOutcome.SKIP and fund is None:
        raise ValidationError({"fund": _("A donation or a fee needs its fund.")})
    if not direction:
        direction = {ImportOutcome.DONATION: Direction.IN, ImportOutcome.FEE: Direction.OUT}.get(
            ImportOutcome(outcome), Direction.ANY)
    if (outcome, direction) in ((ImportOutcome.DONATION, Direction.OUT),
                                (ImportOutcome.FEE, Direction.IN)):
        raise ValidationError({"direction": _("Donations come in; fees go out.")})
    return direction


def add_rule(actor: Member | None, *, name: str, outcome: str, fund: Fund | None = None,
             reference_contains: str = "", direction: str | None = None,
             currency: str | None = None, campaign: Campaign | None = None,
             priority: int = 100) -> ImportRule:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    direction = check_rule(outcome, fund, direction)
    with transaction.atomic():
        rule = ImportRule.objects.create(
            name=name, outcome=outcome, fund=fund, reference_contains=reference_contains.strip(),
            direction=direction, currency=services.currency(currency) if currency else None,
            campaign=campaign, priority=priority, created_by=actor)
        record("ledger.import_rule_added", actor=actor, obj=rule,
               details={"name": text_digest(name), "outcome": outcome,
                        "reference_contains": text_digest(rule.reference_contains)})
    return rule


# -- preview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    outcome: str = ""  # "" while the treasurer must choose
    fund: Fund | None = None
    campaign: Campaign | None = None
    rule: ImportRule | None = None


@dataclass(slots=True)
class PreviewLine:
    line: BankLine
    fingerprint: str
    duplicate: bool
    decision: Decision
    problem: str = ""

    @property
    def needs_choice(self) -> bool:
        return not self.duplicate and (not self.decision.outcome or bool(self.problem))


@dataclass
class Preview:
    format: str
    account: Account
    mapping: BankMapping | None
    file_fingerprint: str
    lines: list[PreviewLine] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return bool(self.lines) and not any(p.needs_choice for p in self.lines)

    @property
    def waiting(self) -> list[PreviewLine]:
        return [p for p in self.lines if p.needs_choice]

    def counts(self) -> dict[str, int]:
        """How many lines are what, for a preview that shows only a page of them."""
        new = [p for p in self.lines if not p.duplicate]
        return {
            "lines": len(self.lines), "duplicates": len(self.lines) - len(new),
            "donations": sum(p.decision.outcome == ImportOutcome.DONATION and not p.problem
                             for p in new),
            "fees": sum(p.decision.outcome == ImportOutcome.FEE and not p.problem for p in new),
            "skipped": sum(p.decision.outcome == ImportOutcome.SKIP for p in new),
            "waiting": sum(p.needs_choice for p in new),
            "problems": sum(bool(p.problem) for p in new),
        }


def _rule_matches(rule: ImportRule, line: BankLine) -> bool:
    if rule.direction == Direction.IN and not line.incoming:
        return False
    if rule.direction == Direction.OUT and line.incoming:
        return False
    if rule.currency_id and rule.currency_id != line.currency:
        return False
    return _norm(rule.reference_contains) in _norm(line.reference)


def match(line: BankLine, rules: Sequence[ImportRule]) -> Decision:
    for rule in rules:
        if _rule_matches(rule, line):
            return Decision(rule.outcome, rule.fund, rule.campaign, rule)
    return Decision()


def parse_choice(text: str) -> Decision:
    """What the preview form sends for a line: "skip", "donation:FUND", "fee:FUND"."""
    outcome, _sep, code = text.partition(":")
    if outcome == ImportOutcome.SKIP:
        return Decision(ImportOutcome.SKIP)
    if outcome in (ImportOutcome.DONATION, ImportOutcome.FEE) and code:
        found = Fund.objects.filter(code=code).first()
        if found is not None:
            return Decision(outcome, found)
    return Decision()


def read_lines(data: bytes, format: str, mapping: BankMapping | None) -> list[BankLine]:
    if format == StatementFormat.CAMT053:
        return camt053.parse(data)
    if format != StatementFormat.CSV or mapping is None:
        raise ValidationError(_("Choose the bank's mapping for a CSV file."))
    layout = CsvLayout(mapping.encoding, mapping.delimiter, mapping.columns,
                       mapping.currency_id)
    return parse_csv(data, layout)


def _problem(line: BankLine, decision: Decision, currencies: Mapping[str, Currency]) -> str:
    if not decision.outcome:
        return ""
    if decision.outcome == ImportOutcome.DONATION and not line.incoming:
        return _("an outgoing payment cannot be a donation")
    if decision.outcome == ImportOutcome.FEE and line.incoming:
        return _("an incoming payment cannot be a fee")
    try:
        # services.money, with the currencies read once for the whole file (not once a line).
        known = currencies.get(line.currency)
        if known is None:
            known = services.currency(line.currency)
        amount = Money.parse(abs(line.amount), known.code, known.exponent)
    except MoneyError as error:
        return str(error)
    except ValidationError as error:
        return " ".join(error.messages)
    if decision.outcome == ImportOutcome.FEE:
        from pompolit.ledger.expenses.services import approval_threshold

        threshold = approval_threshold()
        if amount.currency == threshold.currency and amount.amount > threshold.amount:
            return _("a fee above %(threshold)s must be paid as an expense, with approval") % {
                "threshold": threshold}
    return ""


def preview(data: bytes, *, format: str, mapping: BankMapping | None = None,
            account: Account | None = None, choices: Mapping[int, str] | None = None) -> Preview:
    """What importing would do, line by line; changes nothing."""
    lines = read_lines(data, format, mapping)
    target = account or (mapping.account if mapping else services.account("assets:bank"))
    prints = fingerprints(lines, target.code)
    known: set[str] = set()
    for start in range(0, len(prints), 2000):  # under every database's limit of parameters
        known.update(ImportedLine.objects.filter(fingerprint__in=prints[start:start + 2000])
                     .values_list("fingerprint", flat=True))
    rules = list(ImportRule.objects.filter(active=True).select_related("fund", "campaign"))
    currencies = {c.code: c for c in Currency.objects.all()}
    result = Preview(format, target, mapping, file_fingerprint(data))
    parsed: dict[str, Decision] = {}
    for line, print_ in zip(lines, prints, strict=True):
        decision = match(line, rules)
        chosen = (choices or {}).get(line.line_no)
        if chosen:
            if chosen not in parsed:
                parsed[chosen] = parse_choice(chosen)
            decision = parsed[chosen]
        result.lines.append(PreviewLine(line, print_, print_ in known, decision,
                                        _problem(line, decision, currencies)))
    return result


# -- commit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    bank_import: BankImport
    # Receipt codes of the donations, by line: shown once, like any receipt.
    receipts: list[tuple[int, str]]


def _post(actor: Member | None, item: PreviewLine, account: Account) -> tuple[Any, str | None]:
    line, decision = item.line, item.decision
    amount = services.money(abs(line.amount), line.currency)
    memo = _("bank import, line %(n)s") % {"n": line.line_no}
    assert decision.fund is not None
    if decision.outcome == ImportOutcome.DONATION:
        recorded = services.record_donation(
            actor, date=line.date, amount=amount, fund=decision.fund,
            channel=Channel.BANK_TRANSFER, campaign=decision.campaign, into=account, memo=memo)
        return recorded.donation.entry, recorded.code
    lines = [services.Line(services.account(FEE_ACCOUNT), decision.fund, amount),
             services.Line(account, decision.fund, -amount)]
    entry = services.post_entry(actor, kind=EntryKind.EXPENSE, date=line.date, lines=lines,
                                memo=memo)
    return entry, None


def _refuse_waiting(plan: Preview) -> None:
    """Nothing is imported while a line waits for a choice or has an error: they are named."""
    waiting = plan.waiting
    if waiting:
        shown = [_("line %(n)s: %(problem)s") % {
            "n": p.line.line_no, "problem": p.problem or _("choose what it is")}
            for p in waiting[:MAX_ERRORS]]
        if len(waiting) > MAX_ERRORS:
            shown.append(_("… and %(n)s more lines with errors.")
                         % {"n": len(waiting) - MAX_ERRORS})
        raise ValidationError(shown)


def _import_line(actor: Member | None, batch: BankImport, item: PreviewLine,
                 keep_counterparty: bool) -> str | None:
    """One new line: its entry (unless skipped), its fingerprint, and its counterparty if the
    treasurer chose to keep them; the donation's receipt code, if it is one."""
    entry, code = None, None
    if item.decision.outcome != ImportOutcome.SKIP:
        try:
            entry, code = _post(actor, item, batch.account)
        except (ValidationError, MoneyError) as error:
            raise ValidationError(_("line %(n)s: %(problem)s") % {
                "n": item.line.line_no,
                "problem": " ".join(error_messages(error))},
            ) from None
    imported = ImportedLine.objects.create(
        bank_import=batch, line_no=item.line.line_no, fingerprint=item.fingerprint,
        outcome=item.decision.outcome, entry=entry)
    if keep_counterparty and (item.line.counterparty or item.line.counterparty_account):
        KeptCounterparty.objects.create(
            line=imported, name=item.line.counterparty,
            account_number=item.line.counterparty_account)
    return code


def commit(actor: Member | None, data: bytes, *, format: str,
           mapping: BankMapping | None = None, account: Account | None = None,
           choices: Mapping[int, str] | None = None, keep_counterparties: bool = False,
           expected_fingerprint: str | None = None) -> ImportResult:
    """Post every new line of the statement, or nothing."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can import bank statements."))
    plan = preview(data, format=format, mapping=mapping, account=account, choices=choices)
    if expected_fingerprint and expected_fingerprint != plan.file_fingerprint:
        raise ValidationError(_("The file is not the one previewed; preview it again."))
    if not plan.lines:
        raise ValidationError(_("The file has no lines to import."))
    _refuse_waiting(plan)
    new = [p for p in plan.lines if not p.duplicate]
    receipts: list[tuple[int, str]] = []
    try:
        with transaction.atomic():
            batch = BankImport.objects.create(
                format=format, mapping=mapping, account=plan.account,
                file_fingerprint=plan.file_fingerprint, lines=len(plan.lines),
                posted=sum(p.decision.outcome != ImportOutcome.SKIP for p in new),
                skipped=sum(p.decision.outcome == ImportOutcome.SKIP for p in new),
                duplicates=len(plan.lines) - len(new), imported_by=actor)
            for item in new:
                code = _import_line(actor, batch, item, keep_counterparties)
                if code is not None:
                    receipts.append((item.line.line_no, code))
            # The file is named by its digest and its size in lines, never by its name.
            record("ledger.bank_imported", actor=actor, obj=batch, details={
                "format": format, "file_sha256": hashlib.sha256(data).hexdigest(),
                "rows": batch.lines, "lines": batch.lines, "posted": batch.posted,
                "skipped": batch.skipped, "duplicates": batch.duplicates,
                "counterparties_kept": keep_counterparties})
    except IntegrityError:
        raise ValidationError(
            _("Some of these lines were imported meanwhile; preview the file again.")
        ) from None
    except VaultError as error:
        raise ValidationError(
            _("The counterparties cannot be kept now: %(reason)s") % {"reason": error}
        ) from None
    return ImportResult(batch, receipts)


def money_of(line: BankLine) -> Money | None:
    try:
        return services.money(line.amount, line.currency)
    except ValidationError:
        return None


def choice_options() -> list[tuple[str, str]]:
    """What a line may be, for the preview's selects."""
    options = [("", _("— choose —")), (ImportOutcome.SKIP.value, _("skip this line"))]
    for fund in Fund.objects.order_by("code"):
        options.append((f"donation:{fund.code}", _("donation to %(fund)s") % {"fund": fund.label}))
    for fund in Fund.objects.order_by("code"):
        options.append((f"fee:{fund.code}", _("bank fee from %(fund)s") % {"fund": fund.label}))
    return options

