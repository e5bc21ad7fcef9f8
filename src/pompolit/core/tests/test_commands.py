"""core.commands: one way to write `pompolit <app> <verb>`, its aliases and `pompolit help`."""

import io
import re
import sys

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit import cli
from pompolit.core.commands import AppCommand, Options, Verb, alias, main_help


def greet_arguments(parser: CommandParser) -> None:
    parser.add_argument("name")
    parser.add_argument("--loud", action="store_true", help="shout the greeting")


def greet(command: BaseCommand, options: Options) -> None:
    """Say hello to someone by name."""
    text = f"hello, {options['name']}"
    command.stdout.write(text.upper() if options["loud"] else text)


def count_arguments(parser: CommandParser) -> None:
    parser.add_argument("--to", type=int, default=3)


def count(command: BaseCommand, options: Options) -> None:
    command.stdout.write(" ".join(str(n) for n in range(1, options["to"] + 1)))


class Greeter(AppCommand):
    name = "greeter"
    help = "Greetings."
    requires_system_checks = []
    verbs = (
        Verb("greet", "say hello", greet, greet_arguments),
        Verb("count", "count to three", count, count_arguments),
    )


class Counter(Greeter):
    name = "counter"
    default_verb = "count"


def run(command: BaseCommand, *argv: str) -> None:
    command.run_from_argv(["pompolit", getattr(command, "name", "old-greet"), *argv])


def test_a_verb_runs_with_its_own_arguments():
    out = io.StringIO()
    call_command(Greeter(), "greet", "Вера", "--loud", stdout=out)
    assert out.getvalue() == "HELLO, ВЕРА\n"


def test_a_verb_runs_from_the_command_line(capsys):
    run(Greeter(), "count", "--to", "2")
    assert capsys.readouterr().out == "1 2\n"


def test_an_unknown_verb_exits_2_with_the_list_of_verbs(capsys):
    with pytest.raises(SystemExit) as exit:
        run(Greeter(), "wave")
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "`pompolit greeter` has no verb 'wave'." in err
    assert "pompolit greeter greet  say hello" in err
    assert "pompolit greeter count  count to three" in err
    assert "pompolit greeter <verb> --help" in err


def test_no_verb_exits_2_with_the_list_of_verbs(capsys):
    with pytest.raises(SystemExit) as exit:
        run(Greeter())
    assert exit.value.code == 2
    assert "needs a verb" in capsys.readouterr().err


def test_an_unknown_verb_from_code_is_a_command_error():
    with pytest.raises(CommandError, match="invalid choice: 'wave'"):
        call_command(Greeter(), "wave")


def test_help_of_a_verb_shows_its_line_its_docstring_and_its_options(capsys):
    with pytest.raises(SystemExit) as exit:
        run(Greeter(), "greet", "--help")
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert "usage: pompolit greeter greet" in out
    assert "Say hello. Say hello to someone by name." in out
    assert "--loud" in out and "shout the greeting" in out


def test_help_of_the_command_lists_its_verbs(capsys):
    with pytest.raises(SystemExit):
        run(Greeter(), "--help")
    out = capsys.readouterr().out
    assert "greet" in out and "say hello" in out and "count to three" in out


def test_the_default_verb_runs_without_one_with_its_defaults(capsys):
    out = io.StringIO()
    call_command(Counter(), stdout=out)
    assert out.getvalue() == "1 2 3\n"
    run(Counter(), "--to", "4")
    assert capsys.readouterr().out == "1 2 3 4\n"


def test_an_alias_takes_the_old_arguments_and_names_the_new_form():
    old = alias(Greeter, "greet", old="old-greet")()
    out, err = io.StringIO(), io.StringIO()
    call_command(old, "Соня", stdout=out, stderr=err)
    assert out.getvalue() == "hello, Соня\n"
    assert err.getvalue() == (
        "`pompolit old-greet` is now `pompolit greeter greet`; the old name goes in the next "
        "release.\n"
    )


def test_a_short_form_that_stays_says_nothing():
    short = alias(Greeter, "greet", old="hi", notice=False)()
    err = io.StringIO()
    call_command(short, "Соня", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


# Every old name, what it is now, and whether it says so (False: a short form that stays).
OLD_NAMES = [
    ("vault-init", "vault init", True),
    ("vault-status", "vault status", True),
    ("vault-encrypt-pending", "vault encrypt-pending", True),
    ("keyagent", "vault keyagent", True),
    ("cleanup", "vault cleanup", True),
    ("backup", "vault backup", True),
    ("restore", "vault restore", True),
    ("rotate", "vault rotate", True),
    ("unseal", "vault unseal", False),
    ("seal", "vault seal", False),
    ("cases_import", "cases import", True),
    ("cases_export", "cases export", True),
    ("demo_cases", "cases demo", True),
    ("publish", "ledger publish", True),
    ("demo_ledger", "ledger demo", True),
    ("demo_aid", "aid demo", True),
    ("demo_codes", "demo codes", True),
]


@pytest.mark.parametrize(("old", "new", "announces"), OLD_NAMES)
def test_every_old_name_forwards_to_its_verb(old, new, announces):
    command = load_command_class(get_commands()[old], old)
    assert command.forwards_to == new  # type: ignore[attr-defined]
    assert command.announces is announces  # type: ignore[attr-defined]
    app, verb = new.split()
    assert verb in {v.name for v in load_command_class(get_commands()[app], app).verbs}


def test_the_old_name_of_a_vault_verb_runs_it_with_the_notice(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("vault-status", stdout=out, stderr=err)
    assert out.getvalue() == "not set up\n"
    assert "`pompolit vault-status` is now `pompolit vault status`" in err.getvalue()
    out = io.StringIO()
    call_command("vault", "status", stdout=out, stderr=err)
    assert out.getvalue() == "not set up\n"


def project_help() -> str:
    return main_help(get_commands(), ours=lambda app: app.startswith("pompolit."))


def test_help_lists_our_commands_by_app_one_line_per_verb():
    text = project_help()
    vault = text.index("\nvault\n")
    assert text.index("\ncases\n") < text.index("\nledger\n") < vault
    assert "  pompolit vault unseal " in text[vault:]
    assert re.search(r"\n  pompolit cases import +import a list of prisoners", text)
    assert "  pompolit aid plan " in text and "  pompolit ledger publish " in text
    assert "  pompolit init " in text  # a command without verbs: its first sentence
    assert "pompolit <app> <verb> --help" in text
    for old, _new, announces in OLD_NAMES:
        assert (f"`pompolit {old}` = " in text) is not announces
        assert f"pompolit {old} " not in text


def test_help_lists_djangos_commands_after_ours_briefly():
    text = project_help()
    django = text.index("Django's own commands")
    assert text.index("pompolit vault init") < django
    assert "migrate" in text[django:] and "runserver" in text[django:]
    assert "pompolit migrate" not in text


def test_pompolit_help_prints_the_grouped_list(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["pompolit", "help"])
    cli.main()
    assert capsys.readouterr().out.startswith("Usage: pompolit <app> <verb> [options]")
