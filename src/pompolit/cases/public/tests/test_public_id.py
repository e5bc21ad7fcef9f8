"""Public case addresses use a random public id, never the sequential pk: counting or guessing
the published pages, or telling how many cases the group keeps, must not work."""

import importlib
import re

from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from pompolit.cases.models import PUBLIC_ID_ALPHABET, Case, new_public_id
from pompolit.cases.public import consent
from pompolit.cases.testing import days

ID = re.compile(rf"^[{PUBLIC_ID_ALPHABET}]{{12}}$")


def publish(worker, case):
    consent.give(worker, case, given_by="relative", given_on=days(-3), scope=["name"])


def test_every_case_gets_a_random_stable_public_id(open_case):
    first = open_case("Засулич", "Вера", "Ивановна")
    second = open_case("Засулич", "Вера", "Ивановна")
    assert ID.match(first.public_id) and ID.match(second.public_id)
    assert first.public_id != second.public_id
    public_id = first.public_id
    first.refresh_from_db()
    first.notes = "Переписка через сестру"
    first.save()
    assert Case.objects.get(pk=first.pk).public_id == public_id


def test_ids_do_not_repeat():
    assert len({new_public_id() for _ in range(5000)}) == 5000


def test_the_public_page_is_found_by_public_id_only(worker, open_case):
    case = open_case("Фигнер", "Вера", "Николаевна")
    publish(worker, case)
    visitor = Client(HTTP_ACCEPT_LANGUAGE="ru")
    page = visitor.get(reverse("public_case", args=[case.public_id]))
    assert page.status_code == 200 and "Фигнер Вера Николаевна" in page.content.decode()
    # The pk is not an address, whether or not a case has it.
    assert visitor.get(f"/prisoners/{case.pk}/").status_code == 404
    assert visitor.get(f"/prisoners/{case.public_id.upper()}/").status_code == 404
    # The internal URL name cannot be built from a pk by mistake either.
    try:
        url = reverse("public_case", args=[case.pk])
    except NoReverseMatch:
        url = ""
    assert not url or visitor.get(url).status_code == 404


def test_the_public_list_and_the_consent_page_link_by_public_id(worker, open_case, client_for):
    case = open_case("Якимова", "Анна", "Васильевна")
    publish(worker, case)
    listing = Client().get(reverse("public_case_list")).content.decode()
    assert f"/prisoners/{case.public_id}/" in listing
    assert f"/prisoners/{case.pk}/" not in listing
    consent_page = client_for(worker).get(
        reverse("case_consent", args=[case.compartment.slug, case.pk])).content.decode()
    assert f"/prisoners/{case.public_id}/" in consent_page


def test_the_data_migration_gives_old_cases_distinct_ids(open_case):
    cases = [open_case("Перовская", "Софья", str(n)) for n in range(3)]
    # As a row stands between migrations 0005 and 0007 (the column is unique now: one row).
    Case.objects.filter(pk=cases[0].pk).update(public_id="")
    kept = [c.public_id for c in cases[1:]]
    migration = importlib.import_module("pompolit.cases.migrations.0006_fill_public_ids")
    migration.fill_public_ids(apps, None)
    ids = [Case.objects.get(pk=c.pk).public_id for c in cases]
    assert ID.match(ids[0]) and len(set(ids)) == 3
    assert ids[1:] == kept
