"""Demo step: about 30,000 volunteers from the demo's four ormas, all *registered*.

Spread over Jakarta's 267 kelurahan in proportion to each kelurahan's TPS in the demo election
(largest remainders), with valid NIKs (issued in the volunteer's own kecamatan, born 1964–2006,
women's day + 40) and unique WhatsApp numbers on real operator prefixes. Deterministic (fixed
seed); the training demo, which runs next, advances statuses through ``services.set_statuses``.
"""

import datetime

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kawaltps.core.formatting import number as angka
from kawaltps.elections.demo import largest_remainder
from kawaltps.people.demo import ORGANISATIONS
from kawaltps.people.models import Organisation, Role, User

from .models import Volunteer

TOTAL = 30_000
SEED = 20240917
ORG_WEIGHTS = [0.38, 0.27, 0.20, 0.15]
FIRST_MEN = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Imam", "Joko", "Rizky", "Ahmad", "Bayu",
             "Dimas", "Gilang", "Hadi", "Irfan", "Yusuf", "Rahmat", "Slamet", "Teguh", "Wahyu"]
FIRST_WOMEN = ["Siti", "Dewi", "Ani", "Rina", "Sri", "Lestari", "Nur", "Putri", "Ayu", "Fitri", "Indah",
               "Maya", "Ratna", "Wulan", "Yuni", "Kartika", "Nabila", "Aisyah", "Rahma", "Lina"]
LAST = ["Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Kurniawan", "Setiawan", "Nugroho",
        "Rahmawati", "Lestari", "Susanto", "Siregar", "Nasution", "Simanjuntak", "Hasibuan", "Sembiring",
        "Ginting", "Harahap", "Lubis", "Rangkuti", "Betawi", "Tanjung", "Syahputra", "Maulana", ""]
STREETS = ["Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Jl. Anggrek", "Jl. Flamboyan", "Gg. Masjid",
           "Jl. Swadaya", "Jl. Bhakti", "Jl. Kebon Jeruk", "Jl. Raya"]
OPERATORS = ["811", "812", "813", "821", "822", "823", "852", "853", "857", "858", "877", "878", "881",
             "895", "896", "897"]


def generate(kelurahan: list[str], weights: np.ndarray, total: int, seed: int = SEED) -> list[dict]:
    """``total`` fake but valid volunteers as dicts (name, nik, phone, address, kelurahan_id, ...)."""
    rng = np.random.default_rng(seed)
    per_kel = largest_remainder(weights.astype(float), total)
    kel = np.repeat(np.array(kelurahan), per_kel)
    n = len(kel)
    female = rng.random(n) < 0.5
    born = (datetime.date(1964, 1, 1).toordinal()
            + rng.integers(0, (datetime.date(2006, 11, 1) - datetime.date(1964, 1, 1)).days, n))
    first_m = rng.integers(0, len(FIRST_MEN), n)
    first_w = rng.integers(0, len(FIRST_WOMEN), n)
    last = rng.integers(0, len(LAST), n)
    ops = rng.integers(0, len(OPERATORS), n)
    subscriber = rng.choice(90_000_000, size=n, replace=False) + 10_000_000  # distinct 8-digit numbers
    street = rng.integers(0, len(STREETS), n)
    house, rt, rw = rng.integers(1, 120, n), rng.integers(1, 16, n), rng.integers(1, 12, n)
    available = rng.random(n) < 0.92
    sequence: dict[tuple[str, str], int] = {}
    people = []
    for i in range(n):
        d = datetime.date.fromordinal(int(born[i]))
        ddmmyy = f"{d.day + (40 if female[i] else 0):02d}{d.month:02d}{d.year % 100:02d}"
        key = (kel[i][:6], ddmmyy)
        sequence[key] = seq = sequence.get(key, 0) + 1
        first = FIRST_WOMEN[first_w[i]] if female[i] else FIRST_MEN[first_m[i]]
        people.append({
            "name": f"{first} {LAST[last[i]]}".strip(),
            "nik": f"{kel[i][:6]}{ddmmyy}{seq:04d}",
            "phone": f"62{OPERATORS[ops[i]]}{subscriber[i]}",
            "address": f"{STREETS[street[i]]} No. {house[i]} RT {rt[i]:03d}/RW {rw[i]:03d}",
            "kelurahan_id": str(kel[i]),
            "available_on_election_day": bool(available[i]),
        })
    return people


def _coordinators_join_ormas(orgs: list[int]) -> None:
    """Give the demo's koordinator logins an ormas (round-robin), so the ormas page shows them."""
    coordinators = User.objects.filter(role=Role.KOORDINATOR, organisation__isnull=True).order_by("username")
    for i, user in enumerate(coordinators):
        User.objects.filter(pk=user.pk).update(organisation_id=orgs[i % len(orgs)])


def populate(ctx) -> list[str]:
    if Volunteer.objects.exists():
        return [f"Relawan: {angka(Volunteer.objects.count())} (sudah ada)"]
    tps = dict(ctx.election.tps_set.values("kelurahan_id").annotate(n=Count("id"))
               .values_list("kelurahan_id", "n"))
    kelurahan = sorted(tps)
    people = generate(kelurahan, np.array([tps[k] for k in kelurahan]), TOTAL)
    orgs = [Organisation.objects.get_or_create(name=name)[0].pk for name in ORGANISATIONS]
    _coordinators_join_ormas(orgs)
    rng = np.random.default_rng(SEED + 1)
    org_of = rng.choice(len(orgs), size=len(people), p=ORG_WEIGHTS)
    consent_days = rng.integers(1, 120, len(people))
    now = timezone.now()
    with transaction.atomic():
        Volunteer.objects.bulk_create([
            Volunteer(**p, organisation_id=orgs[org_of[i]], created_at=now, updated_at=now,
                      consent_at=now - datetime.timedelta(days=int(consent_days[i])))
            for i, p in enumerate(people)], batch_size=2000)
    counts = dict(Volunteer.objects.values("organisation__name").annotate(n=Count("id"))
                  .values_list("organisation__name", "n"))
    return [f"Relawan: {angka(len(people))} terdaftar di {len(kelurahan)} kelurahan ("
            + ", ".join(f"{name} {angka(counts.get(name, 0))}" for name in ORGANISATIONS) + ")"]
