"""What a coordinator reads before approving aid above the threshold: the summary of an
`approve_aid_item` request (members/approvals.py, `approval_summary`).

Who sees what (docs/security.md, "What an approver sees"): an approver who may open the item —
a case worker of its compartment — sees what the item's page shows: the prisoner's name, the
contents as typed, and a link to the item. Any other approver (usually a coordinator outside
the compartment) sees the case by its number and compartment, the facility (public knowledge),
the contents by category, quantity and weight, the facility rules check with the prisoner
called by the case's number, and the fund — never the name or what was typed, and no link to a
page that would refuse them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pompolit.aid import rules, services
from pompolit.aid.lifecycle import APPROVE_ACTION
from pompolit.aid.models import AidItem, Kind, Status
from pompolit.aid.vocabulary import CATEGORIES
from pompolit.ledger.approvals import fund_section, shown
from pompolit.members.approvals import (
    Check,
    Fact,
    Section,
    Summary,
    Table,
    approval_summary,
    is_open,
)
from pompolit.members.models import ApprovalRequest, Member
from pompolit.vault.errors import VaultError


def _item(payload: dict[str, Any]) -> AidItem | None:
    pk = payload.get("item")
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    found: AidItem | None = (
        AidItem.objects.select_related("case__person", "case__compartment", "case__status",
                                       "fund", "currency")
        .filter(pk=pk).first())
    return found


def _insider(viewer: Member, item: AidItem) -> bool:
    """Whether the viewer may open the item (and so read the name): aid's own rule."""
    return services.visible_items(viewer).filter(pk=item.pk).exists()


def _prisoner(item: AidItem, insider: bool) -> str:
    if insider:
        return item.case.person.display_name
    return _("the prisoner of case #%(case)s") % {"case": item.case_id}


def _kind(item: AidItem) -> str:
    return str(Kind(item.kind).label) if item.kind in Kind.values else item.kind


def headline(request: ApprovalRequest, viewer: Member) -> str:
    item = _item(request.payload)
    if item is None:
        return _("Approve aid item #%(id)s, which no longer exists") % {
            "id": request.payload.get("item")}
    return _("%(kind)s for %(prisoner)s: %(amount)s from the fund “%(fund)s”") % {
        "kind": _kind(item).capitalize(), "prisoner": _prisoner(item, _insider(viewer, item)),
        "amount": shown(services.amount_of(item)), "fund": item.fund.label,
    }


def _contents(item: AidItem, insider: bool) -> Table | None:
    lines = list(item.contents.all())
    if not lines:
        return None
    headers = [_("Kind of goods"), _("Quantity"), _("Weight, g")]
    if insider:
        headers.insert(1, _("What"))
    rows = []
    for line in lines:
        category = CATEGORIES.get(line.category)
        row = [str(category.label) if category else line.category, str(line.quantity),
               str(line.grams)]
        if insider:
            try:
                row.insert(1, str(line.description or ""))
            except VaultError:
                row.insert(1, _("(the vault is sealed)"))
        rows.append(row)
    return Table(headers, rows)


def _case_section(item: AidItem, insider: bool, context: rules.Context) -> Section:
    case = item.case
    facility = context.facility or rules.facility_on(case, item.planned_on)
    facts = [Fact(_("For"), _prisoner(item, insider),
                  reverse("aid_item_detail", args=[case.compartment.slug, item.pk])
                  if insider else ""),
             Fact(_("Case"), f"#{case.pk}"),
             Fact(_("Compartment"), case.compartment.name),
             Fact(_("Case status"), str(case.status.label)),
             Fact(_("Facility on %(day)s") % {"day": date_format(item.planned_on)},
                  str(facility) if facility else _("not known"))]
    note = "" if insider else _(
        "You do not work in this compartment, so the prisoner is shown by the case's number "
        "and what was typed about the contents is left out.")
    return Section(_("Who it is for"), facts, note=note)


def _item_section(item: AidItem, insider: bool) -> Section:
    facts = [Fact(_("What"), f"{_kind(item).capitalize()} #{item.pk}"),
             Fact(_("Planned for"), date_format(item.planned_on))]
    if item.channel:
        facts.append(Fact(_("Sent by"), item.get_channel_display()))
    if item.kind in services.WITH_CONTENTS:
        facts.append(Fact(_("Total weight"), _("%(kg)s kg") % {"kg": rules.kg(item.total_grams)}))
    if item.kind == Kind.MONEY and item.money_to:
        facts.append(Fact(_("Goes to"), item.get_money_to_display()))
    facts.append(Fact(_("Made by"), str(item.created_by)))
    return Section(_("The item"), facts, table=_contents(item, insider))


def _rules_section(item: AidItem, context: rules.Context, live: bool) -> Section:
    if not live or item.status != Status.DRAFT:
        return Section(_("Facility rules"), note=_(
            "The rules were checked when the item was approved; see the item's history."))
    if item.kind not in rules.TO_FACILITY:
        return Section(_("Facility rules"), note=_(
            "This kind of aid does not go into the facility: its rules do not apply."))
    violations = rules.check(rules.facts_of(item), context)
    checks = [Check(False, v.message) for v in violations] or [
        Check(True, _("The item passes the facility's rules as they stand today."))]
    if context.facility is not None and context.rule is None:
        checks = [Check(True, _("No rules are recorded for this facility on that day."))]
    return Section(_("Facility rules"), checks=checks)


@approval_summary(APPROVE_ACTION, headline=headline)
def summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    item = _item(request.payload)
    if item is None:
        return Summary(headline(request, viewer))
    insider = _insider(viewer, item)
    live = is_open(request)
    # The rules' sentences name the person: outside the compartment, by the case's number.
    context = dataclasses.replace(rules.load(item), name=_prisoner(item, insider))
    return Summary(headline(request, viewer), [
        _case_section(item, insider, context),
        _item_section(item, insider),
        _rules_section(item, context, live),
        fund_section(item.fund, services.amount_of(item), live=live),
    ])
