"""How the recap's internal codes and times read to a person: one place for every label and date.

Rule: a person (a lawyer, Bawaslu, a judge) never reads an internal code, a Python value or a UTC
ISO timestamp. Codes are shown through :func:`label` (Indonesian, reusing the models' choices:
``results.Source``, ``results.State``, ``results.Submission.Kind``, ``recap.Step``, ``recap.Tier``,
plus the timeline kinds and audit actions below); times through :func:`format_wib` ("27 November
2024 14.05 WIB", Asia/Jakarta, which is what KPU and Bawaslu write); votes through
:func:`format_votes`; a missing value is :data:`EMPTY`, never "None".
"""

from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

from kawaltps.core.formatting import long_when

EMPTY = "—"
WIB = ZoneInfo("Asia/Jakarta")

# Labels not defined by a model's choices: timeline kinds (``dossier.TIMELINE_SOURCES``) and audit actions.
_EVENT_LABELS = {
    "c_hasil_witness": "Kiriman C.Hasil saksi",
    "c_hasil_official": "Angka resmi dimuat",
    "foto_c_hasil": "Foto C.Hasil diunggah",
    "sirekap": "Versi Sirekap",
    "dhasil_entered": "D.Hasil dientri",
    "dhasil_changed": "D.Hasil diubah",
    "dhasil_photo_added": "Foto D.Hasil ditambahkan",
    "official_from_sirekap": "Angka resmi diambil dari Sirekap",
    "import": "Impor berkas",
    "results.submit": "C.Hasil dikirim",
    "results.first_entry": "Entri pertama",
    "results.verified": "Terverifikasi (entri kedua sama)",
    "results.disputed": "Berbeda (menunggu rekonsiliasi)",
    "results.final": "Ditetapkan supervisor",
    "results.photo": "Foto C.Hasil disimpan",
    "results.photo_duplicate": "Foto sama dipakai TPS lain",
}


@functools.cache
def _choices() -> dict[str, str]:
    from django.utils import translation

    from kawaltps.results.models import Source, State, Submission

    from .models import Step, Tier

    out: dict[str, str] = {}
    with translation.override("id"):  # evidence is written in Indonesian, whoever asks for it
        for choices in (State, Source, Submission.Kind, Step, Tier):  # "official": the source's words
            out.update({c.value: str(c.label) for c in choices})
    return out


def label(code: str | None) -> str:
    """The Indonesian label of an internal code (source, state, entry kind, step, tier, timeline
    kind, audit action), whatever the active language; an unknown code is shown as it is, a
    missing one as :data:`EMPTY`."""
    if code is None or code == "":
        return EMPTY
    return _EVENT_LABELS.get(code) or _choices().get(code) or str(code)


def format_wib(value: datetime.datetime | str | None) -> str:
    """A time as Indonesians write it, in WIB: ``27 November 2024 14.05 WIB`` (ISO strings accepted;
    a naive time is taken as UTC, the database's zone; None → :data:`EMPTY`)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return long_when(value)  # the one written form (core.formatting)


def format_number(value) -> str:
    """A count with Indonesian thousands dots (``12.345``); None → :data:`EMPTY`."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def format_votes(votes: dict | None) -> str:
    """``{"1": 120, "2": 40}`` → ``Paslon 01: 120 · Paslon 02: 40``; empty → ``belum ada angka``."""
    if not votes:
        return "belum ada angka"
    items = sorted(votes.items(), key=lambda kv: int(kv[0]) if str(kv[0]).isdigit() else 0)
    return " · ".join(f"Paslon {int(k):02d}: {format_number(v)}" if str(k).isdigit() else f"{k}: {v}" for k, v in items)
