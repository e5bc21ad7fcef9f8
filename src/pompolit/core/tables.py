"""Reading an uploaded table (CSV) safely: one reader for the case lists, bank statements and
exchange rates.

- **Encodings.** UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark, and
  UTF-16 without one (recognised by its pattern of NUL bytes: Excel's "Unicode text"), then
  Windows-1251 as Russian Excel saves CSV.
- **Quotes.** A quoted cell may run over several lines (a note with line breaks, as Excel writes
  it). A quote that is never closed would swallow every line after it into one cell: it is
  refused, naming the line where the quote opens.
- **Rows swallowed by a quote closed much later.** A quoted cell running over a line that
  reads like a row of its own (as many separators as a row has, at least two) is refused too.
- **Width.** Every row must have as many cells as the header row. A row may end with extra
  *empty* cells (spreadsheets add them), never with more filled cells, nor with fewer cells:
  "line 3: 5 fields, the header has 3".
- **Characters.** Control and direction-changing characters (`core.text`) are refused, naming
  the line and the column; line breaks only inside a quoted cell.
- **Streaming.** Rows are read one at a time from the decoded text, so a reader that stops at a
  row limit never holds more than the rows it kept.

Line numbers are the physical lines of the file where a row starts (as a text editor shows them).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.core.text import forbidden_character, refusal

BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# A cell longer than this is surely a quote left open (or not a table at all).
MAX_CELL = 100_000


class TableError(ValidationError):
    """The file cannot be read as a table at all; `line` is where (0: the file as a whole)."""

    def __init__(self, message: str, *, line: int = 0, code: str = "table") -> None:
        text = message if not line else _("line %(n)s: %(message)s") % {
            "n": line, "message": message}
        super().__init__(text, code=code)
        self.line, self.reason = line, message


# -- bytes to text ------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for text in two bytes a character without a byte order mark:
    every ASCII character (separators, line ends) then has a NUL beside it, on one side only,
    and the sample decodes to printable text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    for name, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        if 0 in sample[high::2] and 0 not in sample[1 - high::2]:
            try:
                text = sample.decode(name)
            except UnicodeDecodeError:
                continue
            # A table has line ends; a one-byte file with a stray NUL, read in pairs, has none.
            if "\n" in text and all(ch.isprintable() or ch in "\t\r\n" for ch in text):
                return name
    return None


def decode(data: bytes, encoding: str = "auto") -> str:
    """The file as text. `encoding`: "auto", "utf-8" or "cp1251" (a byte order mark, or UTF-16's
    NUL bytes, always win: they cannot be mistaken)."""
    for mark, name in BOMS:
        if data.startswith(mark):
            return _decode(data[len(mark):], name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode(data, utf16)
    if encoding == "cp1251":
        return _decode(data, "cp1251")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            raise TableError(_(
                "The file is not UTF-8 text (byte %(at)s). Choose Windows-1251, or save the "
                "file as CSV (UTF-8).") % {"at": error.start + 1}, code="encoding") from None
    return _decode(data, "cp1251")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as error:
        raise TableError(_(
            "The file is not readable as %(encoding)s text (byte %(at)s). Save it as CSV (UTF-8) "
            "or as an Excel workbook (.xlsx).") % {"encoding": name.upper(), "at": error.start + 1},
            code="encoding") from None


def guess_delimiter(text: str, lines: int = 1) -> str:
    """The separator of the first `lines` lines: ";" (Russian Excel), "," or tab."""
    sample = "\n".join(_first_lines(text, lines))
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_lines(text: str, count: int) -> list[str]:
    found: list[str] = []
    start = 0
    while len(found) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            found.append(text[start:end])
        start = end + 1
    return found


# -- text to rows -------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    line: int  # the physical line where the row starts
    cells: list[str]
    # What is wrong with the row's shape or characters ("" if nothing), and in which column.
    problem: str = ""
    column: int | None = None

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


class _Lines:
    """The text's lines one at a time (no list of them), counting, and noticing when the CSV
    reader asks for a line past the end — it does so only inside a quote never closed."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.count, self.past_end = text, 0, 0, False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.position >= len(self.text):
            self.past_end = True
            raise StopIteration
        end = self.text.find("\n", self.position)
        end = len(self.text) if end < 0 else end + 1
        line = self.text[self.position:end]
        self.position = end
        self.count += 1
        return line


def rows(text: str, delimiter: str) -> Iterator[Row]:
    """Every row of the text, blank ones too, with its first line; TableError for a quote that
    is never closed or a cell too long to be one."""
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    try:
        while True:
            start = lines.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise TableError(_(
                    "a quoted cell runs on for more than %(n)s characters: a closing quote (\") "
                    "is probably missing here.") % {"n": MAX_CELL}, line=start,
                    code="unclosed_quote") from None
            if lines.past_end and cells:
                raise TableError(_(
                    "a quote (\") opens here and is never closed, so every line after it would "
                    "be read as one cell. Close the quote, or remove it."), line=start,
                    code="unclosed_quote")
            row = Row(start, cells)
            _check_characters(row)
            yield row
    finally:
        csv.field_size_limit(limit)


def _check_characters(row: Row) -> None:
    if forbidden_character("\t".join(row.cells)) is None:  # one search for the usual row
        return
    for index, cell in enumerate(row.cells):
        position = forbidden_character(cell)
        if position is not None:
            row.line += cell.count("\n", 0, position)
            row.problem, row.column = refusal(cell[position], position), index
            return


def check_width(row: Row, width: int) -> None:
    """Mark a row with fewer cells than the header, or with filled cells beyond it."""
    if row.problem:
        return
    cells = row.cells
    if len(cells) < width:
        row.problem = width_message(len(cells), width)
    elif any(cell.strip() for cell in cells[width:]):
        last = max(i for i, cell in enumerate(cells) if cell.strip())
        row.problem = width_message(last + 1, width)


def width_message(found: int, width: int) -> str:
    return ngettext("%(found)s field, the header has %(width)s",
                    "%(found)s fields, the header has %(width)s", found) % {
        "found": found, "width": width}


def header_width(cells: list[str]) -> int:
    """The header's cells up to its last named one."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def table(text: str, delimiter: str, *, is_header: Callable[[Row], bool] | None = None,
          search: int = 1) -> tuple[Row, Iterator[Row]]:
    """The header row (the first non-blank row, or the first of the first `search` rows that
    `is_header` accepts) and an iterator over the non-blank rows under it, each checked
    against the header's width. TableError if there is no header, or it has a bad character."""
    found = rows(text, delimiter)
    seen = 0
    for row in found:
        if row.blank:
            continue
        seen += 1
        if is_header is None or is_header(row):
            if row.problem:
                raise TableError(row.problem, line=row.line, code="control_character")
            return row, _under(found, header_width(row.cells), delimiter)
        if seen >= search:
            break
    raise TableError(_("The file has no header row naming its columns."), code="no_header")


def _under(found: Iterator[Row], width: int, delimiter: str) -> Iterator[Row]:
    for row in found:
        if not row.blank:
            check_width(row, width)
            _check_swallowed(row, width, delimiter)
            yield row


def _check_swallowed(row: Row, width: int, delimiter: str) -> None:
    """A quoted cell over several lines, one of which reads like a row of its own (as many
    separators as a row has), is most likely a quote left open and closed rows later."""
    if row.problem:
        return
    needed = max(2, width - 1)
    for index, cell in enumerate(row.cells):
        if "\n" not in cell:
            continue
        for offset, text in enumerate(cell.splitlines()[1:], start=1):
            if text.count(delimiter) >= needed:
                row.problem, row.column = _(
                    "the quoted cell that opens here runs on to line %(other)s, which reads like "
                    "a row of its own: a closing quote (\") is probably missing."
                ) % {"other": row.line + cell.count("\n", 0, _nth_line(cell, offset))}, index
                return


def _nth_line(text: str, n: int) -> int:
    position = 0
    for _line in range(n):
        position = text.index("\n", position) + 1
    return position
