"""The demo step: ~30,000 valid, distinct volunteers spread by TPS, all registered, deterministic."""

from types import SimpleNamespace

import numpy as np
from django.db.models import Count

from kawaltps.volunteers import demo
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.nik import normalise_phone, parse_nik


def test_populate(election, make_user):
    coordinator = make_user("koord-uji", "koordinator", "3175")
    lines = demo.populate(SimpleNamespace(election=election))
    assert "30.000" in lines[0]
    rows = list(Volunteer.objects.values_list("nik", "phone", "kelurahan_id", "status", "organisation_id"))
    assert len(rows) == 30_000 and {r[3] for r in rows} == {"registered"}
    assert len({r[4] for r in rows}) == 4
    for nik, phone, kel, *_ in rows:
        parsed = parse_nik(nik)
        assert parsed.region_code == kel[:6] and 17 <= 2024 - parsed.birth_date.year <= 61
        assert normalise_phone(phone) == phone
    per_kel = dict(Volunteer.objects.values("kelurahan_id").annotate(n=Count("id")).values_list("kelurahan_id", "n"))
    tps = dict(election.tps_set.values("kelurahan_id").annotate(n=Count("id")).values_list("kelurahan_id", "n"))
    assert len(per_kel) == 267
    ratio = np.array([per_kel[k] / tps[k] for k in tps])
    assert ratio.min() > 1.5 and ratio.max() < 2.6  # ~30,000 / 14,835 ≈ 2 per TPS everywhere
    assert demo.populate(SimpleNamespace(election=election))[0].endswith("(sudah ada)")
    coordinator.refresh_from_db()
    assert coordinator.organisation is not None  # shown with their ormas on the partners page


def test_generate_is_deterministic():
    a = demo.generate(["3175081001", "3175081002"], np.array([3, 5]), 40)
    assert a == demo.generate(["3175081001", "3175081002"], np.array([3, 5]), 40)
    assert sum(p["kelurahan_id"] == "3175081002" for p in a) == 25
