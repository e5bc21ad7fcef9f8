"""The trail browser, entry pages, "verify now" and the signed-head download."""

import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from pompolit.transparency import checkpoint

from pompolit.audit import services
from pompolit.audit.models import AuditEntry
from pompolit.members.roles import Role


@pytest.fixture
def auditor(make_member):
    return make_member("Михаил Фроленко", Role.AUDITOR)


@pytest.fixture
def treasurer(make_member):
    return make_member("Анна Якимова", Role.TREASURER)


def client_for(member, *, sudo: bool = False) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(member)
    if sudo:
        # What allauth keeps after a fresh re-authentication ("sudo mode").
        session = client.session
        session["account_authentication_methods_user"] = str(member.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "reauthenticated": True}
        ]
        session.save()
    return client


def test_coordinator_and_auditor_see_the_trail_treasurer_does_not(founders, auditor, treasurer):
    for member in (founders[0], auditor):
        response = client_for(member).get("/audit/")
        assert response.status_code == 200
        assert "founded the group, as its first coordinator" in response.text
    assert client_for(treasurer).get("/audit/").status_code == 403


def test_filters(trail, founders, compartment):
    services.record_sensitive_read(founders[1], compartment, fields=["description"])
    client = client_for(founders[0])

    def seqs(**query):
        response = client.get("/audit/", query)
        assert response.status_code == 200
        return [e.seq for e in response.context["page"]]

    everything = seqs()
    assert everything == sorted(everything, reverse=True)
    assert {AuditEntry.objects.get(seq=s).action for s in seqs(action="login")} == {
        "login", "login.failed",
    }
    assert {AuditEntry.objects.get(seq=s).actor_label for s in seqs(member="вера фигнер")} == {
        "Вера Фигнер",
    }
    [read] = seqs(sensitive_only="on")
    assert AuditEntry.objects.get(seq=read).action == "read.sensitive"
    by_object = seqs(object_type="members.compartment", object_id=str(compartment.pk))
    assert read in by_object
    today = AuditEntry.objects.get(seq=read).at.astimezone().date().isoformat()
    assert seqs(date_from=today, date_to=today) == everything
    assert seqs(date_from="2020-01-01", date_to="2020-01-31") == []


def test_date_range_uses_the_sites_time_zone(founders, settings):
    # 23:30 in Moscow on 1 May is 20:30 UTC: it belongs to 1 May, not 2 May.
    with time_machine.travel(datetime(2026, 5, 1, 20, 30, tzinfo=UTC), tick=False):
        late = services.record("logout", actor=founders[0])
    client = client_for(founders[0])
    page = client.get("/audit/", {"date_from": "2026-05-01", "date_to": "2026-05-01"})
    assert [e.seq for e in page.context["page"]] == [late.seq]


def test_an_inverted_date_range_is_an_error_next_to_the_field(founders):
    response = client_for(founders[0]).get(
        "/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.text
    assert list(response.context["page"]) == []


def test_pagination_keeps_the_filters(founders):
    for n in range(60):
        services.record("login.failed", actor_label=f"Гость {n}")
    response = client_for(founders[0]).get("/audit/", {"action": "login.failed"})
    page = response.context["page"]
    assert page.paginator.count == 60 and len(page) == 50
    assert "?action=login.failed&amp;page=2" in response.text


def test_entry_detail_shows_hashes_and_details(trail, auditor):
    entry = AuditEntry.objects.get(action="invitation.created")
    response = client_for(auditor).get(f"/audit/entry/{entry.seq}/")
    assert response.status_code == 200
    for text in (entry.entry_hash, entry.prev_hash, entry.details_digest, "через Фигнер"):
        assert text in response.text
    assert response.context["hash_ok"] and response.context["digest_ok"]
    assert client_for(auditor).get("/audit/entry/99999/").status_code == 404


def test_entry_detail_says_when_an_entry_was_edited(trail, founders, tamper):
    tamper("UPDATE audit_auditentry SET client = %s WHERE seq = %s", ["1.2.3.4", 2])
    response = client_for(founders[0]).get("/audit/entry/2/")
    assert not response.context["hash_ok"]
    assert "does not recompute" in response.text


def test_verify_now_is_a_post_and_records_who_checked(trail, auditor):
    client = client_for(auditor)
    count = AuditEntry.objects.count()
    assert client.get("/audit/verify/").status_code == 405
    assert AuditEntry.objects.count() == count
    response = client.post("/audit/verify/", follow=True)
    assert "the chain is intact" in response.text
    checked = AuditEntry.objects.order_by("seq").last()
    assert (checked.action, checked.actor_label) == (services.VERIFIED, "Михаил Фроленко")
    assert checked.details["intact"] is True and checked.details["entries"] == count


def test_verify_now_shows_where_the_chain_broke(trail, founders, tamper):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    response = client_for(founders[0]).post("/audit/verify/", follow=True)
    assert "The chain is broken at entry #3 (deleted)" in response.text


def test_treasurer_cannot_verify_or_export(trail, treasurer, audit_key):
    client = client_for(treasurer, sudo=True)
    assert client.post("/audit/verify/").status_code == 403
    assert client.post("/audit/head/").status_code == 403


def test_export_needs_sudo_mode(trail, founders, audit_key):
    response = client_for(founders[0]).get("/audit/head/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.parametrize("who", ["coordinator", "auditor"])
def test_export_downloads_a_signed_head_and_records_it(who, trail, founders, auditor, audit_key):
    member = founders[0] if who == "coordinator" else auditor
    client = client_for(member, sudo=True)
    page = client.get("/audit/head/")
    assert page.status_code == 200 and audit_key.vkey in page.text
    head = AuditEntry.objects.order_by("seq").last()
    response = client.post("/audit/head/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="audit-head-{head.seq}.txt"'
    signed = checkpoint.verify(response.content.decode(), audit_key.vkey)
    assert (signed.size, signed.root.hex()) == (head.seq, head.entry_hash)
    exported = AuditEntry.objects.order_by("seq").last()
    assert (exported.action, exported.actor_id) == (services.HEAD_EXPORTED, member.pk)
    assert f"head #{head.seq}" in client.get("/audit/head/").text


def test_export_page_tells_the_operator_to_make_a_key(trail, founders, settings, tmp_path):
    settings.POMPOLIT_AUDIT_KEY_FILE = tmp_path / "none.key"
    client = client_for(founders[0], sudo=True)
    assert "pompolit audit keygen" in client.get("/audit/head/").text
    response = client.post("/audit/head/", follow=True)
    assert "pompolit audit keygen" in response.text
    assert not AuditEntry.objects.filter(action=services.HEAD_EXPORTED).exists()


@pytest.fixture
def bulk_alert(make_member, compartment, settings):
    settings.POMPOLIT_BULK_READ_LIMIT = 1
    reader = make_member("Сергей Дегаев", Role.CASE_WORKER)
    for _ in range(2):
        services.record_sensitive_read(reader, compartment, fields=["name"])
    return AuditEntry.objects.get(action=services.BULK_READ)


def test_open_alerts_are_shown_at_the_top_and_acknowledged(bulk_alert, founders, auditor):
    response = client_for(auditor).get("/audit/")
    assert "Сергей Дегаев read 2 sensitive records within an hour" in response.text
    assert f"/audit/alerts/{bulk_alert.seq}/acknowledge/" not in response.text  # auditors only look
    client = client_for(founders[0])
    assert f"/audit/alerts/{bulk_alert.seq}/acknowledge/" in client.get("/audit/").text
    response = client.post(
        f"/audit/alerts/{bulk_alert.seq}/acknowledge/", {"finding": "expected"}, follow=True
    )
    assert f"Alert #{bulk_alert.seq} acknowledged." in response.text
    assert "alerts-heading" not in client.get("/audit/").text  # no open alert any more
    assert client_for(auditor).post(f"/audit/alerts/{bulk_alert.seq}/acknowledge/").status_code \
        == 403
