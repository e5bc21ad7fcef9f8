"""Setting up bank imports (ledger/import_setup.py): rules changed and deactivated with the
audit trail keeping before and after; a mapping tried on a file before it is saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.core.digests import text_digest
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import import setup as import_setup
from pompolit.ledger.bank_import.models import ImportRule
from pompolit.ledger.bank_import.tests.test_bank_import import (  # noqa: F401
    SBER_HEADER,
    rules,
    sber_file,
    sberbank,
)
from pompolit.members.roles import Role


def _rule(name):
    return ImportRule.objects.get(name=name)


def test_a_rule_is_changed_and_the_trail_keeps_before_and_after(treasurer, rules, lawyers,  # noqa: F811
                                                                 appeal):
    rule = _rule("Пожертвования")
    import_setup.update_rule(treasurer, rule, name="Пожертвования на апелляцию",
                             outcome="donation", fund=lawyers, reference_contains=" апелляц ",
                             currency="EUR", campaign=appeal, priority=5, direction="in")
    rule.refresh_from_db()
    assert (rule.name, rule.fund, rule.currency_id, rule.priority) == (
        "Пожертвования на апелляцию", lawyers, "EUR", 5)
    assert rule.reference_contains == "апелляц"
    audit = AuditEntry.objects.get(action="ledger.import_rule_changed")
    assert audit.details["before"]["fund"] == "general"
    # Typed text (the name, the pattern) is kept as digests: changed or not, never the words.
    assert audit.details["after"] == {
        "name": text_digest("Пожертвования на апелляцию"), "priority": 5, "direction": "in",
        "reference_contains": text_digest("апелляц"), "currency": "EUR",
        "outcome": "donation", "fund": "lawyers", "campaign": "appeal-2025", "active": True}
    assert audit.details["before"]["name"] != audit.details["after"]["name"]
    assert "апелляц" not in audit.details_json and "Пожертвования" not in audit.details_json


def test_a_rule_that_cannot_work_is_refused_by_field(treasurer, rules):  # noqa: F811
    rule = _rule("Комиссии")
    with pytest.raises(ValidationError) as refused:
        import_setup.update_rule(treasurer, rule, name="x", outcome="fee", fund=None)
    assert refused.value.message_dict == {"fund": ["A donation or a fee needs its fund."]}
    with pytest.raises(ValidationError) as refused:
        import_setup.update_rule(treasurer, rule, name="x", outcome="fee", fund=rule.fund,
                                 direction="in")
    assert refused.value.message_dict == {"direction": ["Donations come in; fees go out."]}
    rule.refresh_from_db()
    assert rule.name == "Комиссии"
    assert not AuditEntry.objects.filter(action="ledger.import_rule_changed").exists()


def test_a_deactivated_rule_no_longer_matches(treasurer, rules, sberbank):  # noqa: F811
    rule = _rule("Комиссии")
    before = bank_import.preview(sber_file(), format="csv", mapping=sberbank)
    assert before.lines[2].decision.rule == rule
    import_setup.set_rule_active(treasurer, rule, False)
    after = bank_import.preview(sber_file(), format="csv", mapping=sberbank)
    assert after.lines[2].decision.outcome == ""
    assert AuditEntry.objects.filter(action="ledger.import_rule_deactivated",
                                     object_id=str(rule.pk)).exists()
    import_setup.set_rule_active(treasurer, rule, True)
    assert _rule("Комиссии").active


def test_only_a_treasurer_changes_rules_and_mappings(make_member, rules, sberbank):  # noqa: F811
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        import_setup.set_rule_active(auditor, _rule("Комиссии"), False)
    with pytest.raises(PermissionDenied):
        import_setup.set_mapping_active(auditor, sberbank, False)
    assert _rule("Комиссии").active


def test_a_deactivated_mapping_is_kept_and_audited(treasurer, sberbank):  # noqa: F811
    import_setup.set_mapping_active(treasurer, sberbank, False)
    sberbank.refresh_from_db()
    assert not sberbank.active
    assert AuditEntry.objects.filter(action="ledger.bank_mapping_deactivated").exists()


SBER_COLUMNS = bank_import.PRESETS["sberbank"]["columns"]


def test_trying_a_mapping_reads_every_line_and_names_the_rules(rules):  # noqa: F811
    trial = import_setup.try_mapping(sber_file(), encoding="cp1251", delimiter=";",
                                     columns=SBER_COLUMNS, currency="RUB")
    assert (trial.count, trial.incoming, trial.outgoing, trial.unmatched) == (4, 3, 1, 1)
    assert [t.decision.rule.name if t.decision.rule else None for t in trial.lines] == [
        "На адвокатов", "Пожертвования", "Комиссии", None]
    assert not ImportRule.objects.filter(active=False).exists()


def test_trying_a_mapping_names_what_does_not_fit():
    with pytest.raises(ValidationError) as refused:
        import_setup.try_mapping(sber_file(), encoding="cp1251", delimiter=";",
                                 columns={**SBER_COLUMNS, "date": "Дата операции"},
                                 currency="RUB")
    assert "The file has no column «Дата операции»" in refused.value.messages[0]
    bad = sber_file(["14.03.2025;1;X;4;;1 500,00;ok", "32.03.2025;2;Y;5;;10,00;ok"])
    with pytest.raises(ValidationError) as refused:
        import_setup.try_mapping(bad, encoding="cp1251", delimiter=";", columns=SBER_COLUMNS,
                                 currency="RUB")
    assert refused.value.messages == [
        "line 5, column «Дата проводки»: expected a date like 31.12.2025 or 2025-12-31, "
        "found «32.03.2025»"]
    empty = (SBER_HEADER + "\n").encode("cp1251")
    with pytest.raises(ValidationError, match="no lines under it"):
        import_setup.try_mapping(empty, encoding="cp1251", delimiter=";", columns=SBER_COLUMNS,
                                 currency="RUB")
