"""Headless Chromium, offline for real: the service worker serves the saksi pages with no network,
the check-in, a checklist answer, an incident with a photo and the C.Hasil wait in IndexedDB,
survive a reload offline and an expired session, and reach the server exactly once each."""

import pytest

from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident
from kawaltps.results.models import Submission
from tests.conftest import screenshot
from tests.results.helpers import good_form
from tests.results.test_offline_queue_browser import fill, login, logout, queue_ids

from .conftest import SAKSI_TPS, make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offline_reports_survive_reload_and_expired_session_and_arrive_once(login_page, live_server, tps, users,
                                                                            tmp_path):
    photo = tmp_path / "tps.jpg"
    photo.write_bytes(make_jpeg(seed=11, exif=True))
    page = login_page("saksi", viewport=(360, 740))
    context, base = page.context, live_server.url
    field_url = f"{base}/hari-h/tps/{SAKSI_TPS}/?pemilihan=uji"
    chasil_url = f"{base}/hasil/kirim/{SAKSI_TPS}/?pemilihan=uji"
    page.goto(field_url)
    page.wait_for_selector("html[data-offline-ready]", timeout=20000)  # the service worker kept the pages

    context.set_offline(True)
    page.reload()  # with the network off this page can only come from the service worker
    assert page.locator("form[data-offline]").count() >= 4
    page.set_input_files("#checkin input[name=foto]", str(photo))
    page.check("#checkin input[name=mandat][value=ya]")
    page.click("#checkin button.primary")
    page.wait_for_selector("#queue-list li[data-state=waiting]")

    item = page.locator("li[data-item=kotak_kosong]")
    item.locator("input[value=tidak]").check()
    item.locator("input[name=note]").fill("kotak sudah berisi")
    item.locator("button").click()
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=waiting]').length >= 2")

    page.select_option("#kejadian select[name=category]", "kotak_dibuka")
    page.fill("#kejadian textarea[name=description]", "Kotak dibuka sebelum waktunya")
    page.set_input_files("#kejadian input[name=bukti]", str(photo))
    page.click("#kejadian button.primary")
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=waiting]').length >= 3")

    page.goto(chasil_url)  # the C.Hasil form, also from the service worker's cache
    fill(page, *good_form())
    page.click("button.primary.big")
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=waiting]').length >= 4")

    page.goto(field_url)  # reload offline: everything still waiting, listed
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=waiting]').length == 4")
    waiting = queue_ids(page)
    assert len(waiting) == 4 and len(set(waiting)) == 4
    screenshot(page, "fieldday-offline-queue-phone")
    assert not (CheckIn.objects.exists() or ChecklistAnswer.objects.exists() or Incident.objects.exists()
                or Submission.objects.exists())

    logout(context, base)  # the session expires while the phone is offline
    context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=login]').length == 4")
    assert not CheckIn.objects.exists()
    login(context, base)
    page.goto(field_url)
    page.wait_for_function("() => document.querySelectorAll('#queue-list li[data-state=sent]').length == 4",
                           timeout=30000)
    assert queue_ids(page) == []
    page.reload()  # a later flush sends nothing twice
    page.wait_for_selector("#queue-list li[data-state=sent]")

    assert CheckIn.objects.count() == 1 and str(CheckIn.objects.get().client_id) in waiting
    c = CheckIn.objects.get()
    assert c.mandate_accepted is True and c.photo is not None
    assert ChecklistAnswer.objects.count() == 1 and ChecklistAnswer.objects.get().answer == "tidak"
    inc = Incident.objects.get()
    assert inc.psu_trigger and inc.evidence.count() == 1
    assert Submission.objects.count() == 1 and Submission.objects.get().client_id in waiting
