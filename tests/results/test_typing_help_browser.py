"""C.Hasil typing help in headless Chromium (issue 13.7): live sums and mismatch marks, never blocking."""

import pytest

from kawaltps.results.models import TpsResult
from tests.conftest import PASSWORD, screenshot

from .helpers import good_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_typo_is_marked_while_typing_and_can_still_be_sent(small_election, users, browser, live_server):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.set_default_timeout(90_000)  # a busy CI machine; nothing here waits on purpose
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/hasil/entri/3175081001001/?pemilihan=uji")
    votes, numbers = good_form((120, 30, 150))
    for n, v in votes.items():
        page.fill(f"input[name=paslon_{n}]", str(v))
    page.fill("input[name=suara_sah]", "300")
    box = page.locator(".live-sums")
    assert box.is_visible() and "✔" in box.inner_text()
    assert page.locator("input.mismatch").count() == 0
    page.fill("input[name=paslon_3]", "105")  # the typo of the issue: 105 for 150
    assert "✖" in box.inner_text() and "255" in box.inner_text() and "300" in box.inner_text()
    assert page.locator("input[name=paslon_3].mismatch").count() == 1
    screenshot(page, "typing-help-mismatch-phone")
    for key, value in numbers.items():
        if key != "suara_sah" and page.locator(f"input[name={key}]").count():
            page.fill(f"input[name={key}]", str(value))
    page.click("button.primary")  # not blocked: the server stores it and flags it
    page.wait_for_url(f"{live_server.url}/hasil/entri/?pemilihan=uji")
    result = TpsResult.objects.get(code="3175081001001", source="witness")
    assert result.votes["3"] == 105 and "paslon_tidak_sama_sah" in result.flags
