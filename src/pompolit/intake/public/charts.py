"""The public counts' chart: detentions per day, drawn by matplotlib into SVG in memory and
shown as a data: URI image (the CSP forbids inline styles; img-src allows data:)."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

mpl.rcParams["svg.hashsalt"] = "pompolit"
BAR = "#8e2430"


def per_day(rows: Sequence[Mapping[str, Any]]) -> str:
    """Detentions per day as a bar chart, as a data: URI; "" when there is nothing to draw."""
    if not rows:
        return ""
    figure = Figure(figsize=(7, 2.6), layout="constrained")
    ax = figure.subplots()
    days = [str(row["day"])[5:] for row in rows]
    ax.bar(range(len(rows)), [row["detentions"] for row in rows], color=BAR)
    step = max(1, len(rows) // 12)
    ax.set_xticks(list(range(0, len(rows), step)), days[::step],
                  rotation=30 if len(rows) > 6 else 0)
    ax.spines[["top", "right"]].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
