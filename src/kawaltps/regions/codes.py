"""Kemendagri region codes and TPS codes.

Codes are stored without dots so that every ancestor is a prefix: provinsi ``31`` (2 digits),
kabupaten/kota ``3174`` (4), kecamatan ``317409`` (6), kelurahan/desa ``3174091001`` (10), and a
TPS ``3174091001012`` (13: the kelurahan code + a 3-digit TPS number). Adding up a level is a
GROUP BY on the prefix of that length.

Codes are ASCII digits only (``kawaltps.core.numbers.is_ascii_digits``; ``[0-9]``, never ``\\d``,
which also matches fullwidth or Arabic-Indic digits): ``３１`` is not province 31.
"""

import re
from enum import IntEnum

from kawaltps.core.numbers import is_ascii_digits


class Level(IntEnum):
    PROVINSI = 1
    KABKOTA = 2
    KECAMATAN = 3
    KELURAHAN = 4


PREFIX_LENGTH = {Level.PROVINSI: 2, Level.KABKOTA: 4, Level.KECAMATAN: 6, Level.KELURAHAN: 10}
TPS_CODE_LENGTH = 13
LEVEL_NAMES = {
    "provinsi": Level.PROVINSI,
    "kabkota": Level.KABKOTA,
    "kota": Level.KABKOTA,
    "kabupaten": Level.KABKOTA,
    "kecamatan": Level.KECAMATAN,
    "kelurahan": Level.KELURAHAN,
    "desa": Level.KELURAHAN,
}
_DOTTED = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")


def parse_level(value: "str | int") -> Level:
    """Accept 1–4 or a level name (``provinsi``, ``kota``, ``kecamatan``, ``kelurahan``…)."""
    if isinstance(value, int) or is_ascii_digits(str(value)):
        return Level(int(value))
    try:
        return LEVEL_NAMES[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"tingkat wilayah tidak dikenal: {str(value)[:40]}; pilih salah satu dari: "
                         "provinsi, kabkota (kota), kecamatan, kelurahan (atau 1–4)") from None


def is_region_code(code: str) -> bool:
    """An undotted region code: 2, 4, 6 or 10 ASCII digits."""
    return is_ascii_digits(code) and len(code) in PREFIX_LENGTH.values()


def level_of(code: str) -> Level | None:
    """The level implied by an undotted region code's length, or None."""
    for level, length in PREFIX_LENGTH.items():
        if len(code) == length:
            return level
    return None


def undot(code: str) -> str:
    """``31.74.09.1001`` → ``3174091001``; raises ValueError on a malformed code."""
    code = code.strip()
    if not _DOTTED.match(code):
        raise ValueError(f"kode wilayah tidak sah: {code!r}")
    return code.replace(".", "")


def dotted(code: str) -> str:
    """``3174091001012`` → ``31.74.09.1001.012`` (any prefix length)."""
    parts, cuts = [], [2, 4, 6, 10, 13]
    start = 0
    for cut in cuts:
        if start >= len(code):
            break
        parts.append(code[start:cut])
        start = cut
    return ".".join(parts)


def parent_code(code: str) -> str | None:
    """The code of the region one level up, or None for a provinsi."""
    lengths = [2, 4, 6, 10, 13]
    i = lengths.index(len(code))
    return code[: lengths[i - 1]] if i else None


def tps_code(kelurahan_code: str, number: int) -> str:
    """The 13-digit TPS code of TPS ``number`` in a kelurahan."""
    return f"{kelurahan_code}{number:03d}"


def is_tps_code(code: str) -> bool:
    return len(code) == TPS_CODE_LENGTH and is_ascii_digits(code)
