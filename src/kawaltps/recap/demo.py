"""Demo step: official numbers with known alterations, D.Hasil for every tier, and the findings.

Runs after the results step, which fills our witness C.Hasil. Then:

- every TPS gets a Sirekap page in the real Pilkada shape (``tungsura.chart`` keyed by 1000023/24/25)
  equal to our witness numbers (or generated ones where we have none), imported as a snapshot,
  which makes it the official ``TpsResult``;
- the generated numbers are fitted so that the story adds up to KPU's published result
  (``PUBLISHED_RESULT``, DOMAIN.md): Σ official TPS + the kecamatan alterations = the D.Hasil
  provinsi = 1,718,160 / 459,230 / 2,183,239, valid 4,360,629, invalid 363,764. Real: those
  province figures, the DPT (8,214,007) and the TPS count (14,835). Generated: every per-TPS,
  per-kecamatan and per-kota figure (no per-kota publication is in ../shared);
- ``ALTERED_COUNT`` TPS with verified witness numbers get official numbers with votes moved
  between paslon; the first ``CHANGED_LATER`` of them were first published correctly and changed
  two days later (a second snapshot), the others were wrong from the start;
- D.Hasil for every kecamatan, kota and the provinsi equal to the sums below them, except the
  kecamatan ``ALTERED_KECAMATAN``, whose recap moves ``KECAMATAN_MOVED`` votes from paslon 3 to 1, and
  one more kecamatan (:func:`line_kecamatan`, D.Hasil source ``demo:line``) whose recap moves
  ``LINE_MOVED`` votes from paslon 1 to the leader 3: more than the leader's surplus over the 50 % + 1
  line (2,924), so undoing that one finding drops the winner below the line;
- one TPS first published with a slip and corrected towards our saksi's form, the ``CHANGED_LATER``
  changed away from it, and one kecamatan whose kelurahan rows move ``ROW_MOVED`` votes (tier-row finding);
- the discrepancies are computed, so the page shows exactly those.

:func:`expected` says what the engine must find (the demo test asserts it).
"""

from __future__ import annotations

import datetime
import io

import numpy as np
import polars as pl
from django.db import transaction
from django.utils import timezone

from kawaltps.core.formatting import number as angka
from kawaltps.elections.models import Election

from . import discrepancies
from .dhasil import add_photo, save_dhasil
from .models import SirekapSnapshot
from .sirekap import parse_tps, tps_page
from .snapshots import key_map, rebuild_official_tallies, store_tps

ALTERED_COUNT = 12
CHANGED_LATER = 3
CORRECTED = 1  # TPS first published wrong (an OCR slip) and corrected towards our saksi's form
ROW_MOVED = 40  # votes moved between two kelurahan rows of one D.Hasil Kecamatan (its total unchanged)
EARLY = "2024-11-28 08:00:00"
ALTERED_KECAMATAN = "317508"  # Makasar, Jakarta Timur
KECAMATAN_MOVED = 150
LINE_MOVED = 3_000  # > the winner's surplus over the 50 % + 1 line (2,924): a finding that crosses it
SEED = 20241128
PUBLISHED = "2024-11-28 10:00:00"  # Sirekap's provisional count used in DOMAIN.md
CHANGED_AT = "2024-11-30 08:15:00"
PHOTO_HOST = "https://sirekappilkada-obj-data.kpu.go.id/pilkada/uploads/demo"
# KPU's final result of the Jakarta 2024 governor race (D.Hasil provinsi; ../shared/DOMAIN.md).
PUBLISHED_RESULT = {"votes": {"1": 1_718_160, "2": 459_230, "3": 2_183_239}, "valid": 4_360_629,
                    "invalid": 363_764, "dpt": 8_214_007, "tps": 14_835}


def _witness(election: Election) -> pl.DataFrame:
    numbers = discrepancies.numbers_of(election)
    return (
        discrepancies.witness_frame(election, ("entered", "verified", "disputed", "final"))
        .join(
            discrepancies.witness_frame(election).select("code").with_columns(pl.lit(True).alias("verified")),
            on="code",
            how="left",
        )
        .with_columns(pl.col("verified").fill_null(False))
        .drop_nulls([f"c{n}" for n in numbers])
    )


def _generated(codes: list[str], dpt: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Votes per paslon for TPS without witness numbers: turnout ~57.5 %, shares as in DOMAIN.md."""
    voters = np.round(dpt * np.clip(rng.normal(0.575, 0.06, len(codes)), 0.2, 0.95))
    valid = np.round(voters * 0.923)
    shares = rng.dirichlet(np.array([39.4, 10.53, 50.07]) * 3, len(codes))
    votes = np.floor(shares * valid[:, None]).astype(int)
    votes[:, 2] += (valid - votes.sum(axis=1)).astype(int)
    return votes


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer ``total`` over ``weights`` exactly (floor, then largest remainders)."""
    if total < 0:
        raise ValueError("the demo's witness numbers already exceed the published result")
    w = np.asarray(weights, dtype=float)
    if len(w) == 0:
        if total:
            raise ValueError("no TPS left to carry the published result")
        return np.zeros(0, dtype=np.int64)
    exact = total * w / w.sum() if w.sum() > 0 else np.full(len(w), total / len(w))
    out = np.floor(exact).astype(np.int64)
    rest = int(total - out.sum())
    out[np.argsort(-(exact - out), kind="stable")[:rest]] += 1
    return out


def _fit_generated(known: dict[str, dict], known_invalid: dict[str, int], codes: list[str],
                   dpt: np.ndarray, rng: np.random.Generator) -> tuple[dict, dict]:
    """Votes and invalid ballots for the TPS without witness numbers, so that every official TPS
    together with the kecamatan alteration adds up to :data:`PUBLISHED_RESULT` exactly."""
    target = {k: v - _kecamatan_move().get(k, 0) for k, v in PUBLISHED_RESULT["votes"].items()}
    gen = _generated(codes, dpt, rng)
    votes = {}
    for i, k in enumerate(sorted(target)):
        rest = target[k] - sum(v[k] for v in known.values())
        votes[k] = _allocate(rest, gen[:, i] + 1e-9)
    invalid_rest = PUBLISHED_RESULT["invalid"] - sum(known_invalid.get(c, 0) for c in known)
    invalid = _allocate(invalid_rest, gen.sum(axis=1) + 1e-9)
    out = {c: {k: int(votes[k][j]) for k in votes} for j, c in enumerate(codes)}
    return out, {c: int(invalid[j]) for j, c in enumerate(codes)}


def _kecamatan_move() -> dict[str, int]:
    """The D.Hasil kecamatan alterations together: votes added per paslon (nets to zero)."""
    return {"1": KECAMATAN_MOVED - LINE_MOVED, "3": LINE_MOVED - KECAMATAN_MOVED}


def line_kecamatan(official: dict[str, dict], row_kec: str | None) -> str:
    """The kecamatan whose D.Hasil moves :data:`LINE_MOVED` votes of 01 to 03: the first (by code) other
    than :data:`ALTERED_KECAMATAN` and the row-altered one whose official 01 votes allow it."""
    ones: dict[str, int] = {}
    for c, v in official.items():
        ones[c[:6]] = ones.get(c[:6], 0) + v["1"]
    return next(k for k in sorted(ones) if k not in (ALTERED_KECAMATAN, row_kec) and ones[k] >= LINE_MOVED)


def _altered(witness: pl.DataFrame, rng: np.random.Generator) -> dict[str, dict[str, int]]:
    """Pick TPS with verified numbers and move votes from one paslon to another there."""
    pool = witness.filter(pl.col("verified")).sort("code")
    picks = sorted(rng.choice(pool.height, size=min(ALTERED_COUNT, pool.height), replace=False).tolist())
    out = {}
    for i, idx in enumerate(picks):
        row = pool.row(idx, named=True)
        votes = {"1": row["c1"], "2": row["c2"], "3": row["c3"]}
        donor = max(votes, key=lambda k: votes[k])  # take from the largest
        taker = ["1", "2", "3"][(int(donor) + i) % 3]
        if taker == donor:
            taker = "1" if donor != "1" else "2"
        moved = int(min(votes[donor], 10 + 7 * i))
        votes[donor] -= moved
        votes[taker] += moved
        out[row["code"]] = votes
    return out


def _page(keys, code, votes, valid_invalid, ts):
    valid = sum(votes.values())
    invalid = valid_invalid[code]
    adm = {
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "suara_total": valid + invalid,
        "pengguna_total_j": valid + invalid,
    }
    images = [f"{PHOTO_HOST}/{code}-{p}.jpg" for p in (1, 2, 3)]
    doc = tps_page(keys, votes, administrasi=adm, images=images, ts=ts)
    return parse_tps(doc, {v: int(k) for k, v in keys.items()}, code)


def _photo_png(title: str, lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, 880, 580], outline="black", width=3)
    draw.text((50, 50), title, fill="black")
    for i, line in enumerate(lines):
        draw.text((60, 120 + 50 * i), line, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def expected(election: Election) -> dict[str, set[str]]:
    """What the engine must find in the demo: {step: codes}."""
    altered = {s.code for s in SirekapSnapshot.objects.filter(election=election, source__startswith="demo:altered")}
    later = {s.code for s in SirekapSnapshot.objects.filter(election=election, changed=True)}
    from .models import DHasil

    rows = DHasil.objects.filter(election=election, tier="kecamatan").exclude(children={}).first()
    line = set(DHasil.objects.filter(election=election, source="demo:line").values_list("code", flat=True))
    return {
        "tps_sirekap": altered,
        "sirekap_changed": later,
        "dhasil_kelurahan": set(sorted(rows.children)[:2]) if rows else set(),
        "tps_kecamatan": {ALTERED_KECAMATAN} | line,
        "crosses_line": line,
        "kecamatan_kabkota": set(),
        "kabkota_provinsi": set(),
    }


def _generate_witness(election: Election, tps: pl.DataFrame, numbers: list[int], rng) -> None:
    """Verified witness numbers for about 70 % of the TPS (the rest stay without, as in the field)."""
    from kawaltps.results.models import TpsResult

    keep = tps.filter(pl.Series(rng.random(tps.height) < 0.7))
    gen = _generated(keep["code"].to_list(), keep["dpt"].to_numpy(), rng)
    ids = dict(election.tps_set.values_list("code", "id"))
    TpsResult.objects.bulk_create(
        [
            TpsResult(
                election=election,
                tps_id=ids[c],
                code=c,
                source="witness",
                state="verified",
                version=1,
                votes={str(n): int(v[i]) for i, n in enumerate(numbers)},
                valid=int(v.sum()),
                invalid=int(round(v.sum() * 0.08)),
                total=int(v.sum() + round(v.sum() * 0.08)),
            )
            for c, v in zip(keep["code"].to_list(), gen, strict=True)
        ],
        batch_size=2000,
    )


@transaction.atomic
def _create_official(election: Election) -> tuple[dict, int]:
    from kawaltps.results.models import TpsResult

    rng = np.random.default_rng(SEED)
    numbers = discrepancies.numbers_of(election)
    keys = {n: k for k, n in key_map(election).items()}
    witness = _witness(election)
    tps = pl.DataFrame(
        list(election.tps_set.values_list("code", "dpt")), schema={"code": pl.Utf8, "dpt": pl.Int64}, orient="row"
    )
    if witness.height == 0:  # the results step did not run: make verified witness numbers ourselves
        _generate_witness(election, tps, numbers, rng)
        witness = _witness(election)
    invalid = dict(
        TpsResult.objects.filter(election=election, source="witness", invalid__isnull=False).values_list(
            "code", "invalid"
        )
    )
    official = {r["code"]: {str(n): r[f"c{n}"] for n in numbers} for r in witness.iter_rows(named=True)}
    invalid = {c: invalid.get(c, round(sum(v.values()) * 0.08)) for c, v in official.items()}
    altered = _altered(witness, rng)
    known = {c: altered.get(c, v) for c, v in official.items()}  # what Sirekap finally shows there
    missing = tps.join(witness.select("code"), on="code", how="anti").sort("code")
    generated, generated_invalid = _fit_generated(known, invalid, missing["code"].to_list(),
                                                  missing["dpt"].to_numpy(), rng)
    official |= generated
    invalid |= generated_invalid
    later = set(sorted(altered)[:CHANGED_LATER])
    # a TPS first published with 25 votes misread from 01 to 02, then corrected to our saksi's form
    plain = [c for c in sorted(witness.filter(pl.col("verified"))["code"].to_list()) if c not in altered]
    t_early = timezone.make_aware(datetime.datetime(2024, 11, 28, 8, 5))
    early = []
    for c in plain[:CORRECTED]:
        v = dict(official[c])
        slip = min(25, v["1"])
        v["1"], v["2"] = v["1"] - slip, v["2"] + slip
        early.append(_page(keys, c, v, invalid, EARLY))
    if early:
        store_tps(election, early, sources=["demo:corrected"] * len(early), fetched_at=t_early, actor="demo")
    first = [
        _page(keys, c, (official[c] if c in later or c not in altered else altered[c]), invalid, PUBLISHED)
        for c in sorted(official)
    ]
    sources = [("demo:altered" if p.code in altered and p.code not in later else "demo") for p in first]
    t0 = timezone.make_aware(datetime.datetime(2024, 11, 28, 10, 5))
    for start in range(0, len(first), 2000):
        store_tps(
            election, first[start : start + 2000], sources=sources[start : start + 2000], fetched_at=t0, actor="demo"
        )
    second = [_page(keys, c, altered[c], invalid, CHANGED_AT) for c in sorted(later)]
    store_tps(
        election,
        second,
        sources=["demo:altered"] * len(second),
        fetched_at=t0 + datetime.timedelta(days=2),
        actor="demo",
    )
    for c, v in altered.items():
        official[c] = v
    return official, invalid


def row_altered_kecamatan(official: dict[str, dict]) -> str | None:
    """The kecamatan whose D.Hasil rows move :data:`ROW_MOVED` votes of 03 to 01 in its first kelurahan
    and back in its second (the kecamatan's total stays right): the first kecamatan other than
    :data:`ALTERED_KECAMATAN` with two kelurahan that have those votes."""
    kel: dict[str, dict[str, dict]] = {}
    for c, v in official.items():
        k = kel.setdefault(c[:6], {}).setdefault(c[:10], {"1": 0, "3": 0})
        k["1"] += v["1"]
        k["3"] += v["3"]
    for kec in sorted(kel):
        rows = sorted(kel[kec])
        if kec != ALTERED_KECAMATAN and len(rows) >= 2:
            if kel[kec][rows[0]]["3"] >= ROW_MOVED and kel[kec][rows[1]]["1"] >= ROW_MOVED:
                return kec
    return None


def _rows(official: dict[str, dict], invalid: dict[str, int], kec: str, numbers: list[int]) -> dict:
    rows: dict[str, dict] = {}
    for c in sorted(official):
        if c.startswith(kec):
            r = rows.setdefault(c[:10], {"votes": {str(n): 0 for n in numbers}, "invalid": 0})
            for n in numbers:
                r["votes"][str(n)] += official[c][str(n)]
            r["invalid"] += invalid[c]
    a, b = sorted(rows)[:2]
    rows[a]["votes"]["1"] += ROW_MOVED
    rows[a]["votes"]["3"] -= ROW_MOVED
    rows[b]["votes"]["1"] -= ROW_MOVED
    rows[b]["votes"]["3"] += ROW_MOVED
    for r in rows.values():
        r["valid"] = sum(r["votes"].values())
    return rows


@transaction.atomic
def _create_dhasil(election: Election, official: dict[str, dict], invalid: dict[str, int]) -> None:
    numbers = discrepancies.numbers_of(election)
    row_kec = row_altered_kecamatan(official)
    line_kec = line_kecamatan(official, row_kec)
    frame = pl.DataFrame({"code": list(official), **{f"c{n}": [v[str(n)] for v in official.values()] for n in numbers},
                          "invalid": [invalid[c] for c in official]})
    # each tier adds up the tier below as entered (so the altered kecamatan carries upward unseen)
    for tier, n in (("kecamatan", 6), ("kabkota", 4), ("provinsi", 2)):
        frame = frame.group_by(pl.col("code").str.slice(0, n)).agg(
            *(pl.col(f"c{k}").sum() for k in numbers), pl.col("invalid").sum())
        if tier == "kecamatan":
            moved = (
                pl.when(pl.col("code") == ALTERED_KECAMATAN)
                .then(pl.min_horizontal(pl.col("c3"), pl.lit(KECAMATAN_MOVED)))
                .otherwise(0)
            )
            line = pl.when(pl.col("code") == line_kec).then(pl.lit(LINE_MOVED)).otherwise(0)
            frame = frame.with_columns(pl.col("c1") + moved - line, pl.col("c3") - moved + line)
        for row in frame.sort("code").iter_rows(named=True):
            votes = {str(k): row[f"c{k}"] for k in numbers}
            is_row_kec = tier == "kecamatan" and row["code"] == row_kec
            kids = _rows(official, invalid, row_kec, numbers) if is_row_kec else None
            source = "demo:line" if tier == "kecamatan" and row["code"] == line_kec else "demo"
            obj = save_dhasil(election, tier, row["code"], votes, valid=sum(votes.values()),
                              invalid=row["invalid"], children=kids, source=source, actor="demo")
            if row["code"] == ALTERED_KECAMATAN:
                png = _photo_png(
                    f"D.HASIL KECAMATAN {row['code']} (demo)",
                    [f"Paslon {k:02d}: {angka(votes[str(k)])}" for k in numbers],
                )
                add_photo(obj, png)


def populate(ctx) -> list[str]:
    election: Election = ctx.election
    if not SirekapSnapshot.objects.filter(election=election).exists():
        official, invalid = _create_official(election)
        _create_dhasil(election, official, invalid)
        rebuild_official_tallies(election)
    objs, summary = discrepancies.recompute(election)
    from .labels import label  # the checks in words, not their codes (tps_sirekap)

    counts = "; ".join(f"{label(k)}: {angka(v)}" for k, v in summary["counts"].items() if v)
    return [f"Rekap: snapshot Sirekap dan D.Hasil dibuat; {len(objs)} selisih ditemukan ({counts})",
            steps_line(election, summary)]


def steps_line(election: Election, summary: dict) -> str:
    """The demo's story in one line: the altered kelurahan rows, Sirekap corrections towards and away
    from our form, and the findings that alone cross the 50 % + 1 line."""
    from .models import Discrepancy

    found = Discrepancy.objects.filter(election=election)
    verdicts = [d["verdict"] for d in found.filter(step="sirekap_changed").values_list("detail", flat=True)]
    surplus = (summary.get("official") or {}).get("surplus")
    crossing = found.filter(impact_line__gt=surplus).count() if surplus is not None and surplus >= 0 else 0
    return (f"Rekap: {angka(found.filter(step='dhasil_kelurahan').count())} baris kelurahan diubah di dalam "
            f"kecamatan; koreksi Sirekap {angka(verdicts.count('towards'))} mendekati dan "
            f"{angka(verdicts.count('away'))} menjauhi C.Hasil saksi; {angka(crossing)} temuan melewati garis "
            f"50 % + 1 sendirian (surplus pemenang {angka(surplus or 0)})")
