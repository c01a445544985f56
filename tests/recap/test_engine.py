"""The discrepancy engine on small constructed frames, with the exact deltas of each step."""

import polars as pl

from kawaltps.recap import engine

N = [1, 2, 3]


def frame(rows: dict[str, tuple]) -> pl.DataFrame:
    return engine.votes_frame(list(rows), [dict(zip(["1", "2", "3"], v, strict=True)) for v in rows.values()], N)


def records(df):
    return {r["code"]: r for r in engine.as_records(df, N)}


def test_tps_step_finds_exactly_the_changed_tps_with_deltas():
    ours = frame(
        {
            "3175081001001": (100, 20, 200),
            "3175081001002": (50, 10, 60),
            "3175081001003": (5, 5, 5),
            "3175081001004": (1, 1, 1),
        }
    )
    official = frame(
        {
            "3175081001001": (110, 20, 190),  # 10 moved from 3 to 1
            "3175081001002": (50, 10, 60),  # same
            "3175081001003": (5, 25, 5),  # 20 added to 2
            "3175081001005": (9, 9, 9),
        }
    )  # no witness numbers: not compared
    found = records(engine.compare_tps(ours, official, N))
    assert set(found) == {"3175081001001", "3175081001003"}
    a = found["3175081001001"]
    assert a["deltas"] == {"1": 10, "2": 0, "3": -10}
    assert a["votes_moved"] == 10 and a["gained"] == 1 and a["step"] == "tps_sirekap"
    assert a["ours"] == {"1": 100, "2": 20, "3": 200} and a["official"]["1"] == 110
    b = found["3175081001003"]
    assert b["deltas"] == {"1": 0, "2": 20, "3": 0} and b["votes_moved"] == 20 and b["gained"] == 2


def test_votes_only_removed_have_no_gainer():
    found = records(engine.compare_tps(frame({"x": (10, 10, 10)}), frame({"x": (10, 4, 10)}), N))
    assert found["x"]["deltas"] == {"1": 0, "2": -6, "3": 0}
    assert found["x"]["votes_moved"] == 6 and found["x"]["gained"] is None


def test_nulls_mean_not_yet_and_are_not_compared():
    ours = engine.votes_frame(["a", "b"], [{"1": 1, "2": 2, "3": 3}, {}], N)
    official = engine.votes_frame(["a", "b"], [{}, {"1": 1, "2": 2, "3": 3}], N)
    assert engine.compare_tps(ours, official, N).height == 0


def test_tiers_chain_each_step_with_exact_deltas():
    tps = frame(
        {
            "3175081001001": (100, 20, 200),
            "3175081002001": (50, 10, 60),  # kec 317508
            "3175091001001": (70, 7, 30),  # kec 317509
            "3171011001001": (10, 10, 10),
        }
    )  # kec 317101
    kec = frame(
        {
            "317508": (150, 30, 260),  # = sum
            "317509": (65, 12, 30),  # 5 votes moved 1 → 2 at the kecamatan recap
            "317101": (10, 10, 10),
        }
    )
    kab = frame(
        {
            "3175": (215, 42, 290),  # = sum of its kecamatan D.Hasil
            "3171": (10, 10, 16),
        }
    )  # 6 added to 3 at the kota recap
    prov = frame({"31": (225, 52, 300)})  # sum of kab = (225, 52, 306): 6 removed from 3
    found, summary = engine.find_all(N, official=tps, dhasil={"kecamatan": kec, "kabkota": kab, "provinsi": prov})
    assert summary["counts"] == {"tps_kecamatan": 1, "kecamatan_kabkota": 1, "kabkota_provinsi": 1}
    k = records(found["tps_kecamatan"])["317509"]
    assert k["deltas"] == {"1": -5, "2": 5, "3": 0} and k["votes_moved"] == 5 and k["gained"] == 2
    assert k["detail"] == {"n_children": 1} and k["ours"] == {"1": 70, "2": 7, "3": 30}
    c = records(found["kecamatan_kabkota"])["3171"]
    assert c["deltas"] == {"1": 0, "2": 0, "3": 6} and c["gained"] == 3
    p = records(found["kabkota_provinsi"])["31"]
    assert p["deltas"] == {"1": 0, "2": 0, "3": -6} and p["votes_moved"] == 6 and p["detail"]["n_children"] == 2


def test_incomplete_parents_are_skipped_not_reported():
    tps = frame({"3175081001001": (100, 20, 200)})
    kec = frame({"317508": (150, 30, 260)})
    expected = pl.DataFrame({"code": ["317508"], "n_expected": [2]})
    found, summary = engine.find_all(N, official=tps, dhasil={"kecamatan": kec}, expected={"kecamatan": expected})
    assert found["tps_kecamatan"].height == 0
    assert summary["skipped_incomplete"]["tps_kecamatan"] == 1
    found, _ = engine.find_all(N, official=tps, dhasil={"kecamatan": kec})
    assert records(found["tps_kecamatan"])["317508"]["deltas"] == {"1": 50, "2": 10, "3": 60}


def test_sirekap_changed_after_publication():
    snaps = pl.DataFrame(
        {
            "code": ["a", "a", "a", "b", "b"],
            "seq": [3, 1, 2, 1, 2],
            "c1": [120, 100, 100, 5, 5],
            "c2": [20, 20, 20, 5, 5],
            "c3": [180, 200, 200, 5, 5],
        }
    )
    found = engine.sirekap_changes(snaps, N)
    rows = engine.as_records(found, N)
    assert len(rows) == 1
    assert rows[0]["code"] == "a" and rows[0]["deltas"] == {"1": 20, "2": 0, "3": -20}
    assert rows[0]["detail"] == {"seq": "3", "seq_before": "2", "verdict": "no_form"} and rows[0]["gained"] == 1
