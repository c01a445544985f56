"""``kawaltps quickcount`` on a stored election: the draw is stored and reused, the estimate covers the
truth, and bad input gets a clear message."""

import io
import json

import pytest
from django.core.management import call_command

from kawaltps.analytics.models import QuickCountDraw, SampledTps
from kawaltps.analytics.sampling import priority_tps
from kawaltps.results.models import TpsResult

from .conftest import build_election


def run(*args, ok=True) -> dict:
    out = io.StringIO()
    if ok:
        call_command("quickcount", *args, "--json", stdout=out)
    else:
        with pytest.raises(SystemExit):
            call_command("quickcount", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_quickcount_draws_stores_and_estimates(qc_election):
    out = run("--election", "qc", "--sample-size", "300", "--seed", "7")
    draw = QuickCountDraw.objects.get()
    assert (draw.seed, draw.sample_size, draw.strata) == (7, 300, "kabkota_urban")
    assert SampledTps.objects.filter(draw=draw).count() == 300
    assert priority_tps(qc_election).count() == 300
    assert out["draw"]["seed"] == 7 and out["arrived"] == 300
    truth = sum(r.votes["1"] for r in TpsResult.objects.all()) / sum(
        r.votes["1"] + r.votes["2"] for r in TpsResult.objects.all())
    p1 = out["paslon"][0]
    assert set(p1) >= {"estimate", "se", "low", "high", "p_above_threshold"}
    assert p1["low"] - 0.01 < truth < p1["high"] + 0.01
    assert p1["p_above_threshold"] > 0.99 and out["call"]["status"] == "outright"
    assert out["paslon"][0]["estimate"] + out["paslon"][1]["estimate"] == pytest.approx(1)
    again = run("--election", "qc")  # the stored draw is reused
    assert again["draw"]["id"] == draw.pk and QuickCountDraw.objects.count() == 1
    conflict = run("--election", "qc", "--seed", "8", ok=False)
    assert "--redraw" in conflict["error"]
    run("--election", "qc", "--seed", "8", "--sample-size", "300", "--redraw")
    assert QuickCountDraw.objects.count() == 2  # the old draw stays on record


@pytest.mark.django_db
def test_quickcount_refuses_to_call_early_and_shows_missing_strata(jakarta):
    build_election("early", arrive=0.3)
    out = run("--election", "early", "--sample-size", "300", "--seed", "1")
    assert out["call"]["status"] == "not_yet"
    assert out["arrival"]["missing_count"] > 0 and out["arrival"]["missing"][0]["arrived"] < \
        out["arrival"]["missing"][0]["planned"]


@pytest.mark.django_db
def test_quickcount_bad_input(jakarta):
    assert "tidak ada" in run("--election", "nope", ok=False)["error"]
    build_election("small", per_kel=1, with_results=False)
    too_big = run("--election", "small", "--sample-size", "100000", ok=False)
    assert "lebih besar dari populasi" in too_big["error"]
    assert QuickCountDraw.objects.count() == 0
    out = run("--election", "small", "--sample-size", "100", "--seed", "1")  # no results yet: no numbers
    assert out["arrived"] == 0 and out["call"]["status"] == "not_yet" and out["paslon"] == []


@pytest.mark.django_db
def test_text_output_for_people(qc_election):
    out = io.StringIO()
    call_command("quickcount", "--election", "qc", "--sample-size", "200", "--seed", "2", stdout=out)
    text = out.getvalue()
    assert "seed 2" in text and "P(>50%)" in text and "keputusan: outright" in text
    out = io.StringIO()
    call_command("forensics", "--election", "qc", stdout=out)
    assert "integer_percent" in out.getvalue() and "wilayah ditandai" in out.getvalue()


@pytest.mark.django_db
def test_timeline_ends_at_the_current_estimate(qc_election):
    out = run("--election", "qc", "--sample-size", "240", "--seed", "4")
    points = out["timeline"]
    assert 1 < len(points) <= 12
    assert [p["arrived"] for p in points] == sorted({p["arrived"] for p in points})
    assert points[-1]["arrived"] == out["arrived"]
    assert points[-1]["estimate"][0] == pytest.approx(out["paslon"][0]["estimate"])
    assert all(p["at"] for p in points)
    assert abs(out["arrival"]["leader_bias"]) < 0.05  # every stratum arrived: unweighted ≈ weighted
