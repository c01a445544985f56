"""The mandate letter read back as text: written-out dates, no internal codes (issue 13.3)."""

import pytest

from kawaltps.core.formatting import long_day
from tests.pdftext import INTERNAL, LONG_DATE, text_of

pytestmark = pytest.mark.django_db


def test_mandate_pdf(small_election, signer, volunteer):
    from kawaltps.deployment import mandates, pdf, services

    v = volunteer("3175081001", voting="3175081001001", name="Siti Nurhaliza")
    m = mandates.issue_for_assignment(services.assign_by_hand(small_election, v, "3175081001001"))
    text = text_of(pdf.render([m], lambda c: "http://x/cek/"))
    assert "SURAT MANDAT SAKSI" in text and "Siti Nurhaliza" in text and LONG_DATE.search(text)
    assert long_day(small_election.date) in text
    body = text.split("Nomor:", 1)[1].split(" ", 2)[2]  # the letter's number may carry the election's slug
    assert not INTERNAL.search(body.replace("http://x/cek/", "")), INTERNAL.search(body)
