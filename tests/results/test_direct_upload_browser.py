"""Headless Chromium: the offline queue uploads photos straight to a real SeaweedFS, and a
presigned URL that expired while the phone had no signal is replaced by asking for a new one."""

import time

import pytest

from kawaltps.results.models import Photo, PhotoUpload, Submission
from tests.conftest import CHROMIUM  # noqa: F401  (the browser fixture skips without it)

from .conftest import make_jpeg
from .helpers import good_form
from .test_offline_queue_browser import fill, login, queue_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TPS = "3175081001001"


def test_expired_presigned_url_is_renewed_and_the_photo_accepted(browser, live_server, small_election, users,
                                                                s3_storage, settings):
    endpoint, _ = s3_storage
    settings.PRESIGN_SECONDS = 2
    # The CSP's connect-src names the storage when KAWALTPS_S3_* is set at start-up (tested in
    # tests/core/test_storage.py); this live server started without it, so CSP is bypassed here.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    base = live_server.url
    login(context, base)
    page = context.new_page()
    storage_answers, puts = [], {"n": 0}
    page.on("response", lambda r: storage_answers.append(r.status) if r.url.startswith(endpoint) else None)

    def lose_signal_once(route):
        puts["n"] += 1
        if puts["n"] == 1:
            route.abort("internetdisconnected")  # the signal drops right after the URL was given
        else:
            route.continue_()

    page.route(f"{endpoint}/**", lose_signal_once)
    page.goto(f"{base}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    votes, numbers = good_form()
    fill(page, votes, numbers)
    photo = make_jpeg("TPS 001 halaman 1", seed=11)
    page.set_input_files("input[name=foto_1]", files=[{"name": "hal1.jpg", "mimeType": "image/jpeg",
                                                        "buffer": photo}])
    page.click("button.primary.big")
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=waiting]")
    upload = PhotoUpload.objects.get()
    assert upload.status == "pending" and upload.client_id == f"{client_id}-foto_1"
    assert not Submission.objects.exists() and not Photo.objects.exists()

    time.sleep(3)  # the URL kept with the queued item expires
    page.evaluate("window.dispatchEvent(new Event('online'))")
    sent = page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=sent]", timeout=30000)
    assert "tercatat" in sent.inner_text()
    assert 403 in storage_answers and storage_answers[-1] == 200  # expired, then the new URL worked
    assert queue_ids(page) == []
    upload.refresh_from_db()
    assert upload.status == "accepted" and PhotoUpload.objects.count() == 1
    stored = Photo.objects.get()
    assert stored.file.name == upload.key and stored.result.code == TPS
    assert Submission.objects.count() == 1
    context.close()
