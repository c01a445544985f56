"""KPU's published recapitulation pages (``hr``, format assumed in ``recap.hr``) fetched from a real local
HTTP server and imported from files: stored as D.Hasil with their original bytes and SHA-256; a malformed
page or one for an unknown region is reported and nothing of it is stored."""

import hashlib
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from kawaltps.audit.models import ChangeRecord
from kawaltps.recap import fetcher
from kawaltps.recap.dhasil import save_dhasil
from kawaltps.recap.models import DHasil, FetchItem, HrSnapshot

HR = "pilkada/hr/pkwkp/31.json"


def hr_page(rows=None, chart=None):
    """The province page: totals 302/86/325 and one row per kota (3171, 3175)."""
    rows = rows or {"3171": {"1000023": 72, "1000024": 12, "1000025": 35, "pemilih_dpt_j": 1020,
                             "pengguna_total_j": 125, "suara_sah": 119, "suara_tidak_sah": 6},
                    "3175": {"1000023": 230, "1000024": 74, "1000025": 290, "pemilih_dpt_j": 2040,
                             "pengguna_total_j": 604, "suara_sah": 594, "suara_tidak_sah": 10}}
    return {"mode": "hr", "ts": "2024-12-08 15:00:00",
            "tungsura": {"chart": chart or {"1000023": 302, "1000024": 86, "1000025": 325},
                         "administrasi": {"pemilih_dpt_j": 3060, "pengguna_total_j": 729,
                                          "surat_suara_digunakan": 729, "suara_sah": 713, "suara_tidak_sah": 16},
                         "table": rows}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """A real http.server over a directory the test fills."""
    root = tmp_path / "site"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(root, doc=None, raw: bytes | None = None) -> bytes:
    path = root / HR
    path.parent.mkdir(parents=True, exist_ok=True)
    data = raw if raw is not None else json.dumps(doc).encode()
    path.write_bytes(data)
    return data


def test_the_fetcher_stores_the_province_hr_page_as_its_dhasil(sirekap_election, site):
    root, url = site
    data = _serve(root, hr_page())
    report = fetcher.run(sirekap_election, url, rate=500, retries=0)
    assert "hr31" not in {f["code"] for f in report.failed}
    assert FetchItem.objects.get(code="hr31").state == "done"
    d = DHasil.objects.get(code="31")
    assert (d.tier, d.votes) == ("provinsi", {"1": 302, "2": 86, "3": 325})
    assert (d.dpt, d.voters, d.ballots_used, d.valid, d.invalid, d.flags) == (3060, 729, 729, 713, 16, [])
    assert d.children["3175"] == {"votes": {"1": 230, "2": 74, "3": 290}, "dpt": 2040, "voters": 604,
                                  "ballots_used": None, "valid": 594, "invalid": 10}
    assert d.source.startswith("sirekap-hr")
    snap = HrSnapshot.objects.get()
    assert bytes(snap.raw_bytes) == data and snap.sha256 == hashlib.sha256(data).hexdigest()
    assert snap.source == f"{url}/{HR}" and snap.dhasil == d
    assert ChangeRecord.objects.filter(action="dhasil_entered", code="31").count() == 1
    # the same bytes again: the same version, nothing new; a new version replaces the numbers
    fetcher.run(sirekap_election, url, rate=500, retries=0)
    assert HrSnapshot.objects.count() == 1
    rows = hr_page()["tungsura"]["table"]
    rows["3171"]["1000023"] = 80
    _serve(root, hr_page(rows, {"1000023": 310, "1000024": 86, "1000025": 325}))
    report = fetcher.run(sirekap_election, url, rate=500, retries=0)
    assert report.statuses.get("changed") == 1
    assert HrSnapshot.objects.count() == 2 and DHasil.objects.get(code="31").votes["1"] == 310


@pytest.mark.parametrize("raw, reason", [
    (b'{"mode": "hr", "tungsura": {"chart": {"1000023": 1', "JSON tidak sah"),
    (json.dumps({"mode": "hhcw", "tungsura": {"chart": {}}}).encode(), "bukan halaman rekapitulasi"),
    (json.dumps(hr_page(chart={"1000023": "banyak", "1000024": 1, "1000025": 1})).encode(), "bukan angka"),
    (json.dumps(hr_page(chart={"1000023": 300, "1000024": 86, "1000025": 325})).encode(),
     "rincian tidak berjumlah sama"),
])
def test_a_malformed_page_is_failed_with_its_reason_and_nothing_is_stored(sirekap_election, site, raw, reason):
    root, url = site
    _serve(root, raw=raw)
    report = fetcher.run(sirekap_election, url, rate=500, retries=0)
    reasons = {f["code"]: f["reason"] for f in report.failed}
    assert reason in reasons["hr31"]
    assert FetchItem.objects.get(code="hr31").state == "failed"
    assert not HrSnapshot.objects.exists() and not DHasil.objects.exists()


def test_a_page_for_an_unknown_region_is_reported_and_nothing_is_stored(sirekap_election, site):
    root, url = site
    rows = hr_page()["tungsura"]["table"]
    rows["3199"] = rows.pop("3171")  # no such kota
    _serve(root, hr_page(rows))
    report = fetcher.run(sirekap_election, url, rate=500, retries=0)
    reasons = {f["code"]: f["reason"] for f in report.failed}
    assert "tidak dikenal" in reasons["hr31"] and "3199" in reasons["hr31"]
    assert not HrSnapshot.objects.exists() and not DHasil.objects.exists()


def test_import_sirekap_reads_hr_files_and_refuses_an_unknown_region(sirekap_election, tmp_path, capsys):
    good = tmp_path / "dump" / HR
    good.parent.mkdir(parents=True)
    good.write_text(json.dumps(hr_page()))
    unknown = tmp_path / "dump" / "pilkada/hr/pkwkp/99.json"
    unknown.write_text(json.dumps(hr_page()))
    call_command("import_sirekap", "--election", "uji", str(tmp_path / "dump"), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"new": 1, "error": 1}
    [err] = out["errors"]
    assert err["code"] == "99" and "tidak dikenal" in err["reason"]
    assert list(HrSnapshot.objects.values_list("code", flat=True)) == ["31"]
    assert DHasil.objects.get(code="31").votes == {"1": 302, "2": 86, "3": 325}


def test_a_typed_dhasil_that_differs_is_kept_and_the_page_is_kept_as_evidence(sirekap_election, site):
    root, url = site
    save_dhasil(sirekap_election, "provinsi", "31", {"1": 300, "2": 86, "3": 327})
    _serve(root, hr_page())
    report = fetcher.run(sirekap_election, url, rate=500, retries=0)
    assert report.statuses.get("entered_differs") == 1
    assert report.notes[0]["code"] == "31" and "tidak diganti" in report.notes[0]["reason"]
    assert DHasil.objects.get(code="31").votes == {"1": 300, "2": 86, "3": 327}
    assert HrSnapshot.objects.get().dhasil is None
