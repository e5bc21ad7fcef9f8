"""`pompolit cases import`: a row is skipped with --skip-row, and the dry run reports each
facility name of the file — found, ambiguous or unknown; none is created from the command."""

import io

import pytest
from django.core.management import call_command

from pompolit.cases.models import Case, Facility

pytestmark = pytest.mark.usefixtures("unsealed_vault")

LIST = (
    "ФИО;Дата рождения;Дата задержания;Учреждение\n"
    "Чернышёв Алексей Игоревич;02.04.1987;06.03.2023;ИК-6 Омск\n"
    "Лунц Григорий Исаакович;1901;;СИЗО-3 Кострома\n"
    "Гоц Абрам Рафаилович;весной;;\n"
)


def test_a_row_skipped_and_the_facilities_reported(compartment, worker, facilities, tmp_path):
    path = tmp_path / "список.csv"
    path.write_text(LIST, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "cases",
        "import",
        str(path),
        compartment=compartment.slug,
        actor=worker.pseudonym,
        skip_row=[4],
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    assert "facility\tfound\tИК-6 Омск\tФКУ ИК-6 УФСИН России по Омской области" in text
    assert "facility\tunknown\tСИЗО-3 Кострома\t-" in text
    assert "4\tskipped by you\tГоц Абрам Рафаилович" in text
    assert "Dry run: 2 new, 0 errors." in text
    call_command(
        "cases",
        "import",
        str(path),
        compartment=compartment.slug,
        actor=worker.pseudonym,
        skip_row=[4],
        commit=True,
        stdout=io.StringIO(),
    )
    case = Case.objects.get(person__display_name="Чернышёв Алексей Игоревич")
    assert case.current_facility == facilities["ik6"]
    assert "СИЗО-3 Кострома" in Case.objects.get(person__display_name__startswith="Лунц").notes
    assert Facility.objects.count() == len(facilities)
