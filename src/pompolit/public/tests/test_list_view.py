"""The public list page: no login, both languages, without script (a form) and with htmx,
names never in the address, hostile text escaped, the hooks for letters and donations."""

import pytest
from django.test import override_settings
from django.urls import reverse

from pompolit.cases import services
from pompolit.ledger.models import Fund
from pompolit.public.conftest import visitor


def test_the_list_shows_published_prisoners_only(published):
    page = visitor().get(reverse("public_case_list")).content.decode()
    assert "Горинов Алексей" in page and "Скочиленко Александра" in page
    assert "Скрытый" not in page
    assert "3 people found" in page
    assert "история, шахматы" in page and "УК РФ 207.3 ч. 2" in page


def test_in_russian(published):
    page = visitor("ru").get(reverse("public_case_list")).content.decode()
    assert "Политзаключённые" in page and "Найдено 3 человека" in page


def test_a_name_search_goes_by_post_and_is_found_in_latin(published):
    response = visitor().post(reverse("public_case_list"), {"q": "Skochilenko"})
    page = response.content.decode()
    assert "Скочиленко Александра" in page and "Горинов" not in page


def test_a_name_in_the_address_is_moved_out_of_it(published):
    response = visitor().get(reverse("public_case_list") + "?q=Горинов&letters=on")
    assert response.status_code == 302 and "q=" not in response["Location"]
    assert "letters=on" in response["Location"]


def test_filters_may_stay_in_the_address(published):
    page = visitor().get(reverse("public_case_list") + "?region=Москва").content.decode()
    assert "Скочиленко Александра" in page and "Горинов" not in page


def test_htmx_gets_the_same_page_and_swaps_the_results(published):
    response = visitor().post(reverse("public_case_list"), {"letters": "on"},
                              HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="results"' in page and "Горинов Алексей" in page and "Скочиленко" not in page


def test_a_wrong_range_says_which_field(published):
    page = visitor().post(reverse("public_case_list"),
                          {"age_min": "50", "age_max": "20"}).content.decode()
    assert "Enter a number not smaller than the “from” field." in page
    assert 'value="50"' in page  # what was typed is kept


def test_interests_are_escaped(worker, published):
    from pompolit.cases.public.consent import give
    give(worker, published["kara"], given_by="prisoner", given_on=published["kara"].opened_on,
         scope=["name", "interests"], interests="<script>alert(1)</script>")
    page = visitor().get(reverse("public_case_list")).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_letter_link_only_for_those_a_stranger_may_write_to(published):
    page = visitor().get(reverse("public_case_list")).content.decode()
    gorinov, others = published["gorinov"], ("skochilenko", "kara")
    # Gorinov's consent gives the address for letters; Skochilenko cannot receive letters;
    # Kara-Murza's consent does not publish the facility.
    assert f'href="{reverse("letter_write", kwargs={"public_id": gorinov.public_id})}"' in page
    for name in others:
        public_id = published[name].public_id
        assert reverse("letter_write", kwargs={"public_id": public_id}) not in page
    assert page.count("Write a letter") == 1


def test_the_profile_links_to_the_letter_page_when_letters_may_go(published):
    gorinov = published["gorinov"]
    page = visitor().get(reverse("public_case", kwargs={"public_id": gorinov.public_id}))
    assert reverse("letter_write", kwargs={"public_id": gorinov.public_id}) in page.content.decode()


@pytest.mark.django_db
def test_donate_links_name_the_case_fund(published, worker):
    gorinov = published["gorinov"]
    Fund.objects.create(code="case-gorinov", name="Горинову", kind="case",
                        case_ref=gorinov.public_id)
    with override_settings(POMPOLIT_PUBLIC_DONATE_URL="https://example.org/give"):
        page = visitor().get(reverse("public_case_list")).content.decode()
    assert 'href="https://example.org/give?fund=case-gorinov"' in page
    assert page.count('href="https://example.org/give"') == 2  # the others: the general page
    services.update_case(worker, gorinov, receives_letters=False)
    assert "Donate" not in visitor().get(reverse("public_case_list")).content.decode()
