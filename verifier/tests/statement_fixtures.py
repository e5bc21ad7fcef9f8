"""Small books, as leaves, and the statements published from them, for the verifier tests.

The leaves are built here by hand (the ledger itself is Django; the verifier must not
need it); the ledger's own tests check that real statements verify too.
"""

import datetime
import hashlib
import io
import json
from collections.abc import Sequence
from typing import Any

from pompolit.transparency import MerkleLog, sign
from pompolit.transparency.note import b64
from pompolit.transparency.statement.figures import closing_in_base, scan_leaves
from pompolit.transparency.statement.read import Period
from pompolit.transparency.statement.write import write_statement
from transparency_fixtures import SEED, VKEY

ORIGIN = "pompolit.example/log"
ACCOUNTS = {
    "assets:bank": "asset", "assets:cash": "asset", "income:donations": "income",
    "expenses:legal": "expense", "expenses:parcels": "expense",
    "net-assets:interfund": "net_assets", "trading:rub": "net_assets",
    "trading:eur": "net_assets",
}
PLACES = {"RUB": 2, "EUR": 2, "USDT": 6}
# 1 unit = rate RUB, on the last day of the period
RATES = [{"currency": "EUR", "base": "RUB", "on": "2026-10-31", "rate": "95.5"}]
CODES = ["09Y8QVF49KAPPMQ4J3Z1NQJ4MSB6"]
__all__ = ["ORIGIN", "VKEY"]


def receipt(code: str) -> str:
    return hashlib.sha256(b"pompolit-receipt-id/1\x00" + code.encode()).hexdigest()


def leaf(date: str, kind: str, postings: Sequence[tuple[str, str, str, str]],
         **extra: object) -> bytes:
    document: dict[str, object] = {
        "format": "pompolit-ledger-leaf/1", "date": date, "kind": kind,
        "postings": [{"account": a, "fund": f, "amount": m, "currency": c}
                     for a, f, m, c in postings],
        **extra,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def donation(date: str, amount: str, currency: str = "RUB", fund: str = "general",
             channel: str = "bank_transfer", code: str | None = None, **extra: object) -> bytes:
    account = "assets:cash" if channel == "cash" else "assets:bank"
    return leaf(date, "donation", [(account, fund, amount, currency),
                                   ("income:donations", fund, "-" + amount, currency)],
                receipt=receipt(code) if code else hashlib.sha256(
                    f"{date}{amount}{fund}{channel}{extra}".encode()).hexdigest(),
                channel=channel, **extra)


def expense(date: str, amount: str, category: str = "expenses:legal",
            currency: str = "RUB", fund: str = "lawyers") -> bytes:
    return leaf(date, "expense", [(category, fund, amount, currency),
                                  ("assets:bank", fund, "-" + amount, currency)])


def september() -> list[bytes]:
    return [
        donation("2026-09", "5000.00", code=CODES[0], campaign="winter-parcels"),
        donation("2026-09", "120.00", "EUR", "lawyers"),
        donation("2026-09", "3000.00", "RUB", "lawyers", "cash"),
        expense("2026-09", "2500.00"),
    ]


def october() -> list[bytes]:
    return [
        donation("2026-10", "700.50", "EUR", channel="card"),
        donation("2026-10", "10.000000", "USDT", channel="crypto", fund="lawyers"),
        expense("2026-10", "400.00", "expenses:parcels", fund="general"),
        leaf("2026-10", "reversal", [("assets:bank", "general", "-5000.00", "RUB"),
                                     ("income:donations", "general", "5000.00", "RUB")],
             reverses=0),
        leaf("2026-10", "exchange", [("assets:bank", "general", "-9550.00", "RUB"),
                                     ("trading:rub", "general", "9550.00", "RUB"),
                                     ("trading:eur", "general", "-100.00", "EUR"),
                                     ("assets:bank", "general", "100.00", "EUR")]),
        donation("2026-10", "20000.00", code=None, campaign="winter-parcels"),
        # posted in November before the October statement was published
        donation("2026-11", "1.00", "EUR"),
    ]


def period(label: str) -> Period:
    year, month = (int(p) for p in label.split("-"))
    start = datetime.date(year, month, 1)
    end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(label, start, end)


def statement(leaves: Sequence[bytes], label: str, previous_size: int | None = None,
              **changes: Any) -> dict[str, Any]:
    """The statement a correct publisher writes, as a parsed JSON object."""
    return json.loads(statement_text(leaves, label, previous_size, **changes))


def statement_text(leaves: Sequence[bytes], label: str, previous_size: int | None = None,
                   **changes: Any) -> str:
    tree = MerkleLog()
    tree.extend(leaves)
    size = len(leaves)
    chosen = period(label)
    figures = scan_leaves(leaves, chosen, ACCOUNTS, PLACES).figures.as_json(PLACES)
    head: dict[str, Any] = {
        "origin": ORIGIN,
        "period": chosen.as_json(),
        "base_currency": "RUB",
        "currencies": PLACES,
        "accounts": ACCOUNTS,
        "figures": figures,
        "rates": RATES,
        "closing_in_base": closing_in_base(figures["closing_balances"],  # type: ignore[arg-type]
                                           RATES, "RUB", PLACES),
        "checkpoint": sign(ORIGIN, size, tree.root(), ORIGIN, SEED),
    }
    if previous_size is not None:
        head["previous_checkpoint"] = sign(ORIGIN, previous_size, tree.root(previous_size),
                                           ORIGIN, SEED)
        head["consistency_proof"] = [b64(h) for h in tree.consistency_proof(previous_size)]
    head.update(changes)
    out = io.StringIO()
    write_statement(out, head, leaves)
    return out.getvalue()


def both() -> tuple[list[bytes], list[bytes]]:
    old = september()
    return old, old + october()


OLD, NEW = both()
