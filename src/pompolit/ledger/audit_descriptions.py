"""How the trail says what happened to the books (audit/descriptions.py): in the reader's
language, from what each entry keeps — funds and accounts by their names, amounts as money is
written, kinds and outcomes by their labels, entries by their number in the public log."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import day, describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.ledger import labels
from pompolit.ledger.bank_import.models import ImportOutcome
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.models import AccountType, EntryKind, FundKind
from pompolit.ledger.templatetags.money import money


def _money(*keys: str) -> Callable[[AuditEntry], dict[str, str]]:
    def extra(entry: AuditEntry) -> dict[str, str]:
        return {key: money(str(entry.details.get(key, "?"))) for key in keys}

    return extra


def _expense(entry: AuditEntry) -> dict[str, str]:
    return {
        "fund": labels.fund_name_of(entry.details.get("fund")),
        "account": labels.account_name_of(entry.details.get("account")),
        "amount": money(str(entry.details.get("amount", "?"))),
    }


def _outcome(entry: AuditEntry) -> dict[str, str]:
    return {"outcome": label(ImportOutcome.choices, entry.details.get("outcome"))}


def _campaign(entry: AuditEntry) -> dict[str, str]:
    code = str(entry.details.get("code"))
    name = Campaign.objects.filter(code=code).values_list("name", flat=True).first()
    return {"campaign": name or code}


describe_as(
    "ledger.posted",
    gettext_lazy("Entry #%(leaf_index)s in the books: %(kind)s"),
    lambda entry: {"kind": label(EntryKind.choices, entry.details.get("kind"))},
)
describe_as(
    "ledger.fund_created",
    gettext_lazy("Created the fund “%(fund)s” (%(kind)s)"),
    lambda entry: {
        "fund": labels.fund_name_of(entry.details.get("code")),
        "kind": label(FundKind.choices, entry.details.get("kind")),
    },
)
describe_as(
    "ledger.account_created",
    gettext_lazy("Created the account “%(account)s” (%(type)s)"),
    lambda entry: {
        "account": labels.account_name_of(entry.details.get("code")),
        "type": label(AccountType.choices, entry.details.get("type")),
    },
)
describe_as(
    "ledger.fund_renamed",
    gettext_lazy("Renamed the fund; it is “%(fund)s” now"),
    lambda entry: {"fund": labels.fund_name_of(entry.details.get("code"))},
)
describe_as(
    "ledger.account_renamed",
    gettext_lazy("Renamed the account; it is “%(account)s” now"),
    lambda entry: {"account": labels.account_name_of(entry.details.get("code"))},
)
describe_as("ledger.currency_added", gettext_lazy("Added the currency %(code)s"))
describe_as(
    "ledger.expense_submitted",
    gettext_lazy(
        "Submitted expense #%(object)s: %(amount)s from the fund “%(fund)s” for “%(account)s”"
    ),
    _expense,
)
describe_as(
    "ledger.expense_paid",
    gettext_lazy("Paid expense #%(object)s: %(amount)s (entry #%(leaf_index)s)"),
    _money("amount"),
)
describe_as(
    "ledger.donation_corrected",
    gettext_lazy(
        "Corrected donation #%(reversed)s: %(from)s became %(to)s (now donation #%(donation)s)"
    ),
    _money("from", "to"),
)
describe_as(
    "ledger.donor_identity_kept",
    gettext_lazy("Kept a donor's name and contact, encrypted (donation #%(object)s)"),
)
describe_as(
    "ledger.donor_identity_forgotten", gettext_lazy("Forgot the donor of donation #%(entry)s")
)
describe_as(
    "ledger.donor_export_approved",
    gettext_lazy(
        "An export of the donors' names and contacts for %(requested_by)s was "
        "approved (request #%(approval)s)"
    ),
)
describe_as(
    "ledger.donor_identities_exported",
    gettext_lazy("Downloaded the donors' names and contacts: donors: %(identities)s"),
)
describe_as(
    "ledger.rate_set",
    gettext_lazy("Exchange rate on %(on)s: 1 %(currency)s = %(rate)s %(base)s"),
    lambda entry: {"on": day(entry.details.get("on"))},
)
describe_as(
    "ledger.rates_imported",
    gettext_lazy(
        "Imported exchange rates from %(from)s to %(to)s: new: %(created)s, "
        "already known: %(known)s"
    ),
    lambda entry: {"from": day(entry.details.get("from")), "to": day(entry.details.get("to"))},
)
describe_as("ledger.statement_published", gettext_lazy("Published the statement for %(period)s"))
describe_as(
    "ledger.bank_mapping_saved", gettext_lazy("Saved the bank statement layout #%(object)s")
)
describe_as(
    "ledger.bank_mapping_activated",
    gettext_lazy("Offered the bank statement layout #%(object)s again"),
)
describe_as(
    "ledger.bank_mapping_deactivated",
    gettext_lazy("Stopped offering the bank statement layout #%(object)s"),
)
describe_as(
    "ledger.import_rule_added",
    gettext_lazy("Added bank import rule #%(object)s: %(outcome)s"),
    _outcome,
)
describe_as("ledger.import_rule_changed", gettext_lazy("Changed bank import rule #%(object)s"))
describe_as(
    "ledger.import_rule_activated",
    gettext_lazy("Turned on bank import rule #%(object)s: %(outcome)s"),
    _outcome,
)
describe_as(
    "ledger.import_rule_deactivated",
    gettext_lazy("Turned off bank import rule #%(object)s: %(outcome)s"),
    _outcome,
)
describe_as(
    "ledger.bank_imported",
    gettext_lazy(
        "Imported a bank statement: lines: %(lines)s, posted: %(posted)s, "
        "skipped: %(skipped)s, already imported: %(duplicates)s"
    ),
)
describe_as(
    "ledger.campaign_created", gettext_lazy("Created the campaign “%(campaign)s”"), _campaign
)
describe_as(
    "ledger.campaign_changed", gettext_lazy("Changed the campaign “%(campaign)s”"), _campaign
)
