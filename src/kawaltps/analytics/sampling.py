"""Drawing a quick-count sample: how many TPS, which strata, and the seeded stratified draw.

**Sample size** (NDI: Estok, Nevitte & Cowan, *The Quick Count and Election Observation*, NDI 2002,
ch. 5): the number of *voters* needed for a margin of error e at confidence c is

    n₀ = z² · p(1−p) / e²,   with the finite-population correction  n = n₀ / (1 + (n₀−1)/V)

(z the normal quantile of c, p = 0.5 the worst case, V the voters on the list). A quick count
samples whole TPS, not voters, and voters of one TPS vote alike (one neighbourhood), so the
voter count is multiplied by the design effect deff = 1 + (m−1)·ρ (Kish 1965; m the mean voters
per TPS, ρ the intra-TPS correlation) and divided by m:

    TPS = ⌈ n · deff / m ⌉.

ρ defaults to :data:`DEFAULT_ICC`, measured on the 2019 presidential file (Indonesia votes by
region: ρ ≈ 0.28, printed by ``bench/analytics_quickcount_coverage.py``); without it the NDI count
for ±1 % is ~50 TPS, which would be a fiction.

**Strata** (:data:`SCHEMES`): by kabupaten/kota, optionally split into kelurahan (urban, Kemendagri
kelurahan codes 1xxx) and desa (rural, 2xxx); or by provinsi or kecamatan. **Allocation**:
proportional to the stratum's TPS, at least 2 per stratum (so each stratum's variance can be
estimated), largest remainders. **Draw**: every TPS of the election in code order gets a uniform
key from NumPy's PCG64 seeded with the seed; in each stratum the n_h smallest keys are taken. The
same seed over the same TPS gives the same sample, so anyone can redo the draw.
"""

from __future__ import annotations

import math
import secrets

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils.translation import gettext as _
from scipy import stats

from kawaltps.regions.models import TPS

from .models import QuickCountDraw, SampledTps
from .units import AnalyticsError

DEFAULT_ICC = 0.28
DEFAULT_MARGIN = 0.01
DEFAULT_CONFIDENCE = 0.95
MIN_PER_STRATUM = 2
SCHEMES = {
    "kabkota_urban": "kabupaten/kota × kelurahan/desa",
    "kabkota": "kabupaten/kota",
    "provinsi": "provinsi",
    "kecamatan": "kecamatan",
}


def ndi_sample_size(margin: float, confidence: float, voters: int, n_tps: int, *, p: float = 0.5,
                    icc: float = DEFAULT_ICC) -> dict:
    """TPS needed for ``margin`` at ``confidence`` (see the module docstring); with the steps."""
    if not 0 < margin < 0.5 or not 0.5 < confidence < 1:
        raise AnalyticsError(_("Margin of error harus antara 0 dan 0,5 dan tingkat kepercayaan antara 0,5 dan 1."))
    if n_tps <= 0 or voters <= 0:
        raise AnalyticsError(_("Pemilihan ini belum punya TPS dengan DPT."))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    n0 = z * z * p * (1 - p) / margin ** 2
    n_voters = n0 / (1 + (n0 - 1) / voters)
    m = voters / n_tps
    deff = 1 + (m - 1) * icc
    tps = math.ceil(n_voters * deff / m)
    return {"z": z, "voters_srs": n0, "voters_fpc": n_voters, "mean_voters_per_tps": m, "icc": icc,
            "design_effect": deff, "tps": min(tps, n_tps), "margin": margin, "confidence": confidence}


def strata_expr(scheme: str) -> pl.Expr:
    code = pl.col("code")
    if scheme == "kabkota_urban":
        kind = code.str.slice(6, 1)
        return pl.concat_str([code.str.slice(0, 4), pl.when(kind == "1").then(pl.lit("-K"))
                              .when(kind == "2").then(pl.lit("-D")).otherwise(pl.lit(""))])
    length = {"kabkota": 4, "provinsi": 2, "kecamatan": 6}.get(scheme)
    if length is None:
        raise AnalyticsError(_("Skema strata tidak dikenal: %(s)s (pilihan: %(all)s).")
                             % {"s": scheme, "all": ", ".join(SCHEMES)})
    return code.str.slice(0, length)


def allocate(population: np.ndarray, n: int) -> np.ndarray:
    """n_h ∝ N_h, at least MIN_PER_STRATUM (or N_h when smaller), summing to n (largest remainders)."""
    floor = np.minimum(population, MIN_PER_STRATUM)
    if floor.sum() > n:
        raise AnalyticsError(_("Ukuran sampel %(n)d terlalu kecil untuk %(h)d strata: perlu minimal %(min)d "
                               "(%(per)d per strata). Perbesar sampel atau pilih strata yang lebih kasar.")
                             % {"n": n, "h": len(population), "min": int(floor.sum()), "per": MIN_PER_STRATUM})
    alloc = floor.astype(np.int64)
    rest = n - alloc.sum()
    room = population - alloc
    for _round in range(4):  # a few passes: strata that fill up give their share back
        if rest <= 0 or room.sum() == 0:
            break
        want = rest * room / room.sum()
        add = np.minimum(np.floor(want).astype(np.int64), room)
        left = rest - add.sum()
        order = np.argsort(-(want - np.floor(want)), kind="stable")
        extra = np.zeros_like(add)
        eligible = order[(room - add)[order] > 0][:left]
        extra[eligible] = 1
        add = add + extra
        alloc += add
        room -= add
        rest -= add.sum()
    return alloc


def population_frame(election) -> pl.DataFrame:
    rows = list(TPS.objects.filter(election=election).order_by("code").values_list("id", "code", "dpt"))
    return pl.DataFrame(rows, schema={"tps_id": pl.Int64, "code": pl.String, "dpt": pl.Int64}, orient="row")


def draw_sample(frame: pl.DataFrame, n: int, seed: int, scheme: str) -> tuple[pl.DataFrame, dict]:
    """(sampled rows with their stratum, {stratum: [N_h, n_h]}) from a frame of code-ordered TPS."""
    if n > frame.height:
        raise AnalyticsError(_("Ukuran sampel %(n)d lebih besar dari populasi %(N)d TPS.")
                             % {"n": n, "N": frame.height})
    if n < 1:
        raise AnalyticsError(_("Ukuran sampel harus minimal 1."))
    frame = frame.sort("code").with_columns(strata_expr(scheme).alias("stratum"))
    sizes = frame.group_by("stratum").len().sort("stratum")
    alloc = allocate(sizes["len"].to_numpy(), n)
    sizes = sizes.with_columns(pl.Series("n_h", alloc))
    keys = np.random.Generator(np.random.PCG64(seed)).random(frame.height)
    picked = (frame.with_columns(pl.Series("key", keys))
              .with_columns(pl.col("key").rank("ordinal").over("stratum").alias("rank"))
              .join(sizes.select("stratum", "n_h"), on="stratum")
              .filter(pl.col("rank") <= pl.col("n_h")).drop("key", "rank", "n_h").sort("code"))
    design = {s: [int(N), int(k)] for s, N, k in sizes.select("stratum", "len", "n_h").iter_rows()}
    return picked, design


def create_draw(election, *, sample_size: int | None = None, seed: int | None = None, scheme: str | None = None,
                margin: float = DEFAULT_MARGIN, confidence: float = DEFAULT_CONFIDENCE, icc: float = DEFAULT_ICC,
                user=None) -> QuickCountDraw:
    """Draw and store a sample (the sample size from the NDI calculation unless given)."""
    frame = population_frame(election)
    if frame.height == 0:
        raise AnalyticsError(_("Pemilihan %(e)s belum punya TPS.") % {"e": election.slug})
    if scheme is None:
        scheme = "kabkota_urban" if frame["code"].str.slice(6, 1).is_in(["1", "2"]).all() else "kabkota"
    size = ndi_sample_size(margin, confidence, max(int(frame["dpt"].sum()), frame.height), frame.height, icc=icc)
    n = sample_size if sample_size is not None else size["tps"]
    seed = seed if seed is not None else secrets.randbelow(2 ** 62)
    picked, strata = draw_sample(frame, n, seed, scheme)
    with transaction.atomic():
        draw = QuickCountDraw.objects.create(
            election=election, seed=seed, strata=scheme, sample_size=picked.height, population=frame.height,
            margin=margin, confidence=confidence, created_by=user,
            design={"sample_size_calculation": size, "sample_size_given": sample_size is not None,
                    "strata": strata, "scheme": SCHEMES[scheme],
                    "rng": "numpy PCG64, uniform key per TPS in code order"})  # noqa: E501
        SampledTps.objects.bulk_create(
            [SampledTps(draw=draw, tps_id=t, code=c, stratum=s)
             for t, c, s in picked.select("tps_id", "code", "stratum").iter_rows()], batch_size=2000)
    if connection.vendor == "postgresql":  # fresh statistics for the sample's joins (cheap: one table)
        with connection.cursor() as cur:
            cur.execute("ANALYZE analytics_sampledtps")
    return draw


def current_draw(election) -> QuickCountDraw | None:
    return QuickCountDraw.objects.filter(election=election).order_by("-created_at", "-id").first()


def priority_tps(election):
    """The TPS of the election's current quick-count draw (for deployment: send saksi here first)."""
    draw = current_draw(election)
    return TPS.objects.filter(quickcount_samples__draw=draw) if draw else TPS.objects.none()
