"""The review queue, decisions, merge and undo pages, and the as-you-type endpoint."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.cases.duplicates import services
from pompolit.cases.duplicates.models import DuplicateDecision, PersonMerge
from pompolit.cases.models import Case, Person
from pompolit.cases.public import consent
from pompolit.cases.testing import P
from pompolit.members.models import ApprovalRequest, Compartment, Member


def sudo_client(member: Member, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(member)
    client.cookies["django_language"] = language
    session = client.session  # sudo mode, as after a fresh re-authentication
    session["account_authentication_methods_user"] = str(member.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    return client


@pytest.fixture
def pair(open_case: Callable[..., Case], founders: Any) -> tuple[Case, Case]:
    first = open_case("Колесникова", "Мария", "Александровна", birth_date=P("1982-04-24"))
    second = open_case("Kalesnikava", "Maryia", birth_date=P("1982-04-24"))
    services.run_scan(founders[0])
    return first, second


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_queue_lists_the_pair_with_its_evidence(
    pair: tuple[Case, Case], founders: Any, language: str
) -> None:
    response = sudo_client(founders[0], language).get(reverse("cases:duplicate_queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Колесникова Мария Александровна" in body and "Kalesnikava Maryia" in body
    # The birth date as the page writes dates, in the cards and the evidence alike.
    assert {"en": "24 Apr 1982", "ru": "24.04.1982"}[language] in body
    assert "1982-04-24" not in body
    assert reverse("cases:duplicate_merge", args=[pair[0].person_id, pair[1].person_id]) in body


def test_a_case_worker_is_refused_the_queue_and_the_merge(
    pair: tuple[Case, Case], worker: Member, client_for: Callable[..., Client]
) -> None:
    client = client_for(worker)
    assert client.get(reverse("cases:duplicate_queue")).status_code == 403
    assert (
        client.post(
            reverse("cases:duplicate_decide"),
            {"first": pair[0].person_id, "second": pair[1].person_id, "verdict": "same"},
        ).status_code
        == 403
    )
    merge_url = reverse("cases:duplicate_merge", args=[pair[0].person_id, pair[1].person_id])
    assert sudo_client(worker).post(merge_url, {"survivor": pair[0].person_id}).status_code == 403
    assert Person.objects.filter(pk=pair[1].person_id).exists()


def test_deciding_not_the_same_takes_the_pair_off_the_queue(
    pair: tuple[Case, Case], founders: Any
) -> None:
    client = sudo_client(founders[0])
    response = client.post(
        reverse("cases:duplicate_decide"),
        {"first": pair[1].person_id, "second": pair[0].person_id, "verdict": "different"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kalesnikava Maryia" not in response.content.decode()
    assert DuplicateDecision.objects.get().verdict == "different"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_merge_then_undo_through_the_pages(
    pair: tuple[Case, Case], founders: Any, language: str
) -> None:
    client = sudo_client(founders[0], language)
    first, second = pair
    merge_url = reverse("cases:duplicate_merge", args=[first.person_id, second.person_id])
    assert client.get(merge_url).status_code == 200
    response = client.post(merge_url, {"survivor": first.person_id})
    done = PersonMerge.objects.get()
    assert response["Location"] == reverse("cases:merge_detail", args=[done.pk])
    assert not Person.objects.filter(pk=second.person_id).exists()
    assert client.get(response["Location"]).status_code == 200
    response = client.post(reverse("cases:merge_undo", args=[done.pk]))
    assert response.status_code == 302
    assert Case.objects.get(pk=second.pk).person_id == second.person_id
    done.refresh_from_db()
    assert done.undone_at is not None


def test_merging_needs_a_fresh_password(
    pair: tuple[Case, Case], founders: Any, client_for: Callable[..., Client]
) -> None:
    merge_url = reverse("cases:duplicate_merge", args=[pair[0].person_id, pair[1].person_id])
    response = client_for(founders[0]).post(merge_url, {"survivor": pair[0].person_id})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not PersonMerge.objects.exists()


def test_a_cross_compartment_merge_becomes_a_request(
    open_case: Callable[..., Case], founders: Any, outsider: Member, moscow: Compartment
) -> None:
    here = open_case("Бялацкі", "Алесь", birth_date=P("1962-09-25"))
    there = open_case("Bialiatski", "Ales", birth_date=P("1962"), who=outsider, where=moscow)
    client = sudo_client(founders[0])
    url = reverse("cases:duplicate_merge", args=[here.person_id, there.person_id])
    assert "second coordinator" in client.get(url).content.decode()
    response = client.post(url, {"survivor": here.person_id, "reason": ""})
    assert response.status_code == 200  # the reason is needed
    response = client.post(url, {"survivor": here.person_id, "reason": "один человек"})
    asked = ApprovalRequest.objects.get(action="cases.merge_people")
    assert response["Location"] == reverse("approval_detail", args=[asked.pk])
    assert Person.objects.filter(pk=there.person_id).exists()


def test_possible_matches_partial_lists_mine_and_only_tells_of_others(
    open_case: Callable[..., Case],
    worker: Member,
    outsider: Member,
    moscow: Compartment,
    client_for: Callable[..., Client],
) -> None:
    mine = open_case("Соколова", "Мария", "Андреевна", birth_date=P("1987-04-12"))
    open_case("Гусейнов", "Руслан", birth_date=P("1991"), who=outsider, where=moscow)
    url = reverse("cases:possible_matches")
    body = (
        client_for(worker)
        .post(url, {"name": "Sokolova Maria", "birth_date": "12.04.1987"})
        .content.decode()
    )
    assert "Соколова Мария Андреевна" in body
    assert reverse("case_detail", args=[mine.compartment.slug, mine.pk]) in body
    assert "another compartment" not in body
    body = (
        client_for(worker)
        .post(url, {"surname": "Guseynov", "given": "Ruslan", "birth_date": "1991"})
        .content.decode()
    )
    assert "A possible match exists in another compartment — ask a coordinator." in body
    assert "Гусейнов" not in body and "moscow" not in body.casefold()
    # A birth date still being typed is no error.
    assert (
        client_for(worker).post(url, {"name": "Sokolova", "birth_date": "12.0"}).status_code == 200
    )


def test_the_public_id_of_a_merged_person_redirects(
    pair: tuple[Case, Case], founders: Any, worker: Member
) -> None:
    from pompolit.members import approvals

    first, second = pair
    for case in (first, second):
        consent.give(
            worker, case, given_by="prisoner", given_on=datetime.date(2023, 1, 1), scope=["name"]
        )
    client = sudo_client(founders[0])
    client.post(
        reverse("cases:duplicate_merge", args=[first.person_id, second.person_id]),
        {"survivor": first.person_id, "reason": "одно лицо"},
    )
    asked = ApprovalRequest.objects.get(action="cases.merge_people")
    approvals.approve(asked.pk, founders[1], seen_digest=asked.payload_digest)
    response = Client().get(reverse("public_case", args=[second.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public_case", args=[first.public_id])


def test_the_coordinators_dashboard_counts_the_pairs_to_review(
    pair: tuple[Case, Case], founders: Any, worker: Member, client_for: Callable[..., Client]
) -> None:
    body = client_for(founders[0]).get(reverse("dashboard")).content.decode()
    assert reverse("cases:duplicate_queue") in body
    assert (
        reverse("cases:duplicate_queue")
        not in client_for(worker).get(reverse("dashboard")).content.decode()
    )
