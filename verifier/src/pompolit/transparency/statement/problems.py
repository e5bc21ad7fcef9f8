"""What is found wrong with a statement. Problems are collected rather than raised one at a
time, so a tampered statement is reported completely: which leaf, which figure, what was
expected and what was found."""

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import DocumentError, VerificationError

MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    """One thing found wrong. `what` is "signature", "leaf", "json", "reversal", "order",
    "figure", "case", "chart", "consistency" or "previous"; leaf and figure say where,
    expected/found what. "json": a leaf is not even strict JSON (the command exits 2)."""

    what: str
    message: str
    leaf: int | None = None
    figure: str | None = None
    expected: str | None = None
    found: str | None = None

    def as_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class StatementProblems(VerificationError):
    """The statement does not verify; `problems` lists everything found."""

    def __init__(self, problems: Sequence[Problem], prefix: str = "") -> None:
        self.problems = list(problems)
        shown = [prefix + p.message for p in self.problems[:20]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"… and {more} more problem(s) (see --json)")
        count = len(self.problems)
        head = f"{count} problem(s) found" + (":" if count else "")
        super().__init__("\n          ".join([head, *shown]) if shown else head)


class UnreadableStatement(StatementProblems, DocumentError):
    """Problems, one of them a signed leaf that is not even strict JSON: the input cannot be
    read as it stands (exit 2), though every problem found is listed."""


def problems_error(problems: Sequence[Problem]) -> StatementProblems:
    """The exception for these problems: UnreadableStatement if a leaf is not strict JSON."""
    if any(p.what == "json" for p in problems):
        return UnreadableStatement(problems)
    return StatementProblems(problems)
