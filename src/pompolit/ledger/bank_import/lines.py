"""Lines of a bank statement, read from a bank's CSV export with a saved column mapping.

Russian banks export in Windows-1251 or UTF-8 (often with a BOM), with `;` or `,`, decimal
commas ("1 234,56") and dates as 31.12.2025; others use ISO dates and decimal points. Every
line is read before anything is kept, and each error names its line, its column and what
was expected — so a file is taken whole or not at all.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pompolit.core import tables
from pompolit.ledger import dates, services
from pompolit.ledger.money import MAX_AMOUNT_TEXT, MoneyError, check_bounds

MAX_ERRORS = 50
# Russian banks write the rouble in several ways.
CURRENCY_ALIASES = {"RUR": "RUB", "РУБ": "RUB", "РУБ.": "RUB", "₽": "RUB", "RUB.": "RUB",
                    "$": "USD", "€": "EUR"}


@dataclass(frozen=True, slots=True)
class BankLine:
    """One movement on the account: `amount` is positive when money came in."""

    line_no: int
    date: datetime.date
    amount: Decimal
    currency: str
    reference: str = ""
    counterparty: str = ""
    counterparty_account: str = ""
    bank_id: str = ""

    @property
    def incoming(self) -> bool:
        return self.amount > 0


class LineError(ValidationError):
    """What is wrong with the file, line by line; all of them, up to MAX_ERRORS."""

    def __init__(self, line_no: int, field: str, message: str, *, entry: bool = False) -> None:
        if line_no == 0:
            text = message
        elif not field:
            text = _("line %(n)s: %(message)s") % {"n": line_no, "message": message}
        elif entry:
            text = _("entry %(n)s, field %(field)s: %(message)s") % {
                "n": line_no, "field": field, "message": message}
        else:
            text = _("line %(n)s, column «%(field)s»: %(message)s") % {
                "n": line_no, "field": field, "message": message}
        super().__init__(text)
        self.line_no = line_no

    @staticmethod
    def many(errors: Sequence[ValidationError]) -> ValidationError:
        messages = [m for error in errors[:MAX_ERRORS] for m in error.messages]
        if len(errors) > MAX_ERRORS:
            messages.append(_("… and %(n)s more lines with errors.")
                            % {"n": len(errors) - MAX_ERRORS})
        return ValidationError(messages)


@dataclass(frozen=True)
class CsvLayout:
    """A saved mapping, as the parser needs it (models.BankMapping gives one)."""

    encoding: str  # "auto", "utf-8", "cp1251"
    delimiter: str  # "auto", ";", ","
    columns: Mapping[str, str]
    currency: str


def decode(data: bytes, encoding: str) -> str:
    """UTF-8 (with or without BOM), UTF-16, or Windows-1251: core.tables reads them all."""
    try:
        return tables.decode(data, encoding)
    except tables.TableError as error:
        if encoding == "utf-8":
            raise LineError(0, "", _("The file is not in UTF-8; choose Windows-1251 in the "
                                     "bank's mapping, or «recognise».")) from None
        raise LineError(0, "", " ".join(error.messages)) from None


def parse_amount(text: str) -> Decimal:
    """"1 234,56", "-1234.56", "1.234,56", "+500" → Decimal; ValueError otherwise."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text)
    if cleaned.count(",") and cleaned.count("."):
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cleaned) or len(cleaned) > MAX_AMOUNT_TEXT:
        raise ValueError(text)
    return Decimal(cleaned)


def amount_error(amount: Decimal, currency: str) -> str | None:
    """Why a line's amount is more than the books accept in its currency (money.check_bounds,
    the one bound of every path), or None. A currency the books do not know yet is bounded
    as if it had no decimal places; the import refuses it anyway."""
    exponent = services.currency_exponent(currency)
    try:
        check_bounds(amount, currency, 0 if exponent is None else exponent)
    except MoneyError as error:
        return str(error)
    return None


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")


@functools.lru_cache(maxsize=4096)  # a statement has a few hundred days in many lines
def parse_date(text: str) -> datetime.date:
    """"31.12.2025", "2025-12-31", "31.12.2025 14:03" → date; ValueError otherwise."""
    head = text.strip().split(" ")[0].split("T")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(head, pattern).date()  # noqa: DTZ007 — a day only
        except ValueError:
            continue
    raise ValueError(text)


def _delimiter(text: str, wanted: str) -> str:
    if wanted in (";", ","):
        return wanted
    sample = "\n".join(text[:20_000].splitlines()[:20])
    return ";" if sample.count(";") >= sample.count(",") else ","


# Banks put a title and the account's details above the table: its header row is searched for
# among the first HEADER_SEARCH rows.
HEADER_SEARCH = 50


def parse_csv(data: bytes, layout: CsvLayout) -> list[BankLine]:
    """Every line of the statement, or LineError naming each line that cannot be read (up to
    MAX_ERRORS of them); a quote never closed stops the reading where it opens."""
    text = decode(data, layout.encoding)
    delimiter = _delimiter(text, layout.delimiter)
    columns = {role: header.strip() for role, header in layout.columns.items() if header}
    if "date" not in columns or not ({"amount"} <= set(columns) or
                                     {"credit", "debit"} & set(columns)):
        raise LineError(0, "", _("The mapping must name the date column and either the "
                                 "amount column or the credit and debit columns."))
    wanted = set(columns.values())
    try:
        header, found = tables.table(
            text, delimiter, search=HEADER_SEARCH,
            is_header=lambda row: wanted <= {cell.strip() for cell in row.cells})
    except tables.TableError as error:
        if error.code != "no_header":
            raise LineError(error.line, "", error.reason) from None
        first = next((row.cells for row in tables.rows(text, delimiter) if not row.blank), [])
        missing = sorted(wanted - {cell.strip() for cell in first})
        raise LineError(0, "", _(
            "The file has no column %(missing)s, which the bank's mapping expects. The file's "
            "first line has: %(found)s.") % {
            "missing": ", ".join(f"«{m}»" for m in missing),
            "found": ", ".join(f"«{c.strip()}»" for c in first if c.strip())[:300]}) from None
    names = [cell.strip() for cell in header.cells]
    index = {role: names.index(name) for role, name in columns.items()}
    lines: list[BankLine] = []
    errors: list[ValidationError] = []
    # Payers, their accounts and purposes repeat: one string for each distinct text.
    seen: dict[str, str] = {}
    repeating = [index[role] for role in ("reference", "counterparty", "counterparty_account",
                                          "currency") if role in index]
    try:
        for row in found:
            if row.problem:
                column = names[row.column] if row.column is not None and row.column < len(
                    names) else ""
                errors.append(LineError(row.line, column, row.problem))
                continue
            try:
                cells = row.cells
                for position in repeating:
                    if position < len(cells):
                        cells[position] = seen.setdefault(cells[position], cells[position])
                lines.append(_row(row.line, cells, index, columns, layout.currency))
            except LineError as error:
                errors.append(error)
    except tables.TableError as error:
        errors.append(LineError(error.line, "", error.reason))
    if errors:
        raise LineError.many(errors)
    return lines


_CURRENCY = re.compile(r"[A-Z][A-Z0-9]{2,9}")


def _cell(row: Sequence[str], index: Mapping[str, int], role: str) -> str:
    position = index.get(role)
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _row(line_no: int, row: Sequence[str], index: Mapping[str, int],
         columns: Mapping[str, str], default_currency: str) -> BankLine:
    def amount_in(role: str) -> Decimal | None:
        text = _cell(row, index, role)
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError:
            raise LineError(line_no, columns[role], _(
                "expected an amount like 1 234,56, found «%(found)s»") % {"found": text[:40]}
            ) from None

    date_text = _cell(row, index, "date")
    try:
        date = parse_date(date_text)
    except ValueError:
        raise LineError(line_no, columns["date"], _(
            "expected a date like 31.12.2025 or 2025-12-31, found «%(found)s»")
            % {"found": date_text[:40]}) from None
    out_of_range = dates.date_error(date)
    if out_of_range is not None:
        raise LineError(line_no, columns["date"], out_of_range)
    if "amount" in index:
        amount = amount_in("amount")
    else:
        credit, debit = amount_in("credit"), amount_in("debit")
        amount = (credit or Decimal(0)) - abs(debit or Decimal(0))
        if credit is None and debit is None:
            amount = None
    if not amount:
        role = "amount" if "amount" in index else "credit"
        raise LineError(line_no, columns[role], _(
            "expected an amount like 1 234,56, found «%(found)s»")
            % {"found": _cell(row, index, role)[:40]})
    currency = _cell(row, index, "currency").upper() or default_currency
    currency = CURRENCY_ALIASES.get(currency, currency)
    if not _CURRENCY.fullmatch(currency):
        raise LineError(line_no, columns.get("currency", "currency"), _(
            "expected a currency code like RUB, found «%(found)s»") % {"found": currency[:20]})
    too_much = amount_error(amount, currency)
    if too_much is not None:
        role = "amount" if "amount" in index else ("credit" if amount > 0 else "debit")
        raise LineError(line_no, columns.get(role, role), too_much)
    return BankLine(
        line_no=line_no, date=date, amount=amount, currency=currency,
        reference=_cell(row, index, "reference"),
        counterparty=_cell(row, index, "counterparty"),
        counterparty_account=_cell(row, index, "counterparty_account"),
        bank_id=_cell(row, index, "bank_id"),
    )
