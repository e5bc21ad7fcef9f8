"""Comparing what a statement says with what was recomputed or signed: each published
figure against the one recomputed from the leaves, row by row; the leaves against the
signed leaf hashes, position by position (`align`)."""

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..errors import DocumentError
from .figures import Key, scan_case_expenses
from .problems import MAX_PROBLEMS, Problem
from .read import Statement, amount_text

# The rows of each table of figures: their keys, and their amounts.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "opening_balances": (("fund", "currency"), ("amount",)),
    "closing_balances": (("fund", "currency"), ("amount",)),
    "income": (("campaign", "channel", "currency"), ("amount",)),
    "expenses": (("category", "currency"), ("amount",)),
    "by_month": (("month", "currency"), ("income", "expenses")),
    "by_fund": (("fund", "currency"), ("income", "expenses")),
}
# The figure of the expenses per case (see read.case_leaves), and its rows.
CASE_FIGURE = "expenses_by_case"
CASE_TABLE = (("case", "category", "currency"), ("amount",))


def compare_figures(published: object, computed: Mapping[str, object],
                    label: str = "figure") -> list[Problem]:
    """Every published figure against the one recomputed from the leaves, row by row."""
    if not isinstance(published, dict):
        raise DocumentError("the statement's 'figures' must be an object")
    problems = []
    for name in ("entries", "later_entries"):
        found = published.get(name)
        if type(found) is not int or found != computed[name]:  # not true for 1, nor 6.0
            problems.append(Problem(
                "figure", f"{label} {name}: the leaves give {computed[name]}, the statement "
                f"says {found}", figure=name, expected=str(computed[name]), found=str(found)))
    for name in TABLES:
        if name not in published:
            raise DocumentError(f"the statement has no figure {name!r}")
        problems += _compare_table(name, published[name], computed[name], label)
    return problems


def _compare_table(name: str, published: object, computed: object,
                   label: str = "figure") -> list[Problem]:
    keys, amounts = TABLES.get(name) or CASE_TABLE
    said = _figure_table(published, name, keys, amounts)
    recomputed = _figure_table(computed, name, keys, amounts)
    problems = []
    for key in sorted(set(said) | set(recomputed)):
        want, got = recomputed.get(key), said.get(key)
        if want == got:
            continue
        where = _label(name, keys, key)
        want_text = "nothing" if want is None else " / ".join(want)
        got_text = "nothing (the row is missing)" if got is None else " / ".join(got)
        problems.append(Problem(
            "figure", f"{label} {where}: the leaves give {want_text}, the statement says "
            f"{got_text}", figure=where, expected=want_text, found=got_text))
    return problems


def _figure_table(value: object, name: str, keys: Sequence[str],
                  amounts: Sequence[str]) -> dict[Key, tuple[str, ...]]:
    if not isinstance(value, list):
        raise DocumentError(f"the figure {name!r} must be a list")
    table: dict[Key, tuple[str, ...]] = {}
    for position, row in enumerate(value, start=1):
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in (*keys, *amounts)
        ):
            raise DocumentError(f"row {position} of the figure {name!r} is malformed")
        key = tuple(str(row[k]) for k in keys)
        if key in table:
            raise DocumentError(f"the figure {name!r} lists {_label(name, keys, key)} twice")
        table[key] = tuple(str(row[a]) for a in amounts)
    return table


def _label(name: str, keys: Sequence[str], key: Key) -> str:
    inside = ", ".join(f"{k}={v!r}" if v else f"{k}=none" for k, v in zip(keys, key, strict=True))
    return f"{name}[{inside}]"


def check_case_expenses(stmt: Statement) -> list[Problem]:
    table, problems = scan_case_expenses(stmt)
    computed = [
        {"case": key[0], "category": key[1], "currency": key[2],
         "amount": amount_text(units, stmt.places[key[2]])}
        for key, units in sorted(table.items()) if units
    ]
    figures = stmt.document.get("figures")
    published = figures.get(CASE_FIGURE, []) if isinstance(figures, dict) else []
    return problems + _compare_table(CASE_FIGURE, published, computed)


# -- aligning leaves against what was signed --------------------------------------------------


def align(reference: Sequence[bytes], found: Sequence[bytes], what: str) -> list[Problem]:
    """Name each position where `found` differs from `reference` (both lists of leaf hashes):
    a changed leaf, a dropped one, an inserted one, or one moved from elsewhere."""
    problems: list[Problem] = []
    positions: dict[bytes, list[int]] = defaultdict(list)
    for index, value in enumerate(reference):
        positions[value].append(index)
    present = set(found)
    for index in range(max(len(reference), len(found))):
        want = reference[index] if index < len(reference) else None
        got = found[index] if index < len(found) else None
        if want == got:
            continue
        if got is None:
            message = f"leaf {index} of {what} is missing at the end"
        elif want is None:
            message = f"leaf {index} is not in {what}: it was added"
        elif got in positions and want not in present:
            message = (f"leaf {index} of {what} was dropped (leaf {index} here is "
                       f"{what}'s leaf {_nearest(positions[got], index)})")
        elif got in positions:
            message = (f"leaf {index} is out of order: it is {what}'s leaf "
                       f"{_nearest(positions[got], index)}")
        else:
            message = f"leaf {index} was changed: it is not {what}'s leaf {index}"
        problems.append(Problem("order" if got in positions else "leaf", message, leaf=index))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _nearest(candidates: Sequence[int], index: int) -> int:
    return min(candidates, key=lambda c: abs(c - index))
