"""Readiness numbers on a small constructed case, the command, and the scope."""

import json
from io import StringIO

from django.core.management import call_command

from kawaltps.regions.codes import Level
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.readiness import level_rows, readiness

from .conftest import nik


def add(kel: str, statuses: list[str]):
    for i, status in enumerate(statuses):
        seq = Volunteer.objects.count() + 1
        Volunteer.objects.create(name=f"R{seq}", nik=nik(kel, 1 + i, seq), phone=f"62812000{seq:05d}",
                                 kelurahan_id=kel, status=status)


def constructed(small_election):
    # small_election: 2 TPS in each of 3175081001, 3175081002 (Makasar, Jaktim) and 3171011001 (Gambir).
    add("3175081001", ["registered", "trained", "certified", "certified", "assigned"])
    add("3175081002", ["registered", "certified"])
    add("3171011001", ["trained"])
    add("3171011002", ["certified"])  # a kelurahan without TPS in this election


def test_numbers_per_level(small_election):
    constructed(small_election)
    kel = {r["code"]: r for r in level_rows(small_election, Level.KELURAHAN, "317508", per_tps=2)}
    a = kel["3175081001"]
    assert (a["tps"], a["registered"], a["trained"], a["certified"], a["target"], a["gap"]) == (2, 5, 4, 3, 4, 1)
    assert a["coverage"] == 0.75
    b = kel["3175081002"]
    assert (b["tps"], b["registered"], b["certified"], b["gap"]) == (2, 2, 1, 3)
    assert kel["3175081003"]["tps"] == 0 and kel["3175081003"]["gap"] == 0
    kota = {r["code"]: r for r in level_rows(small_election, Level.KABKOTA, per_tps=1)}
    assert (kota["3175"]["tps"], kota["3175"]["registered"], kota["3175"]["certified"], kota["3175"]["gap"]) == (
        4, 7, 4, 0)
    assert (kota["3171"]["tps"], kota["3171"]["certified"], kota["3171"]["gap"]) == (2, 1, 1)
    assert kota["3174"]["tps"] == 0 and kota["3174"]["registered"] == 0


def test_totals_and_cache_sees_changes(small_election):
    constructed(small_election)
    r = readiness(small_election, per_tps=2)
    assert r["total"]["tps"] == 6 and r["total"]["certified"] == 5 and r["total"]["gap"] == 12 - 5
    assert set(r["levels"]) == {"kabkota", "kecamatan", "kelurahan"}
    assert len(r["levels"]["kelurahan"]) == 267
    add("3171011001", ["certified"])
    assert readiness(small_election, per_tps=2)["total"]["certified"] == 6  # not a stale cached answer


def test_prefix_limits_and_outside_scope(small_election):
    constructed(small_election)
    r = readiness(small_election, "317508", per_tps=2)
    assert r["total"]["registered"] == 7 and set(r["levels"]) == {"kelurahan"}
    assert readiness(small_election, "32", per_tps=2)["total"]["tps"] == 0


def test_command_json(small_election):
    constructed(small_election)
    out = StringIO()
    call_command("readiness", "--election", "uji", "--level", "kota", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"]["registered"] == 9
    rows = {r["code"]: r for r in data["rows"]}
    assert set(rows) == {"3101", "3171", "3172", "3173", "3174", "3175"}
    assert rows["3175"]["certified"] == 4


def test_command_unknown_election(small_election):
    out = StringIO()
    try:
        call_command("readiness", "--election", "tidak-ada", "--json", stdout=out)
    except SystemExit as exc:
        assert exc.code != 0
    assert "tidak ada" in json.loads(out.getvalue())["error"]
