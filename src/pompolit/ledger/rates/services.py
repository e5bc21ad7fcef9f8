"""Entering exchange rates: one by hand (`set_rate`), or many from a CSV file — a preview of
every row's outcome, then all of it or nothing (`preview`, `import_rates`). Converting with
them is conversion.py.

The file has a header row naming its columns — `date`, `currency`, `rate`, and optionally
`base` (default: the base currency) and `source` (default: `csv`); Russian headers (`дата`,
`валюта`, `курс`, `база`, `источник`) work too. UTF-8 (with or without BOM) or Windows-1251;
`;`, `,` or tab separated; dates as 2025-03-14 or 14.03.2025; rates with a decimal point or
comma. A row means "1 `currency` = `rate` `base` on `date`".

Importing the same file again adds nothing: a rate already in the books for the same day,
currency and base with the same value is "already there". A *different* value for a day
already in the books is an error naming both values — never a silent overwrite — and so is
the same day given twice in the file with different rates.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.core import tables
from pompolit.core.dates import show_date
from pompolit.ledger import conf, dates, services
from pompolit.ledger.bank_import.lines import MAX_ERRORS, decode, parse_date
from pompolit.ledger.models import Currency
from pompolit.ledger.money import MAX_AMOUNT_TEXT, MoneyError, check_rate
from pompolit.ledger.rates.models import ExchangeRate, source_label
from pompolit.members import policy
from pompolit.members.models import Member


def set_rate(actor: Member | None, *, on: datetime.date, currency_code: str, rate: Decimal,
             base_code: str | None = None) -> ExchangeRate:
    """A rate entered by hand: 1 `currency_code` = `rate` base currency on the day `on`."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    base = services.currency(base_code or conf.base_currency())
    quoted = services.currency(currency_code)
    try:
        check_rate(rate)
    except MoneyError as error:
        raise ValidationError({"rate": str(error)}) from None
    dates.check_book_date(on, "on")
    if quoted == base:
        raise ValidationError({"currency": _("A rate is between two different currencies.")})
    if ExchangeRate.objects.filter(on=on, currency=quoted, base=base).exists():
        raise ValidationError(_("A rate for this day is already entered."))
    with transaction.atomic():
        new = ExchangeRate.objects.create(on=on, currency=quoted, base=base, rate=rate,
                                          entered_by=actor)
        record("ledger.rate_set", actor=actor, obj=new,
               details={"on": on.isoformat(), "currency": quoted.code, "base": base.code,
                        "rate": str(rate)})
    return new


# -- from a CSV file --------------------------------------------------------------------------

COLUMNS = ("date", "currency", "rate", "base", "source")
REQUIRED = ("date", "currency", "rate")
ALIASES = {"дата": "date", "валюта": "currency", "курс": "rate", "база": "base",
           "базовая валюта": "base", "источник": "source", "day": "date", "on": "date"}
MAX_SOURCE = 16
SOURCE_PATTERN = r"[\w.:/-]{1,16}"


class Outcome:
    NEW = "new"
    KNOWN = "known"  # the same rate is already in the books
    REPEAT = "repeat"  # the same rate is on an earlier line of the file
    ERROR = "error"


@dataclass
class RateRow:
    line_no: int
    on: datetime.date | None = None
    currency: str = ""
    base: str = ""
    rate: Decimal | None = None
    source: str = ""
    outcome: str = Outcome.NEW
    errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def source_label(self) -> str:
        return source_label(self.source)

    def refuse(self, column: str, message: str) -> None:
        self.outcome = Outcome.ERROR
        self.errors.append(_("line %(n)s, column «%(column)s»: %(message)s")
                           % {"n": self.line_no, "column": column, "message": message})


@dataclass
class RatesPreview:
    rows: list[RateRow]
    file_fingerprint: str
    # What is wrong with the file as a whole (no header, a missing column).
    file_errors: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(row.outcome == outcome for row in self.rows)

    @property
    def errors(self) -> list[str]:
        found = self.file_errors + [e for row in self.rows for e in row.errors]
        if len(found) > MAX_ERRORS:
            return [*found[:MAX_ERRORS], _("… and %(n)s more errors.")
                    % {"n": len(found) - MAX_ERRORS}]
        return found

    @property
    def ready(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.count(Outcome.ERROR)


def _delimiter(text: str) -> str:
    return tables.guess_delimiter(text)


def parse_rate(text: str) -> Decimal:
    """"98.4512", "98,4512", "0,0102" → Decimal; ValueError otherwise (no thousands marks:
    in a rate, "1,234" could be either)."""
    cleaned = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned) or len(cleaned) > MAX_AMOUNT_TEXT:
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def _header(cells: list[str]) -> dict[str, int]:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    return {name: i for i, name in reversed(list(enumerate(names))) if name in COLUMNS}


def _read_row(row: RateRow, cells: list[str], index: dict[str, int],
              currencies: dict[str, Currency], default_base: str) -> None:
    def cell(name: str) -> str:
        position = index.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    text = cell("date")
    try:
        row.on = parse_date(text)
    except ValueError:
        row.refuse("date", _("expected a date like 2025-03-14 or 14.03.2025, found «%(found)s»")
                   % {"found": text[:40]})
    else:
        problem = dates.date_error(row.on)
        if problem is not None:
            row.refuse("date", problem)
    for name in ("currency", "base"):
        code = cell(name).upper() or (default_base if name == "base" else "")
        setattr(row, name, code)
        if code not in currencies:
            row.refuse(name, _("expected a currency code the books know, like RUB or EUR, "
                               "found «%(found)s»") % {"found": code[:20]} if code else
                       _("expected a currency code like EUR, found nothing"))
    if row.currency and row.currency == row.base:
        row.refuse("base", _("the base must differ from the currency (%(code)s)")
                   % {"code": row.currency})
    text = cell("rate")
    try:
        rate = parse_rate(text)
    except ValueError:
        row.refuse("rate", _("expected a number more than zero, like 98.4512, found "
                             "«%(found)s»") % {"found": text[:40]})
    else:
        try:
            check_rate(rate)  # the bounds of every rate (money.py)
        except MoneyError as error:
            row.refuse("rate", str(error) if rate > 0 else _(
                "expected a number more than zero, found «%(found)s»") % {"found": text[:40]})
        else:
            row.rate = rate
    row.source = cell("source") or "csv"
    if not re.fullmatch(SOURCE_PATTERN, row.source):
        row.refuse("source", _("expected a short name of at most %(n)s letters, digits or "
                               ". : / - _ (like cbr.ru), found «%(found)s»")
                   % {"n": MAX_SOURCE, "found": row.source[:40]})


def _compare(rows: list[RateRow]) -> None:
    """Against the books and against earlier lines of the file."""
    valid = [r for r in rows if r.outcome != Outcome.ERROR and r.on and r.rate is not None]
    days = sorted({r.on for r in valid if r.on is not None})
    # By range, not by a list of days: a long file would exceed SQLite's parameter limit.
    known = {(x.on, x.currency_id, x.base_id): x for x in ExchangeRate.objects.filter(
        on__range=(days[0], days[-1]), currency_id__in={r.currency for r in valid},
        base_id__in={r.base for r in valid})} if days else {}
    earlier: dict[tuple[datetime.date, str, str], RateRow] = {}
    for row in valid:
        assert row.on is not None and row.rate is not None
        key = (row.on, row.currency, row.base)
        existing = known.get(key)
        first = earlier.setdefault(key, row)
        if existing is not None:
            if existing.rate == row.rate:
                row.outcome = Outcome.KNOWN
            else:
                row.refuse("rate", _(
                    "the books already have 1 %(currency)s = %(existing)s %(base)s on %(day)s "
                    "(source %(source)s); the file says %(rate)s. A rate in the books is not "
                    "overwritten: correct the file or leave this line out")
                    % {"currency": row.currency, "base": row.base, "day": show_date(row.on),
                       "existing": f"{existing.rate.normalize():f}", "source": existing.source,
                       "rate": f"{row.rate:f}"})
        elif first is not row:
            if first.rate == row.rate:
                row.outcome = Outcome.REPEAT
                row.note = _("the same as line %(n)s") % {"n": first.line_no}
            else:
                row.refuse("rate", _(
                    "line %(other)s gives another rate for the same day, currency and base "
                    "(%(first)s, here %(rate)s)")
                    % {"other": first.line_no, "first": f"{first.rate:f}", "rate": f"{row.rate:f}"})


def preview(data: bytes) -> RatesPreview:
    """What importing the file would do, row by row; changes nothing."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = decode(data, "auto")
        delimiter = _delimiter(text)
        header_row, found = tables.table(text, delimiter)
    except tables.TableError as error:
        if error.code == "no_header":
            return RatesPreview([], digest, [_("The file is empty.")])
        return RatesPreview([], digest, error.messages)
    except ValidationError as error:
        return RatesPreview([], digest, error.messages)
    header_no, header = header_row.line, header_row.cells
    index = _header(header)
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        return RatesPreview([], digest, [_(
            "line %(n)s: the header must name the columns %(missing)s (found: %(found)s). The "
            "columns are date, currency, rate, and optionally base and source.")
            % {"n": header_no, "missing": ", ".join(f"«{m}»" for m in missing),
               "found": ", ".join(f"«{c.strip()}»" for c in header if c.strip())[:200]}])
    currencies = {c.code: c for c in Currency.objects.all()}
    default_base = conf.base_currency()
    rows: list[RateRow] = []
    width = tables.header_width(header)
    try:
        for line in found:
            row = RateRow(line.line)
            if line.problem and line.column is not None:
                row.refuse(_column_name(header, line.column), line.problem)
            elif line.problem and len(line.cells) > width and delimiter == ",":
                row.outcome = Outcome.ERROR
                row.errors.append(_(
                    "line %(n)s: %(problem)s — in a file separated by commas, a rate with a "
                    "decimal comma must be in quotes (\"98,45\")")
                    % {"n": row.line_no, "problem": line.problem})
            elif line.problem:
                row.outcome = Outcome.ERROR
                row.errors.append(_("line %(n)s: %(problem)s")
                                  % {"n": row.line_no, "problem": line.problem})
            else:
                _read_row(row, line.cells, index, currencies, default_base)
            rows.append(row)
    except tables.TableError as error:
        return RatesPreview(rows, digest, error.messages)
    if not rows:
        return RatesPreview([], digest, [_("The file has a header but no rates under it.")])
    _compare(rows)
    return RatesPreview(rows, digest)


def _column_name(header: list[str], column: int) -> str:
    name = header[column].strip() if column < len(header) else ""
    return name or _("column %(n)s") % {"n": column + 1}


@dataclass(frozen=True)
class RatesImported:
    created: int
    known: int


def import_rates(actor: Member | None, data: bytes, *,
                 expected_fingerprint: str | None = None) -> RatesImported:
    """Enter every new rate of the file, or none (the errors, by line and column, if any)."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    plan = preview(data)
    if expected_fingerprint and expected_fingerprint != plan.file_fingerprint:
        raise ValidationError(_("The file is not the one previewed; preview it again."))
    if not plan.ready:
        raise ValidationError(plan.errors or [_("The file has no rates.")])
    new = [r for r in plan.rows if r.outcome == Outcome.NEW]
    try:
        with transaction.atomic():
            ExchangeRate.objects.bulk_create(
                ExchangeRate(on=r.on, currency_id=r.currency, base_id=r.base, rate=r.rate,
                             source=r.source, entered_by=actor)
                for r in new if r.on is not None and r.rate is not None)
            days = sorted(r.on for r in plan.rows if r.on)
            record("ledger.rates_imported", actor=actor, details={
                "file_sha256": plan.file_fingerprint, "rows": len(plan.rows),
                "created": len(new),
                "known": len(plan.rows) - len(new),
                "from": days[0].isoformat(), "to": days[-1].isoformat(),
                "currencies": sorted({f"{r.currency}/{r.base}" for r in new})})
    except IntegrityError:
        raise ValidationError(
            _("Some of these rates were entered meanwhile; preview the file again.")) from None
    return RatesImported(len(new), len(plan.rows) - len(new))
