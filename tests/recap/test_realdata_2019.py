"""Real data: the 2019 extract, KawalPemilu as witness and KPU as official. The engine finds exactly
the TPS where the two disagree on a candidate's votes, with KPU − KawalPemilu as deltas."""

import gzip
import json

import polars as pl
import pytest
from django.core.management import call_command

from kawaltps.recap import engine, pilpres2019
from kawaltps.recap.models import Discrepancy

from ..conftest import shared_file

pytestmark = pytest.mark.realdata


def test_frames_from_the_file_find_exactly_the_disagreements():
    df = pilpres2019.with_codes(pilpres2019.read(shared_file("id", "pilpres2019_tps.csv.gz")))
    assert df.height == 813_336 and df["code"].n_unique() == 813_336
    assert df["code"].str.len_chars().unique().to_list() == [13]
    witness, official = pilpres2019.frames(df)
    found = engine.compare_tps(witness, official, [1, 2])
    both = pl.all_horizontal([pl.col(c).is_not_null() for c in ("kp_pas1", "kp_pas2", "kpu_pas1", "kpu_pas2")])
    direct = df.filter(
        both & ((pl.col("kp_pas1") != pl.col("kpu_pas1")) | (pl.col("kp_pas2") != pl.col("kpu_pas2")))
    ).select(
        "code",
        (pl.col("kpu_pas1") - pl.col("kp_pas1")).alias("d1"),
        (pl.col("kpu_pas2") - pl.col("kp_pas2")).alias("d2"),
    )
    assert found.height == direct.height > 1000
    assert found.select("code", "d1", "d2").sort("code").equals(direct.sort("code"))
    # votes moved is max(gains, losses) per TPS
    check = found.with_columns(
        pl.max_horizontal(
            pl.col("d1").clip(lower_bound=0) + pl.col("d2").clip(lower_bound=0),
            (-pl.col("d1")).clip(lower_bound=0) + (-pl.col("d2")).clip(lower_bound=0),
        ).alias("m")
    )
    assert (check["m"] == check["votes_moved"]).all()


def test_through_the_database_on_a_slice(db, tmp_path, capsys):
    pytest.importorskip(
        "kawaltps.results.importers.kawalpemilu2019", reason="import-results --format kawalpemilu2019 is not available"
    )
    src = shared_file("id", "pilpres2019_tps.csv.gz")
    with gzip.open(src, "rt") as f:
        lines = [next(f) for _ in range(3001)]
    path = tmp_path / "slice.csv"
    path.write_text("".join(lines))
    call_command(
        "import_results",
        str(path),
        "--election",
        "pilpres-2019-slice",
        "--format",
        "kawalpemilu2019",
        "--verified",
        "--json",
    )
    report = json.loads(capsys.readouterr().out)
    assert report["rejected"] == []
    call_command("discrepancies", "--election", "pilpres-2019-slice", "--json")
    out = json.loads(capsys.readouterr().out)["discrepancies"]
    got = sorted((d["deltas"]["1"], d["deltas"]["2"]) for d in out if d["step"] == "tps_sirekap")
    df = pl.read_csv(path, infer_schema_length=0).with_columns(
        [
            pl.col(c).cast(pl.Int64, strict=False)
            for c in ("kp_pas1", "kp_pas2", "kp_sah", "kp_tsah", "kpu_pas1", "kpu_pas2", "kpu_sah", "kpu_tsah")
        ]
    )
    # a source is present when pas1, pas2, sah and tsah are all filled (the importer's rule)
    present = pl.all_horizontal(
        [pl.col(f"{s}_{c}").is_not_null() for s in ("kp", "kpu") for c in ("pas1", "pas2", "sah", "tsah")]
    )
    differ = df.filter(
        present & ((pl.col("kp_pas1") != pl.col("kpu_pas1")) | (pl.col("kp_pas2") != pl.col("kpu_pas2")))
    )
    want = sorted(
        zip(
            (differ["kpu_pas1"] - differ["kp_pas1"]).to_list(),
            (differ["kpu_pas2"] - differ["kp_pas2"]).to_list(),
            strict=True,
        )
    )
    assert got == want and len(got) > 10
    assert Discrepancy.objects.filter(step="tps_sirekap").count() == len(want)
