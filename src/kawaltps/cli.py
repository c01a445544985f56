"""The ``kawaltps`` console script: every management command under one name.

``kawaltps import-regions FILE`` runs the ``import_regions`` management command with the
project's settings, as ``django-admin`` would. Hyphens and underscores are interchangeable.
"""

import gc
import os
import sys

PROJECT_APPS_PREFIX = "kawaltps."


def _print_help() -> None:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    print("Usage: kawaltps COMMAND [options]   (kawaltps COMMAND --help for a command's options)\n")
    print("Kawal TPS commands:")
    commands = get_commands()
    for name, app in sorted(commands.items()):
        if app.startswith(PROJECT_APPS_PREFIX):
            helptext = " ".join((load_command_class(app, name).help or "").split())
            first = helptext.split(". ")[0].split(" (")[0].rstrip(".")
            print(f"  {name.replace('_', '-'):<20} {first[:95]}")
    print("\nDjango commands (also available):")
    others = sorted(n for n, a in commands.items() if not a.startswith(PROJECT_APPS_PREFIX))
    line = "  "
    for name in others:
        if len(line) + len(name) > 100:
            print(line)
            line = "  "
        line += name + " "
    print(line)


def main(argv: list[str] | None = None) -> None:
    try:
        _run(argv)
        sys.stdout.flush()
        # the command is done: no cycle collection over everything it loaded at exit (≈ 0.3 s of
        # `kawaltps discrepancies` on the 2019 data, issue 11.9); objects are still released as their
        # modules are torn down, and the process's memory goes back with it
        gc.freeze()
    except BrokenPipeError:
        # `kawaltps … | head` closed the pipe: stop quietly, no traceback (the Python docs' recipe:
        # point stdout at devnull so the interpreter's final flush does not fail again)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


def _run(argv: list[str] | None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"} and len(argv) == 2:
        _print_help()
        return
    argv[1] = argv[1].replace("-", "_") if not argv[1].startswith("-") else argv[1]
    argv[0] = "kawaltps"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
