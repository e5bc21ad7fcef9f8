"""`pompolit <app> <verb>`: the one way our commands are written.

An app has one command named after it (`pompolit vault`, `pompolit cases`); each of its verbs
is a `Verb` — a name, a line of help, its own arguments and a handler — listed on an
`AppCommand`. The handler gets the command (for its stdout and stderr) and the parsed
options. An old command name stays for a release as an `alias` of a verb: same arguments,
same handler, and a line on stderr that names the new form.

`core` imports no app: apps hand their verbs in; `main_help` finds the commands through
Django's own registry.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

from django.core.management import load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

Options = dict[str, Any]
USAGE_ERROR = 2  # argparse's exit status for a command line it cannot use


@dataclass(frozen=True)
class Verb:
    name: str
    help: str  # one line: what `pompolit help` shows
    handle: Callable[[BaseCommand, Options], None]
    arguments: Callable[[CommandParser], None] | None = None


class AppCommand(BaseCommand):
    """`pompolit <name> <verb> …`: set `name`, `help` (one line) and `verbs`."""

    name: ClassVar[str]
    verbs: ClassVar[Sequence[Verb]] = ()
    # The verb run when none is given (`pompolit demo` builds everything); None: one is needed.
    default_verb: ClassVar[str | None] = None

    @classmethod
    def verb(cls, name: str) -> Verb:
        for verb in cls.verbs:
            if verb.name == name:
                return verb
        raise KeyError(name)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="verb", metavar="<verb>", title="verbs", required=self.default_verb is None,
            help=f"`{parser.prog} <verb> --help` for the verb's own options",
        )
        for verb in self.verbs:
            verb_parser = sub.add_parser(verb.name, help=verb.help,
                                         description=description(verb))
            if verb.arguments is not None:
                verb.arguments(verb_parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("verb") is None:
            if self.default_verb is None:
                raise CommandError(self.verb_list(f"`pompolit {self.name}` needs a verb."))
            verb = self.verb(self.default_verb)
            options = {**defaults_of(verb), **options}
        else:
            verb = self.verb(options["verb"])
        verb.handle(self, options)

    def run_from_argv(self, argv: list[str]) -> None:
        # argv: ["pompolit", name, verb, …]; an option first means argparse decides.
        given = argv[2] if len(argv) > 2 else None
        if self.default_verb is not None and (
            given is None or (given.startswith("-") and given not in ("-h", "--help"))
        ):
            argv = [*argv[:2], self.default_verb, *argv[2:]]
        elif given is None:
            self.usage_error(f"`pompolit {self.name}` needs a verb.")
        elif not given.startswith("-") and given not in {verb.name for verb in self.verbs}:
            self.usage_error(f"`pompolit {self.name}` has no verb {given!r}.")
        super().run_from_argv(argv)

    def usage_error(self, message: str) -> NoReturn:
        self.stderr.write(self.verb_list(message))
        sys.exit(USAGE_ERROR)

    def verb_list(self, message: str) -> str:
        lines = [message, f"The verbs of `pompolit {self.name}`:"]
        lines += verb_lines(self.name, self.verbs, indent="  ")
        lines.append(f"Details: pompolit {self.name} <verb> --help")
        return "\n".join(lines)


def description(verb: Verb) -> str:
    # `--help` of a verb: its line, then the handler's docstring where it has one.
    details = inspect.getdoc(verb.handle)
    return f"{verb.help[:1].upper()}{verb.help[1:]}." + (f" {details}" if details else "")


def defaults_of(verb: Verb) -> Options:
    parser = CommandParser(called_from_command_line=False)
    if verb.arguments is not None:
        verb.arguments(parser)
    return vars(parser.parse_args([]))


def alias(command: type[AppCommand], verb_name: str, *, old: str,
          notice: bool = True) -> type[BaseCommand]:
    """The command `pompolit <old>`, which runs `pompolit <command.name> <verb_name>`.

    With `notice` it says on stderr that the old name goes in the next release; without, it
    is a short form that stays (`pompolit unseal`)."""
    verb = command.verb(verb_name)
    new = f"{command.name} {verb.name}"

    class Alias(BaseCommand):
        help = (f"The short form of `pompolit {new}`: {verb.help}" if not notice
                else f"The old name of `pompolit {new}` (goes in the next release): {verb.help}")
        forwards_to = new
        announces = notice

        def add_arguments(self, parser: CommandParser) -> None:
            if verb.arguments is not None:
                verb.arguments(parser)

        def handle(self, *args: Any, **options: Any) -> None:
            if notice:
                self.stderr.write(
                    f"`pompolit {old}` is now `pompolit {new}`; the old name goes in the next "
                    "release.", style_func=self.style.WARNING,
                )
            verb.handle(self, options)

    Alias.__name__ = Alias.__qualname__ = "Command"
    return Alias


def verb_lines(name: str, verbs: Sequence[Verb], indent: str, width: int = 0) -> list[str]:
    width = max([width, *(len(f"pompolit {name} {verb.name}") for verb in verbs)])
    return [f"{indent}{f'pompolit {name} {verb.name}':<{width}}  {verb.help}" for verb in verbs]


def first_line(text: str) -> str:
    # The help of a command without verbs, to its first stop: ". ", " — " or ": ".
    sentence = re.split(r"\. | — |: ", " ".join(text.split()))[0].rstrip(".")
    return sentence[:1].lower() + sentence[1:]


def main_help(commands: Mapping[str, str], ours: Callable[[str], bool]) -> str:
    """`pompolit help`: our commands by app, one line per verb; then Django's, by name.

    `commands` maps each command name to the module of its app (Django's `get_commands()`);
    `ours` says which of those apps are ours."""
    apps: dict[str, list[tuple[str, BaseCommand]]] = {}
    others: list[str] = []
    for name, app in sorted(commands.items()):
        if not ours(app):
            others.append(name)
            continue
        apps.setdefault(app.rsplit(".", 1)[-1], []).append((name, load_command_class(app, name)))
    lines = ["Usage: pompolit <app> <verb> [options]", ""]
    short_forms: list[str] = []
    for label, found in sorted(apps.items()):
        lines.append(label)
        rows: list[tuple[str, str]] = []
        for name, command in found:
            if isinstance(command, AppCommand):
                rows += [(f"pompolit {name} {verb.name}", verb.help) for verb in command.verbs]
            elif hasattr(command, "forwards_to"):
                if not getattr(command, "announces", True):
                    short_forms.append(f"`pompolit {name}` = `pompolit {command.forwards_to}`")
            else:
                rows.append((f"pompolit {name}", first_line(str(command.help))))
        width = max(len(left) for left, _ in rows) if rows else 0
        lines += [f"  {left:<{width}}  {right}" for left, right in rows]
        lines.append("")
    if short_forms:
        lines += ["Short forms that stay:", *(f"  {form}" for form in short_forms)]
    lines += [
        "Details of a verb: pompolit <app> <verb> --help (e.g. pompolit vault unseal --help).",
        "The old command names still work for one release (docs/deploy.md).",
    ]
    lines += ["", "Django's own commands (pompolit help <command> for details):"]
    lines += textwrap.wrap(", ".join(others), 79, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)
