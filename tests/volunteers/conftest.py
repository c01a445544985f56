"""Fixtures for the volunteer tests: partner organisations and a writer for coordinators' files."""

import csv
from pathlib import Path

import pytest

from kawaltps.people.models import Organisation

HEADER = ["Nama", "N I K", "No. HP", "Kelurahan", "Organisasi", "Alamat", "Bersedia"]


@pytest.fixture
def orgs(jakarta):
    return {
        "rkj": Organisation.objects.create(name="Relawan Kawal Jakarta", short_name="RKJ"),
        "ppp": Organisation.objects.create(name="Pemuda Peduli Pemilu", short_name="PPP"),
    }


def nik(kel: str, day: int, seq: int, female: bool = False) -> str:
    """A valid NIK for someone registered in ``kel``'s kecamatan, born on ``day`` March 1990."""
    return f"{kel[:6]}{day + (40 if female else 0):02d}0390{seq:04d}"


def write_csv(path: Path, rows: list[list], header: list[str] = HEADER, delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path
