"""ISO 20022 camt.053 (bank-to-customer statement) entries, read with defusedxml.

A DTD, an entity declaration or an external reference is refused outright (billion laughs,
XXE): a bank statement never needs one. Any camt.053 version is read, by local names.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from pompolit.core.text import forbidden_character, refusal
from pompolit.ledger import dates
from pompolit.ledger.bank_import.lines import BankLine, LineError, amount_error
from pompolit.ledger.money import MAX_AMOUNT_TEXT


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == name)


def _find(element: Element | None, *path: str) -> Element | None:
    for name in path:
        if element is None:
            return None
        element = next(_children(element, name), None)
    return element


def _text(element: Element | None, *path: str) -> str:
    found = _find(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _all(element: Element) -> Iterator[Element]:
    return (node for node in element.iter() if _local(node.tag) == "Ntry")


def parse(data: bytes) -> list[BankLine]:
    """The booked entries of every statement in the file, numbered from 1 in file order."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException:
        raise LineError(0, "XML", _(
            "The file declares a DTD or entities, which a bank statement never needs; it is "
            "refused.")) from None
    except ParseError as error:
        raise LineError(0, "XML", _("The file is not well-formed XML (%(error)s).")
                        % {"error": error}) from None
    if _local(root.tag) != "Document" or _find(root, "BkToCstmrStmt") is None:
        raise LineError(0, "XML", _("This is not a camt.053 bank statement."))
    lines: list[BankLine] = []
    errors: list[LineError] = []
    for number, entry in enumerate(_all(root), start=1):
        status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
        if status and status != "BOOK":
            continue
        try:
            lines.append(_entry(number, entry))
        except LineError as error:
            errors.append(error)
    if errors:
        raise LineError.many(errors)
    return lines


def _entry(number: int, entry: Element) -> BankLine:
    amount_element = _find(entry, "Amt")
    if amount_element is None:
        raise LineError(number, "Amt", _("expected an amount, found nothing"), entry=True)
    text = (amount_element.text or "").strip()
    try:
        # The schema's decimal: digits and a point; not "1E+30", "Infinity", "1_000".
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) or len(text) > MAX_AMOUNT_TEXT:
            raise InvalidOperation
        amount = Decimal(text)
        if amount <= 0:
            raise InvalidOperation
    except InvalidOperation:
        raise LineError(number, "Amt", _("expected an amount like 1234.56, found «%(found)s»")
                        % {"found": text[:40]}, entry=True) from None
    currency = amount_element.get("Ccy", "").strip().upper()
    if not currency:
        raise LineError(number, "Amt/@Ccy", _("expected a currency code, found nothing"),
                        entry=True)
    too_much = amount_error(amount, currency)
    if too_much is not None:
        raise LineError(number, "Amt", too_much, entry=True)
    direction = _text(entry, "CdtDbtInd")
    if direction not in ("CRDT", "DBIT"):
        raise LineError(number, "CdtDbtInd", _("expected CRDT or DBIT, found «%(found)s»")
                        % {"found": direction[:20]}, entry=True)
    day = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10] or _text(
        entry, "ValDt", "Dt")
    try:
        date = datetime.date.fromisoformat(day[:10])
    except ValueError:
        raise LineError(number, "BookgDt", _("expected a date like 2025-03-14, found «%(found)s»")
                        % {"found": day[:40]}, entry=True) from None
    out_of_range = dates.date_error(date)
    if out_of_range is not None:
        raise LineError(number, "BookgDt", out_of_range, entry=True)
    details = _find(entry, "NtryDtls", "TxDtls")
    party = "Dbtr" if direction == "CRDT" else "Cdtr"
    reference = " ".join(
        (node.text or "").strip() for node in entry.iter() if _local(node.tag) == "Ustrd"
    )
    counterparty = (_text(details, "RltdPties", party, "Nm")
                    or _text(details, "RltdPties", party, "Pty", "Nm"))
    account = (_text(details, "RltdPties", f"{party}Acct", "Id", "IBAN")
               or _text(details, "RltdPties", f"{party}Acct", "Id", "Othr", "Id"))
    bank_id = _text(entry, "AcctSvcrRef") or _text(details, "Refs", "AcctSvcrRef") or _text(
        details, "Refs", "EndToEndId")
    for name, text in (("Ustrd", reference), ("Nm", counterparty), ("IBAN", account),
                       ("AcctSvcrRef", bank_id)):
        position = forbidden_character(text)
        if position is not None:  # text that hides itself has no place in the books
            raise LineError(number, name, refusal(text[position], position), entry=True)
    return BankLine(
        line_no=number, date=date, currency=currency,
        amount=amount if direction == "CRDT" else -amount,
        reference=reference, counterparty=counterparty, counterparty_account=account,
        bank_id=bank_id,
    )
