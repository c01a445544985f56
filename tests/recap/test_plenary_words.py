"""The plenary kit read back as text: "Paslon 01", WIB, written-out dates (issue 13.3)."""

import re

from tests.pdftext import LONG_DATE, text_of


def test_plenary_kit_names_paslon(loaded):
    from kawaltps.recap.plenary import build

    data, body, _xlsx = build(loaded, "317508")
    text = text_of(body)
    assert "Paslon 01 saksi / Sirekap" in text and "Paslon 01:" in text and "WIB" in text
    assert LONG_DATE.search(text) and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
