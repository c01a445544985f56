import datetime

import pytest

from kawaltps.volunteers.nik import (
    InvalidNik,
    InvalidPhone,
    mask_nik,
    mask_phone,
    normalise_phone,
    parse_nik,
)

TODAY = datetime.date(2024, 11, 27)


def test_parse_man_and_woman():
    man = parse_nik("3175080512900001", today=TODAY)
    assert man.region_code == "317508" and man.birth_date == datetime.date(1990, 12, 5)
    assert not man.female and man.sequence == 1
    woman = parse_nik("3174094506020123", today=TODAY)
    assert woman.female and woman.birth_date == datetime.date(2002, 6, 5) and woman.sequence == 123


def test_spreadsheet_forms_accepted():
    assert parse_nik(3175080512900001, today=TODAY).value == "3175080512900001"
    assert parse_nik(3175080512900001.0, today=TODAY).value == "3175080512900001"
    assert parse_nik("'3175 0805 1290 0001", today=TODAY).value == "3175080512900001"


@pytest.mark.parametrize("nik, reason", [
    ("317508051290001", "16 angka"),
    ("31750805129000011", "16 angka"),
    ("31750805129O0001", "16 angka"),
    ("", "16 angka"),
    ("9975080512900001", "provinsi"),
    ("3100080512900001", "00"),
    ("3175000512900001", "00"),
    ("3175083104900001", "tidak mungkin"),  # 31 April
    ("3175082902010001", "tidak mungkin"),  # 29 Feb 2001
    ("3175087102900001", "tidak mungkin"),  # woman, day 31 February
    ("3175083213900001", "tidak mungkin"),  # day 32
    ("3175080513900001", "tidak mungkin"),  # month 13
    ("3175080512900000", "0000"),
    ("3.17508E+15", "notasi ilmiah"),
])
def test_bad_nik(nik, reason):
    with pytest.raises(InvalidNik, match=reason):
        parse_nik(nik, today=TODAY)


def test_leap_day_and_century():
    assert parse_nik("3175082902000001", today=TODAY).birth_date == datetime.date(2000, 2, 29)
    # 25 → 1925 because 2025 is after "today"
    assert parse_nik("3175080101250001", today=TODAY).birth_date.year == 1925


@pytest.mark.parametrize("raw", ["081234567890", "+62 812-3456-7890", "6281234567890", "81234567890",
                                 "(0812) 3456.7890", 81234567890, 6281234567890.0])
def test_phone_forms(raw):
    assert normalise_phone(raw) == "6281234567890"


@pytest.mark.parametrize("raw, reason", [
    ("", "kosong"), ("0812abc", "angka"), ("0214567890", "seluler"), ("+1 415 555 0100", "seluler"),
    ("0861234567", "seluler"), ("08123456", "panjang"), ("08123456789012", "panjang"),
])
def test_bad_phone(raw, reason):
    with pytest.raises(InvalidPhone, match=reason):
        normalise_phone(raw)


def test_masks():
    assert mask_nik("3174094506900001") == "3174••••••••0001"
    assert mask_phone("6281234565678") == "0812••••5678"


@pytest.mark.parametrize("nik", ["３１７５０８４５０３９００００１", "٣١٧٥٠٨٤٥٠٣٩٠٠٠٠١", "317508450390000¹"])
def test_nik_in_other_digit_scripts_is_refused(nik):
    """``\\d`` and ``int()`` read fullwidth/Arabic-Indic digits as 0-9: a copy of a NIK would pass."""
    with pytest.raises(InvalidNik, match="NIK"):
        parse_nik(nik)


@pytest.mark.parametrize("phone", ["０８１２３４５６７００１", "٠٨١٢٣٤٥٦٧٠٠١", "0812²4567001"])
def test_phone_in_other_digit_scripts_is_refused(phone):
    with pytest.raises(InvalidPhone, match="0–9"):
        normalise_phone(phone)


@pytest.mark.parametrize("province", ["91", "92", "93", "94", "95", "96"])
def test_every_papua_province_is_accepted(province):
    """Papua, Papua Barat, Papua Selatan, Papua Tengah, Papua Pegunungan, Papua Barat Daya (UU 29/2022)."""
    assert parse_nik(f"{province}01010512900001", today=TODAY).region_code == f"{province}0101"


@pytest.mark.parametrize("province", ["97", "98", "10", "20", "22", "37", "54", "77", "83", "90"])
def test_province_codes_that_do_not_exist_are_refused(province):
    with pytest.raises(InvalidNik, match="provinsi"):
        parse_nik(f"{province}01010512900001", today=TODAY)
