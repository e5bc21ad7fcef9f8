"""`pompolit …`: Django's management commands under the project's own name.

`pompolit` alone, `pompolit help` and `pompolit --help` list our commands by app, one line per
verb (core.commands.main_help); `pompolit help <command>` is Django's own.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pompolit.settings.dev")
    from django.core.management import execute_from_command_line

    if sys.argv[1:] in ([], ["help"], ["-h"], ["--help"]):
        print_help()
        return
    execute_from_command_line(["pompolit", *sys.argv[1:]])


def print_help() -> None:
    import django
    from django.core.management import get_commands

    from pompolit.core.commands import main_help

    try:
        django.setup()
    except Exception:  # settings that do not load: Django's own help says why
        from django.core.management import execute_from_command_line

        execute_from_command_line(["pompolit", "help"])
        return
    print(main_help(get_commands(), ours=lambda app: app.startswith("pompolit.")))


if __name__ == "__main__":
    main()
