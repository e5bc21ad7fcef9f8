"""Compartments: each member sees only their own; only coordinators create them."""

import pytest

from pompolit.members.models import Compartment
from pompolit.members.roles import Role


@pytest.fixture
def moscow(founders):
    from pompolit.members.services import create_compartment

    return create_compartment(founders[0], name="Московская горячая линия", slug="moscow-hotline")


def test_member_sees_only_their_compartments(client, make_member, compartment, moscow, log_in):
    log_in(client, make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment]))

    listed = list(client.get("/compartments/").context["compartments"])

    assert listed == [compartment]
    assert client.get(f"/compartments/{compartment.slug}/").status_code == 200
    assert client.get(f"/compartments/{moscow.slug}/").status_code == 404
    assert client.get("/compartments/no-such-thing/").status_code == 404


def test_coordinator_sees_all_and_creates(client, founders, compartment, log_in):
    log_in(client, founders[0])
    assert compartment in client.get("/compartments/").context["compartments"]

    response = client.post("/compartments/new/", {"name": "Ссыльные Якутии", "slug": "yakutia",
                                              "description": ""})

    assert response.status_code == 302
    assert Compartment.objects.filter(slug="yakutia").exists()


def test_duplicate_compartment_keeps_the_input_and_says_why(client, founders, compartment,
                                                            log_in):
    log_in(client, founders[0])
    response = client.post("/compartments/new/", {"name": "Новое имя", "slug": compartment.slug})
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert "Новое имя" in response.content.decode()


def test_non_coordinator_cannot_create(client, make_member, log_in):
    log_in(client, make_member("Николай Морозов", Role.CASE_WORKER))
    response = client.post("/compartments/new/", {"name": "Тайная", "slug": "secret"})
    assert response.status_code == 403
    assert not Compartment.objects.filter(slug="secret").exists()


def test_coordinator_outside_a_compartment_cannot_open_it(client, founders, compartment, log_in):
    # Coordinators grant compartments; they do not see inside them without a grant.
    log_in(client, founders[1])
    assert client.get(f"/compartments/{compartment.slug}/").status_code == 404
