"""Places in words, the way a legal document names them: never a Kemendagri or TPS code.

``TPS 012 Kelurahan Pinang Ranti, Kecamatan Makasar, Kota Adm. Jakarta Timur, Provinsi DKI Jakarta``;
a region unknown to the register reads "wilayah yang tidak terdaftar" rather than its code.
"""

from __future__ import annotations

from kawaltps.regions.models import TPS, Region

_KEEP = {"DKI", "DI", "DIY", "NTB", "NTT"}
UNKNOWN = "wilayah yang tidak terdaftar"


def nice(name: str) -> str:
    """KPU's upper-case names in title case (``KOTA ADM. JAKARTA TIMUR`` → ``Kota Adm. Jakarta Timur``),
    keeping acronyms (DKI)."""
    if not name.isupper():
        return name
    return " ".join(w if w in _KEEP else w.capitalize() for w in name.split())


def _names(codes: set[str]) -> dict[str, str]:
    return {c: nice(n) for c, n in Region.objects.filter(code__in=codes).values_list("code", "name")}


def ancestors(code: str) -> list[str]:
    """The region codes containing ``code``, narrowest first (a TPS code's kelurahan first)."""
    return [code[:n] for n in (10, 6, 4, 2) if len(code) >= n]


def _level_word(n: int, name: str) -> str:
    if n == 2:
        return f"Provinsi {name}"
    if n == 4:
        return name if name.lower().startswith(("kota", "kab")) else f"Kabupaten/Kota {name}"
    if n == 6:
        return f"Kecamatan {name}"
    return f"Kelurahan {name}"


def region_label(code: str, names: dict[str, str] | None = None) -> str:
    """One region alone: ``Kecamatan Makasar``."""
    names = names if names is not None else _names({code})
    return _level_word(len(code), names[code]) if code in names else UNKNOWN


def place(code: str, *, up_to: int = 2, names: dict[str, str] | None = None) -> str:
    """A TPS or region with the regions above it down to ``up_to`` digits (2 = with the provinsi)."""
    levels = [n for n in (13, 10, 6, 4, 2) if n <= len(code) and n >= up_to]
    parts_codes = [code[:n] for n in levels]
    names = names if names is not None else _names(set(parts_codes))
    parts = []
    for c in parts_codes:
        if len(c) == 13:
            parts.append(f"TPS {c[-3:]}")
        elif c in names:
            parts.append(_level_word(len(c), names[c]))
    if not parts:
        return UNKNOWN
    if len(code) == 13 and len(parts) > 1:
        return f"{parts[0]} {parts[1]}" + ("".join(f", {p}" for p in parts[2:]))
    return ", ".join(parts)


def tps_address(election, code: str) -> str:
    """The TPS's street address as registered ('' if none)."""
    if len(code) != 13:
        return ""
    return TPS.objects.filter(election=election, code=code).values_list("address", flat=True).first() or ""


def responsible(code: str, names: dict[str, str] | None = None) -> str:
    """Who made the number at ``code``: KPPS of a TPS, PPK of a kecamatan (also for a kelurahan row of
    its D.Hasil), KPU of a kota or provinsi."""
    if len(code) == 13:
        return f"KPPS {place(code, up_to=6, names=names)}"
    if len(code) == 10:
        return f"PPK {region_label(code[:6], names)}"
    if len(code) == 6:
        return f"PPK {region_label(code, names)}"
    return f"KPU {region_label(code, names)}"


#: The recap forms by tier, as a document names them.
TIER_DOC = {"kecamatan": "D.Hasil Kecamatan", "kabkota": "D.Hasil Kabupaten/Kota", "provinsi": "D.Hasil Provinsi"}
