"""The CLI as polished as the pages (issue 13.9): closed pipes, busy ports, level names, help text."""

import re
import socket
import subprocess

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from kawaltps.core.management.commands.demo import check_bind
from kawaltps.regions.codes import parse_level

from .test_cli import BIN, env_for


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`kawaltps --help | head -0`: the reader is gone before the first line; no traceback."""
    p = subprocess.Popen(BIN + ["--help"], env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_a_busy_port_names_bind_and_a_free_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=rf"--bind.*127\.0\.0\.1:{port + 1}"):
            check_bind(f"127.0.0.1:{port}")
    with pytest.raises(CommandError, match="HOST:PORT"):
        check_bind("8000")
    check_bind("127.0.0.1:0")  # a free one passes


def test_a_wrong_level_lists_the_valid_ones_and_kota_means_kabkota():
    with pytest.raises(ValueError, match="provinsi, kabkota \\(kota\\), kecamatan, kelurahan"):
        parse_level("kabupatenx")
    assert parse_level("kota") == parse_level("kabkota")


@pytest.mark.django_db
def test_readiness_refuses_a_level_it_does_not_have_naming_the_ones_it_has(election):
    with pytest.raises(CommandError, match="kabkota \\(kota\\), kecamatan, kelurahan"):
        call_command("readiness", "--election", election.slug, "--level", "provinsi")


INDONESIAN_HELP = re.compile(r"\b(atau|dan|yang|untuk|hanya|bawaan|berkas|pemilihan|kolom|sebagai)\b")


def test_every_option_of_every_command_has_help_in_english():
    missing, indonesian = [], []
    for name, app in get_commands().items():
        if not app.startswith("kawaltps."):
            continue
        parser = load_command_class(app, name).create_parser("kawaltps", name)
        for action in parser._actions:
            if action.dest in {"help", "version", "verbosity", "settings", "pythonpath", "traceback",
                               "no_color", "force_color", "skip_checks"}:
                continue
            if not action.help:
                missing.append(f"{name} {action.option_strings or action.dest}")
            elif INDONESIAN_HELP.search(action.help):
                indonesian.append(f"{name} {action.option_strings}: {action.help}")
    assert not missing, missing
    assert not indonesian, indonesian
