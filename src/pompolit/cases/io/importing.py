"""Importing an existing list of prisoners (CSV or XLSX) into one compartment.

Three steps, each a function here: `read_table` turns the uploaded bytes into rows of text
(refusing files that are too big); `plan` is the dry run — every row's outcome and every error,
nothing written; `commit` opens the cases in one transaction — the checks, search keys and
audit entries of `services.open_case`, written in bulk — and only when the plan has no error
at all: a list is imported whole or not at all.

Re-importing the same list adds nothing. Each imported row leaves an `ImportedRow` with a
fingerprint: the SHA-256 of the compartment, the normalised name (case-folded, ё read as е,
spaces collapsed; surname, given name and patronymic), the birth date as written in the
registry (1897, 1897-03, 1897-03-15) and the case number's letters and digits
(`services.number_key`). A row whose fingerprint is already there is "already imported"; a row
repeating an earlier row of the same file is skipped too. Notes, status and facility are not
part of the fingerprint: correcting a note in the list and importing it again does not make a
second case.

A facility column is matched to the list of facilities by its words
(`facilities/matching.py`: "ИК-2 Рязань" is "ФКУ ИК-2 УФСИН России по Рязанской области").
Each distinct name is shown in the preview — found, ambiguous (several fit) or unknown — and the
case worker decides: this facility, a new one (created on import, only when ticked), or none.
The import does not invent custody events: a facility goes on the timeline only with a date of
arrest (an arrest event there); without one it is kept in the case's notes, like the region.

The preview lets each row be skipped or corrected (`Choices`): a corrected row is read again
from what was typed, with the same checks; the import stays all or nothing over the rows kept.

A row may also be linked to a person already registered (`Choices.links`, chosen among the
row's possible matches in the preview): no new person is made; the row's name becomes another
spelling of that person when it is a new one, and the row's case is opened for them — or, when
they already have a case in the compartment imported into, the row is attached to that case
(the earliest) and nothing else of the row is written.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.services import record
from pompolit.cases import services
from pompolit.cases.custody import ARREST, Step, check_custody, derive_custody_fields
from pompolit.cases.facilities import matching
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import (
    Case,
    CaseStatus,
    CoarseKey,
    Event,
    EventType,
    Facility,
    FacilityType,
    ImportedRow,
    NameKey,
    NameKind,
    Person,
    PersonName,
)
from pompolit.cases.partial import PartialDate, bounds, check_birth_date, check_event_date
from pompolit.cases.search import fulltext
from pompolit.core import tables
from pompolit.core.text import forbidden_character, refusal
from pompolit.members.models import Compartment, Member
from pompolit.names import Name, search_keys, tidy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_UNPACKED_RATIO = 10

# The registry's fields a column may be mapped to, in the order the mapping form shows them.
FIELDS: dict[str, StrPromise] = {
    "surname": gettext_lazy("surname"),
    "given": gettext_lazy("given name"),
    "patronymic": gettext_lazy("patronymic"),
    "full_name": gettext_lazy("full name (surname, given name, patronymic in one cell)"),
    "birth_date": gettext_lazy("date of birth"),
    "arrest_date": gettext_lazy("date of arrest"),
    "status": gettext_lazy("status"),
    "facility": gettext_lazy("facility"),
    "region": gettext_lazy("region"),
    "case_number": gettext_lazy("case number"),
    "notes": gettext_lazy("notes"),
}

# Headers seen in real lists, folded; the first match proposes the mapping.
_HEADERS: dict[str, tuple[str, ...]] = {
    "surname": ("фамилия", "surname", "last name", "family name"),
    "given": ("имя", "given name", "first name", "name"),
    "patronymic": ("отчество", "patronymic", "middle name"),
    "full_name": ("фио", "ф.и.о.", "ф. и. о.", "full name", "имя полностью"),
    "birth_date": ("дата рождения", "год рождения", "родился", "родилась", "birth date",
                   "date of birth", "born", "dob"),
    "arrest_date": ("дата задержания", "дата ареста", "задержан", "арестован", "arrest date",
                    "date of arrest", "arrested", "detained on"),
    "status": ("статус", "status", "положение"),
    "facility": ("учреждение", "место содержания", "колония", "сизо", "facility", "prison"),
    "region": ("регион", "область", "region"),
    "case_number": ("номер дела", "№ дела", "дело", "case number", "case no", "case"),
    "notes": ("примечания", "примечание", "комментарий", "заметки", "notes", "note",
              "comment"),
}

MAX_LENGTHS = {"surname": 120, "given": 120, "patronymic": 120, "case_number": 100}


def max_bytes() -> int:
    return int(getattr(settings, "POMPOLIT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "POMPOLIT_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


# -- reading the file --------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (the row's number as a spreadsheet or a text editor shows it, its cells as text)
    rows: list[tuple[int, list[str]]]
    # Rows that cannot be read as the header says, by number: (column index or None, why).
    problems: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    # SHA-256 of the file: what the audit trail keeps of it (never its name).
    digest: str = ""


def _too_big() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s MB. Split the list into smaller files.")
        % {"limit": round(max_bytes() / 1024 / 1024, 1)},
        code="too_big",
    )


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(limit)s rows. Split the list into smaller files.")
        % {"limit": max_rows()}, code="too_many_rows",
    )


def read_table(data: bytes, filename: str) -> Table:
    """The file's header row and rows; ValidationError if it is too big or unreadable.

    Rows are read one at a time and reading stops at the row limit: a file of a million short
    rows costs no more than the limit's worth of rows."""
    if len(data) > max_bytes():
        raise _too_big()
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise ValidationError(_("The file is empty: the first row must name the columns."),
                              code="empty")
    return replace(table, digest=hashlib.sha256(data).hexdigest())


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16, else Windows-1251 (core.tables)."""
    return tables.decode(data)


def _read_csv(data: bytes) -> Table:
    text = decode(data)
    try:
        header, found = tables.table(text, tables.guess_delimiter(text))
    except tables.TableError as error:
        if error.code == "no_header":
            return Table([], [])
        raise
    rows: list[tuple[int, list[str]]] = []
    problems: dict[int, tuple[int | None, str]] = {}
    for row in found:
        if len(rows) >= max_rows():
            raise _too_many_rows()
        rows.append((row.line, [c.strip() for c in row.cells[:MAX_COLUMNS]]))
        if row.problem:
            problems[row.line] = (row.column, row.problem)
    headers = [c.strip() for c in header.cells[:tables.header_width(header.cells)]]
    return Table(headers[:MAX_COLUMNS], rows, problems)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unpacked_too_big(unpacked: int) -> ValidationError:
    return ValidationError(
        _("The workbook would unpack to %(size)s MB; at most %(limit)s MB is accepted (ten "
          "times the largest file). Split the list into smaller files.")
        % {"size": round(unpacked / 1024 / 1024, 1),
           "limit": round(MAX_UNPACKED_RATIO * max_bytes() / 1024 / 1024, 1)},
        code="too_big",
    )


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        # A small zip may unpack to gigabytes (and shared strings are read whole): refuse
        # workbooks whose contents would unpack to far more than any real list.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        if unpacked > MAX_UNPACKED_RATIO * max_bytes():
            raise _unpacked_too_big(unpacked)
        # read_only streams the sheet instead of building it whole in memory.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError(
            _("The file is not an Excel workbook (.xlsx) that can be read."), code="xlsx",
        ) from None
    try:
        sheet = book.worksheets[0]
        lines: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(lines) > max_rows():
                raise _too_many_rows()
            cells = [_cell(v) for v in values[:MAX_COLUMNS]]
            if any(cells):
                lines.append((number, cells))
    finally:
        book.close()
    return _table(lines)


def _table(lines: list[tuple[int, list[str]]]) -> Table:
    lines = [(n, [c.strip() for c in row]) for n, row in lines]
    filled = [(n, row) for n, row in lines if any(row)]
    if not filled:
        return Table([], [])
    header_line, headers = filled[0]
    while headers and not headers[-1]:
        headers = headers[:-1]
    for text in headers:
        position = forbidden_character(text)
        if position is not None:
            raise tables.TableError(refusal(text[position], position), line=header_line,
                                    code="control_character")
    problems: dict[int, tuple[int | None, str]] = {}
    for number, row in filled[1:]:
        for index, text in enumerate(row):
            position = forbidden_character(text)
            if position is not None:
                problems[number] = (index, refusal(text[position], position))
                break
    if len(filled) - 1 > max_rows():
        raise _too_many_rows()
    return Table(headers, filled[1:], problems)


# -- the mapping ---------------------------------------------------------------------------------

Mapping_ = dict[str, int | None]


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def guess_mapping(headers: Sequence[str]) -> Mapping_:
    """Which column is which field, from the headers' words; None where nothing fits."""
    folded = [_fold(h) for h in headers]
    taken: set[int] = set()
    mapping: Mapping_ = {}
    for name, words in _HEADERS.items():
        mapping[name] = None
        for word in words:
            found = next((i for i, h in enumerate(folded) if h == word and i not in taken), None)
            if found is not None:
                mapping[name] = found
                taken.add(found)
                break
    if mapping["full_name"] is not None and mapping["surname"] is None:
        mapping["given"] = mapping["patronymic"] = None
    return mapping


def check_mapping(mapping: Mapping[str, int | None], headers: Sequence[str]) -> None:
    used = [i for i in mapping.values() if i is not None]
    if any(not 0 <= i < len(headers) for i in used):
        raise ValidationError(_("The mapping names a column the file does not have."))
    if len(used) != len(set(used)):
        raise ValidationError(_("One column is mapped to two fields; map each column once."))
    if mapping.get("surname") is None and mapping.get("given") is None \
            and mapping.get("full_name") is None:
        raise ValidationError(
            _("Say which column holds the name: the surname, the given name or the full name.")
        )


# -- the dry run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


NEW, ALREADY, REPEATED, SKIPPED, ERROR = (
    "new", "already-imported", "repeated", "skipped", "error")
OUTCOMES = {
    NEW: gettext_lazy("will be added"),
    ALREADY: gettext_lazy("already imported: skipped"),
    REPEATED: gettext_lazy("repeats an earlier row: skipped"),
    SKIPPED: gettext_lazy("skipped by you"),
    ERROR: gettext_lazy("error"),
}
NEW_FACILITY = "new"


@dataclass(frozen=True)
class Choices:
    """What the case worker decided in the preview: rows skipped, cells corrected (row → field →
    text), and for each facility name of the file (by `FacilityName.ref`): "" for none, "new"
    to create it (with its type's code and region), or a facility's id."""

    skip: frozenset[int] = frozenset()
    corrections: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    facilities: Mapping[str, str] = field(default_factory=dict)
    new_types: Mapping[str, str] = field(default_factory=dict)
    new_regions: Mapping[str, str] = field(default_factory=dict)
    # row → the id of the person already registered the row is (instead of a new person)
    links: Mapping[int, int] = field(default_factory=dict)


FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"


@dataclass
class FacilityName:
    """One facility as the file writes it (with the row's region), and what it becomes."""

    text: str
    region: str
    candidates: list[Facility]
    choice: str = ""  # "", "new" or a facility's id, as decided (or found)
    type_code: str = "other"
    new_region: str = ""
    rows: int = 0
    first_row: int = 0

    @property
    def ref(self) -> str:
        return facility_ref(self.text, self.region)

    @property
    def state(self) -> str:
        return {0: UNKNOWN, 1: FOUND}.get(len(self.candidates), AMBIGUOUS)

    @cached_property
    def chosen(self) -> Facility | None:
        """The facility decided on (read once: every row of this name asks)."""
        return next((f for f in self.candidates if str(f.pk) == self.choice), None) or (
            Facility.objects.filter(pk=self.choice).first() if self.choice.isdigit() else None)


def facility_ref(text: str, region: str) -> str:
    """A short stable name for one facility name of the file (its form fields are named so)."""
    key = matching.normalised(text) + "|" + matching.normalised(region)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass
class RowPlan:
    row: int
    outcome: str
    name: Name | None = None
    birth_date: PartialDate | None = None
    arrest_date: PartialDate | None = None
    status: CaseStatus | None = None
    case_number: str = ""
    notes: str = ""
    fingerprint: str = ""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facility: FacilityName | None = None
    # The row's mapped fields as read (or as corrected): what the correction form shows.
    values: dict[str, str] = field(default_factory=dict)
    corrected: bool = False
    # The person already registered this row is linked to, and their case in the compartment
    # imported into, if any (then the row is attached to it instead of opening a case).
    linked: Person | None = None
    attach_to: Case | None = None
    # The row's possible matches (duplicates.services.Matches), read for the rows a preview
    # page shows only.
    matches: object = None
    alias: PersonName | None = None  # the new spelling the commit adds for `linked`

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES[self.outcome])

    @property
    def display_name(self) -> str:
        return str(self.name) if self.name else ""

    @property
    def boxes(self) -> list[tuple[str, str, str]]:
        """(field, its label, its value) of each mapped field: the row's correction boxes."""
        return [(name, str(FIELDS[name]), value) for name, value in self.values.items()]

    @property
    def on_timeline(self) -> bool:
        """Whether the row's facility goes on the timeline (an arrest there, on its date)."""
        return bool(self.arrest_date and self.facility and self.facility.choice)


@dataclass
class Plan:
    rows: list[RowPlan]
    facilities: list[FacilityName] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


def fingerprint(compartment: Compartment, name: Name, birth_date: PartialDate | None,
                case_number: str) -> str:
    parts = [str(compartment.pk), _fold(name.surname), _fold(name.given),
             _fold(name.patronymic), str(birth_date or ""), services.number_key(case_number)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def split_full_name(text: str) -> Name:
    """"Фамилия Имя Отчество" as Russian lists write it; "Фамилия, Имя" too."""
    words = text.replace(",", " ").split()
    if not words:
        return Name("", "", "")
    return Name(words[0], words[1] if len(words) > 1 else "", " ".join(words[2:]))


def _label_forms(label: str) -> list[str]:
    """ "задержан(а)" → задержан(а), задержан, задержана; "осуждён (осуждена)" → both words."""
    forms = [label, re.sub(r"\s*\([^)]*\)", "", label)]
    forms += [m.group(1) for m in re.finditer(r"\s\(([^)]+)\)", label)]
    forms += [m.group(1) + m.group(2) for m in re.finditer(r"(\w+)\((\w+)\)", label)]
    return forms


def _statuses() -> dict[str, CaseStatus]:
    found: dict[str, CaseStatus] = {}
    for status in CaseStatus.objects.filter(is_active=True):
        keys = [status.code, status.code.replace("-", " ")]
        keys += _label_forms(status.label_en) + _label_forms(status.label_ru)
        for key in keys:
            found.setdefault(_fold(key), status)
    return found


def _column_label(name: str, mapping: Mapping[str, int | None], headers: Sequence[str]) -> str:
    index = mapping.get(name)
    header = headers[index] if index is not None and index < len(headers) else ""
    return f"{header} ({FIELDS[name]})" if header else str(FIELDS[name])


def _header_label(column: int | None, headers: Sequence[str]) -> str:
    if column is None:
        return _("the whole row")
    if column < len(headers) and headers[column]:
        return headers[column]
    return _("column %(n)s") % {"n": column + 1}


@dataclass
class _Cells:
    """One row's cells as the mapping reads them (corrections first), and where its errors go."""

    number: int
    cells: list[str]
    mapping: Mapping[str, int | None]
    headers: Sequence[str]
    result: RowPlan
    fixes: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        if name in self.fixes:
            return " ".join(str(self.fixes[name]).split())
        return cell_value(self.cells, self.mapping, name)

    def error(self, name: str, message: str) -> None:
        self.result.errors.append(
            RowError(self.number, _column_label(name, self.mapping, self.headers), message))


def cell_value(cells: Sequence[str], mapping: Mapping[str, int | None], name: str) -> str:
    index = mapping.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def plan(compartment: Compartment, table: Table, mapping: Mapping[str, int | None],
         choices: Choices | None = None) -> Plan:
    """What importing the table would do, row by row; writes nothing."""
    check_mapping(mapping, table.headers)
    choices = choices or Choices()
    statuses = _statuses()
    status_words = sorted({s.label for s in statuses.values()})
    seen: set[str] = set()
    known = set(ImportedRow.objects.filter(compartment=compartment)
                .values_list("fingerprint", flat=True))
    names = _FacilityNames(mapping, choices)
    shown = [name for name in FIELDS if mapping.get(name) is not None]
    rows: list[RowPlan] = []
    for number, cells in table.rows:
        result = RowPlan(row=number, outcome=NEW)
        fixes = choices.corrections.get(number, {})
        row = _Cells(number, cells, mapping, table.headers, result, fixes)
        result.values = {name: row.value(name) for name in shown}
        result.corrected = bool(fixes)
        if number in choices.skip:
            result.outcome = SKIPPED
            _read_name(row)  # to show whose row it is; its errors no longer count
            result.errors.clear()
        elif number in table.problems and not fixes:
            _unreadable(result, table)
        else:
            if fixes:
                _check_characters(row, shown)
            _read_name(row)
            _read_birth_date(row)
            _read_arrest_date(row)
            _read_status(row, statuses, status_words)
            names.read(row)
            _read_case_number_and_notes(row)
            _decide_outcome(result, compartment, known, seen)
        rows.append(result)
    _read_links(rows, compartment, choices)
    return Plan(rows, names.found())


def _read_links(rows: list[RowPlan], compartment: Compartment, choices: Choices) -> None:
    """The people chosen for the new rows, and their cases in the compartment, if any."""
    linked = {r.row: choices.links[r.row] for r in rows
              if r.outcome == NEW and r.row in choices.links}
    if not linked:
        return
    people = Person.objects.in_bulk(set(linked.values()))
    cases: dict[int, Case] = {}
    for case in Case.objects.filter(person_id__in=people, compartment=compartment).order_by(
            "-pk"):
        cases[case.person_id] = case  # the earliest case wins
    for row in rows:
        if row.row not in linked:
            continue
        row.linked = people.get(linked[row.row])
        if row.linked is None:
            row.outcome = ERROR
            row.errors.append(RowError(row.row, _("the whole row"), _(
                "The person chosen for this row is no longer in the registry (merged or "
                "deleted): choose again.")))
        else:
            row.attach_to = cases.get(row.linked.pk)


class _FacilityNames:
    """The facility names of the file, each looked up once in the list of facilities."""

    def __init__(self, mapping: Mapping[str, int | None], choices: Choices) -> None:
        self.choices = choices
        self.names: dict[str, FacilityName] = {}
        self.index: matching.FacilityIndex | None = None
        self.region_mapped = mapping.get("region") is not None

    def read(self, row: _Cells) -> None:
        text = row.value("facility")
        if not text:
            return
        region = row.value("region")
        ref = facility_ref(text, region)
        name = self.names.get(ref)
        if name is None:
            if self.index is None:
                self.index = matching.FacilityIndex(Facility.objects.all())
            candidates = self.index.find(text, region)
            name = FacilityName(
                text=text, region=region, candidates=candidates, first_row=row.number,
                type_code=self.choices.new_types.get(ref) or matching.guess_type(text),
                new_region=self.choices.new_regions.get(ref, region),
            )
            found = str(candidates[0].pk) if len(candidates) == 1 else ""
            name.choice = self.choices.facilities.get(ref, found)
            if name.choice not in ("", NEW_FACILITY) and name.chosen is None:
                name.choice = ""
            self.names[ref] = name
        name.rows += 1
        row.result.facility = name
        if name.choice and not row.result.arrest_date:
            row.result.warnings.append(str(_(
                "No date of arrest: the facility is kept in the notes. Give the date to put "
                "it on the timeline.")))

    def found(self) -> list[FacilityName]:
        return sorted(self.names.values(), key=lambda n: n.first_row)


def _check_characters(row: _Cells, names: list[str]) -> None:
    for name in names:
        text = row.value(name)
        position = forbidden_character(text)
        if position is not None:
            row.error(name, refusal(text[position], position))


def _unreadable(result: RowPlan, table: Table) -> None:
    """A row the file itself garbled (a forbidden character): an error, nothing else read."""
    column, message = table.problems[result.row]
    result.outcome = ERROR
    result.errors.append(RowError(result.row, _header_label(column, table.headers), message))


def _read_name(row: _Cells) -> None:
    value = row.value
    if value("surname") or value("given") or value("patronymic"):
        name = Name(value("surname"), value("given"), value("patronymic"))
    else:
        name = split_full_name(value("full_name"))
    name = Name(*(" ".join(p.split()) for p in (name.surname, name.given, name.patronymic)))
    if not name.surname and not name.given:
        row.error("full_name" if row.mapping.get("surname") is None else "surname",
                  _("Expected a name: the cell is empty."))
    for part in ("surname", "given", "patronymic"):
        if len(getattr(name, part)) > MAX_LENGTHS[part]:
            row.error(part, _("Expected at most %(n)s characters.") % {"n": MAX_LENGTHS[part]})
    row.result.name = name


def _read_birth_date(row: _Cells) -> None:
    text = row.value("birth_date")
    if not text:
        return
    try:
        born = PartialDate.parse(text)
    except ValidationError:
        row.error("birth_date", _(
            "Expected a date: a year (1897), a month (03.1897) or a day (15.03.1897); "
            "found “%(text)s”.") % {"text": text})
        return
    row.result.birth_date = born
    try:
        check_birth_date(born)
    except ValidationError as refused:
        row.error("birth_date", " ".join(refused.messages))


def _read_arrest_date(row: _Cells) -> None:
    text = row.value("arrest_date")
    if not text:
        return
    try:
        arrested = PartialDate.parse(text)
        check_event_date(arrested)
    except ValidationError:
        row.error("arrest_date", _(
            "Expected a date: a year (2022), a month (03.2022) or a day (15.03.2022), not in "
            "the far future; found “%(text)s”.") % {"text": text})
        return
    row.result.arrest_date = arrested


def _read_status(row: _Cells, statuses: dict[str, CaseStatus], status_words: list[str]) -> None:
    text = row.value("status")
    if not text:
        return
    row.result.status = statuses.get(_fold(text))
    if row.result.status is None:
        row.error("status", _("Expected one of: %(words)s; found “%(text)s”.")
                  % {"words": ", ".join(status_words), "text": text})


def _read_case_number_and_notes(row: _Cells) -> None:
    """The case number; the notes, with the facility and region columns kept in them."""
    value, result = row.value, row.result
    result.case_number = value("case_number")
    if len(result.case_number) > MAX_LENGTHS["case_number"]:
        row.error("case_number", _("Expected at most %(n)s characters.")
                  % {"n": MAX_LENGTHS["case_number"]})
    result.notes = "\n".join(part for part in (
        value("notes"),
        _("Facility (from the imported list): %(text)s") % {"text": value("facility")}
        if value("facility") and not result.on_timeline else "",
        _("Region (from the imported list): %(text)s") % {"text": value("region")}
        if value("region") else "",
    ) if part)


def _decide_outcome(result: RowPlan, compartment: Compartment, known: set[str],
                    seen: set[str]) -> None:
    """An error, already imported, a repeat of an earlier row of the file, or new."""
    if result.errors:
        result.outcome = ERROR
        return
    result.fingerprint = fingerprint(compartment, result.name or Name("", "", ""),
                                     result.birth_date, result.case_number)
    if result.fingerprint in known:
        result.outcome = ALREADY
    elif result.fingerprint in seen:
        result.outcome = REPEATED
    seen.add(result.fingerprint)


# -- the commit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    created: int
    skipped: int
    linked: int = 0  # new cases opened for a person already registered
    attached: int = 0  # rows attached to that person's case in the compartment


class ImportRefused(ValidationError):
    """The plan has errors: nothing was imported."""


def commit(actor: Member, compartment: Compartment, table: Table,
           mapping: Mapping[str, int | None], choices: Choices | None = None) -> Result:
    """Import every new row that is kept, or none: one transaction, the cases opened in bulk;
    the facilities asked for created first."""
    services.check_compartment(actor, compartment)
    with transaction.atomic():
        result = plan(compartment, table, mapping, choices)
        if not result.ok:
            raise ImportRefused(
                _("Nothing was imported: %(n)s errors in the rows kept. Correct or skip those "
                  "rows and try again.") % {"n": len(result.errors)}, code="import_errors",
            )
        new = [row for row in result.rows if row.outcome == NEW and row.attach_to is None]
        attached = [row for row in result.rows
                    if row.outcome == NEW and row.attach_to is not None]
        _check_links(actor, [row for row in result.rows if row.linked is not None])
        made = _new_facilities(actor, result.facilities, new)
        cases, events = _open_cases(actor, compartment, new, made, attached)
        ImportedRow.objects.bulk_create(
            [ImportedRow(compartment=compartment, fingerprint=row.fingerprint, case=case)
             for row, case in zip(new, cases, strict=True)]
            + [ImportedRow(compartment=compartment, fingerprint=row.fingerprint,
                           case=row.attach_to) for row in attached if row.attach_to]
        )
        # One audit entry a row: the case's opening says its arrest event too.
        arrests = {e.case_id: {"event": e.pk, "date": str(e.date)} for e in events}
        for case, row in zip(cases, new, strict=True):
            arrest = arrests.get(case.pk)
            record("cases.case_opened", actor=actor, obj=case,
                   details={"compartment": compartment.slug,
                            **({"arrest": arrest} if arrest else {}),
                            **({"person": row.linked.pk} if row.linked else {})})
        opened = {row.row: case for row, case in zip(new, cases, strict=True)}
        for row in new + attached:
            if row.alias is not None:
                record("cases.name_added", actor=actor,
                       obj=row.attach_to or opened[row.row],
                       details={"kind": NameKind.ALIAS, "imported": True})
        created = len(cases)
        skipped = len(result.rows) - created - len(attached)
        linked = sum(1 for row in new if row.linked is not None)
        record("cases.list_imported", actor=actor, obj=compartment,
               details={"file_sha256": table.digest, "rows": len(result.rows),
                        "created": created, "skipped": skipped,
                        **({"linked": linked, "attached": len(attached)}
                           if linked or attached else {})})
    return Result(created=created, skipped=skipped, linked=linked, attached=len(attached))


def _check_links(actor: Member, rows: list[RowPlan]) -> None:
    """A row is linked only to a person the actor sees: one with a case in their compartments."""
    people = {row.linked.pk for row in rows if row.linked is not None}
    seen = set(Case.objects.filter(person_id__in=people,
                                   compartment_id__in=actor.compartment_ids())
               .values_list("person_id", flat=True))
    for row in rows:
        if row.linked is not None and row.linked.pk not in seen:
            raise ImportRefused(
                _("Nothing was imported: row %(row)s is linked to a person you cannot see.")
                % {"row": row.row}, code="import_errors")


def _new_facilities(actor: Member, names: list[FacilityName], rows: list[RowPlan]
                    ) -> dict[str, Facility]:
    """The facilities the case worker ticked "new" for (and a row imported uses), created."""
    used = {row.facility.ref for row in rows if row.facility is not None}
    types = {t.code: t for t in FacilityType.objects.all()}
    made: dict[str, Facility] = {}
    for name in names:
        if name.choice != NEW_FACILITY or name.ref not in used:
            continue
        try:
            made[name.ref] = facilities.create_facility(
                actor, name=name.text, type=types.get(name.type_code) or types["other"],
                region=name.new_region)
        except ValidationError as error:
            raise ImportRefused(
                _("Nothing was imported: the new facility “%(name)s” was refused: %(error)s")
                % {"name": name.text, "error": "; ".join(error.messages)},
                code="import_errors",
            ) from None
    return made


def _facility_of(row: RowPlan, made: Mapping[str, Facility]) -> Facility | None:
    if not row.on_timeline or row.facility is None:
        return None
    if row.facility.choice == NEW_FACILITY:
        return made[row.facility.ref]
    return row.facility.chosen


def _open_cases(actor: Member, compartment: Compartment, rows: list[RowPlan],
                made: Mapping[str, Facility] | None = None,
                attached: Sequence[RowPlan] = ()) -> tuple[list[Case], list[Event]]:
    """What `services.open_case` (and `add_event` for an arrest) does for each row — the same
    checks, names with their search keys, the same fields — written in a few bulk inserts
    instead of ~10 queries a row; the arrest events made too. (New cases have no aid items:
    skipping the post_save re-check loses nothing.)"""
    detained = CaseStatus.objects.get(code="detained")
    arrest = EventType.objects.get(code="arrest")
    people: list[Person] = []
    cases: list[Case] = []
    events: list[tuple[Case, Event]] = []
    for row in rows:
        assert row.name is not None
        try:
            name = services._clean_name(row.name)
            case = Case(compartment=compartment, status=row.status or detained,
                        assigned_to=actor, case_number=row.case_number, notes=row.notes)
            case.case_number_key = services.number_key(case.case_number)
            # The foreign keys are known to exist (the compartment and status were just read)
            # and the random ids are unique by the database's constraints: no query a row.
            case.full_clean(exclude=["person", "compartment", "status", "assigned_to",
                                     *services.PRIVATE_FIELDS], validate_unique=False)
        except ValidationError as error:
            raise ImportRefused(
                _("Nothing was imported: row %(row)s was refused: %(error)s")
                % {"row": row.row, "error": "; ".join(error.messages)},
                code="import_errors",
            ) from None
        if row.linked is not None:
            person = row.linked
        else:
            person = Person(birth_date=row.birth_date, display_name=str(name))
            person.birth_date_lower = bounds(person.birth_date)[0]
            people.append(person)
        case.person = person
        cases.append(case)
        row.name = name
        if row.arrest_date is not None:
            events.append((case, _arrest(actor, case, row.arrest_date, arrest,
                                         _facility_of(row, made or {}))))
    Person.objects.bulk_create(people)
    names = [PersonName(person=case.person, kind=NameKind.NAME, surname=row.name.surname,
                        given=row.name.given, patronymic=row.name.patronymic, is_primary=True)
             for case, row in zip(cases, rows, strict=True)
             if row.name is not None and row.linked is None]
    names += _aliases([row for row in (*rows, *attached) if row.linked is not None])
    PersonName.objects.bulk_create(names)
    # Plain rows: three numbers and a word each, ~3 a name — no model instances needed.
    keys = [(name.pk, name.person_id, key) for name in names
            for key in sorted(search_keys(Name(name.surname, name.given, name.patronymic)))]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {NameKey._meta.db_table} (name_id, person_id, key) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            keys,
        )
    CoarseKey.add(key for _name, _person, key in keys)
    Case.objects.bulk_create(cases)  # bulk_create takes each person's new pk
    for case, event in events:
        event.case = case
    Event.objects.bulk_create(event for _case, event in events)
    fulltext.add_words((c.pk, c.compartment_id, [c.notes]) for c in cases if c.notes)
    return cases, [event for _case, event in events]


def _spelling(name: Name | PersonName) -> tuple[str, str, str]:
    """A name's spelling, letter case and spacing aside: Семёнов and Семенов are two
    spellings (the person may care which), ГОЦ and Гоц one."""
    return (tidy(name.surname).casefold(), tidy(name.given).casefold(),
            tidy(name.patronymic).casefold())


def _aliases(rows: list[RowPlan]) -> list[PersonName]:
    """The linked rows' names that are new spellings of their person (one each, even when
    several rows spell it alike); each row's `alias` says whether it added one."""
    known: set[tuple[int, tuple[str, str, str]]] = {
        (n.person_id, _spelling(n))
        for n in PersonName.objects.filter(person_id__in={r.linked.pk for r in rows
                                                          if r.linked is not None})
    }
    aliases: list[PersonName] = []
    for row in rows:
        if row.linked is None or row.name is None:
            continue
        name = services._clean_name(row.name)
        spelling = (row.linked.pk, _spelling(name))
        if spelling in known:
            continue
        known.add(spelling)
        row.alias = PersonName(person=row.linked, kind=NameKind.ALIAS, surname=name.surname,
                               given=name.given, patronymic=name.patronymic)
        aliases.append(row.alias)
    return aliases


def _arrest(actor: Member, case: Case, date: PartialDate, arrest: EventType,
            facility: Facility | None) -> Event:
    """The row's arrest event, and the case's custody fields derived from it by the one rule
    (`custody.derive_custody_fields`), as `services.add_event` would."""
    step = Step(date=date, effect=ARREST, label=arrest.label,
                facility_id=facility.pk if facility else None,
                facility_label=str(facility) if facility else "")
    derived = derive_custody_fields(check_custody([step]),
                                    status_watched=case.status.watch_sign_of_life)
    case.current_facility_id = derived.current_facility_id
    case.in_custody_since = derived.in_custody_since
    return Event(compartment_id=case.compartment_id, type=arrest, date=date,
                 date_lower=date.lower, date_upper=date.upper, facility=facility,
                 created_by=actor)
