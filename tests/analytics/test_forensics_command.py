"""``kawaltps forensics`` on a stored election and on CSV files (plain and zipped), and its refusals."""

import io
import json
import zipfile

import numpy as np
import pytest
from django.core.management import call_command

from .conftest import build_election


def run(*args, ok=True) -> dict:
    out = io.StringIO()
    if ok:
        call_command("forensics", *args, "--json", stdout=out)
    else:
        with pytest.raises(SystemExit):
            call_command("forensics", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def write_csv(path, n=3000, seed=0, header="reg,voters,valid,win,uik,region"):
    rng = np.random.default_rng(seed)
    reg = rng.integers(500, 2000, n)
    voters = rng.binomial(reg, 0.6)
    valid = voters - rng.binomial(voters, 0.02)
    win = rng.binomial(valid, 0.45)
    lines = [header] + [f"{a},{b},{c},{d},{i},R{i % 4}" for i, (a, b, c, d) in enumerate(zip(reg, voters, valid, win,
                                                                                             strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


COLS = ["--registered", "reg", "--voters", "voters", "--valid", "valid", "--winner", "win"]


@pytest.mark.django_db
def test_csv_every_test_has_statistic_p_value_flag_alpha(tmp_path):
    out = run(str(write_csv(tmp_path / "clean.csv")), *COLS, "--unit", "uik", "--region", "region",
              "--plots", str(tmp_path / "plots"))
    assert out["units"] == 3000 and out["file"] == "clean.csv"
    assert {t["test"] for t in out["tests"]} == {"fingerprint", "integer_percent", "last_digit", "second_digit",
                                                 "turnout_slope", "outliers"}
    for t in out["tests"]:
        assert {"statistic", "p_value", "flagged", "alpha"} <= set(t)
    assert not any(t["flagged"] for t in out["tests"] if t["test"] in ("fingerprint", "integer_percent"))
    assert len(out["regions"]) == 4
    made = {p.rsplit("/", 1)[1] for p in out["plots"]}
    assert made == {f"{k}.{f}" for k in ("fingerprint", "digits", "integers") for f in ("png", "svg")}
    assert (tmp_path / "plots" / "fingerprint.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "plots" / "digits.svg").read_bytes()[:400]


@pytest.mark.django_db
def test_zipped_csv_and_columns_by_number_and_sum(tmp_path):
    csv = write_csv(tmp_path / "a.csv", header="reg,voters,valid,win,uik,region")
    zpath = tmp_path / "a.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.write(csv, "a.csv")
    by_name = run(str(csv), *COLS)
    by_number = run(str(zpath), "--registered", "1", "--voters", "2", "--valid", "3", "--winner", "4")
    assert by_number["tests"][1]["statistic"] == by_name["tests"][1]["statistic"]
    summed = run(str(csv), "--registered", "reg", "--voters", "voters+valid", "--valid", "valid", "--winner", "win",
                 ok=False)
    assert "melebihi" in summed["error"]  # voters + valid exceeds registered on many rows: refused


@pytest.mark.django_db
def test_bad_csv_input_gets_a_clear_message(tmp_path):
    csv = write_csv(tmp_path / "a.csv")
    assert "Kolom pemenang 'nope' tidak ada" in run(str(csv), *COLS[:-1], "nope", ok=False)["error"]
    text = tmp_path / "text.csv"
    text.write_text("reg,voters,valid,win\n" + "\n".join(f"{100 + i},x{i},50,20" for i in range(50)) + "\n")
    assert "bukan angka" in run(str(text), *COLS, ok=False)["error"]
    assert "wajib" in run(str(csv), "--registered", "reg", ok=False)["error"]
    assert "tidak ada" in run(str(tmp_path / "missing.csv"), *COLS, ok=False)["error"]
    over = tmp_path / "over.csv"
    over.write_text("reg,voters,valid,win\n" + "\n".join(f"100,{150 + i % 7},120,60" for i in range(50)) + "\n")
    assert "pengguna hak pilih melebihi pemilih terdaftar" in run(str(over), *COLS, ok=False)["error"]
    empty = tmp_path / "empty.csv"
    empty.write_text("reg,voters,valid,win\n")
    assert "tidak berisi baris" in run(str(empty), *COLS, ok=False)["error"]
    assert "salah satu" in run(str(csv), "--election", "x", ok=False)["error"]


@pytest.mark.django_db
def test_stored_election(jakarta):
    build_election("fx", per_kel=4)
    out = run("--election", "fx")
    assert out["units"] > 1000 and out["election"] == "fx"
    assert out["winner"].startswith("01")
    assert {r["region"][:2] for r in out["regions"]} == {"31"} and all(len(r["region"]) == 4 for r in out["regions"])
    assert all(r["name"] for r in out["regions"])
    build_election("none", per_kel=1, with_results=False)
    assert "belum punya hasil" in run("--election", "none", ok=False)["error"]
