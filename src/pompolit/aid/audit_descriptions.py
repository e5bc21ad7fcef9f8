"""How the trail says what happened to aid (audit/descriptions.py): in the reader's language,
from the ids and codes each entry keeps — kinds, statuses and channels by their labels, funds
by their names, amounts as money is written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.aid.models import Channel, Kind, Status
from pompolit.audit.descriptions import day, describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.ledger import labels
from pompolit.ledger.templatetags.money import money


def _created(entry: AuditEntry) -> dict[str, str]:
    return {
        "kind": label(Kind.choices, entry.details.get("kind")),
        "fund": labels.fund_name_of(entry.details.get("fund")),
        "cost": money(str(entry.details.get("cost", "?"))),
    }


def _step(entry: AuditEntry) -> dict[str, str]:
    channel = entry.details.get("channel")
    return {
        "from": label(Status.choices, entry.details.get("from")),
        "on": day(entry.details.get("on")),
        "channel": label(Channel.choices, channel) if channel else "—",
    }


STEPS = {
    Status.DRAFT: gettext_lazy("Aid item #%(object)s back to draft (was %(from)s), %(on)s"),
    Status.APPROVED: gettext_lazy("Aid item #%(object)s approved, %(on)s"),
    Status.SENT: gettext_lazy("Aid item #%(object)s sent (%(channel)s), %(on)s"),
    Status.DELIVERED: gettext_lazy("Aid item #%(object)s delivered, %(on)s"),
    Status.RETURNED: gettext_lazy("Aid item #%(object)s returned, %(on)s"),
    Status.LOST: gettext_lazy("Aid item #%(object)s lost, %(on)s"),
    Status.CONFISCATED: gettext_lazy("Aid item #%(object)s confiscated, %(on)s"),
}
for status, template in STEPS.items():
    describe_as(f"aid.item_{status}", template, _step)

describe_as(
    "aid.item_created",
    gettext_lazy(
        "Planned aid item #%(object)s (%(kind)s, case #%(case)s): %(cost)s from the fund “%(fund)s”"
    ),
    _created,
)
describe_as("aid.item_updated", gettext_lazy("Changed aid item #%(object)s"))
describe_as(
    "aid.item_flagged",
    gettext_lazy("Aid item #%(object)s breaks its facility's rules now: checked again"),
)
describe_as(
    "aid.item_flag_cleared", gettext_lazy("Aid item #%(object)s meets its facility's rules again")
)
describe_as(
    "aid.reply_recorded",
    gettext_lazy("A reply after aid item #%(object)s (%(how)s), %(on)s"),
    lambda entry: {
        "how": {"letter": gettext_lazy("a letter"), "call": gettext_lazy("a call")}.get(
            str(entry.details.get("how")), "?"
        ),
        "on": day(entry.details.get("on")),
    },
)
describe_as("aid.needs_changed", gettext_lazy("Changed the needs of case #%(object)s"))
describe_as(
    "aid.plan_accepted", gettext_lazy("Accepted the aid plan for %(month)s: draft items: %(items)s")
)
describe_as(
    "aid.batch_printed",
    gettext_lazy(
        "Printed the parcel labels (%(format)s): parcels: %(parcels)s, facilities: %(facilities)s"
    ),
    lambda entry: {"format": str(entry.details.get("format", "?")).upper()},
)
