"""The statement's charts, drawn by matplotlib into SVG in memory.

matplotlib's SVG carries style attributes, which the CSP forbids inline; pages show it as an
image (a data: URI), which img-src allows. No pyplot: a Figure per call is thread-safe.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

import matplotlib as mpl
from matplotlib.figure import Figure

mpl.rcParams["svg.hashsalt"] = "pompolit"  # the same figures give the same bytes
INCOME, EXPENSES = "#2e7d32", "#c62828"


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
