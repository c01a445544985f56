"""The one count rule (core.numbers) and the one external-link rule (core.links)."""

import polars as pl
import pytest

from kawaltps.core.links import external_url
from kawaltps.core.numbers import (
    MAX_COUNT,
    NumberError,
    is_ascii_digits,
    page_window,
    parse_count,
    parse_id,
    polars_count,
    polars_plain_count,
)

GOOD = {"0": 0, "12": 12, " 7 ": 7, "1.234": 1234, "1.000.000.000": MAX_COUNT, 12.0: 12, 5: 5}
BAD = ["²", "１２３", "١٢٣", "৭", "9" * 5000, "1e300", "+5", "1,5", "1.23", "0x10", "1_000", "12abc", "-1",
       "1000000001", 1e300, float("inf"), float("nan"), 1.5, True, 10**400, -1]


@pytest.mark.parametrize("value,expected", GOOD.items())
def test_counts_that_pass(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", BAD, ids=[repr(v)[:12] for v in BAD])
def test_counts_that_are_refused_with_a_reason(value):
    with pytest.raises(NumberError) as exc:
        parse_count(value, field="Suara paslon 1")
    assert str(exc.value).startswith("Suara paslon 1 ")


def test_blank_is_none_and_a_tighter_bound_applies():
    assert parse_count(None) is None and parse_count("  ") is None
    with pytest.raises(NumberError, match="paling banyak 100.000"):
        parse_count("100001", maximum=100_000)
    with pytest.raises(NumberError, match="paling banyak 1.000.000.000"):  # never looser than MAX_COUNT
        parse_count(str(MAX_COUNT + 1), maximum=10**12)


def test_the_vectorised_rule_agrees_with_parse_count():
    cells = [str(v) for v in [*GOOD, *BAD] if not isinstance(v, float | bool)] + ["", None]
    value, bad = polars_count("c")
    frame = pl.DataFrame({"c": cells}, schema={"c": pl.String}).with_columns(value.alias("v"), bad.alias("bad"))
    for cell, v, is_bad in frame.iter_rows():
        try:
            expected = parse_count(cell)
        except NumberError:
            assert is_bad and v is None, cell[:20]
        else:
            assert not is_bad and v == expected, cell


def test_the_plain_fast_path_gives_what_the_full_rule_gives():
    cells = [str(v) for v in [*GOOD, *BAD] if not isinstance(v, float | bool)] + [
        "", None, "0", "007", "999999999", "1000000000", "1000000001", "9999999999", " 12", "12 ", "-0", "1.000",
        "１", "٣", "²", "+1", "1e3", "12\n"]
    value, bad = polars_count("c")
    plain, fast = polars_plain_count("c")
    frame = pl.DataFrame({"c": cells}, schema={"c": pl.String}).with_columns(
        value.alias("v"), bad.alias("bad"), plain.alias("plain"), fast.alias("fast"))
    assert frame.filter("plain").height == 7  # the common cells do take the fast path
    for cell, v, is_bad, is_plain, f in frame.iter_rows():
        if is_plain:
            assert not is_bad and f == v, cell
    assert frame.filter(pl.col("plain") & pl.col("c").is_in(["1000000000", "1000000001", "9999999999", " 12", "-0",
                                                              "1.000", "１", "٣", "²", "+1", "12\n"])).height == 0


def test_digit_strings_ids_and_pages():
    assert is_ascii_digits("3175") and not is_ascii_digits("３１") and not is_ascii_digits("") \
        and not is_ascii_digits("²")
    assert parse_id("12") == 12 and parse_id("abc") is None and parse_id("9" * 19) is None and parse_id("²") is None
    assert page_window(500, 0) == (500, 0)
    for limit, offset in [(0, 0), (501, 0), (-1, 0), (10**30, 0), (10, -1), (10, 10**30)]:
        with pytest.raises(NumberError):
            page_window(limit, offset)


@pytest.mark.parametrize("url,ok", [
    ("https://sirekap-obj-data.kpu.go.id/a.jpg", True), ("http://example.org/x", True),
    ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,<script>", False), ("//evil.example/x", False), ("/relative", False),
    ("https:///nohost", False), ("vbscript:x", False), (None, False), (42, False),
])
def test_external_links_are_http_or_https_only(url, ok):
    assert (external_url(url) != "") is ok
