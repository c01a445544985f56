"""The camera QR scanner in headless Chromium with a fake camera (issue 13.8).

Chromium plays a Y4M file as the camera (``--use-fake-device-for-media-stream
--use-file-for-fake-video-capture``); the file is made here from a real attendance code with the
project's QR library (segno), so the page's decoder (jsQR, served by our server) reads it from
camera frames exactly as from a phone's camera, and the server records attendance.
"""

import io
import os
from pathlib import Path

import numpy as np
import pytest
import segno
from PIL import Image

from kawaltps.training import curriculum, services, tokens
from kawaltps.training.models import Enrolment
from tests.conftest import CHROMIUM, PASSWORD, screenshot

pytestmark = pytest.mark.browser
JSQR = Path(services.__file__).parent / "static/training/vendor/jsqr/jsQR.js"


@pytest.fixture(autouse=True)
def bank(transactional_db):
    curriculum.seed()


def write_y4m(path: Path, text: str, width: int = 640, height: int = 480, frames: int = 10) -> Path:
    """A grey-scale Y4M video (4:2:0) whose every frame shows ``text`` as a QR code."""
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=6, border=4)
    qr = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    qr.thumbnail((height - 40, height - 40))
    frame = Image.new("L", (width, height), 255)
    frame.paste(qr, ((width - qr.width) // 2, (height - qr.height) // 2))
    y = np.asarray(frame, dtype=np.uint8).tobytes()
    uv = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + y + uv + uv)
    return path


@pytest.fixture
def camera_browser(tmp_path):
    """``camera_browser(text)`` → a Chromium whose camera shows ``text`` as a QR code."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    if not JSQR.exists():
        pytest.fail("jsQR is missing: run ./scripts/setup.sh (it installs the scanner library)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        opened = []

        def launch(text: str):
            video = write_y4m(tmp_path / f"qr{len(opened)}.y4m", text)
            b = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}"])
            opened.append(b)
            return b

        yield launch
        for b in opened:
            b.close()


def _login(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 360, "height": 800}, permissions=["camera"])
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_trainer_scans_volunteer_card_with_camera(camera_browser, live_server, session, make_volunteer):
    v = make_volunteer(name="Budi Kamera")
    other = make_volunteer(name="Belum Dipindai")
    services.enrol(session, v)
    services.enrol(session, other)
    page = _login(camera_browser(tokens.volunteer_token(v.pk)), live_server, "trainer")
    page.goto(f"{live_server.url}/bimtek/sesi/{session.pk}/pindai/")
    page.click("button.qr-toggle")  # "Pindai dengan kamera"
    page.wait_for_selector("p.result", timeout=30_000)  # decoded from camera frames, then submitted
    assert "Budi Kamera tercatat hadir" in page.locator("p.result").inner_text()
    assert Enrolment.objects.get(volunteer=v).attendance_method == Enrolment.Method.TRAINER_SCAN
    assert not Enrolment.objects.get(volunteer=other).attended  # only the code shown was recorded
    # after the reload the camera runs again for the next volunteer, but the same card is not resent
    page.wait_for_selector("video:not([hidden])")
    page.wait_for_timeout(1500)
    assert page.locator("p.result").count() == 1 and "tercatat hadir" in page.locator("p.result").inner_text()
    screenshot(page, "training-scan-camera-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_volunteer_scans_session_code_with_camera(camera_browser, live_server, session, make_volunteer):
    from django.urls import reverse

    v = make_volunteer(name="Siti Kamera", login=True)
    services.enrol(session, v)
    url = live_server.url + reverse("training:checkin") + "?t=" + tokens.session_token(session.pk)
    page = _login(camera_browser(url), live_server, v.user.username)
    page.goto(f"{live_server.url}/bimtek/hadir/")
    page.click("button.qr-toggle")
    page.wait_for_url("**/bimtek/saya/", timeout=30_000)
    assert "tercatat" in page.locator("ul.messages").inner_text()
    assert Enrolment.objects.get(volunteer=v).attendance_method == Enrolment.Method.SELF_SCAN


def test_typing_still_works_without_javascript(browser, live_server, session, make_volunteer):
    """No JavaScript (or no camera): no scanner button, the typed code records attendance."""
    v = make_volunteer(name="Tanpa Kamera")
    services.enrol(session, v)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "trainer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.goto(f"{live_server.url}/bimtek/sesi/{session.pk}/pindai/")
    assert page.locator("button.qr-toggle").count() == 0
    page.fill("input[name=token]", tokens.volunteer_token(v.pk))
    page.click("button.primary")
    assert "Tanpa Kamera tercatat hadir" in page.locator("p.result").inner_text()
    assert Enrolment.objects.get(volunteer=v).attended
