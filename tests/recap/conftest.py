"""Fixtures for the recap tests: the small election with Sirekap keys, the real-shaped test files."""

from pathlib import Path

import pytest
from django.core.management import call_command

from kawaltps.recap.dhasil import add_photo, save_dhasil
from kawaltps.recap.discrepancies import recompute
from kawaltps.results.models import TpsResult

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def sirekap_election(small_election):
    """``small_election`` (6 TPS) whose paslon carry Jakarta 2024's Sirekap ids 1000023/24/25."""
    for c in small_election.candidates.all():
        c.sirekap_key = str(1000022 + c.number)
        c.save()
    return small_election


@pytest.fixture
def pres_election(small_election):
    """``small_election`` with the presidential ids 100025/26/27 (for pages in the presidential shape)."""
    for c in small_election.candidates.all():
        c.sirekap_key = str(100024 + c.number)
        c.save()
    return small_election


WITNESS = {
    "3175081001001": (100, 20, 200),
    "3175081001002": (50, 10, 60),
    "3175081002001": (30, 30, 30),
    "3175081002002": (10, 10, 10),
    "3171011001001": (70, 7, 30),
    "3171011001002": (5, 5, 5),
}


def result(election, code, votes, source, state):
    tps = election.tps_set.get(code=code)
    return TpsResult.objects.create(
        election=election,
        tps=tps,
        code=code,
        source=source,
        state=state,
        votes={str(i + 1): v for i, v in enumerate(votes)},
        valid=sum(votes),
    )


@pytest.fixture
def loaded(small_election):
    """Witness and official results for the 6 TPS and D.Hasil for every tier, with 3 known differences:
    TPS 3175081001001 (10 votes 3 → 1), kecamatan 317101 (−3 for 1), provinsi 31 (+5 for 3)."""
    e = small_election
    for code, v in WITNESS.items():
        state = "entered" if code == "3175081002002" else "verified"
        result(e, code, v, "witness", state)
        official = v
        if code == "3175081001001":
            official = (110, 20, 190)  # 10 votes from 3 to 1
        if code == "3175081002002":
            official = (10, 14, 10)  # only "entered" on our side
        result(e, code, official, "official", "verified")
    # kecamatan D.Hasil: 317508 = sum of official (110+50+30+10, 20+10+30+14, 190+60+30+10), 317101 altered
    save_dhasil(e, "kecamatan", "317508", {"1": 200, "2": 74, "3": 290})
    save_dhasil(e, "kecamatan", "317101", {"1": 72, "2": 12, "3": 35})  # sum is 75, 12, 35
    save_dhasil(e, "kabkota", "3175", {"1": 200, "2": 74, "3": 290})
    save_dhasil(e, "kabkota", "3171", {"1": 72, "2": 12, "3": 35})
    save_dhasil(e, "provinsi", "31", {"1": 272, "2": 86, "3": 330})  # kota sum 272, 86, 325: +5 for 3
    return e


def photo_bytes(fmt: str = "PNG", size=(320, 240)) -> bytes:
    """A real image with random pixels (unique bytes, so content-addressed storage never shares it)."""
    import io
    import os

    from PIL import Image

    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


PNG = photo_bytes()


@pytest.fixture
def case(sirekap_election, capsys):
    """Two Sirekap versions of TPS 3175081001001 (the second changed after publication), its verified
    witness numbers, and a kecamatan D.Hasil with a photo; findings computed."""
    from kawaltps.results.models import TpsResult

    e = sirekap_election
    call_command("import_sirekap", "--election", "uji", str(FILES / "good"), str(FILES / "later"), "--json")
    capsys.readouterr()
    tps = e.tps_set.get(code="3175081001001")
    TpsResult.objects.create(
        election=e,
        tps=tps,
        code=tps.code,
        source="witness",
        state="verified",
        votes={"1": 120, "2": 40, "3": 200},
        valid=360,
    )
    d = save_dhasil(e, "kecamatan", "317508", {"1": 400, "2": 160, "3": 900})
    add_photo(d, PNG)
    recompute(e)
    return e
