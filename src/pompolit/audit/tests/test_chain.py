"""The chain verifier as a pure function over rows: every kind of tampering, at its position."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.audit import chain
from pompolit.audit.chain import GENESIS, Head, Kind

START = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
PEOPLE = ["Вера Фигнер", "Софья Перовская", "Андрей Желябов", "", "Гольденберг"]
ACTIONS = ["login", "login.failed", "read.sensitive", "member.vouched", "approval.approved"]


def seal(row: dict[str, Any]) -> dict[str, Any]:
    row["details_digest"] = chain.digest(row["details"])
    row["entry_hash"] = chain.row_hash(row)
    return row


def make_chain(length: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    prev = GENESIS
    for seq in range(1, length + 1):
        row = seal({
            "seq": seq,
            # Every third entry falls on a whole second: isoformat() would drop its microseconds.
            "at": START + timedelta(seconds=seq, microseconds=0 if seq % 3 == 0 else seq * 7919),
            "actor_id": None if seq % 4 == 0 else seq % 3 + 1,
            "actor_label": PEOPLE[seq % len(PEOPLE)],
            "action": ACTIONS[seq % len(ACTIONS)],
            "object_type": "members.member" if seq % 2 else "",
            "object_id": str(seq * 3) if seq % 2 else "",
            "client": f"10.0.0.{seq}",
            "details": {"n": seq, "note": "передача в СИЗО-1", "list": [seq, "₽"]},
            "sensitive_read": seq % 5 == 0,
            "prev_hash": prev,
        })
        rows.append(row)
        prev = row["entry_hash"]
    return rows


def renumber_from(rows: list[dict[str, Any]], index: int) -> None:
    """What an insider who knows the algorithm does: recompute every hash after a change."""
    prev = rows[index - 1]["entry_hash"] if index else GENESIS
    for seq, row in enumerate(rows[index:], start=index + 1):
        row["seq"], row["prev_hash"] = seq, prev
        seal(row)
        prev = row["entry_hash"]


def test_an_intact_chain_verifies_and_names_its_head():
    rows = make_chain(12)
    result = chain.verify(rows)
    assert result.intact
    assert (result.count, result.head_seq, result.head_hash) == (12, 12, rows[-1]["entry_hash"])
    assert result.summary() == f"12 entries, chain intact, head #12 {rows[-1]['entry_hash']}"


def test_summary_groups_thousands():
    result = chain.Result(12345, 12345, "ab" * 32)
    assert result.summary().startswith("12,345 entries, chain intact, head #12345 ")


def test_an_empty_trail_is_intact():
    assert chain.verify([]).summary() == "0 entries, the trail is empty"


def test_the_verifier_reads_rows_lazily():
    rows = make_chain(5)
    consumed = []

    def stream():
        for row in rows:
            consumed.append(row["seq"])
            yield row

    rows[1]["details"] = {"n": 999}
    assert chain.verify(stream()).problem.position == 2
    assert consumed == [1, 2]  # stopped at the first break, nothing held beyond it


def test_timestamp_keeps_microseconds_and_normalises_the_zone():
    whole_second = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert chain.timestamp(whole_second) == "2026-01-01T12:00:00.000000+00:00"
    moscow = timezone(timedelta(hours=3))
    assert chain.timestamp(datetime(2026, 1, 1, 15, 0, 0, 5, tzinfo=moscow)) == (
        "2026-01-01T12:00:00.000005+00:00"
    )


def test_timestamp_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        chain.timestamp(datetime(2026, 1, 1))  # noqa: DTZ001


def test_the_same_instant_in_another_zone_hashes_the_same():
    row = make_chain(1)[0]
    moved = dict(row, at=row["at"].astimezone(timezone(timedelta(hours=5))))
    assert chain.row_hash(moved) == row["entry_hash"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_label", "Дегаев"),
        ("action", "approval.rejected"),
        ("client", "198.51.100.1"),
        ("sensitive_read", False),
        ("actor_id", 99),
        ("object_id", "1"),
    ],
)
def test_an_edited_field_is_named_at_its_entry(field, value):
    rows = make_chain(8)
    assert rows[4][field] != value
    rows[4][field] = value
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (5, Kind.EDITED)
    assert "hash mismatch at #5" in problem.message


def test_edited_details_are_caught_by_their_digest():
    rows = make_chain(8)
    rows[6]["details"]["note"] = "ничего не передавали"
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (7, Kind.EDITED)
    assert "details" in problem.message


def test_a_deleted_entry_is_named():
    rows = make_chain(8)
    del rows[3]
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (4, Kind.DELETED)
    assert problem.message == "entry #4 is missing: the chain jumps from #3 to #5"


def test_several_deleted_entries_are_named_as_a_range():
    rows = make_chain(8)
    del rows[0:3]
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (1, Kind.DELETED)
    assert "#1 to #3" in problem.message


def test_swapped_entries_are_reordered():
    rows = make_chain(8)
    rows[2]["seq"], rows[3]["seq"] = 4, 3
    rows[2], rows[3] = rows[3], rows[2]
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (3, Kind.REORDERED)
    assert "prev hash mismatch" in problem.message


def test_entries_moved_and_rehashed_are_reordered_at_the_move():
    rows = make_chain(8)
    rows[2], rows[3] = rows[3], rows[2]
    for seq, row in enumerate(rows, start=1):
        row["seq"] = seq
        seal(row)  # each row's own hash is right again; only the links betray the move
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (3, Kind.REORDERED)


def test_an_entry_repeated_out_of_order_is_reordered():
    rows = make_chain(5)
    rows.insert(3, dict(rows[1]))
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (4, Kind.REORDERED)


def test_a_deletion_hidden_by_renumbering_breaks_the_link():
    rows = make_chain(8)
    del rows[4]
    for seq, row in enumerate(rows[4:], start=5):
        row["seq"] = seq
        seal(row)
    problem = chain.verify(rows).problem
    assert (problem.position, problem.kind) == (5, Kind.REORDERED)
    assert "removed and the rest renumbered" in problem.message


def test_truncation_is_invisible_without_a_head_and_named_with_one():
    rows = make_chain(10)
    head = Head(10, rows[-1]["entry_hash"])
    truncated = rows[:7]
    assert chain.verify(truncated).intact  # the honest limit of a hash chain alone
    problem = chain.verify(truncated, head).problem
    assert (problem.position, problem.kind) == (8, Kind.TRUNCATED)
    assert "ends at #7" in problem.message and "head is #10" in problem.message


def test_a_rewritten_chain_verifies_alone_but_not_against_the_head():
    rows = make_chain(10)
    head = Head(6, rows[5]["entry_hash"])
    rows[2]["details"] = {"n": 3, "note": "подчищено"}
    renumber_from(rows, 2)
    assert chain.verify(rows).intact
    problem = chain.verify(rows, head).problem
    assert (problem.position, problem.kind) == (6, Kind.REWRITTEN)


def test_a_chain_that_grew_after_the_head_verifies_against_it():
    rows = make_chain(10)
    assert chain.verify(rows, Head(4, rows[3]["entry_hash"])).intact


# -- property: any single change anywhere is found exactly where it was made ---------------


def _changed(field: str, value: Any, data: st.DataObject) -> Any:
    if field == "at":
        return value + timedelta(microseconds=data.draw(st.integers(1, 10**9)))
    if field == "details":
        return {**value, data.draw(st.text(min_size=1, max_size=5)) + "!": data.draw(st.integers())}
    if isinstance(value, bool):
        return not value
    if field == "actor_id":
        return data.draw(st.one_of(st.none(), st.integers(0, 10**6)).filter(lambda v: v != value))
    if isinstance(value, int):
        return data.draw(st.integers(0, 10**6).filter(lambda v: v != value))
    if field in ("details_digest", "prev_hash", "entry_hash"):
        return data.draw(st.text("0123456789abcdef", min_size=64, max_size=64).filter(
            lambda v: v != value
        ))
    return data.draw(st.text(max_size=20).filter(lambda v: v != value))


FIELDS = [*chain.HASHED_FIELDS, "details", "entry_hash"]


@settings(max_examples=300, deadline=None)
@given(length=st.integers(1, 25), data=st.data())
def test_any_single_field_change_is_detected_at_exactly_that_position(length, data):
    rows = make_chain(length)
    index = data.draw(st.integers(0, length - 1), label="index")
    field = data.draw(st.sampled_from(FIELDS), label="field")
    rows[index][field] = _changed(field, rows[index][field], data)
    result = chain.verify(rows)
    assert result.problem is not None
    assert result.problem.position == index + 1
    assert result.count == index


@settings(max_examples=100, deadline=None)
@given(length=st.integers(2, 25), data=st.data())
def test_any_single_deletion_is_detected_except_of_the_last_entry(length, data):
    rows = make_chain(length)
    index = data.draw(st.integers(0, length - 1), label="index")
    head = Head(length, rows[-1]["entry_hash"])
    del rows[index]
    if index == length - 1:
        assert chain.verify(rows).intact
        assert chain.verify(rows, head).problem.kind == Kind.TRUNCATED
    else:
        problem = chain.verify(rows).problem
        assert (problem.position, problem.kind) == (index + 1, Kind.DELETED)
