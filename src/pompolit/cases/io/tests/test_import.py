"""Importing a prisoner list: reading CSV in its encodings and XLSX, the mapping, the dry run's
outcomes and errors, the all-or-nothing commit, and re-importing without duplicates."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from openpyxl import Workbook

from pompolit.audit.models import AuditEntry
from pompolit.cases.io import importing
from pompolit.cases.models import Case, ImportedRow
from pompolit.cases.partial import PartialDate
from pompolit.names import Name

HEADER = "Фамилия;Имя;Отчество;Дата рождения;Статус;Учреждение;Номер дела;Примечания\n"
ROWS = (
    "Ремизова;Анна;Петровна;1897;in exile;Оренбург;ГПУ № 7-1922;Эсерка, ссыльная\n"
    "Гоц;Абрам;Рафаилович;03.1881;detained;Бутырская тюрьма;;Процесс эсеров\n"
    "Тимофеев;Евгений;Михайлович;15.02.1885;осуждён;;1-12/1922;\n"
)
GOOD = (HEADER + ROWS).encode("utf-8")


def table_of(data, name="list.csv"):
    return importing.read_table(data, name)


def mapping_for(table):
    return importing.guess_mapping(table.headers)


def test_utf8_with_semicolons_is_read_and_mapped_by_its_russian_headers():
    table = table_of(GOOD)
    assert table.headers[0] == "Фамилия" and len(table.rows) == 3
    mapping = mapping_for(table)
    assert mapping["surname"] == 0 and mapping["birth_date"] == 3
    assert mapping["case_number"] == 6 and mapping["notes"] == 7
    assert mapping["facility"] == 5 and mapping["full_name"] is None


def test_a_byte_order_mark_and_commas_are_understood():
    data = "\ufeffФИО,Год рождения,Номер дела\n\"Кибальчич Николай Иванович\",1853,\n"
    table = table_of(data.encode("utf-8"))
    assert table.headers == ["ФИО", "Год рождения", "Номер дела"]
    assert mapping_for(table)["full_name"] == 0


def test_a_cp1251_file_as_russian_excel_saves_it(compartment, worker):
    table = table_of((HEADER + ROWS).encode("cp1251"))
    assert table.rows[0][1][0] == "Ремизова"
    plan = importing.plan(compartment, table, mapping_for(table))
    assert plan.ok and plan.count("new") == 3


def test_an_xlsx_built_here_is_read_with_real_dates(compartment):
    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Дата рождения", "Номер дела", "Регион"])
    sheet.append(["Спиридонова Мария Александровна", datetime.date(1884, 10, 16), 4521,
                  "Самаркандская область"])
    sheet.append([None, None, None, None])
    sheet.append(["Измайлович Александра Адольфовна", "1878", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    table = table_of(buffer.getvalue(), "список.xlsx")
    assert table.rows[0][1] == ["Спиридонова Мария Александровна", "1884-10-16", "4521",
                                "Самаркандская область"]
    assert [n for n, _ in table.rows] == [2, 4]  # spreadsheet row numbers, blank row skipped
    plan = importing.plan(compartment, table, mapping_for(table))
    first = plan.rows[0]
    assert first.name.surname == "Спиридонова" and first.name.patronymic == "Александровна"
    assert first.birth_date == PartialDate(1884, 10, 16)
    assert "Самаркандская область" in first.notes


def test_a_file_too_big_is_refused_before_reading():
    with override_settings(POMPOLIT_IMPORT_MAX_BYTES=100), pytest.raises(ValidationError) as e:
        table_of(GOOD)
    assert e.value.code == "too_big"


def test_a_broken_xlsx_and_an_empty_file_are_refused():
    with pytest.raises(ValidationError):
        table_of(b"PK\x03\x04 not really a zip", "x.xlsx")
    with pytest.raises(ValidationError):
        table_of(b"\n\n", "x.csv")


def test_malformed_rows_get_each_error_with_row_column_and_what_was_expected(compartment):
    data = HEADER + (
        "Ремизова;Анна;Петровна;1897;in exile;;;\n"
        ";;;1900;detained;;;\n"             # no name
        "Гершуни;Григорий;;31.02.1870;;;;\n"  # no such day
        "Натансон;Марк;;1850;повешен;;;\n"    # unknown status
        + "Ш" * 130 + ";Ш;;;;;;\n"            # too long a surname
    )
    table = table_of(data.encode())
    plan = importing.plan(compartment, table, mapping_for(table))
    assert not plan.ok
    assert [r.outcome for r in plan.rows] == ["new", "error", "error", "error", "error"]
    by_row = {e.row: e for e in plan.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert by_row[3].column.startswith("Фамилия") and "name" in by_row[3].message
    assert by_row[4].column.startswith("Дата рождения") and "31.02.1870" in by_row[4].message
    assert "повешен" in by_row[5].message and "in exile" in by_row[5].message
    assert "120" in by_row[6].message


def test_nothing_is_written_by_the_dry_run_nor_by_a_file_with_errors(compartment, worker):
    table = table_of((HEADER + ROWS + ";;;1900;;;;\n").encode())
    importing.plan(compartment, table, mapping_for(table))
    assert Case.objects.count() == 0
    with pytest.raises(importing.ImportRefused):
        importing.commit(worker, compartment, table, mapping_for(table))
    assert Case.objects.count() == 0 and ImportedRow.objects.count() == 0


def test_the_commit_opens_cases_through_the_services_and_records_it(compartment, worker):
    table = table_of(GOOD)
    result = importing.commit(worker, compartment, table, mapping_for(table))
    assert (result.created, result.skipped) == (3, 0)
    case = Case.objects.get(person__display_name="Ремизова Анна Петровна")
    assert case.status.code == "in-exile" and case.case_number == "ГПУ № 7-1922"
    assert str(case.person.birth_date) == "1897" and case.compartment == compartment
    assert "Оренбург" in case.notes and "Эсерка" in case.notes
    assert Case.objects.get(case_number="1-12/1922").status.code == "sentenced"
    assert case.person.names.get().keys.exists()  # the name is searchable
    assert AuditEntry.objects.filter(action="cases.case_opened").count() == 3
    entry = AuditEntry.objects.get(action="cases.list_imported")
    assert entry.details["created"] == 3
    assert entry.details["file_sha256"] == hashlib.sha256(GOOD).hexdigest()
    assert entry.details["rows"] == 3


def test_re_importing_the_same_list_creates_no_duplicates(compartment, worker):
    table = table_of(GOOD)
    importing.commit(worker, compartment, table, mapping_for(table))
    # The same people, re-saved in cp1251 with spacing and ё/е differences and a changed note.
    again = (HEADER + ROWS.replace("Эсерка, ссыльная", "Эсерка")
             .replace("Гоц;Абрам", "  ГОЦ ;Абрам")).encode("cp1251")
    table = table_of(again)
    plan = importing.plan(compartment, table, mapping_for(table))
    assert [r.outcome for r in plan.rows] == ["already-imported"] * 3
    result = importing.commit(worker, compartment, table, mapping_for(table))
    assert (result.created, result.skipped) == (0, 3)
    assert Case.objects.count() == 3


def test_a_row_repeated_within_the_file_is_added_once(compartment, worker):
    table = table_of((HEADER + ROWS + ROWS.splitlines()[0] + "\n").encode())
    plan = importing.plan(compartment, table, mapping_for(table))
    assert plan.rows[-1].outcome == "repeated"
    assert importing.commit(worker, compartment, table, mapping_for(table)).created == 3


def test_the_same_person_in_another_compartment_is_not_a_duplicate(
        compartment, moscow, worker, make_member):
    from pompolit.members.roles import Role

    both = make_member("Ольга Любатович", Role.CASE_WORKER, compartments=[compartment, moscow])
    table = table_of(GOOD)
    importing.commit(both, compartment, table, mapping_for(table))
    assert importing.plan(moscow, table, mapping_for(table)).count("new") == 3


def test_only_a_case_worker_of_the_compartment_may_import(compartment, outsider):
    table = table_of(GOOD)
    with pytest.raises(PermissionDenied):
        importing.commit(outsider, compartment, table, mapping_for(table))


def test_a_mapping_without_a_name_or_with_a_column_twice_is_refused(compartment):
    table = table_of(GOOD)
    with pytest.raises(ValidationError):
        importing.plan(compartment, table, {"birth_date": 3})
    with pytest.raises(ValidationError):
        importing.plan(compartment, table, {"surname": 0, "given": 0})


def test_a_full_name_column_is_split_surname_first(compartment):
    table = table_of("ФИО;Номер дела\nКибальчич Николай Иванович;1881\nВера;\n".encode())
    rows = importing.plan(compartment, table, mapping_for(table)).rows
    assert rows[0].name == Name("Кибальчич", "Николай", "Иванович")
    assert rows[1].name == Name("Вера", "", "")


def test_the_commands_dry_run_then_import_then_export(compartment, worker, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "список.csv"
    path.write_bytes(GOOD)
    out = io.StringIO()
    call_command("cases_import", str(path), compartment=compartment.slug, actor=worker.pseudonym,
                 map=["notes="], stdout=out, stderr=io.StringIO())
    assert "Dry run: 3 new" in out.getvalue() and Case.objects.count() == 0
    call_command("cases_import", str(path), compartment=compartment.slug,
                 actor=worker.pseudonym, commit=True, stdout=io.StringIO())
    assert Case.objects.count() == 3
    target = tmp_path / "out.json"
    call_command("cases_export", compartment=compartment.slug, actor=worker.pseudonym,
                 format="json", output=target)
    assert "Ремизова" in target.read_text()


def test_cases_import_and_export_under_their_new_names(compartment, worker, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "список.csv"
    path.write_bytes(GOOD)
    out, err = io.StringIO(), io.StringIO()
    call_command("cases", "import", str(path), compartment=compartment.slug,
                 actor=worker.pseudonym, commit=True, stdout=out, stderr=err)
    assert "Imported: 3 new cases" in out.getvalue() and "is now" not in err.getvalue()
    target = tmp_path / "out.csv"
    call_command("cases", "export", "--compartment", compartment.slug, "--as", worker.pseudonym,
                 "-o", str(target))
    assert "Ремизова" in target.read_text(encoding="utf-8-sig")
    err = io.StringIO()
    call_command("cases_export", compartment=compartment.slug, actor=worker.pseudonym,
                 output=tmp_path / "old.csv", stderr=err)
    assert err.getvalue().startswith("`pompolit cases_export` is now `pompolit cases export`;")


def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused():
    book = Workbook()
    book.active.append(["ФИО"])
    for _ in range(2000):
        book.active.append(["Ремизова Анна Петровна " * 20])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    with override_settings(POMPOLIT_IMPORT_MAX_BYTES=len(data) + 1), \
            pytest.raises(ValidationError) as e:
        table_of(data, "bomb.xlsx")
    assert e.value.code == "too_big"


def test_imported_cases_are_what_open_case_makes(compartment, worker):
    """The commit writes in bulk; the cases must be indistinguishable from open_case's."""
    from pompolit.cases import services
    from pompolit.cases.models import NameKey
    from pompolit.cases.search.services import search_cases
    from pompolit.names import Name, search_keys

    table = table_of(GOOD)
    importing.commit(worker, compartment, table, mapping_for(table))
    by_hand = services.open_case(worker, compartment=compartment, name=Name("Ремизова", "Анна",
                                 "Петровна"), case_number="ГПУ № 7-1922")
    imported = next(c for c in Case.objects.filter(person__display_name="Ремизова Анна Петровна")
                    if "Эсерка" in c.notes)
    for field in ("assigned_to_id", "case_number_key", "priority", "opened_on"):
        assert getattr(imported, field) == getattr(by_hand, field), field
    assert imported.person.birth_date_lower is not None
    name = imported.person.names.get()
    assert name.is_primary and name.kind == "name"
    assert set(NameKey.objects.filter(name=name).values_list("key", flat=True)) == search_keys(
        Name("Ремизова", "Анна", "Петровна"))
    assert imported in search_cases(worker, "Remizova")
    assert imported in search_cases(worker, "эсерку")


# -- hostile and careless files (issue 11, items 7–9) ------------------------------------------


def test_a_quote_never_closed_is_refused_by_line_not_imported_as_one_person(compartment):
    data = "Фамилия;Имя\nКавычкин;\"Иван;\nБорисов;Борис;\nГлебов;Глеб;\n".encode()
    with pytest.raises(ValidationError) as refused:
        table_of(data)
    assert "line 2" in refused.value.messages[0] and "quote" in refused.value.messages[0]


def test_a_row_with_more_or_fewer_fields_than_the_header_is_an_error_of_its_row(
        compartment, worker):
    data = ("Фамилия;Имя;Отчество\nРемизова;Анна;Петровна\nГоц;Абрам;Рафаилович;1881;эсер\n"
            "Тимофеев\n").encode()
    table = table_of(data)
    plan = importing.plan(compartment, table, mapping_for(table))
    assert [r.outcome for r in plan.rows] == ["new", "error", "error"]
    assert [(e.row, e.message) for e in plan.errors] == [
        (3, "5 fields, the header has 3"), (4, "1 field, the header has 3")]
    with pytest.raises(importing.ImportRefused):
        importing.commit(worker, compartment, table, mapping_for(table))
    assert Case.objects.count() == 0


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x9b", "\u202e", "\u2067"])
def test_a_control_character_in_a_cell_is_an_error_naming_row_and_column(compartment, char):
    data = f"Фамилия;Имя\nРемизова;Анна\nГоц;Аб{char}рам\n".encode()
    table = table_of(data)
    plan = importing.plan(compartment, table, mapping_for(table))
    (error,) = plan.errors
    assert error.row == 3 and error.column == "Имя" and f"U+{ord(char):04X}" in error.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_lists_with_or_without_a_byte_order_mark_are_read(compartment, encoding):
    table = table_of((HEADER + ROWS).encode(encoding))
    plan = importing.plan(compartment, table, mapping_for(table))
    assert plan.ok and plan.rows[0].name == Name("Ремизова", "Анна", "Петровна")


@pytest.mark.parametrize("born", ["2999", "01.2999", "1700", "15.03.1799"])
def test_a_birth_date_in_the_future_or_before_1800_is_refused(compartment, born):
    table = table_of(f"Фамилия;Дата рождения\nГоц;{born}\n".encode())
    (error,) = importing.plan(compartment, table, mapping_for(table)).errors
    assert error.column.startswith("Дата рождения") and born[-4:] in error.message


def test_a_birth_date_this_year_is_accepted(compartment):
    import django.utils.timezone

    year = django.utils.timezone.localdate().year
    table = table_of(f"Фамилия;Дата рождения\nГоц;{year}\n".encode())
    assert importing.plan(compartment, table, mapping_for(table)).ok


def test_the_zip_bomb_message_names_the_real_limit_and_the_declared_size():
    book = Workbook()
    book.active.append(["ФИО"])
    for _ in range(2000):
        book.active.append(["Ремизова Анна Петровна " * 20])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    import zipfile

    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    with override_settings(POMPOLIT_IMPORT_MAX_BYTES=len(data) + 1), \
            pytest.raises(ValidationError) as refused:
        table_of(data, "bomb.xlsx")
    text = refused.value.messages[0]
    assert f"{round(unpacked / 1024 / 1024, 1)} MB" in text
    assert f"{round(10 * (len(data) + 1) / 1024 / 1024, 1)} MB" in text


def test_a_million_rows_are_refused_at_the_limit_without_reading_them_all():
    import tracemalloc

    data = ("Фамилия\n" + "a\n" * 1_000_000).encode()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            table_of(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.code == "too_many_rows"
    # Was ~380 MB for this 2 MB file: every row read into a list before the count.
    assert peak < 10 * len(data)
