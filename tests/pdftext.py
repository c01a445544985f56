"""Reading a PDF back as text, for the tests that check the words and dates people are handed
(issue 13.3): dates written out in Indonesian (``core.formatting.long_day``: 27 November 2024),
moments with WIB, "Paslon 01", and no internal code, Python value or ISO/numeric date."""

import io
import re

from pypdf import PdfReader

LONG_DATE = re.compile(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
                       r"November|Desember) \d{4}\b")
INTERNAL = re.compile(r"\bNone\b|\{'|'\}|\b\d{4}-\d{2}-\d{2}\b|\b\d{2}-\d{2}-\d{4}\b|\b[a-z]+_[a-z_]+\b")


def text_of(data: bytes) -> str:
    """Every page's text, whitespace folded to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
