"""The new aid item's fund (issue 13, point 9): only a fund that may pay it is preselected —
the case's own fund, else the unrestricted one; never a fund restricted to a purpose (the
parcels of another region); funds that cannot pay the kind are listed disabled."""

import re

from django.urls import reverse

from pompolit.ledger import services as ledger
from pompolit.ledger.models import FundKind


def url(case):
    return reverse("aid_item_new", args=[case.compartment.slug, case.pk])


def fund_options(page):
    select = re.search(r'<select name="fund".*?</select>', page, re.S).group(0)
    return {m.group(2): m.group(1) for m in re.finditer(r"<option([^>]*)>([^<]*)</option>", select)}


def test_a_parcel_preselects_the_unrestricted_fund_not_a_regions_parcel_fund(
    client_for, worker, prisoner, funds, treasurer
):
    ledger.create_fund(
        treasurer,
        code="orenburg-parcels",
        name="Передачи в Оренбург",
        kind=FundKind.PURPOSE,
        purpose="expenses:parcels",
    )
    page = client_for(worker).get(url(prisoner) + "?kind=parcel").content.decode()
    options = fund_options(page)
    selected = [label for label, attrs in options.items() if "selected" in attrs]
    assert selected == ["General fund (unrestricted)"]
    assert "selected" not in options["Передачи в Оренбург (restricted to a purpose)"]
    # The lawyers' fund cannot pay a parcel: listed, but not to be chosen.
    assert "disabled" in options["Lawyers (restricted to a purpose)"]
    assert "disabled" not in options["Передачи (restricted to a purpose)"]


def test_the_cases_own_fund_is_preselected_when_it_may_pay(
    client_for, worker, prisoner, funds, treasurer
):
    ledger.create_fund(
        treasurer,
        code="chernyshev",
        name="На Чернышёва",
        kind=FundKind.CASE,
        case_ref=str(prisoner.pk),
    )
    page = client_for(worker).get(url(prisoner) + "?kind=parcel").content.decode()
    options = fund_options(page)
    assert "selected" in options["На Чернышёва (restricted to a case)"]


def test_a_posted_kind_disables_the_funds_that_cannot_pay_it(client_for, worker, prisoner, funds):
    page = client_for(worker).post(url(prisoner), {"kind": "lawyer", "planned_on": "x"})
    options = fund_options(page.content.decode())
    assert "disabled" in options["Передачи (restricted to a purpose)"]
    assert "disabled" not in options["Lawyers (restricted to a purpose)"]
