"""Each Sirekap file is judged alone, also when the database (not the parser) refuses one of a batch."""

import pytest

from kawaltps.recap.importer import _store_tps_pages
from kawaltps.recap.models import SirekapSnapshot
from kawaltps.recap.sirekap import SirekapError, load_json, parse_tps
from kawaltps.recap.snapshots import key_map
from kawaltps.results.models import TpsResult

from .conftest import FILES

PAGE = FILES / "good/pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001001.json"


def _parsed(election, code: str, **changes):
    doc = load_json(PAGE.read_bytes())
    doc["ts"] = f"2024-11-28 10:0{code[-1]}:00"
    page = parse_tps(doc, key_map(election), code)
    for name, value in changes.items():
        setattr(page, name, value)
    return page


def test_a_file_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_written(sirekap_election):
    e = sirekap_election
    good1, good2 = _parsed(e, "3175081001001"), _parsed(e, "3175081002001")
    # Past the parser's rule (which would refuse it) a number the database cannot hold: the
    # batch's transaction fails, then each file is written alone.
    refused = _parsed(e, "3175081001002", valid=10**30)
    results = _store_tps_pages(e, [good1, refused, good2], ["a.json", "b.json", "c.json"], fetched_at=None,
                               actor="test")
    assert [(r.file, r.status) for r in results] == [("a.json", "new"), ("b.json", "error"), ("c.json", "new")]
    assert "b.json" == results[1].file and "basis data menolak" in results[1].reason
    assert set(SirekapSnapshot.objects.values_list("code", flat=True)) == {"3175081001001", "3175081002001"}
    assert not TpsResult.objects.filter(code="3175081001002").exists()


def test_the_parser_refuses_that_number_first(sirekap_election):
    doc = load_json(PAGE.read_bytes())
    doc["tungsura"]["administrasi"]["suara_sah"] = 10**30
    with pytest.raises(SirekapError, match="terlalu besar"):
        parse_tps(doc, key_map(sirekap_election), "3175081001002")
