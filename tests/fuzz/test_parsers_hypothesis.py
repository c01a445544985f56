"""Property tests for the parsers (issue 14 item 2): whatever comes in, each parser answers with a
clean value or its own error (Indonesian message), never another exception, and valid input
round-trips. The message-format parser has its own tests on its branch.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kawaltps.recap.sirekap import SirekapError, parse_chart
from kawaltps.regions import codes
from kawaltps.regions.importer import RegionFileError, read_rows
from kawaltps.volunteers.nik import PROVINCE_CODES, InvalidNik, InvalidPhone, normalise_phone, parse_nik

TODAY = datetime.date(2026, 1, 1)
FAST = settings(max_examples=150, deadline=None)
DB = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
anything = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True),
                     st.booleans(), st.binary(max_size=20).map(lambda b: b.decode("latin-1")))


@FAST
@given(anything)
def test_nik_parser_answers_or_says_why(value):
    try:
        nik = parse_nik(value, today=TODAY)
    except InvalidNik as exc:
        assert str(exc)
    else:
        assert len(nik.value) == 16 and nik.value.isascii() and nik.value.isdigit()
        assert int(nik.value[:2]) in PROVINCE_CODES and nik.birth_date <= TODAY


@FAST
@given(st.sampled_from(sorted(PROVINCE_CODES)), st.integers(1, 99), st.integers(1, 99),
       st.dates(datetime.date(1930, 1, 1), datetime.date(2007, 12, 31)), st.booleans(), st.integers(1, 9999))
def test_every_well_formed_nik_round_trips(prov, kab, kec, born, female, seq):
    text = f"{prov:02d}{kab:02d}{kec:02d}{born.day + (40 if female else 0):02d}{born:%m%y}{seq:04d}"
    nik = parse_nik(text, today=TODAY)
    assert (nik.value, nik.birth_date, nik.female, nik.sequence) == (text, born, female, seq)
    assert parse_nik(f" {text[:6]}.{text[6:12]}.{text[12:]} ", today=TODAY).value == text  # separators


@FAST
@given(anything)
def test_phone_parser_answers_or_says_why(value):
    try:
        phone = normalise_phone(value)
    except InvalidPhone as exc:
        assert str(exc)
    else:
        assert phone.startswith("628") and phone.isascii() and phone.isdigit() and 11 <= len(phone) <= 14
        assert normalise_phone(phone) == phone


@FAST
@given(st.sampled_from("1235789"), st.text("0123456789", min_size=7, max_size=10))
def test_phone_spellings_agree(operator, rest):
    national = "8" + operator + rest
    forms = [f"0{national}", f"+62 {national}", f"62{national}", national, f"0{national[:3]}-{national[3:]}"]
    assert len({normalise_phone(f) for f in forms}) == 1


@FAST
@given(st.sampled_from([2, 4, 6, 10]).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)))
def test_region_codes_dot_and_undot(code):
    assert codes.undot(codes.dotted(code)) == code
    assert codes.level_of(code) is not None
    parent = codes.parent_code(code)
    assert parent is None or (code.startswith(parent) and len(parent) < len(code))


@FAST
@given(st.text(max_size=20))
def test_region_code_checks_never_raise(text):
    assert codes.is_region_code(text) in (True, False)
    assert codes.is_tps_code(text) in (True, False)


@FAST
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("kode,nama,level\n" + t).encode()))
def test_region_file_parser_answers_or_names_the_line(raw):
    try:
        rows = read_rows(raw)
    except RegionFileError as exc:
        assert str(exc)
    else:
        assert all(codes.level_of(code) is not None for _line, code, _name, _level in rows)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=3), max_leaves=8)


@FAST
@given(st.one_of(json_values, st.dictionaries(st.sampled_from(["100025", "100026", "progres", "x"]), json_values)))
def test_sirekap_chart_parser_answers_or_says_why(chart):
    try:
        votes = parse_chart(chart, {"100025": 1, "100026": 2})
    except SirekapError as exc:
        assert str(exc)
    else:
        assert votes == {} or (set(votes) == {"1", "2"} and all(isinstance(v, int) and v >= 0 for v in votes.values()))


@pytest.mark.django_db
@DB
@given(votes=st.dictionaries(st.one_of(st.text(max_size=3), st.integers(-2, 5)), anything, max_size=5),
       numbers=st.dictionaries(st.sampled_from(["suara_sah", "dpt_l", "bogus", ""]), anything, max_size=4))
def test_c_hasil_form_cleaner_answers_or_names_the_field(small_election, votes, numbers):
    from kawaltps.results.validation import clean_form

    try:
        clean_votes, clean_numbers = clean_form(small_election, votes, numbers)
    except ValidationError as exc:
        assert exc.message_dict or exc.messages
    else:
        assert set(clean_votes) == {"1", "2", "3"}
        assert all(isinstance(v, int) and v >= 0 for v in [*clean_votes.values(), *clean_numbers.values()])


cell = st.one_of(st.text(max_size=20), st.integers(-10, 10**17), st.floats(allow_nan=False, width=32), st.none())


@pytest.mark.django_db
@DB
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=8), max_size=6), xlsx=st.booleans())
def test_volunteer_import_of_any_table_reports_or_refuses(jakarta, tmp_path_factory, rows, xlsx):
    """Any CSV or XLSX under the real header: each row imported or reported, or the file refused."""
    from kawaltps.core.spreadsheet import csv_bytes, xlsx_bytes
    from kawaltps.volunteers import columns
    from kawaltps.volunteers.importer import FileRefused, import_volunteers
    from kawaltps.volunteers.models import Volunteer

    header = list(columns.REQUIRED)
    table = [header, *rows]
    path = tmp_path_factory.mktemp("imp") / ("f.xlsx" if xlsx else "f.csv")
    path.write_bytes(xlsx_bytes(table) if xlsx else csv_bytes(table))
    before = Volunteer.objects.count()
    try:
        report = import_volunteers(path)
    except FileRefused as exc:
        assert str(exc) and Volunteer.objects.count() == before
    else:
        assert report.rows == (report.imported + report.updated + report.unchanged + report.merged
                               + len(report.rejected))  # blank rows are counted apart
        assert all(e.reason for e in report.rejected)
        assert Volunteer.objects.count() == before + report.imported

