"""Every action the code can write to the audit trail has a describer, and it reads in Russian.

The actions are found in the source, not listed by hand: every call of `record(...)` (and of the
two helpers that pass an action on to it). A call whose action is not a string the test can
read must be named in DYNAMIC with the actions it can write — so a new one is never missed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from pompolit.aid.models import Status
from pompolit.audit.descriptions import DESCRIBERS, describe
from pompolit.audit.models import AuditEntry

SOURCE = Path(__file__).resolve().parents[2]
CALLS = {"record", "record_sensitive_read", "_created", "_second_factor_changed"}

# (module, enclosing function) -> what a call there whose action is a variable can write.
DYNAMIC = {
    ("aid/lifecycle.py", "_step"): [f"aid.item_{status}" for status in Status.values],
    ("ledger/services.py", "_created"): [
        "ledger.fund_created",
        "ledger.account_created",
        "ledger.currency_added",
    ],
    ("letters/work.py", "move"): [
        f"letters.letter_{status}" for status in
        ("approved", "sent_back", "rejected", "sent", "delivered", "blocked", "returned")],
    ("members/approvals.py", "reject"): ["approval.withdrawn", "approval.rejected"],
    ("members/signals.py", "_second_factor_changed"): [
        "member.second_factor_added",
        "member.second_factor_removed",
        "member.second_factor_reset",
    ],
}


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "testing.py"
    ]


def _constants(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _strings(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def written_actions() -> set[str]:
    constants: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _sources()}
    for tree in trees.values():
        constants.update(_constants(tree))
    actions: set[str] = {"approval.approved", "member.founded"}  # also written by a migration
    unknown = []
    for path, tree in trees.items():
        module = path.relative_to(SOURCE).as_posix()
        # Each call with the names of the functions around it (a closure's outer one too).
        around: dict[ast.Call, set[str]] = {}
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for call in ast.walk(function):
                    if isinstance(call, ast.Call):
                        around.setdefault(call, set()).add(function.name)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            callee = (
                call.func.attr
                if isinstance(call.func, ast.Attribute)
                else getattr(call.func, "id", None)
            )
            if callee not in CALLS:
                continue
            if callee == "record_sensitive_read":
                actions.add("read.sensitive")
                continue
            first = call.args[1] if callee == "_created" and len(call.args) > 1 else call.args[0]
            strings = _strings(first)
            if strings is None and isinstance(first, ast.Name) and first.id in constants:
                strings = [constants[first.id]]
            dynamic = [
                DYNAMIC[(module, name)]
                for name in around.get(call, set())
                if (module, name) in DYNAMIC
            ]
            if strings is not None:
                actions.update(strings)
            elif dynamic:
                actions.update(*dynamic)
            else:
                unknown.append(f"{module}:{call.lineno}")
    assert not unknown, f"name what these calls can write in DYNAMIC: {unknown}"
    return {a for a in actions if "." in a or a in ("login", "logout")}


class AnyFacts(dict[str, Any]):
    """Details that have every fact an entry could keep: a number."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, 7)

    def __missing__(self, key: str) -> Any:
        return 7


def test_the_walk_finds_what_the_code_writes():
    actions = written_actions()
    assert {
        "cases.case_opened",
        "ledger.expense_paid",
        "aid.item_sent",
        "approval.requested",
        "audit.verified",
        "alert.bulk_read",
        "read.sensitive",
        "vault.sealed",
        "member.second_factor_reset",
        "approval.rejected",
        "ledger.fund_created",
        "tlog.checkpoint",
        "login",
        "logout",
    } <= actions
    assert len(actions) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(written_actions()))
def test_every_action_is_described_in_russian_without_english_words(action):
    assert action in DESCRIBERS, f"{action} has no describer (audit/descriptions.py)"
    entry = AuditEntry(
        action=action,
        actor_label="вера",
        object_type="cases.case",
        object_id="7",
        details=AnyFacts(),
    )

    with translation.override("ru"):
        russian = describe(entry)
    with translation.override("en"):
        english = describe(entry)

    assert russian.strip()
    assert not re.search(r"[A-Za-z]", russian), russian
    assert russian != english
