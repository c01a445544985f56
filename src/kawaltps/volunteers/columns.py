"""The import template's columns, matched without regard to case, spacing or punctuation.

Required: ``nama``, ``nik``, ``telepon``, ``kelurahan``, ``organisasi`` (``organisasi`` may be
left out when the importer names a default organisation). Optional: ``alamat``, ``bersedia``.
Each column also answers to the names coordinators commonly use (``No HP``, ``WhatsApp``,
``Nomor KTP``, ``Ormas``, ``Kode Kelurahan`` …); other columns (``No``, ``Keterangan``) are ignored.
"""

import re

ALIASES = {
    "nama": ["nama", "namalengkap", "namarelawan", "name"],
    "nik": ["nik", "noktp", "nomorktp", "nikktp", "nomorindukkependudukan"],
    "telepon": ["telepon", "telp", "notelp", "notelepon", "nomortelepon", "teleponwhatsapp", "hp", "nohp",
                "nomorhp", "wa", "nowa", "nomorwa", "whatsapp", "nomorwhatsapp", "phone"],
    "kelurahan": ["kelurahan", "kel", "kelurahandesa", "desa", "desakelurahan", "kodekelurahan",
                  "kodewilayah"],
    "organisasi": ["organisasi", "ormas", "organisasimitra", "organisasiormas", "organisation"],
    "alamat": ["alamat", "alamatlengkap", "address"],
    "bersedia": ["bersedia", "bersediahari", "bersediahariH", "bersediapadaharipemungutansuara",
                 "ketersediaan", "available"],
}
REQUIRED = ["nama", "nik", "telepon", "kelurahan", "organisasi"]
OPTIONAL = ["alamat", "bersedia"]
TEMPLATE_HEADER = ["nama", "nik", "telepon", "kelurahan", "organisasi", "alamat", "bersedia"]
TEMPLATE_EXAMPLE = ["Siti Rahmawati", "3175084506900001", "0812-3456-7890", "31.75.08.1002",
                    "Relawan Kawal Jakarta", "Jl. Pinang Ranti No. 5 RT 003/RW 002", "ya"]
_LOOKUP = {alias.lower(): key for key, names in ALIASES.items() for alias in names}
_YES = {"ya", "y", "yes", "1", "true", "bersedia", "v", "✓", "x"}
_NO = {"tidak", "tdk", "t", "n", "no", "0", "false", "tidakbersedia"}
_KEL_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds)\.?\s+")


def normalise_header(value: object) -> str:
    """``' No. HP '`` → ``'nohp'``; then mapped to a template column if it is a known alias."""
    text = re.sub(r"[^0-9a-z]", "", str(value or "").lower())
    return _LOOKUP.get(text, text)


def map_header(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column positions by template name, the names of unknown (ignored) columns, and duplicates."""
    positions: dict[str, int] = {}
    ignored, duplicates = [], []
    for i, raw in enumerate(header):
        key = normalise_header(raw)
        if key in REQUIRED or key in OPTIONAL:
            if key in positions:
                duplicates.append(key)
            positions[key] = i
        elif str(raw or "").strip():
            ignored.append(str(raw).strip())
    return positions, ignored, duplicates


def text(value: object) -> str:
    """A cell as trimmed text with inner whitespace collapsed (integers from XLSX without '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_available(value: object) -> bool | None:
    """``ya``/``tidak`` (and the usual variants) → True/False; empty → None; else ValueError."""
    t = re.sub(r"\s", "", text(value).lower())
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueError(f"nilai 'bersedia' tidak dikenal ({text(value)[:20]}); isi 'ya' atau 'tidak'")


def normalise_place(value: str) -> str:
    """``'Kel. Pinang  Ranti'`` → ``'pinang ranti'`` for matching kelurahan names."""
    t = " ".join(value.lower().split())
    return _KEL_PREFIX.sub("", t)
