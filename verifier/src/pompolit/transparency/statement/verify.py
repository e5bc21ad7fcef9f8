"""Verifying a statement, in the order a critic would: the checkpoint's signature and the
leaves against its root, the previous checkpoint, the chart, every figure recomputed, and —
given the previous statement — that history was only appended.

Problems are collected rather than raised one at a time (problems.py); only a document
that cannot be read at all raises DocumentError at once."""

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from .. import checkpoint as checkpoints
from .. import strictjson
from ..bundle import check_checkpoint, decode_proof
from ..checkpoint import Checkpoint
from ..errors import DocumentError, VerificationError
from ..merkle import RootBuilder, hash_leaves, verify_consistency
from ..note import b64
from ..report import Report
from ..store import HASH_SIZE
from .chart import check_chart
from .compare import align, check_case_expenses, compare_figures
from .figures import LeafScan, closing_in_base, scan_leaves
from .problems import MAX_PROBLEMS, Problem, problems_error
from .read import Statement, read_statement


@dataclass
class Verified:
    statement: Statement
    checkpoint: Checkpoint
    scan: LeafScan
    problems: list[Problem]


def verify_statement_file(
    stream: TextIO | strictjson.Utf8Reader, vkey: str, report: Report,
    previous: TextIO | strictjson.Utf8Reader | None = None, witnesses: Sequence[str] = (),
    name: str = "the statement", previous_name: str = "the previous statement",
) -> Verified:
    """Read and check a statement (and the previous one); raise StatementProblems if any."""
    new = verify_statement(read_statement(stream, name), vkey, report, witnesses)
    problems = list(new.problems)
    if previous is not None:
        old_report = Report()
        old = verify_statement(read_statement(previous, previous_name), vkey,
                              old_report, witnesses)
        problems += [Problem(p.what, "previous statement: " + p.message, leaf=p.leaf,
                             figure=p.figure, expected=p.expected, found=p.found)
                     for p in old.problems]
        report.checks += [f"previous statement: {c}" for c in old_report.checks]
        problems += compare_with_previous(new, old, report)
    report.facts["problems"] = [p.as_json() for p in problems[:MAX_PROBLEMS]]
    if problems:
        raise problems_error(problems)
    return new


def verify_statement(stmt: Statement, vkey: str, report: Report,
                     witnesses: Sequence[str] = ()) -> Verified:
    """Check one statement; every problem is collected. Raises only DocumentError."""
    signed, problems = _check_signed(stmt, vkey, report, witnesses)
    chart = check_chart(stmt.accounts, stmt.places, stmt.document["base_currency"])
    problems += chart
    scan = scan_leaves(stmt.leaves, stmt.period, stmt.accounts, stmt.places)
    problems += scan.problems
    figure_problems = _check_figures(stmt, scan)
    problems += figure_problems
    if not figure_problems and not scan.problems and not chart:
        report.passed(
            f"every figure of {stmt.period.label} ({stmt.period.start} to {stmt.period.end}) "
            f"equals the total recomputed from the leaves: {scan.figures.entries} entries in "
            f"the period, {scan.figures.later_entries} after it; the total in "
            f"{stmt.document['base_currency']} at the published rates too"
        )
    report.facts.update(period=stmt.period.as_json(), size=signed.size, origin=signed.origin,
                        root=b64(signed.root))
    return Verified(stmt, signed, scan, problems)


# -- what was signed --------------------------------------------------------------------------


def _check_signed(stmt: Statement, vkey: str, report: Report, witnesses: Sequence[str]
                  ) -> tuple[Checkpoint, list[Problem]]:
    """The checkpoint's signature and origin, the leaves against its root, and the previous
    checkpoint. A bad signature is a problem, and the checkpoint is still read."""
    doc = stmt.document
    problems: list[Problem] = []
    try:
        signed = check_checkpoint(doc["checkpoint"], vkey, report, witnesses=witnesses)
    except DocumentError:
        raise
    except VerificationError as error:
        problems.append(Problem("signature", error.reason))
        signed = checkpoints.parse(doc["checkpoint"])  # still locate what we can
    if signed.origin != doc["origin"]:
        problems.append(Problem("signature", f"the statement says it is from log "
                                f"{doc['origin']!r}, its checkpoint says {signed.origin!r}"))
    leaf_problems = _check_leaves_against_root(stmt, signed)
    problems += leaf_problems
    if not leaf_problems:
        report.passed(f"the {signed.size} leaves (leaf_hashes too) hash to the root the "
                      "checkpoint signs: none was changed, added, removed or reordered")
    problems += _check_previous_checkpoint(doc, signed, vkey, report, witnesses)
    return signed, problems


def _root_of(hashes: bytes) -> bytes:
    builder = RootBuilder()
    builder.grow(hashes)
    return builder.root()


def _check_leaves_against_root(stmt: Statement, signed: Checkpoint) -> list[Problem]:
    """The leaves must be exactly the signed tree; if not, name the leaves that differ,
    using the statement's leaf hash list once it is shown to produce the signed root."""
    data_hashes = hash_leaves(stmt.leaves)
    if len(stmt.leaves) == signed.size and _root_of(data_hashes) == signed.root:
        if b"".join(stmt.leaf_hashes) != data_hashes:
            return [Problem("leaf", "the leaves are exactly the signed tree, but the "
                            "statement's leaf_hashes list does not match them")]
        return []
    reference = b"".join(stmt.leaf_hashes)
    if len(stmt.leaf_hashes) == signed.size and _root_of(reference) == signed.root:
        found = [data_hashes[i : i + HASH_SIZE] for i in range(0, len(data_hashes), HASH_SIZE)]
        problems = align(stmt.leaf_hashes, found, "the signed log")
        if problems:
            return problems
    return [Problem(
        "leaf", f"the {len(stmt.leaves)} leaves hash to root {b64(_root_of(data_hashes))}, but "
        f"the checkpoint signs {signed.size} leaves with root {b64(signed.root)}: a leaf was "
        "changed, added, removed or reordered (the leaf_hashes list was altered too, so which "
        "one cannot be told)")]



def _check_previous_checkpoint(doc: Mapping[str, Any], signed: Checkpoint, vkey: str,
                               report: Report, witnesses: Sequence[str]) -> list[Problem]:
    if "previous_checkpoint" not in doc:
        report.note("the statement has no previous checkpoint: it is the first one")
        return []
    text = doc["previous_checkpoint"]
    if not isinstance(text, str):
        raise DocumentError("'previous_checkpoint' must be a string")
    try:
        previous = check_checkpoint(text, vkey, report, "previous checkpoint", witnesses)
    except DocumentError:
        raise
    except VerificationError as error:
        return [Problem("signature", error.reason)]
    proof = decode_proof(doc.get("consistency_proof"), "consistency proof")
    try:
        verify_consistency(previous.size, signed.size, previous.root, signed.root, proof)
    except VerificationError as error:
        return [Problem("consistency", "the consistency proof from the previous checkpoint "
                        f"does not verify: {error.reason}")]
    report.passed(f"the tree of {signed.size} leaves contains the previous statement's tree of "
                  f"{previous.size} leaves unchanged (consistency proof of {len(proof)} hashes)")
    return []



# -- the figures ------------------------------------------------------------------------------


def _check_figures(stmt: Statement, scan: LeafScan) -> list[Problem]:
    """Every published figure against the one recomputed from the leaves; the closing
    balances in the base currency; the expenses per case."""
    doc = stmt.document
    computed = scan.figures.as_json(stmt.places)
    figure_problems = compare_figures(doc.get("figures"), computed)
    base = doc["base_currency"]
    in_base = closing_in_base(
        computed["closing_balances"], doc.get("rates", []), base, stmt.places  # type: ignore[arg-type]
    )
    if doc.get("closing_in_base") != in_base:
        figure_problems.append(Problem(
            "figure", f"figure closing_in_base: the closing balances at the published rates "
            f"give {json.dumps(in_base, ensure_ascii=False)}, the statement says "
            f"{json.dumps(doc.get('closing_in_base'), ensure_ascii=False)}",
            figure="closing_in_base", expected=json.dumps(in_base),
            found=json.dumps(doc.get("closing_in_base"))))
    return figure_problems + check_case_expenses(stmt)


# -- against the previous statement -----------------------------------------------------------


def compare_with_previous(new: Verified, old: Verified, report: Report) -> list[Problem]:
    """History only appended, the old figures unchanged, the periods joined up."""
    return [
        *_check_previous_named(new, old),
        *_check_history(new, old, report),
        *_check_closed_period(new, old, report),
        *_check_periods_join(new, old, report),
    ]


def _check_previous_named(new: Verified, old: Verified) -> list[Problem]:
    """The new statement's previous checkpoint is the old statement's checkpoint."""
    old_cp = old.checkpoint
    previous_text = new.statement.document.get("previous_checkpoint")
    if not isinstance(previous_text, str):
        return [Problem("previous", "the new statement names no previous checkpoint, "
                        "though an older statement exists")]
    previous = checkpoints.parse(previous_text)
    if (previous.size, previous.root) != (old_cp.size, old_cp.root):
        return [Problem(
            "previous", f"the new statement's previous checkpoint ({previous.size} leaves) "
            f"is not the old statement's checkpoint ({old_cp.size} leaves)")]
    return []


def _check_history(new: Verified, old: Verified, report: Report) -> list[Problem]:
    """The first leaves of the new statement are the old statement's, byte for byte."""
    old_cp = old.checkpoint
    old_hashes = old.statement.leaf_hashes or []
    new_data = hash_leaves(new.statement.leaves[: len(old.statement.leaves)])
    found = [new_data[i : i + HASH_SIZE] for i in range(0, len(new_data), HASH_SIZE)]
    reference = [h for h in (old_hashes if len(old_hashes) == old_cp.size else [])]
    if not reference:
        reference_bytes = hash_leaves(old.statement.leaves)
        reference = [reference_bytes[i : i + HASH_SIZE]
                     for i in range(0, len(reference_bytes), HASH_SIZE)]
    history = align(reference, found, "the previous statement")
    if not history:
        report.passed(f"the first {old_cp.size} leaves are exactly the previous statement's")
    return [Problem(p.what, p.message + " (history was rewritten)", leaf=p.leaf)
            for p in history]


def _check_closed_period(new: Verified, old: Verified, report: Report) -> list[Problem]:
    """The old period is closed: recomputed from the new leaves its figures must not move."""
    rescan = scan_leaves(new.statement.leaves, old.statement.period, new.statement.accounts,
                         new.statement.places)
    computed = rescan.figures.as_json(new.statement.places)
    computed["later_entries"] = old.scan.figures.later_entries  # grows, as it should
    moved = compare_figures(old.statement.document.get("figures"), computed,
                            f"previous statement's ({old.statement.period.label}) figure")
    if not moved:
        report.passed(f"the figures of the closed period {old.statement.period.label} are "
                      "unchanged when recomputed from the new leaves")
    return [Problem(p.what, p.message + ": an entry was added to or removed from a "
                    "closed period", figure=p.figure, expected=p.expected, found=p.found)
            for p in moved if p.figure != "later_entries"]


def _check_periods_join(new: Verified, old: Verified, report: Report) -> list[Problem]:
    """When the new period starts the day after the old one ends, the opening balances are
    the old closing balances."""
    if new.statement.period.start != old.statement.period.end + datetime.timedelta(days=1):
        report.note(f"the periods {old.statement.period.label} and "
                    f"{new.statement.period.label} do not join up")
        return []
    opening = new.scan.figures.as_json(new.statement.places)["opening_balances"]
    closing = old.scan.figures.as_json(old.statement.places)["closing_balances"]
    if opening != closing:
        return [Problem("previous", "the opening balances are not the previous "
                        "statement's closing balances")]
    report.passed("the opening balances are the previous statement's closing balances")
    return []
