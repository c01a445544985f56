"""Helpers for the import/tabulation tests: slices of the real files, running the commands."""

import gzip
import io
import json
from pathlib import Path

import polars as pl
from django.core.management import call_command

from tests.conftest import shared_file


def slice_2019(tmp_path: Path, rows: int) -> Path:
    """The first ``rows`` TPS of the real 2019 extract, written as a plain CSV."""
    src = shared_file("id", "pilpres2019_tps.csv.gz")
    out = tmp_path / f"p19_{rows}.csv"
    with gzip.open(src, "rt", encoding="utf-8") as f, open(out, "w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i > rows:
                break
            g.write(line)
    return out


def run_json(*args) -> dict:
    out = io.StringIO()
    call_command(args[0].replace("-", "_"), *args[1:], "--json", stdout=out)
    return json.loads(out.getvalue())


def column_sums(path: Path, prefix: str) -> dict:
    """The file's sums of a source's columns, over the rows where that source is present."""
    df = pl.read_csv(path, infer_schema_length=0).with_columns(pl.all().exclude("prov", "kab", "kec", "kel")
                                                               .cast(pl.Int64, strict=False))
    have = df.filter(pl.all_horizontal(pl.col([f"{prefix}_pas1", f"{prefix}_pas2", f"{prefix}_sah",
                                               f"{prefix}_tsah"]).is_not_null()))
    return {"votes": {"1": have[f"{prefix}_pas1"].sum(), "2": have[f"{prefix}_pas2"].sum()},
            "valid": have[f"{prefix}_sah"].sum(), "invalid": have[f"{prefix}_tsah"].sum(),
            "total": have[f"{prefix}_jum"].sum(), "entered": have.height}
