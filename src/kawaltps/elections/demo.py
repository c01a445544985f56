"""Demo step: the Jakarta governor election of 27 November 2024 and its 14,835 TPS.

TPS are spread over the 267 kelurahan in proportion to each kelurahan's TPS count in the 2024
presidential election (fixture ``jakarta_kelurahan_pilpres2024.csv``), by largest remainders, and
the 8,214,007 voters on the DPT are spread over the TPS at no more than 600 each.
"""

import csv
import datetime
from pathlib import Path

import numpy as np
from django.db import transaction

from kawaltps.core.formatting import number as angka
from kawaltps.regions.codes import tps_code
from kawaltps.regions.models import TPS, Region

from .models import Candidate, Election

SLUG = "pilgub-dki-2024"
TOTAL_TPS = 14_835
TOTAL_DPT = 8_214_007
MAX_DPT = 600
CANDIDATES = [
    (1, "Ridwan Kamil – Suswono", "1000023", "#1f77b4"),
    (2, "Dharma Pongrekun – Kun Wardana", "1000024", "#2ca02c"),
    (3, "Pramono Anung – Rano Karno", "1000025", "#d62728"),
]
KELURAHAN_SIZES = Path(__file__).resolve().parent.parent / "regions" / "fixtures" / "jakarta_kelurahan_pilpres2024.csv"


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integer shares of ``total`` proportional to ``weights`` (Hamilton's method), each at least 1."""
    raw = weights / weights.sum() * total
    shares = np.maximum(np.floor(raw).astype(int), 1)
    short = total - shares.sum()
    order = np.argsort(-(raw - np.floor(raw)))
    shares[order[:short]] += 1
    return shares


def spread_dpt(n_tps: int, total: int, cap: int, rng: np.random.Generator) -> np.ndarray:
    """``n_tps`` DPT sizes summing to ``total``, each ≤ ``cap``, varied the way real TPS are."""
    sizes = np.minimum(rng.normal(total / n_tps, 25, n_tps).round().astype(int), cap)
    diff = total - sizes.sum()
    while diff:
        room = np.flatnonzero(sizes < cap) if diff > 0 else np.flatnonzero(sizes > 1)
        pick = rng.choice(room, size=min(abs(diff), len(room)), replace=False)
        sizes[pick] += 1 if diff > 0 else -1
        diff = total - sizes.sum()
    return sizes


@transaction.atomic
def create_election() -> tuple[Election, bool]:
    election, created = Election.objects.get_or_create(slug=SLUG, defaults=dict(
        name="Pemilihan Gubernur DKI Jakarta 2024", kind=Election.Kind.PILKADA_GUBERNUR,
        date=datetime.date(2024, 11, 27), scope=Region.objects.get(code="31"), form_type="C.HASIL-KWK",
        max_dpt_per_tps=600, ballot_reserve_percent=2.5))
    for number, name, key, color in CANDIDATES:
        Candidate.objects.update_or_create(election=election, number=number,
                                           defaults=dict(name=name, sirekap_key=key, color=color))
    if not election.tps_set.exists():
        with open(KELURAHAN_SIZES) as f:
            rows = list(csv.DictReader(f))
        codes = [r["kode"] for r in rows]
        per_kel = largest_remainder(np.array([int(r["tps"]) for r in rows], dtype=float), TOTAL_TPS)
        rng = np.random.default_rng(20241127)
        dpt = spread_dpt(TOTAL_TPS, TOTAL_DPT, MAX_DPT, rng)
        men = np.round(dpt * rng.normal(0.497, 0.01, TOTAL_TPS)).astype(int)
        objs, i = [], 0
        for code, n in zip(codes, per_kel, strict=True):
            for number in range(1, n + 1):
                objs.append(TPS(election=election, code=tps_code(code, number), kelurahan_id=code, number=number,
                                dpt=int(dpt[i]), dpt_l=int(men[i]), dpt_p=int(dpt[i] - men[i]),
                                address=f"TPS {number:03d}, RW {1 + (number - 1) // 4:02d}"))
                i += 1
        TPS.objects.bulk_create(objs, batch_size=2000)
    return election, created


def populate(ctx) -> list[str]:
    election, created = create_election()
    ctx.election = election
    n = election.tps_set.count()
    return [f"Pemilihan: {election.name} (slug {election.slug}), {angka(n)} TPS, 3 paslon"]
