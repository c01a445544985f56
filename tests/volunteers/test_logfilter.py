"""Personal data never reaches a log line (issue 8 item 17): tracebacks, and gunicorn's access log."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kawaltps.volunteers.logfilter import PersonalDataFilter

NIK = "3174091508900001"
PHONE = "081234567890"


@pytest.fixture
def root_output():
    """What the configured root handler (settings.LOGGING) writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, PersonalDataFilter)
                                                                  for f in h.filters))
    buf = io.StringIO()
    old = handler.setStream(buf)
    yield buf
    handler.setStream(old)


def test_nik_inside_exception_traceback_blanked(root_output):
    log = logging.getLogger("kawaltps.uji")

    def lookup(nik):
        raise ValueError(f"duplicate key value violates unique constraint: Key (nik)=({nik}) already exists; "
                         f"phone {PHONE}")

    try:
        lookup(NIK)
    except ValueError:
        log.exception("import gagal untuk %s", NIK)
    out = root_output.getvalue()
    assert "Traceback" in out and "ValueError" in out and "[NIK]" in out and "[telepon]" in out
    assert NIK not in out and PHONE not in out


def test_stack_info_and_args_blanked(root_output):
    logging.getLogger("kawaltps.uji").warning("cari %s / %s", NIK, PHONE, stack_info=True)
    out = root_output.getvalue()
    assert "Stack (most recent call last)" in out and NIK not in out and PHONE not in out


def test_runserver_request_line_filtered():
    logger = logging.getLogger("django.server")
    ours = [h for h in logger.handlers if type(h) is logging.StreamHandler]  # pytest adds its own too
    assert ours and all(any(isinstance(f, PersonalDataFilter) for f in h.filters) for h in ours)
    assert not logger.propagate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_has_no_query_string_or_nik(tmp_path: Path):
    """The demo's own gunicorn command line; a search for a NIK and a phone leaves no trace in the log."""
    from kawaltps.core.management.commands.demo import gunicorn_argv

    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    port = _free_port()
    argv = gunicorn_argv(gunicorn, f"127.0.0.1:{port}", 1)
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path / "data")}
    log = open(tmp_path / "gunicorn.log", "w+")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/health?q={NIK}&hp={PHONE}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())
        time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    out = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /health HTTP/1.1" 200' in out
    assert NIK not in out and PHONE not in out and "q=" not in out


def test_gunicorn_logger_redacts_even_with_query_in_format():
    """Someone who puts %(r)s (request line with query) back still gets blanks."""
    from gunicorn.config import Config

    from kawaltps.volunteers.logfilter import GunicornLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornLogger(cfg)
    buf = io.StringIO()
    for h in logger.access_log.handlers:
        h.setStream(buf)
    logger.access_log.info("%(r)s", {"r": f"GET /relawan/?q={NIK} HTTP/1.1"})
    assert "[NIK]" in buf.getvalue() and NIK not in buf.getvalue()
