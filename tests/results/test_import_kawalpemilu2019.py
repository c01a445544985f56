"""import-results --format kawalpemilu2019 on a slice of the real 2019 extract (always), and on the
whole file (only with KAWALTPS_FULL_2019=1 or on PostgreSQL: ~3 min on SQLite; see docs)."""

import os

import pytest

from kawaltps.regions.models import TPS, Region
from kawaltps.results.models import RegionTally, Submission, TpsResult

from .importing import column_sums, run_json, slice_2019

pytestmark = pytest.mark.realdata


def _check_national(path, slug):
    for source, prefix in (("witness", "kp"), ("official", "kpu")):
        out = run_json("tabulate", "--election", slug, "--level", "provinsi", "--source", source)
        want = column_sums(path, prefix)
        got = out["national"]
        assert got["votes"] == want["votes"]
        assert (got["valid"], got["invalid"], got["total"]) == (want["valid"], want["invalid"], want["total"])
        assert got["coverage"]["with_numbers"] == want["entered"]


@pytest.mark.django_db
def test_slice_loads_both_sources_and_national_totals_equal_file_sums(tmp_path):
    path = slice_2019(tmp_path, 3000)
    report = run_json("import-results", "--election", "pilpres-2019", "--format", "kawalpemilu2019", str(path))
    assert report["election_created"] is True
    assert report["rejected"] == []
    assert TPS.objects.filter(election__slug="pilpres-2019").count() == 3000
    assert report["loaded"] == {"witness": column_sums(path, "kp")["entered"],
                                "official": column_sums(path, "kpu")["entered"]}
    assert 2700 < report["loaded"]["official"] < 3000  # some rows lack one source: only the other loads
    _check_national(path, "pilpres-2019")
    # synthetic codes: letter-first provinces, the usual widths, never all digits
    for region in Region.objects.filter(code__regex=r"^[A-Z]"):
        assert len(region.code) in (2, 4, 6, 10) and not region.code.isdigit()
    assert not Region.objects.filter(level=1, code__regex=r"^[0-9]").exists()
    assert TPS.objects.filter(code="A101010001001").exists()  # ACEH / 1st kab / 1st kec / 1st kel / TPS 001
    assert all(len(c) == 13 for c in TPS.objects.values_list("code", flat=True)[:100])


@pytest.mark.django_db
def test_each_imported_result_has_one_import_submission_with_its_numbers(tmp_path):
    """The history of every imported result starts with one ``import`` submission carrying the same
    votes, numbers and flags (PostgreSQL writes them by INSERT … SELECT from the results, SQLite
    from the staging table: both must say the same)."""
    path = slice_2019(tmp_path, 800)
    run_json("import-results", "--election", "p19s", "--format", "kawalpemilu2019", str(path))
    results = {r.pk: r for r in TpsResult.objects.filter(election__slug="p19s")}
    subs = list(Submission.objects.filter(result__election__slug="p19s"))
    assert len(results) > 1500 and len(subs) == len(results)
    assert len({s.result_id for s in subs}) == len(subs)
    assert any(r.flags for r in results.values())  # the comparison covers flagged rows too
    for s in subs:
        r = results[s.result_id]
        assert (s.kind, s.entered_by_id, s.note) == ("import", None, f"impor {path.name}")
        assert (s.votes, s.numbers, s.flags) == (r.votes, r.numbers, r.flags)
        assert s.client_id.startswith(f"imp-{r.election_id}-{r.source[0]}-{r.code}-")
        assert s.created_at == r.updated_at


@pytest.mark.django_db
def test_reimport_changes_nothing(tmp_path):
    path = slice_2019(tmp_path, 1500)
    run_json("import-results", "--election", "p19", "--format", "kawalpemilu2019", str(path))
    before = (TpsResult.objects.count(), Submission.objects.count(), RegionTally.objects.count(),
              sorted(TpsResult.objects.values_list("id", "version", "updated_at")))
    tallies = sorted(RegionTally.objects.values_list("code", "source", "votes", "valid", "tps_entered"))
    again = run_json("import-results", "--election", "p19", "--format", "kawalpemilu2019", str(path))
    assert again["loaded"] == {"witness": 0, "official": 0}
    assert again["unchanged"]["witness"] > 1400
    assert again["tps_created"] == 0 and again["regions_created"] == 0
    after = (TpsResult.objects.count(), Submission.objects.count(), RegionTally.objects.count(),
             sorted(TpsResult.objects.values_list("id", "version", "updated_at")))
    assert after == before
    assert sorted(RegionTally.objects.values_list("code", "source", "votes", "valid", "tps_entered")) == tallies


@pytest.mark.django_db
def test_kawalpemilu_flags_and_unknown_dpt(tmp_path):
    path = slice_2019(tmp_path, 3000)
    run_json("import-results", "--election", "p19", "--format", "kawalpemilu2019", str(path))
    # KawalPemilu's own "janggal" mark becomes a flag on the witness result only
    odd = {r.source for r in TpsResult.objects.all() if "janggal_kawalpemilu" in r.flags}
    assert odd == {"witness"}
    flagged = TpsResult.objects.filter(flagged=True)
    assert flagged.exists()
    assert all(r.flags for r in flagged[:50])
    # a DPT of -1 in the extract means unknown: the TPS loads with DPT 0
    assert not TPS.objects.filter(dpt_l__lt=0).exists()


@pytest.mark.django_db
@pytest.mark.skipif(os.environ.get("KAWALTPS_FULL_2019") != "1" and not os.environ.get("DATABASE_URL", "")
                    .startswith("postgres"), reason="whole 2019 file: set KAWALTPS_FULL_2019=1 or run on PostgreSQL")
def test_whole_2019_file_national_totals():
    from tests.conftest import shared_file

    path = shared_file("id", "pilpres2019_tps.csv.gz")
    report = run_json("import-results", "--election", "pilpres-2019", "--format", "kawalpemilu2019", str(path))
    assert report["rows"] == 813_336 and report["rejected"] == []
    assert TPS.objects.count() == 813_336
    _check_national(path, "pilpres-2019")
