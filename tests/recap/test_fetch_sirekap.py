"""`kawaltps fetch-sirekap` against a local HTTP server serving real-shaped pages (never outside)."""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from kawaltps.recap import fetcher
from kawaltps.recap.models import FetchItem, FetchJob, RegionSnapshot, SirekapSnapshot
from kawaltps.results.models import TpsResult

from .conftest import FILES


class Handler(SimpleHTTPRequestHandler):
    """Serves tests/recap/files/good; ``flaky`` paths answer 503 the first N times."""

    log: list[str]
    flaky: dict[str, int]

    def do_GET(self):  # noqa: N802
        self.log.append(self.path)
        left = self.flaky.get(self.path, 0)
        if left:
            self.flaky[self.path] = left - 1
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    log: list[str] = []
    flaky: dict[str, int] = {}
    handler = type("H", (Handler,), {"log": log, "flaky": flaky})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(FILES / "good")))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", log, flaky
    httpd.shutdown()
    httpd.server_close()


TPS_PATH = "/pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001001.json"


def test_fetches_every_page_politely_with_retries(sirekap_election, server, capsys):
    url, log, flaky = server
    flaky[TPS_PATH] = 2  # two 503s, then the page
    call_command("fetch_sirekap", "--election", "uji", "--base-url", url, "--rate", "200/s", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["fetched"] == 7  # 6 TPS + the kecamatan page 317508
    assert out["remaining"] == 5  # the pages the test server does not have (and KPU's hr page, hr31):
    assert sorted(f["code"] for f in out["failed"]) == ["31", "3171", "317101", "3175", "hr31"]
    assert all("HTTP 404" in f["reason"] for f in out["failed"])
    assert log.count(TPS_PATH) == 3
    assert SirekapSnapshot.objects.count() == 6
    assert RegionSnapshot.objects.filter(code="317508").count() == 1
    assert TpsResult.objects.filter(source="official").count() == 6


def test_resumes_after_a_crash_without_refetching_what_was_stored(sirekap_election, server):
    url, log, _ = server
    calls = {"n": 0}

    def crash_after_first_batch(n):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("simulated crash")

    with pytest.raises(KeyboardInterrupt):
        fetcher.run(sirekap_election, url, rate=500, batch=3, backoff=0.001, on_progress=crash_after_first_batch)
    job = FetchJob.objects.get()
    done_first = set(job.items.filter(state="done").values_list("code", flat=True))
    stored_first = SirekapSnapshot.objects.count()
    assert job.state == "running" and 0 < stored_first < 6
    first_log = list(log)
    log.clear()
    report = fetcher.run(sirekap_election, url, rate=500, batch=3, backoff=0.001, resume=True)
    assert report.job_id == job.id
    # pages stored before the crash are not asked for again
    assert not any(p.rsplit("/", 1)[-1].removesuffix(".json") in done_first for p in log)
    assert len(first_log) + len(log) <= 6 + 5 + 3 * 5  # no page fetched more than its retries
    assert SirekapSnapshot.objects.count() == 6
    assert set(FetchItem.objects.filter(job=job, state="done").values_list("code", flat=True)) >= {
        c for c in sirekap_election.tps_set.values_list("code", flat=True)
    }


def test_a_bad_page_is_marked_failed_and_the_rest_continue(sirekap_election, server, tmp_path):
    url, log, _ = server
    # an unknown TPS for this election is not requested; a page that turns bad is reported
    job = fetcher.start_job(sirekap_election, url, rate=500, resume=False)
    FetchItem.objects.create(job=job, code="3175089999001")
    report = fetcher.run(sirekap_election, url, rate=500, resume=True, retries=0)
    reasons = {f["code"]: f["reason"] for f in report.failed}
    assert "HTTP 404" in reasons["3175089999001"]
    assert SirekapSnapshot.objects.count() == 6


def test_bad_rate_and_url_are_refused(sirekap_election, capsys):
    with pytest.raises(SystemExit):
        call_command("fetch_sirekap", "--election", "uji", "--base-url", "ftp://x", "--json")
    assert "URL dasar tidak sah" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit):
        call_command(
            "fetch_sirekap",
            "--election",
            "uji",
            "--base-url",
            "http://127.0.0.1:9",
            "--rate",
            "cepat",
            "--json",
        )
    assert "laju tidak sah" in json.loads(capsys.readouterr().out)["error"]
    assert FetchJob.objects.count() == 0


def test_throttle_spaces_requests():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    t = fetcher.Throttle(2.0, clock=lambda: now[0], sleep=sleep)
    t.wait()  # first request at once
    t.wait()  # 0.5 s later
    now[0] += 0.2  # the request took 0.2 s
    t.wait()
    now[0] += 1.0  # slow response: no wait needed
    t.wait()
    assert slept == [0.5, 0.3]
