"""`pompolit ledger rates-import FILE [--dry-run]`."""

import pytest
from django.core.management import CommandError, call_command

from pompolit.ledger.models import ExchangeRate
from pompolit.ledger.rates.tests.test_rates_import import GOOD


def test_dry_run_then_import_then_again(tmp_path, capsys, db):
    path = tmp_path / "курсы.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    call_command("ledger", "rates-import", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "line     2: new     2025-03-14 1 EUR = 98.4512 RUB" in out
    assert "dry run: 5 rate(s) would be entered" in out
    assert not ExchangeRate.objects.exists()
    call_command("ledger", "rates-import", str(path))
    assert "5 rate(s) entered, 0 already in the books." in capsys.readouterr().out
    call_command("ledger", "rates-import", str(path))
    assert "0 rate(s) entered, 5 already in the books." in capsys.readouterr().out
    assert ExchangeRate.objects.count() == 5


def test_errors_fail_the_command_and_enter_nothing(tmp_path, capsys, db):
    path = tmp_path / "rates.csv"
    path.write_text(GOOD + "2025-03-16;EUR;0;RUB;cbr.ru\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 error"):
        call_command("ledger", "rates-import", str(path))
    assert "line 7, column «rate»: expected a number more than zero" in capsys.readouterr().err
    assert not ExchangeRate.objects.exists()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("ledger", "rates-import", str(tmp_path / "missing.csv"))
