"""importers/vector_checks.py flags exactly the TPS, with the same rule codes, as checks.run_checks.

Real rows (a slice of the 2024 Jakarta Sirekap table, ~650 of whose TPS have paslon votes that do
not add up to the valid votes) and crafted full C.Hasil forms with random mistakes and gaps.
"""

import random
from types import SimpleNamespace

import polars as pl

from kawaltps.results.checks import run_checks
from kawaltps.results.importers.sirekap_dki2024 import NUMBERS, VOTES
from kawaltps.results.importers.vector_checks import flag_codes

from ..conftest import shared_file
from .helpers import good_form


def _per_row(frame: pl.DataFrame, keys: list[str], candidates: list[int], max_dpt: int) -> list[list[str]]:
    election = SimpleNamespace(max_dpt_per_tps=max_dpt)
    out = []
    for row in frame.iter_rows(named=True):
        votes = {str(n): row[f"v{n}"] for n in candidates if row.get(f"v{n}") is not None}
        numbers = {k: row[k] for k in keys if row.get(k) is not None}
        out.append([f.code for f in run_checks(election, SimpleNamespace(dpt=row["registered_dpt"]), votes, numbers)])
    return out


def _compare(frame, keys, candidates, max_dpt):
    vector = flag_codes(frame, keys, [f"v{n}" for n in candidates], max_dpt)
    assert vector is not None, "vector_checks must know every rule of checks.RULES"
    assert vector.to_list() == _per_row(frame, keys, candidates, max_dpt)
    return vector.to_list()


def test_same_flags_on_real_sirekap_rows():
    path = shared_file("id", "pilpres2024_dki_tps.csv")
    raw = pl.read_csv(path, infer_schema=False)
    cols = [*VOTES, *NUMBERS]
    df = raw.select("kode_tps", *[pl.col(c).cast(pl.Int64, strict=False) for c in cols])
    df = df.filter(pl.col("p01").is_not_null())
    wrong = df.filter(pl.col("p01") + pl.col("p02") + pl.col("p03") != pl.col("suara_sah"))
    assert 500 < wrong.height < 800  # the ~650 real mistakes the data README describes
    sample = pl.concat([wrong.head(250), df.head(250), df.tail(100)])
    frame = sample.select(*[pl.col(k).alias(v) for k, v in NUMBERS.items()],
                          *[pl.col(k).alias(v) for k, v in VOTES.items()],
                          (pl.col("dpt_l") + pl.col("dpt_p")).alias("registered_dpt"))
    flags = _compare(frame, list(NUMBERS.values()), [1, 2, 3], 300)
    assert sum("paslon_tidak_sama_sah" in f for f in flags) >= 250
    assert any(not f for f in flags)  # and clean rows stay clean


def test_same_flags_on_crafted_forms_with_mistakes_and_gaps():
    rng = random.Random(20240214)
    rows = []
    keys: list[str] = []
    for _ in range(400):
        votes, numbers = good_form((rng.randint(0, 200), rng.randint(0, 200), rng.randint(0, 200)),
                                   invalid=rng.randint(0, 15), dpt_l=rng.randint(100, 320), dpt_p=rng.randint(100, 320))
        keys = list(numbers)
        row = {**numbers, **{f"v{k}": v for k, v in votes.items()}}
        for _m in range(rng.choice([0, 0, 1, 2, 3])):  # mistakes: off by a few, negative, absurd, missing
            key = rng.choice(list(row))
            row[key] = rng.choice([(row[key] or 0) + rng.randint(1, 9), -rng.randint(1, 5), 5000, None])
        row["registered_dpt"] = rng.choice([0, numbers["dpt_j"], numbers["dpt_j"] + 1])
        rows.append(row)
    frame = pl.DataFrame(rows, schema={k: pl.Int64 for k in rows[0]})
    flags = _compare(frame, keys, [1, 2, 3], 600)
    codes = {c for f in flags for c in f}
    assert {"paslon_tidak_sama_sah", "lpj_tidak_seimbang", "angka_mustahil", "dpt_beda_daftar",
            "surat_tidak_seimbang"} <= codes
    assert sum(1 for f in flags if not f) > 50
