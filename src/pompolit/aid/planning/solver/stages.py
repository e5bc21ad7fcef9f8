"""Step 3 of a plan: solving the model in stages, each keeping what the one before reached.

1. The fairness level t, items taken as divisible (a linear program).
2. Every prisoner's floor — their share weight × t less one item — as the integer plan's
   target; where money cannot reach it, the smallest weighted shortfall.
3. With that kept, as much aid as possible (`aid_objective`).

Step 2 is first tried with every floor in full (no shortfall, the best it can reach): if that
integer program has a solution, it is steps 2 and 3 at once.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from pompolit.aid.planning.solver.model import Model
from pompolit.aid.planning.solver.types import SolverOptions, Stage

MAXIMISE, MINIMISE = highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize


class Runner:
    """Runs one stage after another on the model within the time limit, each starting from the
    last solution found (from the third stage on); keeps that solution and every stage's
    outcome."""

    def __init__(self, model: Model, opts: SolverOptions, started: float) -> None:
        self.model, self.opts, self.started = model, opts, started
        self.stages: list[Stage] = []
        self.solution = [0.0] * model.n

    def run(self, name: str, costs: np.ndarray, sense: highspy.ObjSense) -> bool:
        h, n = self.model.h, self.model.n
        left = self.opts.time_limit - (time.monotonic() - self.started)
        if left <= 0.05:
            self.stages.append(Stage(name, "time limit", 0.0, 0.0, 0.0))
            return False
        h.setOptionValue("time_limit", left)
        h.changeObjectiveSense(sense)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        if len(self.stages) > 1:
            start = highspy.HighsSolution()
            start.col_value = self.solution
            h.setSolution(start)
        t0 = time.monotonic()
        h.run()
        info = h.getInfo()
        found = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 0.0
        status = h.getModelStatus()
        if found and name == "fairness level" and status == highspy.HighsModelStatus.kUnknown:
            status = highspy.HighsModelStatus.kOptimal  # IPM without crossover says so
        self.stages.append(Stage(name, status_name(status),
                                 float(info.objective_function_value) if found else 0.0,
                                 max(0.0, gap), time.monotonic() - t0))
        if found:
            self.solution = list(h.getSolution().col_value)
        return bool(found)

    def quantities(self) -> list[int]:
        return [round(self.solution[c]) for c in range(self.model.n_y)]


def status_name(status: highspy.HighsModelStatus) -> str:
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }
    return names.get(status, str(status).rsplit(".k", 1)[-1].lower())


def solve(model: Model, opts: SolverOptions,
          started: float) -> tuple[list[int], float, list[Stage]]:
    """The units of every column y, the fairness level, and the stages run."""
    runner = Runner(model, opts, started)
    if not model.n_y or not model.fair:
        return [0] * model.n_y, 0.0, runner.stages
    level = fairness_level(runner)
    if level is None:
        return [0] * model.n_y, 0.0, runner.stages
    require_floors(model, level)
    aid = aid_objective(model)
    level_solution = runner.solution
    if runner.run("total aid (floors in full)", aid, MAXIMISE):
        return runner.quantities(), level, runner.stages
    smallest_shortfall_then_most_aid(runner, level, level_solution, aid)
    return runner.quantities(), level, runner.stages


def fairness_level(runner: Runner) -> float | None:
    """1. The fairness level, items taken as divisible: a linear program. None if none found."""
    model, h = runner.model, runner.model.h
    costs = np.zeros(model.n)
    costs[model.t] = 1.0
    # An interior point method without crossover: only the level is needed (and a start).
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    found = runner.run("fairness level", costs, MAXIMISE)
    h.setOptionValue("solver", "choose")
    if not found:
        return None
    return max(0.0, min(1.0, runner.solution[model.t]))


def require_floors(model: Model, level: float) -> None:
    """Items are not divisible: each prisoner's fair share less one item is what the integer
    plan must reach (no shortfall allowed yet); the level is fixed, the units integers."""
    h = model.h
    h.changeColBounds(model.t, level, level)
    for i in model.fair:
        h.changeRowBounds(model.cover_row[i], model.slack(i, level), highspy.kHighsInf)
    model.make_integral()


def aid_objective(model: Model) -> np.ndarray:
    """3. As much aid as possible, the weightier first, the first unit of each item type
    counting double; restricted money before money anybody may use."""
    prep = model.prep
    aid = np.zeros(model.n)
    for c, v in enumerate(model.cols):
        prefer = {"case": 2e-3, "purpose": 1e-3}.get(prep.pools[v.pool].kind, 0.0)
        double = 1 if (v.prisoner, v.item) in model.f else 2
        aid[c] = prep.value[v.item] * (double * prep.weights[v.prisoner] + prefer)
    for (i, k), c in model.f.items():
        aid[c] = prep.value[k] * prep.weights[i]
    return aid


def smallest_shortfall_then_most_aid(runner: Runner, level: float,
                                     level_solution: list[float], aid: np.ndarray) -> None:
    """2. The floors cannot all be reached: the smallest weighted shortfall, then 3. with it
    kept. The level's solution rounded down is the start (the shortfall takes up the rest)."""
    model, prep = runner.model, runner.model.prep
    for i in model.fair:
        model.h.changeColBounds(model.s[i], 0.0, highspy.kHighsInf)
    runner.solution = [float(math.floor(v + 1e-6)) if c < model.n_y else 0.0
                       for c, v in enumerate(level_solution)]
    for i in model.fair:
        runner.solution[model.s[i]] = 1.0 + prep.weights[i] * level
    costs = np.zeros(model.n)
    for i in model.fair:
        costs[model.s[i]] = prep.weights[i]
    if runner.run("fair shares", costs, MINIMISE):
        shortfall = max(0.0, runner.stages[-1].objective)
        model.keep_at_most(list(model.s.values()), [prep.weights[i] for i in model.fair],
                           shortfall * (1 + 1e-6) + 1e-7)
        runner.run("total aid", aid, MAXIMISE)
