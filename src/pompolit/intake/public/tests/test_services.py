"""The public intake's services: a report kept in quarantine with a private code, routed to a
town's hotline; the code's status; the operators' review."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.intake.models import (
    Channel,
    Detention,
    Quarantine,
    Report,
    ReportCode,
    Status,
)
from pompolit.intake.public import codes, services
from pompolit.intake.public.services import Refused
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import change_status, record_report
from pompolit.intake.testing import entry

pytestmark = pytest.mark.django_db


def test_a_public_report_waits_in_quarantine_linked_to_nothing(
    hotline: Any, spb_hotline: Any, unsealed_vault: Any, answers: Any
) -> None:
    submitted = services.submit_public_report(answers, channel=Channel.WEB_FORM)
    report = Report.objects.get(pk=submitted.report.pk)
    assert report.compartment == hotline
    assert report.quarantine == Quarantine.PENDING
    assert report.detention is None
    assert report.entered_by is None
    assert report.claims["name"]["surname"] == "Смирнова"
    assert report.reporter_contact == "+7 916 123-45-67, мама"
    assert AuditEntry.objects.filter(action="intake.public_report_received").count() == 1


def test_the_code_is_stored_only_as_its_hash(hotline: Any, unsealed_vault: Any,
                                              answers: Any) -> None:
    submitted = services.submit_public_report(answers, channel=Channel.WEB_FORM)
    assert len(submitted.code) == codes.LENGTH
    row = ReportCode.objects.get(report=submitted.report)
    assert row.code_hash == codes.code_hash(submitted.code)
    assert submitted.code not in row.code_hash


def test_the_report_lands_in_the_picked_towns_hotline(
    hotline: Any, spb_hotline: Any, unsealed_vault: Any
) -> None:
    assert services.open_cities() == ["Москва", "Санкт-Петербург"]
    submitted = services.submit_public_report(
        answered(city="Санкт-Петербург"), channel=Channel.TELEGRAM
    )
    assert submitted.report.compartment == spb_hotline


def test_answers_are_refused_field_by_field(hotline: Any, unsealed_vault: Any) -> None:
    with pytest.raises(Refused) as refused:
        services.submit_public_report(
            answered(surname="", given="", birth="тридцатое февраля", city="Казань",
                     reporter="police"),
            channel=Channel.WEB_FORM,
        )
    assert set(refused.value.errors) == {"surname", "birth", "city", "reporter"}
    assert not Report.objects.exists()


def test_no_hotline_open_is_said_plainly(db: Any, answers: Any) -> None:
    with pytest.raises(Refused):
        services.submit_public_report(answered(city=""), channel=Channel.WEB_FORM)


def test_status_follows_the_review_and_the_detention(
    hotline: Any, operator: Any, answers: Any
) -> None:
    submitted = services.submit_public_report(answers, channel=Channel.WEB_FORM)
    status = services.status_for_code(codes.grouped(submitted.code).lower())
    assert status is not None and status.state == "review"
    detention = services.accept_as_new(operator, submitted.report)
    change_status(operator, detention, Status.RELEASED)
    status = services.status_for_code(submitted.code)
    assert status is not None
    assert status.state == Status.RELEASED and status.label == "released without charge"


def test_an_unknown_or_mistyped_code_finds_nothing(hotline: Any, unsealed_vault: Any,
                                                    answers: Any) -> None:
    submitted = services.submit_public_report(answers, channel=Channel.WEB_FORM)
    assert services.status_for_code(codes.new_code()) is None
    assert services.status_for_code(submitted.code[:-1] + "0" if submitted.code[-1] != "0"
                                    else submitted.code[:-1] + "1") is None
    assert services.status_for_code("") is None


def test_accepting_opens_a_detention_from_what_the_report_said(
    hotline: Any, operator: Any, stations: Any, answers: Any
) -> None:
    report = services.submit_public_report(answers, channel=Channel.WEB_FORM).report
    detention = services.accept_as_new(operator, report)
    assert detention.detainee.display_name == "Смирнова Анна Сергеевна"
    assert detention.facility == stations["tverskoy"]
    assert detention.status == Status.AT_STATION
    assert detention.need_water and detention.need_charger and detention.devices_seized
    report.refresh_from_db()
    assert report.quarantine == Quarantine.ACCEPTED and report.detention == detention
    assert report.reviewed_by == operator


def test_linking_adds_the_report_to_a_known_detention(
    hotline: Any, operator: Any, stations: Any, answers: Any
) -> None:
    known = record_report(operator, hotline, entry(birth="2001"), reporter="lawyer").detention
    report = services.submit_public_report(answers, channel=Channel.WEB_FORM).report
    # "May be known" is the dedupe task's first step (run at once in tests), not the request's.
    report.refresh_from_db()
    assert report.possible_duplicate and report.proposed_detention == known
    matches = services.matches_for(report)
    assert [m.detention for m in matches] == [known]
    services.link_to_detention(operator, report, known)
    assert Detention.objects.count() == 1
    known.refresh_from_db()
    assert known.need_water and known.reports.count() == 2


def test_rejecting_keeps_the_reason_and_the_status_says_so(
    hotline: Any, operator: Any, answers: Any
) -> None:
    submitted = services.submit_public_report(answers, channel=Channel.WEB_FORM)
    services.reject(operator, submitted.report, "fake")
    status = services.status_for_code(submitted.code)
    assert status is not None and status.state == "rejected"
    with pytest.raises(ValidationError):
        services.accept_as_new(operator, submitted.report)
    with pytest.raises(ValidationError):
        services.reject(operator, submitted.report, "boring")


def test_only_the_hotlines_operators_review(
    hotline: Any, spb_operator: Any, answers: Any
) -> None:
    report = services.submit_public_report(answers, channel=Channel.WEB_FORM).report
    with pytest.raises(PermissionDenied):
        services.accept_as_new(spb_operator, report)
    with pytest.raises(PermissionDenied):
        services.reject(spb_operator, report, "spam")
