"""NIK structure check, Indonesian mobile phone normalisation, and masking of both.

**NIK** (Nomor Induk Kependudukan, UU No. 24 Tahun 2013 tentang Administrasi Kependudukan, Pasal 1
angka 12 and Pasal 13; structure as issued by Dukcapil, see
https://id.wikipedia.org/wiki/Nomor_Induk_Kependudukan) has 16 digits ``PPKKCC DDMMYY SSSS``:

- ``PPKKCC``: the Kemendagri code of the region where the NIK was issued: provinsi (2), kabupaten/
  kota (2), kecamatan (2). The provinsi must be one of the province codes; kab/kota and kecamatan
  are never ``00``. (The region is where the card was *issued*: a person living in Jakarta may hold
  a NIK from elsewhere, so only the structure is checked, not that the kecamatan exists here.)
- ``DDMMYY``: the date of birth; for women 40 is added to the day (a woman born on the 5th has
  ``45``). The date must exist (31 April, 29 February of a common year are refused) and must not
  be in the future; ``YY`` is read as 20YY unless that is after today, then 19YY.
- ``SSSS``: a sequence number among people with the same region and birth date, from ``0001``;
  ``0000`` is never issued.

**Phone** (WhatsApp): Indonesian mobile numbers start with ``08`` nationally or ``+62 8`` / ``62 8``
internationally, followed by the operator prefix (81x, 82x, 83x, 85x, 87x, 88x, 89x) and the
subscriber number: 10–13 digits in the national form. We store the international form without
``+`` (``628…``), the form WhatsApp links use. Spaces, dashes, dots and parentheses are ignored;
a bare ``8…`` (a spreadsheet that dropped the leading zero) is accepted as ``08…``.

**Digits**: both are ASCII digits ``0``–``9`` only (``kawaltps.core.numbers.is_ascii_digits``).
Fullwidth (``３１７４…``) or Arabic-Indic digits are refused, never read as the same number, so a
copy of a registered NIK in another script cannot register as a new person.
"""

import datetime
import re
from dataclasses import dataclass

from kawaltps.core.numbers import is_ascii_digits

# Province codes (Kemendagri, Permendagri 58/2021 and the 2022 Papua laws): Sumatra 11–19 and Kepulauan
# Riau 21, Jakarta/Java 31–36, Bali–NTT 51–53, Kalimantan 61–65, Sulawesi 71–76, Maluku 81–82, Papua 91
# (Papua), 92 (Papua Barat), 93 (Papua Selatan), 94 (Papua Tengah), 95 (Papua Pegunungan), 96 (Papua Barat
# Daya; UU 29/2022). There is no 97, nor any code outside this list.
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
     71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96])
MOBILE_OPERATOR_DIGITS = frozenset("1235789")  # the digit after 8: 81x, 82x, 83x, 85x, 87x, 88x, 89x
_SEPARATORS = re.compile(r"[\s\-.()/]")


class InvalidNik(ValueError):
    """The NIK breaks the structure rule; the message (Indonesian) says which part."""


class InvalidPhone(ValueError):
    """The phone number is not an Indonesian mobile number; the message (Indonesian) says why."""


@dataclass(frozen=True)
class Nik:
    value: str
    region_code: str  # 6 digits: provinsi + kab/kota + kecamatan
    birth_date: datetime.date
    female: bool
    sequence: int


def _birth_year(yy: int, today: datetime.date) -> int:
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def parse_nik(value: object, *, today: datetime.date | None = None) -> Nik:
    """Check a NIK's structure and return its parts; raise :class:`InvalidNik` otherwise."""
    text = clean_nik(value)
    if text and text.isdigit() and not text.isascii():
        raise InvalidNik("NIK hanya boleh berisi angka 0–9 (bukan angka lebar penuh atau aksara lain)")
    if len(text) != 16 or not is_ascii_digits(text):
        raise InvalidNik("NIK harus 16 angka")
    prov, kab, kec = int(text[0:2]), text[2:4], text[4:6]
    if prov not in PROVINCE_CODES:
        raise InvalidNik(f"kode provinsi NIK tidak dikenal ({text[0:2]})")
    if kab == "00" or kec == "00":
        raise InvalidNik("kode kabupaten/kota atau kecamatan NIK tidak boleh 00")
    day, month, yy = int(text[6:8]), int(text[8:10]), int(text[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or datetime.date.today()
    year = _birth_year(yy, today)
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        raise InvalidNik("tanggal lahir pada NIK tidak mungkin") from None
    if born > today:
        raise InvalidNik("tanggal lahir pada NIK di masa depan")
    seq = int(text[12:16])
    if seq == 0:
        raise InvalidNik("nomor urut NIK tidak boleh 0000")
    return Nik(text, text[:6], born, female, seq)


def clean_nik(value: object) -> str:
    """The NIK as text: integers from spreadsheets, a leading apostrophe, spaces and dots removed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value if value is not None else "").strip().lstrip("'")
    if re.fullmatch(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]+", text):
        raise InvalidNik("NIK tertulis dalam notasi ilmiah; format kolom NIK sebagai teks")
    return _SEPARATORS.sub("", text)


def normalise_phone(value: object) -> str:
    """An Indonesian mobile number in the form ``628…``; raise :class:`InvalidPhone` otherwise.

    ``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890`` and ``81234567890`` all give
    ``6281234567890``.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SEPARATORS.sub("", str(value if value is not None else "").strip().lstrip("'"))
    if not text:
        raise InvalidPhone("nomor telepon kosong")
    if text.startswith("+"):
        text = text[1:]
    if len(text) > 20 or not is_ascii_digits(text):
        raise InvalidPhone("nomor telepon hanya boleh berisi angka 0–9")
    if text.startswith("62"):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    elif text.startswith("8"):
        national = text
    else:
        raise InvalidPhone("nomor telepon harus nomor seluler Indonesia (08…, +628… atau 628…)")
    if not national.startswith("8") or len(national) < 2 or national[1] not in MOBILE_OPERATOR_DIGITS:
        raise InvalidPhone("nomor telepon harus nomor seluler Indonesia (08…, +628… atau 628…)")
    if not 9 <= len(national) <= 12:
        raise InvalidPhone("panjang nomor telepon tidak sah (10–13 angka termasuk 0 di depan)")
    return "62" + national


def mask_nik(nik: str) -> str:
    """``3174094506900001`` → ``3174••••••••0001``: region and sequence only, no birth date."""
    if len(nik) < 8:
        return "•" * len(nik)
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:]


def display_phone(phone: str) -> str:
    """``6281234565678`` → ``081234565678`` (the national form people read)."""
    return "0" + phone[2:] if phone.startswith("62") else phone


def mask_phone(phone: str) -> str:
    """``6281234565678`` → ``0812••••5678``: the operator prefix and the last four digits."""
    local = display_phone(phone)
    if len(local) < 8:
        return "•" * len(local)
    return local[:4] + "••••" + local[-4:]


def mask_address(address: str) -> str:
    return "••••" if address else ""
