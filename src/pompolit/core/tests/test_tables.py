"""The one reader of uploaded tables (case lists, bank statements, rates): encodings, quotes
that are never closed, rows wider or narrower than the header, characters that hide, and
reading row by row."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.core import tables
from pompolit.core.testing import english  # noqa: F401 (autouse)

SWALLOWING = "Фамилия;Имя;Отчество\nКавычкин;\"Иван;\nБорисов;Борис;\nГлебов;Глеб;\n"


def read(text, delimiter=";"):
    header, found = tables.table(text, delimiter)
    return header, list(found)


def test_a_quote_never_closed_is_refused_at_the_line_where_it_opens():
    with pytest.raises(tables.TableError) as refused:
        read(SWALLOWING)
    assert refused.value.line == 2 and refused.value.code == "unclosed_quote"
    assert refused.value.messages[0].startswith("line 2: a quote (\") opens here")


def test_a_quote_closed_much_later_is_caught_by_the_rows_it_swallows():
    text = "Фамилия;Имя;Отчество\nКавычкин;\"Иван;\nБорисов;Борис;\nГлебов;\"Глеб;Глебович\n"
    _header, rows = read(text)
    assert rows[0].line == 2 and "runs on to line 3" in rows[0].problem


def test_a_quoted_cell_over_several_lines_is_one_cell_and_lines_keep_counting():
    text = ("Фамилия;Примечания\r\nГоц;\"Процесс эсеров,\r\nсм. дело № 7\"\r\n"
            "Ремизова;ссыльная\r\nТимофеев;x;y;z\r\n")
    _header, rows = read(text)
    assert rows[0].cells == ["Гоц", "Процесс эсеров,\r\nсм. дело № 7"] and not rows[0].problem
    assert [r.line for r in rows] == [2, 4, 5]
    assert rows[2].problem == "4 fields, the header has 2"


def test_fewer_fields_than_the_header_and_extra_empty_ones():
    _header, rows = read("a;b;c\n1;2\n1;2;3;;\n1;2;3;4\n")
    assert [r.problem for r in rows] == ["2 fields, the header has 3", "",
                                         "4 fields, the header has 3"]


def test_a_control_character_is_named_with_its_line_and_column():
    _header, rows = read("Фамилия;Примечания\nГоц;\"строка\nещё\u202eстрока\"\n")
    assert rows[0].line == 3 and rows[0].column == 1 and "U+202E" in rows[0].problem


def test_a_control_character_in_the_header_refuses_the_file():
    with pytest.raises(tables.TableError) as refused:
        read("Фами\x00лия;Имя\nГоц;Абрам\n")
    assert "U+0000" in refused.value.messages[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "cp1251"])
def test_every_encoding_excel_writes_is_recognised(encoding):
    text = "Фамилия;Имя\nКибальчич;Николай\n"
    assert tables.decode(text.encode(encoding)) == text


def test_an_ascii_utf16_file_without_a_mark_is_not_read_as_nul_bytes():
    text = "date,currency,rate\n2025-03-14,EUR,98.45\n"
    assert tables.decode(text.encode("utf-16-le")) == text


def test_rows_are_read_one_at_a_time():
    rows = tables.rows("a\n" * 1_000_000, ";")
    first = next(rows)
    assert first.line == 1 and first.cells == ["a"]


def _reads_like_a_row(text):  # the documented guard against quotes closed rows later
    return any(line.count(";") >= 2 for line in text.splitlines()[1:])


cell = st.lists(st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"],
                              blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066"
                                                   "\u2067\u2068\u2069\x85\ufeff")
                | st.sampled_from(['"', ";", "\n", "\r\n", ","]), max_size=12).map(
    "".join).filter(lambda text: not _reads_like_a_row(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8))
def test_what_a_spreadsheet_writes_is_read_back_exactly(table):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    expected = []
    for cells in table:
        start = out.getvalue().count("\n") + 1
        writer.writerow(cells)
        if any(c.strip() for c in cells):
            expected.append((start, cells))
    _header, rows = read(out.getvalue())
    assert [(r.line, r.cells) for r in rows] == expected
    assert all(not r.problem for r in rows)
