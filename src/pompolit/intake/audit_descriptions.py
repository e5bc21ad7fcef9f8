"""How the trail says what the hotline did (audit/descriptions.py): in the reader's language,
from the ids and codes each entry keeps — never a detainee's name."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as, describes, facts, label
from pompolit.audit.models import AuditEntry
from pompolit.intake.models import Channel, ProtestEvent, Rejection, Reporter, Status
from pompolit.members.models import Compartment


def _compartment(entry: AuditEntry) -> dict[str, str]:
    slug = str(entry.details.get("compartment", ""))
    name = Compartment.objects.filter(slug=slug).values_list("name", flat=True).first()
    return {"compartment": name or slug or "?"}


def _event(entry: AuditEntry) -> dict[str, str]:
    name = (
        ProtestEvent.objects.filter(pk=entry.details.get("event"))
        .values_list("name", flat=True)
        .first()
    )
    return {"name": name or "?"}


@describes("intake.report_recorded")
def _report_recorded(entry: AuditEntry) -> str:
    found = facts(
        entry,
        channel=label(Channel.choices, entry.details.get("channel")),
        reporter=label(Reporter.choices, entry.details.get("reporter")),
    )
    if entry.details.get("linked"):
        text = _(
            "Report #%(report)s (%(channel)s, from %(reporter)s) added to detention #%(detention)s"
        )
    elif entry.details.get("same_person"):
        text = _(
            "Report #%(report)s (%(channel)s, from %(reporter)s) opened detention "
            "#%(detention)s of someone detained before"
        )
    else:
        text = _(
            "Report #%(report)s (%(channel)s, from %(reporter)s) opened detention #%(detention)s"
        )
    return text % found


@describes("intake.status_changed")
def _status_changed(entry: AuditEntry) -> str:
    return _("Detention #%(detention)s: %(before)s → %(after)s") % facts(
        entry,
        before=label(Status.choices, entry.details.get("from")),
        after=label(Status.choices, entry.details.get("to")),
    )


describe_as(
    "intake.hotline_opened",
    gettext_lazy("Opened a hotline in the compartment %(compartment)s"),
    _compartment,
)
describe_as(
    "intake.relative_added",
    gettext_lazy("Added a relative's contact to detention #%(detention)s"),
)


@describes("intake.lawyer_assigned")
def _lawyer_assigned(entry: AuditEntry) -> str:
    if not entry.details.get("duty_lawyer"):
        return _("Assigned a lawyer to detention #%(detention)s") % facts(entry)
    if entry.details.get("over_capacity"):
        text = _(
            "Assigned lawyer on duty #%(duty_lawyer)s to detention #%(detention)s, over their "
            "capacity"
        )
    else:
        text = _("Assigned lawyer on duty #%(duty_lawyer)s to detention #%(detention)s")
    return text % facts(entry)


describe_as(
    "intake.event_created",
    gettext_lazy("Added the protest event “%(name)s” (#%(object)s)"),
    _event,
)
describe_as(
    "intake.event_changed",
    gettext_lazy("Corrected the protest event “%(name)s” (#%(object)s)"),
    _event,
)
describe_as(
    "intake.escalated",
    gettext_lazy(
        "Detention #%(detention)s became case #%(case)s in the compartment %(compartment)s"
    ),
    _compartment,
)


@describes("intake.public_report_received")
def _public_report_received(entry: AuditEntry) -> str:
    return _("Report #%(report)s arrived from the public (%(channel)s), in quarantine") % facts(
        entry, channel=label(Channel.choices, entry.details.get("channel"))
    )


describe_as(
    "intake.public_report_accepted",
    gettext_lazy("Public report #%(report)s accepted: it opened detention #%(detention)s"),
)
describe_as(
    "intake.public_report_linked",
    gettext_lazy("Public report #%(report)s accepted: added to detention #%(detention)s"),
)


@describes("intake.public_report_rejected")
def _public_report_rejected(entry: AuditEntry) -> str:
    return _("Public report #%(report)s rejected: %(reason)s") % facts(
        entry, reason=label(Rejection.choices, entry.details.get("reason"))
    )


describe_as(
    "intake.report_photos_stored",
    gettext_lazy(
        "Photos kept with public report #%(report)s, cleaned and encrypted: %(photos)s"
    ),
)
describe_as(
    "intake.report_photos_deleted",
    gettext_lazy(
        "Photos of rejected report #%(report)s deleted with their keys: %(photos)s"
    ),
)

# -- lawyers on duty and the shift log (intake/duty) ---------------------------------------------


def _station(entry: AuditEntry) -> dict[str, str]:
    from pompolit.cases.models import Facility

    found = Facility.objects.filter(pk=entry.details.get("station")).first()
    return {"station": (found.short_name or found.name) if found else "?"}


describe_as(
    "intake.lawyer_on_duty",
    gettext_lazy("Lawyer on duty #%(lawyer)s added, for %(capacity)s detainees"),
)
describe_as(
    "intake.lawyer_dispatched",
    gettext_lazy("Lawyer on duty #%(lawyer)s sent to %(station)s"),
    _station,
)
describe_as(
    "intake.lawyer_recalled",
    gettext_lazy("Lawyer on duty #%(lawyer)s recalled from their police station"),
)


@describes("intake.log_written")
def _log_written(entry: AuditEntry) -> str:
    from pompolit.intake.models import LogKind

    return _("Shift log entry #%(entry)s written (%(kind)s)") % facts(
        entry, kind=label(LogKind.choices, entry.details.get("kind"))
    )
describe_as(
    "intake.link_proposed",
    gettext_lazy(
        "Public report #%(report)s proposed for linking to detention #%(detention)s "
        "(found by the deduplication)"
    ),
)


def _export_filters(entry: AuditEntry) -> str:
    """The filters of an export, as the trail keeps them (ids and days)."""
    details = entry.details
    parts = [_("held now") if details.get("held_only") else _("everyone")]
    if details.get("event"):
        parts.append(_("event #%(event)s") % {"event": details["event"]})
    if details.get("station"):
        parts.append(_("police station #%(station)s") % {"station": details["station"]})
    if details.get("from") or details.get("to"):
        parts.append(f"{details.get('from') or '…'} – {details.get('to') or '…'}")
    parts.append(str(details.get("format", "?")).upper())
    if details.get("contacts"):
        parts.append(_("with contacts"))
    return ", ".join(parts)


@describes("intake.export_queued")
def _export_queued(entry: AuditEntry) -> str:
    return _("Asked for the list of detentions of %(compartment)s (%(filters)s)") % {
        **_compartment(entry), "filters": _export_filters(entry)}


@describes("intake.export_contacts_approved")
def _export_contacts_approved(entry: AuditEntry) -> str:
    return _(
        "Approved request #%(approval)s: the list of detentions of %(compartment)s for "
        "%(requested_by)s, queued (%(filters)s)"
    ) % {**_compartment(entry), "approval": entry.details.get("approval", "?"),
         "requested_by": entry.details.get("requested_by", "?"),
         "filters": _export_filters(entry)}


@describes("intake.exported")
def _exported(entry: AuditEntry) -> str:
    return _(
        "Downloaded the list of detentions of %(compartment)s: %(rows)s rows (%(filters)s)"
    ) % {**_compartment(entry), "rows": entry.details.get("rows", "?"),
         "filters": _export_filters(entry)}
describe_as(
    "intake.hotline_changed",
    gettext_lazy("Changed the town or public contacts of the hotline in %(compartment)s"),
    _compartment,
)
describe_as(
    "intake.public_name_consented",
    gettext_lazy("Recorded that the person of detention #%(detention)s agreed to be named "
                 "publicly"),
)
describe_as(
    "intake.public_name_withdrawn",
    gettext_lazy("Withdrew the public naming of the person of detention #%(detention)s"),
)
