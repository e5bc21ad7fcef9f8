"""The audit trail keeps no text a person typed: every `details` written anywhere is walked.

The trail is append-only — nothing in it can ever be erased — and readable by anyone with the
database. So its details hold ids, codes, counts, dates, amounts and digests, never a note, a
reason, a memo, a name, a place, a phone number or a file name (docs/audit.md). This test
reads the source of every module, finds each dictionary that becomes audit details (the
`details=` of a call, a variable named `details`, and what the helpers passed there return),
and refuses any value built from something whose name says it is free text — unless it goes
through `text_digest`, `len` or `bool`, or is listed below with the reason it is not typed
by a person. A new `details={"memo": memo}` anywhere fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # src/pompolit

# Parts of identifiers that name free text.
FREE_TEXT = {
    "note", "notes", "reason", "memo", "name", "names", "label", "labels", "text", "summary",
    "place", "comment", "phone", "contact", "address", "filename", "file", "query", "q",
    "description", "story", "message", "messages", "error", "title", "source", "contains",
    "typed", "search", "words",
}
# Identifiers with these words hold no text (`file_fingerprint`, `name_count`).
SAFE_WORDS = {"digest", "sha256", "fingerprint", "hash", "count", "pk", "id"}
# What makes any text safe to keep.
SAFE_CALLS = {"text_digest", "len", "bool", "isinstance", "sha256", "hexdigest"}

# (module, key): why the value is not text a person typed.
NOT_TYPED = {
    ("members/approvals.py", "error"):
        "the services' own refusal messages, which name records by number",
    ("audit/services.py", "problem"): "the chain verifier's own description of a break",
    ("vault/keys/services.py", "reason"): "a code from SEAL_REASONS; anything else becomes 'other'",
    ("tlog/services.py", "log"): "the transparency log's fixed name (ledger)",
    ("ledger/statements/services.py", "period"): "a period's label made from its dates (2025-Q1)",
    ("cases/synthetic.py", "names"): "how many names the generator made",
    ("vault/keys/services.py", "keyholders"): "the new keyholders' pseudonyms (members' own)",
    ("intake/public/services.py", "reason"):
        "a code from intake.models.Rejection (spam, fake, duplicate); anything else is refused",
}

def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _called_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return ""


def details_dicts(tree: ast.Module) -> Iterator[ast.Dict]:
    """Every dict that is, or is returned as, the details of an audit entry."""
    helpers: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg != "details":
                    continue
                if isinstance(keyword.value, ast.Dict):
                    yield keyword.value
                helpers |= {_called_name(n) for n in ast.walk(keyword.value)} - {""}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Name) and t.id == "details" for t in node.targets):
            yield node.value
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in helpers:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Dict):
                    yield inner.value


def typed_words(value: ast.AST) -> set[str]:
    """The free-text words among the identifiers a value is built from: `case.pk` is judged by
    `pk`, `relative.name.strip()` by `name`; nothing under a safe call counts."""
    if isinstance(value, ast.Call):
        if _called_name(value) in SAFE_CALLS:
            return set()
        found = typed_words(value.func.value) if isinstance(value.func, ast.Attribute) else set()
        for child in [*value.args, *(k.value for k in value.keywords)]:
            found |= typed_words(child)
        return found
    if isinstance(value, ast.Name):
        return _words(value.id)
    if isinstance(value, ast.Attribute):
        return _words(value.attr)
    found = set()
    for child in ast.iter_child_nodes(value):
        if not isinstance(child, ast.Dict):  # a nested dict is walked as details of its own
            found |= typed_words(child)
    return found


def _words(identifier: str) -> set[str]:
    words = set(identifier.lower().strip("_").split("_"))
    return set() if words & SAFE_WORDS else words & FREE_TEXT


def offenders() -> list[str]:
    found = []
    for module, tree in modules():
        for details in details_dicts(tree):
            for node in ast.walk(details):
                if not isinstance(node, ast.Dict):
                    continue
                for key, value in zip(node.keys, node.values, strict=True):
                    name = key.value if isinstance(key, ast.Constant) else "**"
                    words = typed_words(value)
                    if words and (module, name) not in NOT_TYPED:
                        found.append(f"{module}:{value.lineno} {name!r} is built from "
                                     f"{sorted(words)}")
    return found


def test_no_audit_details_are_built_from_typed_text():
    assert offenders() == []


def test_the_walk_finds_the_details_it_must_check():
    """The walk itself: it sees the details of services across the apps, helpers included."""
    seen = {module for module, tree in modules() if any(details_dicts(tree))}
    assert {"cases/services.py", "cases/vocabularies/services.py", "ledger/bank_import/setup.py",
            "members/approvals.py", "audit/services.py", "vault/keys/services.py",
            "aid/lifecycle.py"} <= seen


def test_the_walk_would_catch_a_memo():
    tree = ast.parse('record("x", details={"amount": 1, "memo": donation.memo})\n'
                     'def _state(rule):\n    return {"pattern": rule.reference_contains}\n'
                     'record("y", details=_state(rule))\n'
                     'details = {"who": relative.name, "digest": text_digest(relative.name)}\n')
    words = sorted(sorted(typed_words(v)) for d in details_dicts(tree) for v in d.values)
    assert words == [[], [], ["contains"], ["memo"], ["name"]]


def test_every_exception_is_still_in_use():
    used = set()
    for module, tree in modules():
        for details in details_dicts(tree):
            for node in ast.walk(details):
                if isinstance(node, ast.Dict):
                    used |= {(module, k.value) for k in node.keys if isinstance(k, ast.Constant)}
    assert set(NOT_TYPED) - used == set()
