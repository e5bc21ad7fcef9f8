"""The import preview shows each row's possible matches (issue 14): a row may be linked to the
person already registered instead of making a new one, the choice kept while paging; a match in
a compartment the member cannot see is only a sentence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import Case, ImportedRow, NameKind, Person, PersonName
from pompolit.cases.testing import P
from pompolit.members.roles import Role
from pompolit.names import Name

pytestmark = pytest.mark.usefixtures("unsealed_vault")

MAP = reverse("cases_import_map")
MAPPING = {"full_name": "0", "birth_date": "1", "case_number": "2"}
ELSEWHERE = "A possible match exists in another compartment — ask a coordinator."


def start(client, compartment, data):
    response = client.post(
        reverse("cases_import"),
        {"compartment": compartment.pk, "file": SimpleUploadedFile("список.csv", data.encode())},
    )
    assert response.status_code == 302


def preview(client, **data):
    return client.post(MAP, {**MAPPING, "action": "preview", **data}).content.decode()


def listing(*rows):
    return "ФИО;Дата рождения;Номер дела\n" + "".join(f"{row}\n" for row in rows)


@pytest.fixture
def sokolova(open_case):
    """Registered in the worker's compartment, in Russian."""
    return open_case(
        "Соколова", "Мария", "Андреевна", birth_date=P("1987-04-12"), case_number="1-45/2024"
    )


def test_a_row_matching_a_registered_person_shows_the_person(
    worker, compartment, sokolova, client_for
):
    client = client_for(worker)
    start(client, compartment, listing("Sokolova Maria;12.04.1987;", "Лунц Григорий;1901;"))
    page = preview(client)
    assert "Possibly already registered:" in page
    assert f'name="link-2" id="link-2-{sokolova.person_id}" value="{sokolova.person_id}"' in page
    assert "This is Соколова Мария Андреевна, born 12 Apr 1987" in page
    assert reverse("case_detail", args=[compartment.slug, sokolova.pk]) in page
    # "A new person" is the default; a row with no match has no choice at all.
    assert 'id="link-2-new" value="" checked' in page
    assert 'name="link-3"' not in page


def test_a_linked_row_makes_no_new_person_and_keeps_the_spelling(
    worker, compartment, sokolova, client_for
):
    client = client_for(worker)
    start(client, compartment, listing("Sokolova Maria;12.04.1987;2-77/2025"))
    preview(client)
    page = preview(client, shown_rows="2", **{"link-2": str(sokolova.person_id)})
    assert f"joins their case #{sokolova.pk} in this compartment" in page
    response = client.post(MAP, {**MAPPING, "action": "import"})
    assert response.status_code == 302
    assert Person.objects.count() == 1 and Case.objects.count() == 1
    names = sorted(
        (n.kind, n.surname, n.given) for n in PersonName.objects.filter(person=sokolova.person)
    )
    assert names == [(NameKind.ALIAS, "Sokolova", "Maria"), (NameKind.NAME, "Соколова", "Мария")]
    # The new spelling finds her, and the row is remembered: importing the list again adds nothing.
    assert ImportedRow.objects.get().case == sokolova
    assert AuditEntry.objects.filter(action="cases.name_added", object_id=str(sokolova.pk)).exists()
    imported = AuditEntry.objects.get(action="cases.list_imported")
    assert imported.details["created"] == 0 and imported.details["attached"] == 1


def test_a_row_linked_to_a_person_of_another_compartment_opens_a_case_for_them(
    make_member, compartment, moscow, client_for
):
    both = make_member("Ольга Любатович", Role.CASE_WORKER, compartments=[compartment, moscow])
    gotz = services.open_case(
        both, compartment=moscow, name=Name("Гоц", "Абрам", "Рафаилович"), birth_date=P("1882")
    )
    client = client_for(both)
    start(client, compartment, listing("Гоц Абрам Рафаилович;1882;", "Gots Abram;1882;"))
    page = preview(client)
    assert f'value="{gotz.person_id}"' in page
    preview(
        client, shown_rows="2,3", **{"link-2": str(gotz.person_id), "link-3": str(gotz.person_id)}
    )
    client.post(MAP, {**MAPPING, "action": "import"})
    assert Person.objects.count() == 1
    opened = Case.objects.filter(compartment=compartment)
    assert [c.person_id for c in opened] == [gotz.person_id, gotz.person_id]
    # The same spelling adds no name; the Latin one is kept once.
    assert sorted(str(n) for n in gotz.person.names.all()) == ["Gots Abram", "Гоц Абрам Рафаилович"]
    entry = AuditEntry.objects.filter(action="cases.case_opened", object_id=str(opened[0].pk)).get()
    assert entry.details["person"] == gotz.person_id


def test_the_link_is_kept_while_paging(worker, compartment, sokolova, client_for):
    others = [f"Петров Пётр Номер{n};19{n:02d};" for n in range(60)]
    client = client_for(worker)
    start(client, compartment, listing("Sokolova Maria;12.04.1987;", *others))
    page = preview(client)
    rows = ",".join(str(n) for n in range(2, 52))
    page = preview(client, shown_rows=rows, page="2", **{"link-2": str(sokolova.person_id)})
    assert 'name="link-2"' not in page  # row 2 is on the first page
    page = preview(client, shown_rows="52,53", page="1")
    assert f'id="link-2-{sokolova.person_id}" value="{sokolova.person_id}" checked' in page
    client.post(MAP, {**MAPPING, "action": "import", "shown_rows": "52,53"})
    assert Person.objects.count() == 61
    assert Case.objects.filter(person=sokolova.person).count() == 1


def test_a_match_the_member_cannot_see_is_only_a_sentence(
    worker, outsider, compartment, moscow, client_for
):
    hidden = services.open_case(
        outsider,
        compartment=moscow,
        name=Name("Соколова", "Мария", "Андреевна"),
        birth_date=P("1987-04-12"),
    )
    client = client_for(worker)
    start(client, compartment, listing("Sokolova Maria;12.04.1987;"))
    page = preview(client)
    assert ELSEWHERE in page
    assert 'name="link-2"' not in page and "Андреевна" not in page
    assert reverse("case_detail", args=[moscow.slug, hidden.pk]) not in page
    # A link posted by hand to that person is refused: nothing is imported.
    page = client.post(
        MAP, {**MAPPING, "action": "import", "shown_rows": "2", "link-2": str(hidden.person_id)}
    ).content.decode()
    assert "row 2 is linked to a person you cannot see" in page
    assert not Case.objects.filter(compartment=compartment).exists()
