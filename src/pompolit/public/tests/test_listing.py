"""The public list's search: filters only ever match what the consent publishes, names are
found in any script, sorting and pages."""

import datetime

import pytest

from pompolit.public.listing import Filters, choices, search


def names(page):
    return [p.name for p in page.profiles]


def test_only_published_cases_are_listed(published):
    assert names(search(Filters())) == ["Горинов Алексей", "Кара-Мурза Владимир",
                                        "Скочиленко Александра"]


@pytest.mark.parametrize("text", ["Горинов", "gorinov", "GORINOV", "Gorinow"])
def test_a_name_is_found_in_any_script(published, text):
    assert names(search(Filters(q=text))) == ["Горинов Алексей"]


def test_an_unpublished_case_is_not_found_by_its_name(published):
    assert names(search(Filters(q="Скрытый"))) == []


def test_the_region_filter_matches_only_a_published_facility(published):
    # Kara-Murza is held on Solovki but did not consent to the facility being shown.
    assert names(search(Filters(region="Архангельская губерния"))) == []
    assert names(search(Filters(region="Омская область"))) == ["Горинов Алексей"]
    assert names(search(Filters(facility="Бутырская тюрьма"))) == ["Скочиленко Александра"]


def test_sentence_length_counts_only_a_published_sentence(published):
    # Kara-Murza's 25 years are not published, Skochilenko's 7 are not either.
    assert names(search(Filters(sentence_min_years=6))) == ["Горинов Алексей"]
    assert names(search(Filters(sentence_max_years=5))) == []


def test_age_comes_only_from_a_published_birthday(published):
    today = datetime.date(2025, 6, 1)
    assert names(search(Filters(age_min=60, age_max=70), today=today)) == ["Горинов Алексей"]
    assert names(search(Filters(age_max=40), today=today)) == []


def test_can_receive_letters(published):
    assert names(search(Filters(letters=True))) == ["Горинов Алексей"]


def test_articles_and_interests(published):
    assert names(search(Filters(article="207.3"))) == ["Горинов Алексей"]
    assert names(search(Filters(article="275"))) == ["Кара-Мурза Владимир"]
    assert names(search(Filters(interest="Комиксы"))) == ["Скочиленко Александра"]


def test_sorting(published):
    assert names(search(Filters(sort="sentence")))[0] == "Горинов Алексей"
    assert names(search(Filters(sort="age")))[0] == "Горинов Алексей"  # the only known age
    assert names(search(Filters(sort="region")))[-1] == "Кара-Мурза Владимир"


def test_pages(published):
    first = search(Filters(), 1, page_size=2)
    second = search(Filters(), 2, page_size=2)
    assert (first.pages, first.total, len(first.profiles), len(second.profiles)) == (2, 3, 2, 1)
    assert search(Filters(), 99, page_size=2).number == 2


def test_the_filters_offer_only_published_values(published):
    offered = choices()
    assert offered.regions == ["Москва", "Омская область"]
    assert "Архангельская губерния" not in offered.regions
    assert offered.interests == ["история", "комиксы", "музыка", "шахматы"]
    assert [code for code, _ in offered.statuses] == ["sentenced"]


def test_the_rows_the_list_filters_on_agree_with_the_profiles(published, worker):
    """profiles.facets reads plain rows for speed; it must publish exactly what profile()
    publishes for every field a filter or a sort reads — here with every consent shape."""
    import dataclasses

    from django.utils import timezone

    from pompolit.cases.public.profiles import facets, profile, published_consents
    from pompolit.public.conftest import publish

    # A consent that ran out: not in the rows.
    today = timezone.localdate()
    publish(worker, published["hidden"], ["name", "facility"],
            expires_on=today - datetime.timedelta(days=1))
    consents = published_consents(today)
    full = {c.pk: profile(c.case, c, today) for c in consents}
    rows = dict(facets(consents, today, with_charges=True))
    assert set(rows) == {pk for pk, p in full.items() if p is not None}
    read = ["public_id", "name", "status_code", "charges", "sentence_months", "facility",
            "region", "city", "receives_letters", "age", "birth_month_day", "interests"]
    for pk, light in rows.items():
        assert {k: getattr(light, k) for k in read} == {
            k: getattr(full[pk], k) for k in read}, dataclasses.asdict(light)
    assert len(rows) == 3


def test_the_page_shown_is_the_page_counted(published):
    page = search(Filters(sort="age"), page=2, page_size=2)
    assert (page.number, page.pages, page.total) == (2, 2, 3)
    # Gorinov's age is published; the two others' are not: last, by name.
    assert names(search(Filters(sort="age"), page=1, page_size=2)) == [
        "Горинов Алексей", "Кара-Мурза Владимир"]
    assert names(page) == ["Скочиленко Александра"]
