"""Dashboard, the coordinators' activity feed, the rules page, and notices at login."""

from django.contrib.messages import get_messages
from django.utils import timezone

from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, vouches_required
from pompolit.members.roles import Role
from pompolit.members.tests.conftest import totp_code


def test_dashboard_shows_roles_and_what_waits_for_me(client, founders, make_member, log_in):
    newcomer = make_member("Николай Морозов")
    request = approvals.request_approval(founders[0], "grant_role",
                                         {"member": newcomer.pk, "role": Role.AUDITOR})
    log_in(client, founders[1])

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert request in response.context["pending"]
    assert response.context["roles"] == [str(Role.COORDINATOR.label)]


def test_dashboard_does_not_offer_my_own_request_to_decide(client, founders, make_member,
                                                           log_in):
    newcomer = make_member("Николай Морозов")
    approvals.request_approval(founders[0], "grant_role",
                               {"member": newcomer.pk, "role": Role.AUDITOR})
    log_in(client, founders[0])
    assert client.get("/dashboard/").context["pending"] == []


def test_role_change_is_told_at_the_next_login_and_only_once(client, founders, make_member,
                                                              log_in, approved, time_machine):
    # Three logins need three different codes: hold the clock still so that the windows
    # "now", "next" and "previous" cannot shift under the test (a used code is refused).
    time_machine.move_to(timezone.now(), tick=False)
    member = make_member("Николай Морозов")
    log_in(client, member)
    list(get_messages(client.get("/dashboard/").wsgi_request))
    client.post("/accounts/logout/")
    approved("grant_role", {"member": member.pk, "role": Role.CASE_WORKER})

    response = log_in(client, member, code=totp_code(step=1))
    first = [str(m) for m in client.get(response["Location"]).context["messages"]]
    client.post("/accounts/logout/")
    log_in(client, member, code=totp_code(step=-1))
    second = [str(m) for m in client.get("/dashboard/").context["messages"]]

    assert any("case worker" in text for text in first)
    assert not any("case worker" in text for text in second)


def test_coordinators_see_approval_gated_changes_in_the_activity_feed(
    client, founders, make_member, compartment, approved, log_in
):
    member = make_member("Николай Морозов")
    approved("grant_role", {"member": member.pk, "role": Role.COORDINATOR})
    approved("grant_compartment", {"member": member.pk, "compartment": compartment.pk})
    log_in(client, founders[1])

    response = client.get("/activity/")

    actions = [entry.action for entry in response.context["entries"]]
    assert actions.count("approval.executed") >= 2
    descriptions = " ".join(e.description for e in response.context["entries"])
    assert "coordinator" in descriptions
    assert compartment.name in descriptions


def test_activity_feed_is_for_coordinators_only(client, make_member, log_in):
    log_in(client, make_member("Михаил Фроленко", Role.AUDITOR))
    assert client.get("/activity/").status_code == 403


def test_rules_page_asks_for_approval_to_change_the_threshold(client, founders, log_in):
    log_in(client, founders[0])
    assert client.get("/rules/").context["needed"] == 2

    response = client.post("/rules/", {"vouches_required": 3, "reason": "больше доверия"})

    request = ApprovalRequest.objects.get(action="set_vouches_required")
    assert response["Location"] == f"/approvals/{request.pk}/"
    assert vouches_required() == 2


def test_rules_page_keeps_input_and_shows_errors(client, founders, log_in):
    log_in(client, founders[0])
    response = client.post("/rules/", {"vouches_required": 1, "reason": "меньше"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "меньше" in response.content.decode()
    assert not ApprovalRequest.objects.filter(action="set_vouches_required").exists()
