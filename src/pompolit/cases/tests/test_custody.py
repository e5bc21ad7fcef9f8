"""Custody consistency on its own: the story arrests, transfers, releases and deaths tell."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pompolit.cases.custody import Step, check_custody, derive_custody_fields
from pompolit.cases.partial import PartialDate


def P(text):
    return PartialDate.parse(text)


def arrest(date, facility=1, name="Лубянка"):
    return Step(P(date), "arrest", "Arrest", facility, name)


def transfer(date, facility, name):
    return Step(P(date), "transfer", "Transfer", facility, name)


def release(date):
    return Step(P(date), "release", "Release")


def death(date):
    return Step(P(date), "death", "Death")


def letter(date):
    return Step(P(date), "contact", "Letter received")


def test_transfers_keep_the_history_and_end_in_the_current_facility():
    custody = check_custody([
        transfer("1925", 3, "Оренбург"), arrest("1922-03"), transfer("1922-09-14", 2, "Соловки"),
    ])
    assert [(e.facility_label, str(e.start), str(e.end) if e.end else None)
            for e in custody.episodes] == [
        ("Лубянка", "1922-03", "1922-09-14"), ("Соловки", "1922-09-14", "1925"),
        ("Оренбург", "1925", None)]
    assert custody.current.facility_id == 3
    assert str(custody.in_custody_since) == "1922-03"


def test_a_release_before_the_arrest_is_refused_naming_both():
    with pytest.raises(ValidationError, match="Release on 15 Jan 1921: the person is not in "
                                              "custody then"):
        check_custody([arrest("1921-02-02"), release("1921-01-15")])


def test_an_arrest_while_held_elsewhere_is_two_facilities_at_once():
    with pytest.raises(ValidationError, match="already held in Лубянка since Mar 1922; nobody "
                                              "is in two facilities at once"):
        check_custody([arrest("1922-03"), arrest("1922-05", 2, "Бутырки")])


def test_nothing_happens_after_death_except_rehabilitation():
    with pytest.raises(ValidationError, match="Letter received on Feb 1939 is after the death "
                                              "on 2 Nov 1938"):
        check_custody([arrest("1937-08"), death("1938-11-02"), letter("1939-02")])
    rehabilitation = Step(P("1957-06-12"), "", "Rehabilitation", allowed_after_death=True)
    custody = check_custody([arrest("1937-08"), death("1938-11-02"), rehabilitation])
    assert str(custody.died) == "1938-11-02" and custody.current is None


def test_a_release_in_1921_may_follow_an_arrest_in_march_1921():
    custody = check_custody([release("1921"), arrest("1921-03")])
    assert custody.episodes[0].ended_by == "release"


def test_a_letter_from_the_year_of_death_is_read_as_written_before_it():
    custody = check_custody([arrest("1937-08"), death("1938"), letter("1938-05")])
    assert str(custody.last_contact) == "1938-05"


def test_arrested_again_after_release():
    custody = check_custody([arrest("1921-01-10"), release("1921"), arrest("1921-06-01", 2, "Б"),
                             release("1921-08")])
    assert [e.ended_by for e in custody.episodes] == ["release", "release"]


def test_a_transfer_with_no_arrest_is_refused():
    with pytest.raises(ValidationError, match="Transfer on 5 Jan 2022: the person is not in "
                                              "custody then — there is no arrest before it"):
        check_custody([transfer("2022-01-05", 4, "ИК-6")])


# -- generated timelines ----------------------------------------------------------------------


@st.composite
def consistent_timelines(draw):
    """A true story of custody, in days since 1 January 1920, shuffled."""
    day, steps, held = 0, [], False
    for _ in range(draw(st.integers(1, 12))):
        day += draw(st.integers(0, 400))
        date = PartialDate.from_date(datetime.date(1920, 1, 1) + datetime.timedelta(days=day))
        if held:
            kind = draw(st.sampled_from(["transfer", "release", "letter"]))
        else:
            kind = draw(st.sampled_from(["arrest", "letter"]))
        facility = draw(st.integers(1, 5))
        if kind in ("arrest", "transfer"):
            steps.append(Step(date, kind, kind.capitalize(), facility, str(facility)))
        else:
            effect = "contact" if kind == "letter" else kind
            steps.append(Step(date, effect, kind.capitalize()))
        held = (held or kind == "arrest") and kind != "release"
    return draw(st.permutations(steps)), held


def blur(step, precision):
    d = step.date
    date = PartialDate(d.year) if precision == "year" else PartialDate(d.year, d.month)
    return Step(date, step.effect, step.label, step.facility_id, step.facility_label)


@given(consistent_timelines())
def test_every_true_story_is_accepted_in_any_order(timeline):
    steps, held = timeline
    custody = check_custody(steps)
    assert (custody.current is not None) == held
    # Never two open episodes: each one but the last has ended.
    assert all(e.end is not None for e in custody.episodes[:-1])


@given(consistent_timelines(), st.sampled_from(["year", "month"]), st.data())
def test_a_true_story_stays_acceptable_when_one_date_is_known_less_exactly(timeline, precision,
                                                                            data):
    steps, _held = timeline
    index = data.draw(st.integers(0, len(steps) - 1))
    blurred = [*steps[:index], blur(steps[index], precision), *steps[index + 1:]]
    check_custody(blurred)


@given(consistent_timelines())
def test_moving_a_release_before_every_arrest_is_refused(timeline):
    steps, _held = timeline
    arrests = [s for s in steps if s.effect == "arrest"]
    if not arrests:
        return
    first = min(s.date.lower for s in arrests)
    # A year earlier, counted in days: 29 February has no twin in the year before.
    early = PartialDate.from_date(first - datetime.timedelta(days=366))
    with pytest.raises(ValidationError, match="not in custody then"):
        check_custody([*steps, Step(early, "release", "Release")])


def test_the_derived_fields_follow_a_release_and_a_death():
    """One rule for the services and the synthetic generator (derive_custody_fields)."""
    held = check_custody([arrest("1922-03"), transfer("1925", 3, "Оренбург"),
                          letter("1925-11-02")])
    fields = derive_custody_fields(held, status_watched=True)
    assert (fields.current_facility_id, fields.in_custody_since, fields.last_contact_on,
            fields.status) == (3, datetime.date(1922, 3, 1), datetime.date(1925, 11, 2), "")
    freed = check_custody([arrest("1922-03"), release("1923-05")])
    assert derive_custody_fields(freed, status_watched=True).status == "released"
    # A status not watched for signs of life (emigrated, say) is the case worker's call.
    assert derive_custody_fields(freed, status_watched=False).status == ""
    assert derive_custody_fields(freed, status_watched=False).current_facility_id is None
    dead = check_custody([arrest("1922-03"), death("1924")])
    assert derive_custody_fields(dead, status_watched=False).status == "deceased"
