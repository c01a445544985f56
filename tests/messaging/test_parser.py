"""The message format: every command parsed, every mistake answered in Indonesian (with Hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawaltps.messaging import parser
from kawaltps.messaging.parser import ParseError, parse


def test_each_command():
    assert parse("hadir 3175.08.1001.001 -6.2101,106.8843") == parser.CheckIn("HADIR", "3175081001001",
                                                                               -6.2101, 106.8843)
    assert parse("HADIR") == parser.CheckIn("HADIR", None)
    assert parse("PEMILIH 11 143") == parser.Turnout("PEMILIH", None, "11.00", 143)
    assert parse("pemilih#3175081001001#9.30#1.043") == parser.Turnout("PEMILIH", "3175081001001", "09.30", 1043)
    assert parse("CEK 3 ya") == parser.ChecklistAnswer("CEK", None, "3", "ya", "")
    assert parse("cek kotak_kosong TIDAK tidak ditunjukkan") == parser.ChecklistAnswer(
        "CEK", None, "KOTAK_KOSONG", "tidak", "tidak ditunjukkan")
    assert parse("CEK ditandatangani tolak").answer == "tolak"
    assert parse("LAPOR surat_tidak_dicoret sisa surat suara tidak dicoret") == parser.Incident(
        "LAPOR", None, "SURAT_TIDAK_DICORET", "sisa surat suara tidak dicoret")
    r = parse("HASIL 3175081001001 120 30 150 SAH=300 tsah:10 SALINAN=tidak KPPS=TOLAK")
    assert r == parser.Results("HASIL", "3175081001001", (120, 30, 150), {"suara_sah": 300, "suara_tidak_sah": 10},
                               {"salinan": False, "kpps": "refused"})
    assert isinstance(parse("bantuan"), parser.Help)


@pytest.mark.parametrize("text,words", [
    ("", "Pesan kosong"),
    ("# * #", "Pesan kosong"),  # found by Hypothesis: only separators
    ("HALO", "Kata pertama HALO tidak dikenal"),
    ("HADIR 31750810010", "harus 13 angka"),
    ("HADIR di sini", "Lokasi di sini tidak terbaca"),
    ("HADIR -95.1,106.8", "di luar bumi"),
    ("PEMILIH 11", "perlu jam dan jumlah"),
    ("PEMILIH 25 100", "Jam 25 tidak terbaca"),
    ("PEMILIH 11 -3", "tidak boleh negatif"),
    ("PEMILIH 11 １２", "harus berupa angka bulat"),
    ("CEK 3 mungkin", "harus YA, TIDAK, atau TOLAK"),
    ("CEK 3", "perlu nomor butir"),
    ("LAPOR", "perlu jenis kejadian"),
    ("HASIL", "perlu suara setiap paslon"),
    ("HASIL 120 abc 150", "Suara paslon 2"),
    ("HASIL 120 SAH=120 30", "harus ditulis sebelum"),
    ("HASIL 120 SAH=1 SAH=2", "ditulis dua kali"),
    ("HASIL 120 FOO=2", "Kunci FOO tidak dikenal"),
    ("HASIL 120 SALINAN=mungkin", "SALINAN=mungkin tidak dikenal"),
    ("x" * 2000, "terlalu panjang"),
])
def test_mistakes_get_a_clear_indonesian_reply(text, words):
    with pytest.raises(ParseError) as exc:
        parse(text)
    assert words in str(exc.value)
    assert "Format" in str(exc.value) or "terlalu panjang" in str(exc.value) or "13 angka" in str(exc.value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_gets_a_reply(text):
    """Nothing a sender types crashes the parser: a command, or a ParseError with a reply."""
    try:
        command = parse(text)
    except ParseError as exc:
        assert str(exc).strip()
    else:
        assert command.keyword in parser.FORMATS or command.keyword == "BANTUAN"


@settings(max_examples=200, deadline=None)
@given(votes=st.lists(st.integers(0, 99_999), min_size=1, max_size=6),
       sah=st.none() | st.integers(0, 99_999), salinan=st.none() | st.booleans(),
       sep=st.sampled_from([" ", "#", "*", "  ", "\n"]), upper=st.booleans())
def test_results_round_trip(votes, sah, salinan, sep, upper):
    """A HASIL written from numbers reads back as the same numbers, however it is spaced or cased."""
    words = ["hasil", "3175081001001", *map(str, votes)]
    if sah is not None:
        words.append(f"sah={sah}")
    if salinan is not None:
        words.append("salinan=" + ("ya" if salinan else "tidak"))
    text = sep.join(words)
    got = parse(text.upper() if upper else text)
    assert got.votes == tuple(votes) and got.tps == "3175081001001"
    assert got.numbers == ({} if sah is None else {"suara_sah": sah})
    assert got.attestation == ({} if salinan is None else {"salinan": salinan})


@settings(max_examples=100, deadline=None)
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), count=st.integers(0, 10**6))
def test_turnout_round_trip(hour, minute, count):
    got = parse(f"PEMILIH {hour}.{minute:02d} {count:,}".replace(",", "."))
    assert got.hour == f"{hour:02d}.{minute:02d}" and got.count == count
