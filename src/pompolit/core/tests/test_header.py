"""What every page's header offers: the seal button for coordinators and keyholders, a menu
that is never empty, and for the hotline operator a dashboard that says what is coming."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from pompolit.members.roles import Role
from pompolit.vault.keys import services

SEAL_FORM = 'action="/vault/seal/"'
PAGES = ["dashboard", "approval_list", "compartment_list", "vouch", "vault_status"]


@pytest.fixture
def keyholder(make_member: Any, vault_agent: Any, founders: Any) -> Any:
    """A case worker who holds a share of the vault's key (the vault unsealed)."""
    member = make_member("Вера Засулич", Role.CASE_WORKER)
    shares = services.initialise(
        threshold=2, keyholders=["Вера Фигнер", "Софья Перовская", "Вера Засулич"])
    services.submit_share(shares[0].text)
    services.submit_share(shares[1].text)
    return member


@pytest.mark.parametrize("where", PAGES)
def test_coordinators_and_keyholders_find_the_seal_button_on_every_page(
    keyholder, founders, client_for, where
):
    for member in (founders[0], keyholder):
        page = client_for(member).get(reverse(where)).content.decode()
        header = page.split("</header>")[0]
        assert SEAL_FORM in header and "data-confirm=" in header, member


@pytest.mark.parametrize("roles", [[Role.TREASURER], [Role.CASE_WORKER], [Role.AUDITOR],
                                   [Role.HOTLINE_OPERATOR], []])
def test_others_have_no_seal_button(keyholder, make_member, client_for, roles):
    member = make_member("Ольга Любатович", *roles)
    for where in PAGES:
        assert SEAL_FORM not in client_for(member).get(reverse(where)).content.decode()


def test_no_seal_button_when_the_vault_is_already_sealed(founders, vault_shares, client_for):
    assert SEAL_FORM not in client_for(founders[0]).get(reverse("dashboard")).content.decode()


def test_the_hotline_operator_s_dashboard_links_their_hotlines_screens(
    make_member, client_for, founders
):
    from pompolit.intake.services import open_hotline
    from pompolit.members.services import create_compartment

    moscow = create_compartment(founders[1], name="Московская линия", slug="moscow-hotline",
                                description="Задержания в Москве")
    open_hotline(founders[1], moscow, city="Москва")
    operator = make_member("Анна Якимова", Role.HOTLINE_OPERATOR, compartments=[moscow])
    page = client_for(operator).get(reverse("dashboard")).content.decode()
    card = page.split('id="hotline"')[1].split("</section>")[0]
    for where in ("intake_console", "intake_board", "intake_quarantine", "intake_duty_lawyers"):
        assert f'href="{reverse(where, args=[moscow.slug])}"' in card
    assert "0 waiting" in card
    assert "not built yet" not in page
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    assert nav.count("<li>") >= 3  # a menu, not an empty bar


def test_an_operator_granted_no_hotline_yet_is_told_how_to_get_one(make_member, client_for):
    operator = make_member("Анна Якимова", Role.HOTLINE_OPERATOR)
    page = client_for(operator).get(reverse("dashboard")).content.decode()
    assert 'id="hotline"' in page and "No hotline is granted to you yet." in page
    assert "not built yet" not in page


def test_others_do_not_see_the_hotline_card(make_member, client_for):
    worker = make_member("Николай Морозов", Role.CASE_WORKER)
    assert 'id="hotline"' not in client_for(worker).get(reverse("dashboard")).content.decode()


def test_the_menu_folds_behind_a_button_that_works_without_a_script(make_member, client_for):
    page = client_for(make_member("Николай Морозов", Role.CASE_WORKER)).get(
        reverse("dashboard")).content.decode()
    fold = page.split('<details class="fold">')[1].split("</details>")[0]
    assert "<summary>Menu</summary>" in fold and 'class="main-nav"' in fold


def test_publishing_a_statement_asks_before_it_runs(rf):
    # Irreversible: the form carries the question pompolit.js asks (as the seal button does).
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from pompolit.ledger.statements.forms import StatementPublishForm

    request = rf.get("/ledger/statements/publish/")
    request.user = AnonymousUser()
    with translation.override("en"):
        page = render_to_string("ledger/statement_publish.html",
                                {"form": StatementPublishForm()}, request=request)
    form = page.split('<form method="post" novalidate')[1].split(">")[0]
    assert 'data-confirm="Close the period and publish its statement now?' in form
