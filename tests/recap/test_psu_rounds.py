"""A PSU (re-vote) result without a first-round result is refused at every door, nothing stored; with a
first round it is the TPS's second legitimate result."""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from kawaltps.recap import fetcher
from kawaltps.recap.models import FetchItem, SirekapSnapshot
from kawaltps.recap.sirekap import load_json, parse_tps
from kawaltps.recap.snapshots import key_map, store_tps
from kawaltps.results.models import TpsResult

from .conftest import FILES

REL = "pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001001.json"
CODE = "3175081001001"


def _doc(psu=None, ts="2024-11-28 10:00:00", first=120):
    doc = load_json((FILES / "good" / REL).read_bytes())
    doc["psu"], doc["ts"] = psu, ts
    doc["tungsura"]["chart"]["1000023"] = first
    return doc


def _write(root, doc):
    path = root / REL
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def test_store_tps_refuses_a_psu_round_without_a_first_round(sirekap_election):
    e = sirekap_election
    keys = key_map(e)
    psu = parse_tps(_doc(psu="PSU"), keys, CODE)
    refused: dict[int, str] = {}
    assert store_tps(e, [psu], refused=refused) == ["error"]
    assert "putaran pertama" in refused[0] and "tidak ada yang disimpan" in refused[0]
    assert not SirekapSnapshot.objects.exists() and not TpsResult.objects.exists()
    # the first round, then the PSU round in the same batch: both kept, the PSU round is official
    first = parse_tps(_doc(), keys, CODE)
    psu = parse_tps(_doc(psu="PSU", ts="2024-12-05 10:00:00", first=130), keys, CODE)
    assert store_tps(e, [first, psu]) == ["new", "changed"]
    assert SirekapSnapshot.objects.filter(code=CODE).count() == 2
    assert TpsResult.objects.get(code=CODE, source="official").votes["1"] == 130


def test_a_psu_page_without_numbers_is_not_a_result_and_is_kept(sirekap_election):
    doc = _doc(psu="PSU")
    doc["tungsura"]["chart"] = None
    assert store_tps(sirekap_election, [parse_tps(doc, key_map(sirekap_election), CODE)]) == ["new"]


def test_import_sirekap_reports_the_psu_file_and_imports_the_rest(sirekap_election, tmp_path, capsys):
    root = tmp_path / "dump"
    _write(root, _doc(psu="PSU"))
    other = "pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001002.json"
    (root / other).write_bytes((FILES / "good" / other).read_bytes())
    call_command("import_sirekap", "--election", "uji", str(root), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"error": 1, "new": 1}
    [err] = out["errors"]
    assert err["code"] == CODE and err["file"].endswith("3175081001001.json") and "PSU" in err["reason"]
    assert list(SirekapSnapshot.objects.values_list("code", flat=True)) == ["3175081001002"]
    assert not TpsResult.objects.filter(code=CODE).exists()
    # with its first round imported first, the same PSU file is accepted
    first = tmp_path / "first"
    _write(first, _doc())
    call_command("import_sirekap", "--election", "uji", str(first), "--json")
    capsys.readouterr()
    call_command("import_sirekap", "--election", "uji", str(root), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == [] and SirekapSnapshot.objects.filter(code=CODE).count() == 2


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def psu_server(tmp_path):
    root = tmp_path / "site"
    _write(root, _doc(psu="PSU"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_fetcher_marks_the_psu_page_failed_and_stores_nothing(sirekap_election, psu_server):
    report = fetcher.run(sirekap_election, psu_server, rate=500, retries=0)
    reasons = {f["code"]: f["reason"] for f in report.failed}
    assert "putaran pertama" in reasons[CODE]
    assert FetchItem.objects.get(code=CODE).state == "failed"
    assert not SirekapSnapshot.objects.exists() and not TpsResult.objects.exists()
