"""Issue 11 on hand-built frames: the PPK's question, Sirekap changes judged, impact on the 50 % line,
what is missing per region. Pure Polars, no database."""

import polars as pl

from kawaltps.recap import coverage, engine, impact

N = [1, 2, 3]


def frame(rows: dict[str, tuple]) -> pl.DataFrame:
    return engine.votes_frame(list(rows), [dict(zip(["1", "2", "3"], v, strict=True)) for v in rows.values()], N)


def by_code(df):
    return {r["code"]: r for r in engine.as_records(df, N)}


OURS = {"3175081001001": (100, 20, 200), "3175081001002": (50, 10, 60)}
EXPECTED = {"kecamatan": pl.DataFrame({"code": ["317508"], "n_expected": [2]})}


def test_ocr_error_the_ppk_corrected_is_not_a_finding_of_the_saksi_step():
    # Sirekap read 200 as 290 at TPS 001; the PPK recapped the physical C.Hasil (= ours)
    sirekap = frame({"3175081001001": (100, 20, 290), "3175081001002": (50, 10, 60)})
    kec = frame({"317508": (150, 30, 260)})
    found, summary = engine.find_all(
        N, witness=frame(OURS), official=sirekap, dhasil={"kecamatan": kec}, expected=EXPECTED
    )
    assert by_code(found["tps_kecamatan"])["317508"]["deltas"] == {"1": 0, "2": 0, "3": -90}  # Sirekap sum
    assert found["tps_kecamatan_saksi"].height == 0  # the PPK's question: nothing moved
    assert summary["skipped_incomplete"]["tps_kecamatan_saksi"] == 0


def test_a_change_made_in_both_sirekap_and_the_dhasil_shows_only_against_our_forms():
    sirekap = frame({"3175081001001": (130, 20, 170), "3175081001002": (50, 10, 60)})  # 30 moved 3 → 1
    kec = frame({"317508": (180, 30, 230)})  # = Sirekap's sum: invisible to the Sirekap-sum step
    found, _ = engine.find_all(N, witness=frame(OURS), official=sirekap, dhasil={"kecamatan": kec}, expected=EXPECTED)
    assert found["tps_kecamatan"].height == 0
    rec = by_code(found["tps_kecamatan_saksi"])["317508"]
    assert rec["deltas"] == {"1": 30, "2": 0, "3": -30} and rec["votes_moved"] == 30 and rec["gained"] == 1


def test_saksi_step_skips_a_kecamatan_our_coverage_does_not_complete():
    ours = frame({"3175081001001": (100, 20, 200)})  # TPS 002 has no form of ours
    kec = frame({"317508": (999, 30, 260)})
    found, summary = engine.find_all(
        N, witness=ours, official=frame(OURS), dhasil={"kecamatan": kec}, expected=EXPECTED
    )
    assert found["tps_kecamatan_saksi"].height == 0
    assert summary["skipped_incomplete"]["tps_kecamatan_saksi"] == 1


def _snaps(rows):
    return pl.DataFrame(
        rows,
        schema={"code": pl.Utf8, "seq": pl.Int64, "c1": pl.Int64, "c2": pl.Int64, "c3": pl.Int64, "psu": pl.Boolean},
        orient="row",
    )


def test_sirekap_changes_are_judged_against_our_form():
    snaps = _snaps(
        [
            ("a", 1, 90, 20, 210, False), ("a", 2, 100, 20, 200, False),  # towards ours (100, 20, 200)
            ("b", 1, 50, 10, 60, False), ("b", 2, 60, 10, 50, False),  # away from ours (50, 10, 60)
            ("c", 1, 5, 5, 5, False), ("c", 2, 9, 5, 1, False),  # no form of ours
            ("d", 1, 50, 10, 60, False), ("d", 2, 40, 10, 70, True),  # a re-vote's result
        ]
    )  # fmt: skip
    ours = frame({"a": (100, 20, 200), "b": (50, 10, 60), "d": (50, 10, 60)})
    got = {r["code"]: r["detail"]["verdict"] for r in engine.as_records(engine.sirekap_changes(snaps, N, ours), N)}
    assert got == {"a": "towards", "b": "away", "c": "no_form", "d": "psu"}


def test_impact_on_the_line_and_margin_is_exact():
    official = impact.outcome({1: 1000, 2: 900, 3: 80})  # valid 1980, line 991, surplus 9, margin 100
    assert (official["line"], official["surplus"], official["margin"], official["leader"]) == (991, 9, 100, 1)
    found = frame({"x": (10, -10, 0), "y": (4, 0, 0), "z": (0, 0, -6)})
    found = found.rename({f"c{n}": f"d{n}" for n in N})
    got = {r["code"]: (r["impact_line"], r["impact_margin"]) for r in impact.add_impact(found, N, official).to_dicts()}
    # x: 10 moved from 02 to 01: the leader's surplus grew by 10, the margin by 20
    # y: 4 added to 01: valid 1976 → line 989; surplus 9 vs 1000-4-989 = 7: impact 2
    # z: 6 removed from 03: undone, valid 1986 and line 994, surplus 6: removing them helped the leader by 3
    assert got == {"x": (10, 20), "y": (2, 4), "z": (3, 0)}
    # undoing x alone drops the leader under the line (9 − 10 < 0): a finding that crosses it
    rows = pl.DataFrame(
        {
            "code": ["x", "y"],
            "step": ["tps_sirekap", "sirekap_changed"],
            "impact_line": [10, 2],
            "impact_margin": [20, 4],
            "votes_moved": [10, 4],
        }
    )
    c = impact.crossing(official, rows)
    assert c["chain_impact_line"] == 10  # sirekap_changed is not in the chain
    assert c["crosses_line"] and not c["crosses_margin"] and c["findings_crossing_alone"] == 1
    assert c["surplus_after"] == -1 and c["margin_after"] == 80


def test_impact_cumulative_by_region_ranks_by_impact():
    rows = pl.DataFrame(
        {
            "code": ["3175081001001", "3175081001002", "3171011001001", "317101"],
            "step": ["tps_sirekap", "tps_sirekap", "tps_sirekap", "tps_kecamatan_saksi"],
            "impact_line": [3, 4, -9, 100],
            "impact_margin": [6, 8, -18, 200],
            "votes_moved": [3, 4, 9, 100],
        }
    )
    got = impact.by_region(rows, 6).to_dicts()
    assert [(r["code"], r["impact_line"], r["n"]) for r in got] == [("317101", -9, 1), ("317508", 7, 2)]


def test_missing_on_either_side_register_mismatch_and_lokasi_khusus_per_region():
    register = pl.DataFrame({"code": ["3175081001001", "3175081001002", "3175081001901", "3171011001001"]})
    ours = frame({"3175081001001": (1, 2, 3), "3175081001901": (1, 1, 1)})
    official = frame({"3175081001002": (1, 2, 3), "3175081001901": (1, 1, 1), "3171011001001": (4, 4, 4)})
    kpu = pl.DataFrame({"code": ["3175081001001", "3175081001003"]})  # 003: KPU has it, our register lacks it
    rows = coverage.per_tps(register, ours, official, N, kpu, pl.DataFrame({"code": ["3171011001001"]}))
    regions = {r["region"]: r for r in coverage.by_region(rows).to_dicts()}
    a = regions["317508"]
    assert (a["tps"], a["ours_only"], a["official_only"], a["not_in_register"], a["lokasi_khusus"]) == (4, 1, 1, 1, 1)
    b = regions["317101"]
    assert (b["official_only"], b["psu"], b["missing"]) == (1, 1, 1)
    assert list(regions) == ["317508", "317101"]  # most missing first
    assert coverage.totals(rows)["not_in_register"] == 1
