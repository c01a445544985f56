"""Every role's main pages in headless Chromium at 360 px and 1280 px (issue 13.2, 13.3).

On each page: the document is not wider than the screen; at 1280 px no table is cut (none scrolls
inside its box); at 360 px the tables that decide (stacked rows, ``table.stack``) fit without sideways
scrolling; the text shows no internal code (``results.disputed``, ``{'status': …}``, ``None``) and,
in English, no Indonesian sentence left untranslated. Screenshots go to a temporary directory
(``KAWALTPS_SCREENSHOT_DIR``, default ``$TMPDIR/kawaltps-screenshots``), never into the repository.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from kawaltps.people.models import Role, User
from kawaltps.people.twofactor import requires_2fa
from kawaltps.recap.discrepancies import recompute
from kawaltps.results import services
from kawaltps.training.models import Session
from kawaltps.volunteers.models import Volunteer
from tests.conftest import PASSWORD
from tests.recap.conftest import result
from tests.results.helpers import good_form
from tests.twofactor import otp_code, otp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("KAWALTPS_SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "kawaltps-screenshots")
INTERNAL = re.compile(r"\b(results|recap|training|volunteers|deployment|bimtek)[._][a-z_]{3,}\b|\{'|'\}|\bNone\b|"
                      r"\bTraceback\b|\bstatus: [a-z]+ →")
INDONESIAN = re.compile(r"\b(yang|belum|untuk|Anda|dengan|tidak|sudah|menunggu|diperbarui|halaman)\b", re.IGNORECASE)
Q = "?pemilihan=uji"
PAGES = {
    "admin": ["/", f"/hasil/{Q}", f"/rekap/{Q}", f"/relawan/kesiapan/{Q}", "/bimtek/", f"/penugasan/celah/{Q}",
              f"/hasil/rekonsiliasi/{Q}", "/tidak-ada/",
              "/relawan/?wilayah=Makasar"],
    "koord": ["/", f"/hasil/{Q}", f"/rekap/{Q}", f"/relawan/kesiapan/{Q}", f"/hasil/rekonsiliasi/{Q}",
              "/bimtek/hasil/", f"/analitik/bimtek/{Q}", f"/peta/{Q}", f"/peta/{Q}&layer=selisih"],
    "clerk": ["/", f"/hasil/entri/{Q}", "/relawan/"],
    "saksi": ["/", "/hasil/kirim/"],
    "relawan": ["/", "/bimtek/saya/", "/penugasan/saya/", "/bimtek/hadir/"],
    "trainer": ["/", "/bimtek/", "/bimtek/sesi/{session}/pindai/"],  # {session}: the fixture's session
    "legal": ["/", f"/rekap/{Q}", f"/peta/{Q}"],
    "observer": ["/", f"/hasil/{Q}", f"/hasil/{Q}&wilayah=Zzzz", f"/analitik/{Q}", f"/analitik/forensik/{Q}"],
}


@pytest.fixture
def field(small_election, users, make_user):
    """Entries in every state, one moved vote against the official numbers, a Bimtek session with
    a volunteer who attended and has the post-test open (a relawan login)."""
    import datetime

    from kawaltps.regions.models import Region
    from kawaltps.training import services as training

    e = small_election
    for i, (code, votes) in enumerate([("3175081001001", (120, 30, 150)), ("3175081001002", (90, 40, 170))]):
        v, n = good_form(votes)
        services.submit(users["clerk"], e, code, "clerk_first", v, n, f"f{i}-1")
        if i == 0:
            services.submit(users["clerk2"], e, code, "clerk_first", v, n, f"f{i}-2")
        else:  # a typo in the second entry: the TPS goes to reconciliation
            v2, n2 = good_form((90, 40, 171))
            services.submit(users["clerk2"], e, code, "clerk_first", v2, n2, f"f{i}-2")
    result(e, "3175081001001", (130, 20, 150), "official", "verified")
    recompute(e)
    relawan = make_user("relawan", Role.RELAWAN)
    volunteer = Volunteer.objects.create(name="Relawan Uji", nik="3175080000000001", phone="628120000001",
                                         kelurahan_id="3175081001", user=relawan)
    session = training.create_session(
        users["admin"], title="Bimtek Makasar", date=datetime.date.today(), start_time=datetime.time(9),
        end_time=datetime.time(12), place="Aula Kecamatan", region=Region.objects.get(code="317508"),
        trainer=users["trainer"], capacity=30, pass_score=70)
    enrolment = training.enrol(session, volunteer, by=users["admin"])
    training.mark_present_by_manager(users["admin"], enrolment, "manual")
    return e


def _check_page(page, url: str, width: int, lang: str) -> list[str]:
    page.goto(url)
    problems = []
    doc = page.evaluate("document.documentElement.scrollWidth")
    if doc > width:
        problems.append(f"page {doc} px wide")
    cut = page.evaluate("""(phone) => Array.from(document.querySelectorAll('.scroll'))
        .filter(box => box.scrollWidth > box.clientWidth + 1 && (!phone || box.querySelector('table.stack')))
        .map(box => (box.querySelector('table') || box).id || box.className)""", width < 600)
    if cut:
        problems.append(f"tables cut: {cut}")
    text = page.inner_text("body")
    if INTERNAL.search(text):
        problems.append(f"internal code: {INTERNAL.search(text).group(0)!r}")
    if lang == "en":  # the printed C.Hasil's own words (marked lang="id") stay as on the form
        main = page.evaluate("""() => { const m = document.querySelector('main').cloneNode(true);
            m.querySelectorAll('[lang=id]').forEach(e => e.remove()); return m.innerText; }""")
        if m := INDONESIAN.search(main):
            problems.append(f"untranslated: …{main[max(m.start() - 40, 0):m.end() + 40]!r}…")
    return problems


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_role_every_main_page_fits_and_speaks_words(field, users, browser, live_server):
    """Indonesian at 360 and 1280 px, English at 360 px (the longer words wrap on the phone too)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert User.objects.filter(username="relawan", role=Role.RELAWAN).exists()
    problems, seen = {}, 0
    session_pk = Session.objects.get(title="Bimtek Makasar").pk
    for username, paths in PAGES.items():
        context = browser.new_context(viewport={"width": 360, "height": 800})
        context.set_default_timeout(90_000)  # a busy CI machine; nothing here waits on purpose
        page = context.new_page()
        user = User.objects.get(username=username)
        device = otp_device(user) if requires_2fa(user) else None  # an enrolled authenticator
        page.goto(f"{live_server.url}/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        if device is not None:  # the second step, as the authenticator app would answer it
            page.wait_for_url("**/akun/2fa/**")
            page.fill("input[name=code]", otp_code(device))
            page.click("button.primary")
        page.wait_for_url(f"{live_server.url}/")
        for lang, width in (("id", 360), ("id", 1280), ("en", 360)):
            page.set_viewport_size({"width": width, "height": 800})
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            for path in paths:
                path = path.replace("{session}", str(session_pk))
                found = _check_page(page, live_server.url + path, width, lang)
                seen += 1
                name = f"{lang}-{username}{re.sub(r'[^a-z0-9]+', '-', path.split('?')[0])}{width}"
                page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                if found:
                    problems[f"{username} {path} @{width} {lang}"] = found
        context.close()
    assert seen == 3 * sum(len(p) for p in PAGES.values())
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_home_pages_count_what_waits(field, users, client):
    """The counts on the home pages are the queues' true sizes, and each links to its page."""
    client.force_login(users["clerk2"])
    assert "TPS menunggu entri Anda" in client.get("/").content.decode()
    client.force_login(users["koordinator"])
    body = client.get("/").content.decode()
    assert "TPS dengan entri berbeda, menunggu keputusan" in body and "/hasil/rekonsiliasi/?pemilihan=uji" in body
    assert re.search(r'<strong class="n">1</strong> <span>TPS dengan entri berbeda', body)
    client.force_login(User.objects.get(username="relawan"))
    body = client.get("/").content.decode()
    assert "Relawan</strong>" in body and "Saksi</strong>" not in body
    assert re.search(r'<strong class="n">1</strong> <span>post-test Bimtek menunggu Anda', body)
