"""Fuzzing `pompolit-verify`: real, valid statements, bundles, proofs and checkpoints, mutated
(bytes flipped, cut short, nasty text inserted, members duplicated or deleted, types swapped,
giant numbers, deep nesting, leaves changed and signed again), must always give a verdict —
exit 0, 1 or 2 with its message — and never a traceback, nor anything on standard error.

The catch-all in cli.main would turn a crash into "the input could not be read (unexpected
…)"; these tests also fail if that last resort was needed, so a crash is found, not hidden."""

import base64
import gc
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pompolit.transparency.cli import main
from statement_fixtures import NEW, OLD, VKEY, statement_text
from transparency_fixtures import bundle_text, checkpoint, consistency_json, inclusion_json

# A few seconds on every push; VERIFIER_FUZZ_EXAMPLES=2000 for a longer hunt.
settings.register_profile(
    "verifier-fuzz", max_examples=int(os.environ.get("VERIFIER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large])
FUZZ = settings.get_profile("verifier-fuzz")

STATEMENT = statement_text(NEW, "2026-10", len(OLD)).encode()
INCLUSION = json.dumps(inclusion_json(), indent=1).encode()
CONSISTENCY = json.dumps(consistency_json(), indent=1).encode()
BUNDLE = bundle_text(40, previous=16).encode()
CHECKPOINT = checkpoint(40).encode()

NASTY = [
    b'"figures": {}, ', b'"amount": "1.00", ', b"NaN", b"Infinity", b"-Infinity", b"1e400",
    b"1" + b"0" * 5000, b"-" + b"9" * 5000, b"9007199254740993", b"0.10000000000000000001",
    b"[" * 3000, b"{" * 3000, b'"\\ud800"', b'"\\udc00\\ud800"', b"\xff", b"\xc3", b"\xef\xbb\xbf",
    b"\x00", b",", b"}", b"]", b'"', b"\\", b":", b" ", b"\n", "е".encode(), b"true", b"null",
    b'"\\u0000"', b"\r\n",
]
SWAPS: list[object] = [None, True, False, 0, -1, 2**53 - 1, 1.5, "", "x", "е", [], {}, [1],
                       {"a": None}, "9" * 5000, "-0", "NaN"]


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, *argv: str) -> None:
    path = tmp_path / "fuzzed"
    path.write_bytes(data)
    # Whatever other tests left for the garbage collector is collected now, outside the
    # capture: its finalizers may print to standard error, which here is the verifier's alone.
    gc.collect()
    capsys.readouterr()
    gc.disable()
    try:
        status = main([*(str(path) if a == "FILE" else a for a in argv), "--vkey", VKEY])
    finally:
        gc.enable()
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert err == "", err
    assert "Traceback" not in out
    assert "unexpected" not in out, out  # the last-resort catch-all was needed: a bug
    assert ("VERIFIED" in out) if status == 0 else ("NOT " in out)


# -- mutations ------------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    how = draw(st.sampled_from(["flip", "cut", "insert", "delete", "replace-number"]))
    at = draw(st.integers(0, len(data)))
    if how == "flip":
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if how == "cut":
        return data[:at]
    if how == "insert":
        return data[:at] + draw(st.sampled_from(NASTY)) + data[at:]
    if how == "delete":
        return data[:at] + data[at + draw(st.integers(1, 64)) :]
    # a number literal somewhere becomes another
    digits = [i for i, b in enumerate(data) if b in b"0123456789"]
    if not digits:
        return data
    i = draw(st.sampled_from(digits))
    return data[:i] + draw(st.sampled_from([*NASTY[6:10], b"1.0", b"-0", b"1e2"])) + data[i + 1 :]


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value[:6]):  # leaves: a few are enough
            found += _paths(inner, (*path, index))
    return found


def _get(value: Any, path: tuple[object, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def json_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """Change the document as a value: swap a type, delete a member, duplicate one, nest."""
    document = json.loads(data)
    path = draw(st.sampled_from(_paths(document)[1:]))
    parent, last = _get(document, path[:-1]), path[-1]
    how = draw(st.sampled_from(["swap", "delete", "duplicate", "nest"]))
    if how == "delete":
        del parent[last]
        return json.dumps(document, ensure_ascii=False).encode()
    if how == "nest":
        parent[last] = "NESTED"
        text = json.dumps(document, ensure_ascii=False)
        depth = draw(st.sampled_from([10, 70, 2000, 50_000]))
        return text.replace('"NESTED"', "[" * depth + "1" + "]" * depth, 1).encode()
    if how == "duplicate" and isinstance(parent, dict):
        parent[last] = "DUPLICATED"
        text = json.dumps(document, ensure_ascii=False)
        twice = json.dumps(last) + ": " + json.dumps(draw(st.sampled_from(SWAPS))) + ", "
        return text.replace(json.dumps(last) + ': "DUPLICATED"',
                            twice + json.dumps(last) + ': "x"', 1).encode()
    parent[last] = draw(st.sampled_from(SWAPS))
    return json.dumps(document, ensure_ascii=False).encode()


@st.composite
def signed_leaf_mutation(draw: st.DrawFn) -> bytes:
    """A statement whose leaves were mutated and then signed: the content checks are what
    must catch it, not the signature."""
    leaves = list(NEW)
    index = draw(st.integers(0, len(leaves) - 1))
    if draw(st.booleans()):
        leaves[index] = draw(byte_mutation(leaves[index]))
    else:
        leaves[index] = draw(json_mutation(leaves[index]))
    try:
        return statement_text(leaves, "2026-10").encode()
    except Exception:  # the fixture's own figures cannot be computed from such leaves
        leaves[index] = NEW[index]
        return statement_text(leaves, "2026-10").encode()


# -- the fuzz tests ---------------------------------------------------------------------------


@FUZZ
@given(data=st.one_of(byte_mutation(STATEMENT), json_mutation(STATEMENT),
                      signed_leaf_mutation()))
def test_a_mutated_statement_gets_a_verdict(tmp_path, capsys, data: bytes) -> None:
    _run(tmp_path, capsys, data, "statement", "FILE")


@FUZZ
@given(data=st.one_of(byte_mutation(STATEMENT), signed_leaf_mutation()))
def test_a_mutated_statement_gets_a_verdict_from_the_receipt_command(tmp_path, capsys,
                                                                    data: bytes) -> None:
    _run(tmp_path, capsys, data, "receipt", "09Y8QVF49KAPPMQ4J3Z1NQJ4MSB6", "--statement",
         "FILE")


@FUZZ
@given(data=st.one_of(byte_mutation(BUNDLE), json_mutation(BUNDLE)))
def test_a_mutated_bundle_gets_a_verdict(tmp_path, capsys, data: bytes) -> None:
    _run(tmp_path, capsys, data, "bundle", "FILE")


@FUZZ
@given(leaf=st.integers(0, len(NEW) - 1), data=st.data())
def test_a_ledger_bundle_with_a_mutated_leaf_gets_a_verdict(tmp_path, capsys, leaf: int,
                                                           data: st.DataObject) -> None:
    from test_tamper_corpus import ledger_bundle

    leaves = list(NEW)
    leaves[leaf] = data.draw(st.one_of(byte_mutation(NEW[leaf]), json_mutation(NEW[leaf])))
    _run(tmp_path, capsys, ledger_bundle(leaves).encode(), "bundle", "FILE")


@FUZZ
@given(data=st.one_of(byte_mutation(INCLUSION), json_mutation(INCLUSION)))
def test_a_mutated_inclusion_proof_gets_a_verdict(tmp_path, capsys, data: bytes) -> None:
    _run(tmp_path, capsys, data, "inclusion", "FILE")


@FUZZ
@given(data=st.one_of(byte_mutation(CONSISTENCY), json_mutation(CONSISTENCY)))
def test_a_mutated_consistency_proof_gets_a_verdict(tmp_path, capsys, data: bytes) -> None:
    _run(tmp_path, capsys, data, "consistency", "FILE")


@FUZZ
@given(data=byte_mutation(CHECKPOINT))
def test_a_mutated_checkpoint_gets_a_verdict(tmp_path, capsys, data: bytes) -> None:
    _run(tmp_path, capsys, data, "checkpoint", "FILE")


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_get_a_verdict_from_every_command(tmp_path, capsys, data: bytes) -> None:
    for argv in (["statement", "FILE"], ["bundle", "FILE"], ["inclusion", "FILE"],
                 ["consistency", "FILE"], ["checkpoint", "FILE"]):
        _run(tmp_path, capsys, data, *argv)


def test_a_leaf_swapped_for_random_base64_gets_a_verdict(tmp_path, capsys) -> None:
    document = json.loads(STATEMENT)
    document["leaves"][3] = base64.b64encode(bytes(range(256))).decode()
    _run(tmp_path, capsys, json.dumps(document).encode(), "statement", "FILE")


@pytest.mark.parametrize("data", [
    STATEMENT.replace(b'"entries": 6', b'"entries": 1' + b"0" * 5000),
    STATEMENT.replace(b'"period": {', b'"deep": ' + b"[" * 100_000 + b"]" * 100_000
                      + b', "period": {'),
    STATEMENT.replace(b'"period": {', b'"\\ud800\\u0435": 1, "period": {'),
    STATEMENT.replace(b'"format": "pompolit-statement/1"',
                      '"format": "pompolit-statement/1\ud800"'.encode("utf-8", "surrogatepass")),
    b"",
], ids=["giant number", "deep nesting", "lone surrogate", "surrogate bytes", "empty"])
@pytest.mark.parametrize("output", ["text", "json"])
def test_the_command_itself_answers_hostile_input_in_any_locale(tmp_path: Path, data: bytes,
                                                                output: str) -> None:
    """As a user runs it: a process of its own, an ASCII-only locale, text or --json."""
    import subprocess
    import sys

    path = tmp_path / "statement.json"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "pompolit.transparency.cli", "statement", str(path), "--vkey",
         VKEY, *(["--json"] if output == "json" else [])],
        capture_output=True, check=False, env={**os.environ, "LC_ALL": "C", "LANG": "C",
                                               "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2, result.stdout
    assert result.stderr == b""
    assert b"Traceback" not in result.stdout
