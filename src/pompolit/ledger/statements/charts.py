"""The statement's charts, drawn by matplotlib into SVG in memory.

matplotlib's SVG carries style attributes, which the CSP forbids inline; pages show it as an
image (a data: URI), which img-src allows. No pyplot: a Figure per call is thread-safe.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import matplotlib as mpl
from django.core.cache import cache
from matplotlib.figure import Figure

mpl.rcParams["svg.hashsalt"] = "pompolit"  # the same figures give the same bytes
INCOME, EXPENSES = "#2e7d32", "#c62828"
KEPT_SECONDS = 30 * 24 * 3600
# A drawing is kept under what it is drawn from, this module's code and matplotlib's version.
_DRAWN_BY = hashlib.sha256(Path(__file__).read_bytes() + mpl.__version__.encode()).hexdigest()


def kept_bars(rows: Sequence[Mapping[str, str]], key: str, labels: tuple[str, str],
              title: str) -> bytes:
    """bars(), from the cache when drawn before: a published statement's figures never change,
    and drawing takes about a tenth of a second (its page has two, in each language; the
    static export draws them all)."""
    made_of = hashlib.sha256(json.dumps(
        [_DRAWN_BY, [dict(r) for r in rows], key, list(labels), title],
        sort_keys=True, default=str).encode()).hexdigest()
    name = f"statement-chart:{made_of}"
    found = cache.get(name)
    if not isinstance(found, bytes):
        found = bars(rows, key, labels, title)
        cache.set(name, found, timeout=KEPT_SECONDS)
    return found


def bars(rows: Sequence[Mapping[str, str]], key: str, labels: tuple[str, str],
         title: str) -> bytes:
    """Income and expenses side by side for each `key` value, one panel per currency."""
    by_currency: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for row in rows:
        # float only to draw: the figures themselves stay Decimal strings.
        by_currency[row["currency"]].append(
            (row[key], float(Decimal(row["income"])), float(Decimal(row["expenses"])))
        )
    panels = max(len(by_currency), 1)
    figure = Figure(figsize=(7, 2.6 * panels), layout="constrained")
    axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
    for ax, (currency, values) in zip(axes, sorted(by_currency.items()), strict=False):
        names = [v[0] for v in values]
        positions = range(len(values))
        ax.bar([p - 0.2 for p in positions], [v[1] for v in values], 0.4, label=labels[0],
               color=INCOME)
        ax.bar([p + 0.2 for p in positions], [v[2] for v in values], 0.4, label=labels[1],
               color=EXPENSES)
        ax.set_xticks(list(positions), names, rotation=30 if len(names) > 4 else 0)
        ax.set_ylabel(currency)
        ax.legend(loc="upper right", fontsize="small")
    axes[0].set_title(title)
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
