"""Step 2 of a plan: the integer program in HiGHS — its columns, bounds and rows.

Columns: y[i,k,p], the units of item type k for prisoner i paid from pool p (integers once
the level is known); t, the fairness level; s[i] ≥ 0, how far prisoner i falls short of their
floor; f[i,k] ≤ min(1, units of k for i), so that the first unit of an item type counts
double. Rows: each pool's capacity; each prisoner's entitlement per item type, parcels and
money in the period; each prisoner's coverage (+ shortfall) against their weight × t.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import highspy
import numpy as np

from pompolit.aid.planning.solver.prepare import Prepared
from pompolit.aid.planning.solver.types import MONEY, PARCEL, SolverOptions

# A row: lower bound, upper bound, its columns and their coefficients.
Row = tuple[float, float, list[int], list[float]]


@dataclass(frozen=True)
class Col:
    prisoner: int
    item: int
    pool: int


class Model:
    """The columns' layout: y first (n_y of them), then t, then s[i] for each prisoner with a
    demand (`fair`), then f[i,k]. `cover_row[i]` is prisoner i's coverage row."""

    def __init__(self, prep: Prepared, opts: SolverOptions) -> None:
        self.prep = prep
        self.cols = [Col(i, k, n) for i in range(len(prep.people))
                     for k, pools in prep.payable[i].items() if prep.entitled[i][k] > 0
                     for n in pools]
        self.fair = [i for i, d in enumerate(prep.demand) if d > 1e-12]
        self.n_y = len(self.cols)
        self.t = self.n_y
        self.s = {i: self.n_y + 1 + n for n, i in enumerate(self.fair)}
        # f[i,k] ≤ min(1, units of k for i): the first unit of each item type counts double.
        # (Where only one unit may be given, the unit itself counts double: no f needed.)
        pairs = sorted({(v.prisoner, v.item) for v in self.cols
                        if prep.entitled[v.prisoner][v.item] > 1})
        first_f = self.n_y + 1 + len(self.fair)
        self.f = {pair: first_f + n for n, pair in enumerate(pairs)}
        self.n = first_f + len(pairs)
        self.cover_row: dict[int, int] = {}
        self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        self.h.silent()
        self.h.setOptionValue("threads", opts.threads)
        self.h.setOptionValue("mip_rel_gap", opts.mip_rel_gap)
        self.h.setOptionValue("random_seed", 0)
        self._add_columns()
        self._add_rows(self._rows())
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def _add_columns(self) -> None:
        upper = np.ones(self.n)
        for c, v in enumerate(self.cols):
            upper[c] = self.prep.entitled[v.prisoner][v.item]
        for i in self.fair:
            upper[self.s[i]] = 0.0  # no shortfall while the level is computed
        self.h.addCols(self.n, np.zeros(self.n), np.zeros(self.n), upper, 0,
                       np.array([], dtype=np.int32), np.array([], dtype=np.int32),
                       np.array([]))

    def _rows(self) -> list[Row]:
        by_pool: dict[int, list[int]] = defaultdict(list)
        by_item: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_person: dict[int, list[int]] = defaultdict(list)
        for c, v in enumerate(self.cols):
            by_pool[v.pool].append(c)
            by_item[(v.prisoner, v.item)].append(c)
            by_person[v.prisoner].append(c)
        rows = self._pool_rows(by_pool) + self._item_rows(by_item)
        rows += self._limit_rows(by_person)
        for i in self.fair:
            self.cover_row[i] = len(rows)
            rows.append(self._cover_row(i, by_person.get(i, [])))
        return rows

    def _pool_rows(self, by_pool: dict[int, list[int]]) -> list[Row]:
        """A pool pays at most its capacity."""
        cost = [float(it.cost) for it in self.prep.items]
        return [(-highspy.kHighsInf, float(self.prep.pools[n].capacity), cs,
                 [cost[self.cols[c].item] for c in cs]) for n, cs in sorted(by_pool.items())]

    def _item_rows(self, by_item: dict[tuple[int, int], list[int]]) -> list[Row]:
        """Units of an item type from all pools within the entitlement; f[i,k] ≤ its units."""
        inf = highspy.kHighsInf
        rows: list[Row] = []
        for (i, k), cs in sorted(by_item.items()):
            if len(cs) > 1:
                rows.append((-inf, float(self.prep.entitled[i][k]), cs, [1.0] * len(cs)))
            if (i, k) in self.f:
                rows.append((-inf, 0.0, [self.f[(i, k)], *cs], [1.0] + [-1.0] * len(cs)))
        return rows

    def _limit_rows(self, by_person: dict[int, list[int]]) -> list[Row]:
        """The facility's limits shared by item types: parcels left, money left."""
        prep, cols, inf = self.prep, self.cols, highspy.kHighsInf
        cost = [float(it.cost) for it in prep.items]
        rows: list[Row] = []
        for i, p in enumerate(prep.people):
            cs = by_person.get(i, [])
            e = p.entitlement
            parcels = [c for c in cs if prep.items[cols[c].item].kind == PARCEL]
            if parcels and e.parcels_left is not None:
                rows.append((-inf, float(max(0, e.parcels_left)), parcels, [1.0] * len(parcels)))
            money = [c for c in cs if prep.items[cols[c].item].kind == MONEY]
            if money and e.money_left is not None:
                rows.append((-inf, float(max(Decimal(0), e.money_left)), money,
                             [cost[cols[c].item] for c in money]))
        return rows

    def _cover_row(self, i: int, cs: list[int]) -> Row:
        """coverage + shortfall ≥ weight × t (− one item, once the level is known)."""
        prep, d = self.prep, self.prep.demand[i]
        return (0.0, highspy.kHighsInf, [*cs, self.s[i], self.t],
                [prep.value[self.cols[c].item] / d for c in cs] + [1.0, -prep.weights[i]])

    def _add_rows(self, rows: list[Row]) -> None:
        if not rows:
            return
        starts: list[int] = []
        index: list[int] = []
        values: list[float] = []
        for _lo, _up, cs, vs in rows:
            starts.append(len(index))
            index.extend(cs)
            values.extend(vs)
        self.h.addRows(len(rows), np.array([r[0] for r in rows]),
                       np.array([r[1] for r in rows]), len(index),
                       np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                       np.array(values))

    def make_integral(self) -> None:
        integral = np.arange(self.n_y, dtype=np.int32)
        if len(integral):
            self.h.changeColsIntegrality(len(integral), integral,
                                         np.ones(len(integral), dtype=np.uint8))

    def slack(self, i: int, level: float) -> float:
        """The integer plan's floor for prisoner i is their share less one item (their most
        valuable), but at least one item (their cheapest) when their share is above zero:
        coverage − weight × level ≥ this."""
        prep = self.prep
        units = [prep.value[k] / prep.demand[i] for k, pools in prep.payable[i].items()
                 if pools and prep.entitled[i][k] > 0]
        share = prep.weights[i] * level
        if share <= 1e-9:
            return 0.0
        return max(share - max(units), min(min(units), share)) - share

    def keep_at_most(self, cols: list[int], coefs: list[float], bound: float) -> None:
        self.h.addRow(-highspy.kHighsInf, bound, len(cols), np.array(cols, dtype=np.int32),
                      np.array(coefs))
