"""Flags for the moderator: only the facility's topics, only whole-word starts."""

from __future__ import annotations

from pompolit.letters.topics import flags_for


def test_only_the_facilitys_topics_are_flagged() -> None:
    text = "Желаю, чтобы суд был честным, а война кончилась."
    assert flags_for(text, ["case", "war"]) == ["case", "war"]
    assert flags_for(text, ["war"]) == ["war"]
    assert flags_for(text, []) == []


def test_a_stem_inside_another_word_is_not_a_flag() -> None:
    assert flags_for("Помыла посуду и пошла гулять.", ["case"]) == []


def test_unknown_topics_are_ignored() -> None:
    assert flags_for("суд", ["nonsense"]) == []
