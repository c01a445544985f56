"""Content-Security-Policy on every response (issue 8 item 17), and the pages still work under it.

The browser test opens the key pages in headless Chromium and fails on any CSP violation or
script error, so an inline script that sneaks back in is caught.
"""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

PAGES = ["/masuk/", "/relawan/daftar/", "/bimtek/sertifikat/", "/api/docs", "/api/openapi.json", "/health",
         "/tidak-ada/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_header_on_every_response(jakarta, path):
    r = Client().get(path)
    policy = r["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]  # no inline script or <style>
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_header_on_errors_and_throttled(users, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = Client()
    for _ in range(10):
        c.post("/masuk/", {"username": "koord", "password": "salah"})
    r = c.post("/masuk/", {"username": "koord", "password": PASSWORD})
    assert r.status_code == 429 and "Content-Security-Policy" in r


@pytest.mark.django_db
def test_no_inline_script_in_base_layout(users):
    c = Client()
    c.force_login(users["admin"])
    page = c.get("/").content.decode()
    assert "onchange=" not in page and "<script>" not in page and "kawaltps/app.js" in page


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_without_csp_errors(browser, live_server, users, small_election):
    page = browser.new_page()
    problems = _watch(page)
    page.goto(f"{live_server.url}/relawan/daftar/")
    assert page.locator("input[name=nik]").count() == 1
    page.goto(f"{live_server.url}/bimtek/sertifikat/?kode=a/b")
    assert "TIDAK ASLI" in page.content()
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=20000)
    assert "Kawal TPS API" in page.content()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    # admin needs a second factor: the enrolment page (QR code as a data: image) works under the CSP
    page.wait_for_url("**/akun/2fa/daftar/**")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.twofactor import otp_code

    page.fill("input[name=code]", otp_code(TOTPDevice.objects.get(user=users["admin"], confirmed=False)))
    page.click("button.primary")
    page.click("a.button.primary")
    page.wait_for_url(f"{live_server.url}/")
    # the language switch is a static script now (no inline onchange)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "id")
    for path in ("/hasil/", "/relawan/", "/relawan/kesiapan/", "/bimtek/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    csp = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert not csp, csp
    problems = [p for p in problems if "status of 404" not in p]  # the unknown certificate page itself
    assert not problems, problems
