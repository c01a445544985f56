"""The MK package of a region: the petition material on a Pilkada result (perselisihan hasil).

- **The table** "menurut Pemohon / menurut Termohon / selisih" per kelurahan (or per TPS) over the
  whole region: Pemohon = the sum of our saksi's C.Hasil (verified or final: the numbers two clerks
  or a supervisor confirmed), taking KPU's number at a TPS where we hold none (a TPS we cannot
  dispute is not disputed: a missing form is never read as a lost vote); Termohon = KPU's official
  per-TPS numbers (``TpsResult`` source official); selisih = Pemohon − Termohon, per paslon. Each row
  says how many of its TPS we hold.
- **Pasal 158** (:mod:`legal.threshold`): the difference between the winner and the petitioner in the
  official result (the D.Hasil of the race's region when entered, else Sirekap's TPS sum:
  :func:`recap.discrepancies.official_outcome`) against the share of the valid votes the region's
  population allows. The population is given by the legal team (Kemendagri DKB); without it the
  package says the threshold cannot be computed yet.
- **The deadline** (:func:`legal.deadlines.mk_deadline`): 3 working days after the announcement.
- **Evidence** numbered P-1, P-2, …: the D.Hasil photos of the region and the tiers below it, the
  C.Hasil photos and Sirekap versions of every TPS where our C.Hasil differs from KPU's, the incident
  files there;
  each with the SHA-256 stored when it entered the system, attached as ``P-n.ext``.
"""

from __future__ import annotations

import datetime

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.core.formatting import long_when
from kawaltps.core.numbers import NumberError, is_ascii_digits, parse_count
from kawaltps.elections.models import Election
from kawaltps.evidence.models import EvidenceFile
from kawaltps.recap import impact
from kawaltps.recap.discrepancies import WITNESS_STATES, numbers_of, official_outcome, result_frames
from kawaltps.recap.models import DHasil, SirekapSnapshot
from kawaltps.regions.models import TPS, Region

from . import places, threshold
from .deadlines import mk_deadline
from .models import MkPackage

LEVELS = {10: "kelurahan", 13: "TPS"}


def parse_region(text: str) -> str:
    code = str(text or "").replace(".", "").strip()
    if not is_ascii_digits(code) or len(code) not in (2, 4):
        raise ValidationError("Kode wilayah permohonan MK harus kode provinsi (2 angka) atau kabupaten/kota "
                              "(4 angka).")
    return code


def parse_day(text) -> datetime.date:
    if isinstance(text, datetime.date):
        return text
    try:
        return datetime.date.fromisoformat(str(text or "").strip())
    except ValueError:
        raise ValidationError("Tanggal pengumuman KPU tidak sah: tulis TTTT-BB-HH, misalnya 2024-12-08.") from None


def parse_population(value) -> int | None:
    try:
        return parse_count(value, field="Jumlah penduduk")
    except NumberError as exc:
        raise ValidationError(str(exc)) from None


def _tps_frame(election: Election, region: str, numbers: list[int]) -> pl.DataFrame:
    """One row per registered TPS of the region: ``w<n>`` ours (null if we hold none), ``k<n>`` KPU's
    (0 if none), ``p<n>`` Pemohon's (ours, else KPU's), ``has_w``, ``has_k``, ``differs``."""
    cols = [f"c{n}" for n in numbers]
    frames = result_frames(election)
    witness = frames["witness"].filter(pl.col("state").is_in(list(WITNESS_STATES))).drop("state")
    codes = list(TPS.objects.filter(election=election, code__startswith=region).values_list("code", flat=True))
    base = pl.DataFrame({"code": codes}, schema={"code": pl.Utf8})

    def side(frame: pl.DataFrame, letter: str) -> pl.DataFrame:
        f = frame.filter(pl.col("code").str.starts_with(region)).drop_nulls(cols)
        return f.select("code", *[pl.col(f"c{n}").cast(pl.Int64).alias(f"{letter}{n}") for n in numbers])

    j = base.join(side(witness, "w"), on="code", how="left").join(side(frames["official"], "o"), on="code",
                                                                   how="left")
    has_w, has_k = pl.col(f"w{numbers[0]}").is_not_null(), pl.col(f"o{numbers[0]}").is_not_null()
    return j.with_columns(
        has_w.alias("has_w"), has_k.alias("has_k"),
        *[pl.col(f"o{n}").fill_null(0).alias(f"k{n}") for n in numbers],
        *[pl.coalesce(pl.col(f"w{n}"), pl.col(f"o{n}"), pl.lit(0, pl.Int64)).alias(f"p{n}") for n in numbers],
        (has_w & pl.any_horizontal([pl.col(f"w{n}") != pl.col(f"o{n}").fill_null(-1) for n in numbers]))
        .alias("differs"))


def table(election: Election, region: str, length: int = 10) -> dict:
    """``{"rows": [...], "total": {...}, "differing_tps": [...]}``: per unit (kelurahan or TPS) the TPS
    count, how many we hold (``ours_tps``) and KPU publishes (``kpu_tps``), and per paslon ``ours``
    (Pemohon: our C.Hasil, or KPU's number where we hold none: not disputed there), ``kpu``
    (Termohon) and ``diff`` (ours − kpu)."""
    numbers = numbers_of(election)
    j = _tps_frame(election, region, numbers)
    grouped = j.group_by(pl.col("code").str.slice(0, length).alias("unit")).agg(
        pl.len().alias("n"), pl.col("has_w").sum().alias("ours_tps"), pl.col("has_k").sum().alias("kpu_tps"),
        *[pl.col(f"p{n}").sum() for n in numbers], *[pl.col(f"k{n}").sum() for n in numbers]).sort("unit")
    units = grouped["unit"].to_list()
    names = {c: places.nice(n) for c, n in Region.objects.filter(
        code__in={u[:k] for u in units for k in (10, 6) if len(u) >= k}).values_list("code", "name")}
    rows = []
    for g in grouped.to_dicts():
        row = {"code": g["unit"], "name": places.place(g["unit"], up_to=6, names=names), "tps": int(g["n"]),
               "ours_tps": int(g["ours_tps"]), "kpu_tps": int(g["kpu_tps"]),
               "ours": {str(n): int(g[f"p{n}"]) for n in numbers}, "kpu": {str(n): int(g[f"k{n}"]) for n in numbers}}
        row["diff"] = {k: row["ours"][k] - row["kpu"][k] for k in row["ours"]}
        rows.append(row)
    total = {"tps": sum(r["tps"] for r in rows), "ours_tps": sum(r["ours_tps"] for r in rows),
             "kpu_tps": sum(r["kpu_tps"] for r in rows)}
    for key in ("ours", "kpu", "diff"):
        total[key] = {str(n): sum(r[key][str(n)] for r in rows) for n in numbers}
    differing = sorted(j.filter(pl.col("differs"))["code"].to_list())
    return {"rows": rows, "total": total, "differing_tps": differing}


def _official(election: Election, region: str, tab: dict) -> dict:
    if election.scope_id == region:
        return official_outcome(election)
    return {**impact.outcome({int(n): v for n, v in tab["total"]["kpu"].items()}), "source": "sirekap_tps"}


def evidence(election: Election, region: str, tab: dict) -> list[dict]:
    """The exhibits P-1, P-2, … (see the module's docstring for the order)."""
    from kawaltps.results.models import Photo

    items: list[tuple[str, str, str, int]] = []
    seen: set[str] = set()

    def add(text: str, name: str, sha: str, size: int) -> None:
        if sha and sha not in seen:
            seen.add(sha)
            items.append((text, name.rsplit(".", 1)[-1].lower() if "." in name else "bin", sha, size))

    dhasil = DHasil.objects.filter(election=election, code__startswith=region).prefetch_related("photos")
    for dh in sorted(dhasil, key=lambda d: (len(d.code), d.code)):
        for p in dh.photos.all():
            add(f"Foto {places.TIER_DOC.get(dh.tier, dh.tier)}, {places.region_label(dh.code)}", p.file.name,
                p.sha256, p.size)
    tps = tab["differing_tps"]
    for p in Photo.objects.filter(result__election=election, result__code__in=tps, result__source="witness") \
            .select_related("result").order_by("result__code", "page"):
        add(f"Foto salinan C.Hasil saksi {places.place(p.result.code, up_to=6)}, halaman {p.page}",
            p.file.name, p.sha256, p.size)
    for s in SirekapSnapshot.objects.filter(election=election, code__in=tps).defer("raw").order_by("code",
                                                                                               "fetched_at"):
        add(f"Halaman Sirekap {places.place(s.code, up_to=6)}, versi diambil {long_when(s.fetched_at)}", "x.json",
            s.sha256,
            len(bytes(s.raw_bytes)) if s.raw_bytes else 0)
    for f in EvidenceFile.objects.filter(election=election, code__startswith=region,
                                         purpose="incident").order_by("code", "pk"):
        add(f"{'Video' if f.kind == 'video' else 'Foto'} kejadian di {places.place(f.code, up_to=6)}",
            f.original.name, f.sha256, f.size)
    return [{"number": f"P-{n}", "label": text, "file": f"P-{n}.{ext}", "sha256": sha, "size": size}
            for n, (text, ext, sha, size) in enumerate(items, start=1)]


def compute(election: Election, region: str, announced_on: datetime.date, *, population: int | None = None,
            petitioner: int | None = None, length: int = 10) -> dict:
    """The package's data (nothing stored)."""
    if length not in LEVELS:
        raise ValidationError("Rincian tabel harus per kelurahan atau per TPS.")
    if election.scope_id and not region.startswith(election.scope_id):
        raise ValidationError(f"Wilayah itu di luar wilayah {election.name}.")
    if not numbers_of(election):
        raise ValidationError("Pemilihan ini belum punya paslon.")
    if not TPS.objects.filter(election=election, code__startswith=region).exists():
        raise ValidationError("Wilayah ini tidak punya TPS pada pemilihan ini: tidak ada angka untuk permohonan.")
    tab = table(election, region, length)
    official = _official(election, region, tab)
    winner = official["leader"]
    numbers = numbers_of(election)
    if petitioner is None:
        petitioner = official["runner_up"]
    if petitioner not in numbers:
        raise ValidationError("Paslon pemohon tidak ada pada pemilihan ini.")
    if petitioner == winner:
        raise ValidationError("Paslon pemohon adalah peraih suara terbanyak menurut KPU: tidak ada yang dimohonkan.")
    votes = official["votes"]
    margin = int(votes.get(str(winner), 0)) - int(votes.get(str(petitioner), 0))
    level = threshold.PROVINSI if election.kind == Election.Kind.PILKADA_GUBERNUR else (
        threshold.KABKOTA if election.kind == Election.Kind.PILKADA_BUPATI else None)
    limit = None
    if level and population is not None:
        limit = threshold.threshold(level, population, official["valid"], margin).as_dict()
    return {"region": region, "region_name": places.region_label(region), "announced_on": announced_on.isoformat(),
            "deadline": mk_deadline(announced_on).isoformat(), "level": length, "petitioner": petitioner,
            "winner": winner, "candidates": {str(n): name for n, name in election.candidates.values_list(
                "number", "name")},
            "official": {"votes": votes, "valid": official["valid"], "source": official.get("source", "")},
            "margin": margin, "threshold_level": level, "population": population, "threshold": limit,
            "rows": tab["rows"], "total": tab["total"], "differing_tps": len(tab["differing_tps"]),
            "evidence": evidence(election, region, tab)}


@transaction.atomic
def build_package(user, election: Election, region, announced_on, *, population=None, petitioner=None,
                  length: int = 10) -> MkPackage:
    """Compute and store an MK package (``user`` None: the server's operator, from the CLI); audited."""
    code = parse_region(region)
    if user is not None:
        require(user, Action.FILE_LEGAL, code)
    day = parse_day(announced_on)
    pop = parse_population(population)
    data = compute(election, code, day, population=pop, petitioner=petitioner, length=length)
    pkg = MkPackage.objects.create(election=election, region_code=code, announced_on=day,
                                   deadline=datetime.date.fromisoformat(data["deadline"]), population=pop,
                                   petitioner=data["petitioner"], level=length, data=data, created_by=user)
    record_change(user=user, actor="" if user is not None else "cli", obj=pkg, code=code,
                  election_slug=election.slug, action="legal.mk_create",
                  after={"announced_on": day.isoformat(), "deadline": data["deadline"], "population": pop,
                         "petitioner": data["petitioner"], "evidence": len(data["evidence"]),
                         "eligible": (data["threshold"] or {}).get("eligible")})
    return pkg
