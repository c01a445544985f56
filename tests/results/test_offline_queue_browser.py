"""Headless Chromium: the saksi's offline queue keeps a C.Hasil until the server acknowledges its id.

Defects issue #8 item 1: a queued C.Hasil was deleted on any answer under 500 (a CSRF 403 after a
new login, a 400, a login page reached by a redirect). These tests go through the real page, the
real IndexedDB and the real server.
"""

import re

import pytest

from kawaltps.results.models import Photo, State, Submission, TpsResult
from tests.conftest import PASSWORD, screenshot

from .conftest import make_jpeg
from .helpers import good_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TPS = "3175081001001"


def fill(page, votes, numbers):
    for k, v in votes.items():
        page.fill(f"input[name=paslon_{k}]", str(v))
    for k, v in numbers.items():
        page.fill(f"input[name={k}]", str(v))


def queue_ids(page) -> list[str]:
    """The client ids still waiting in the page's IndexedDB queue."""
    return page.evaluate("""() => new Promise((ok, fail) => {
        const req = indexedDB.open("kawaltps-queue", 2);
        req.onsuccess = () => { const t = req.result.transaction("submissions", "readonly");
            const all = t.objectStore("submissions").getAllKeys();
            all.onsuccess = () => { ok(all.result); req.result.close(); }; };
        req.onerror = () => fail(req.error); })""")


def logout(context, base: str) -> None:
    """Log out through the same cookie jar as the page (Playwright's context.request), not the page."""
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    r = context.request.post(f"{base}/keluar/", headers={"X-CSRFToken": csrf}, form={"csrfmiddlewaretoken": csrf})
    assert r.ok


def login(context, base: str, username: str = "saksi") -> None:
    html = context.request.get(f"{base}/masuk/").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    r = context.request.post(f"{base}/masuk/", form={"username": username, "password": PASSWORD,
                                                     "csrfmiddlewaretoken": token})
    assert r.ok and "/masuk/" not in r.url


def test_queued_offline_survives_relogin_and_is_stored_once(login_page, live_server, small_election, users):
    page = login_page("saksi", viewport=(360, 740))
    context, base = page.context, live_server.url
    page.goto(f"{base}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    votes, numbers = good_form()
    fill(page, votes, numbers)
    # what the form says beside the numbers (issue 10 item 3) travels in the same queued item
    page.select_option("select[name=ttd_kpps]", "signed")
    page.select_option("select[name=ttd_saksi_2]", "refused")
    page.select_option("select[name=salinan]", "tidak")
    page.select_option("select[name=keberatan]", "ya")
    page.fill("textarea[name=keberatan_isi]", "Kotak suara dibuka sebelum saksi hadir.")
    page.set_input_files("input[name=foto_plano]", files=[{"name": "plano.jpg", "mimeType": "image/jpeg",
                                                           "buffer": make_jpeg(seed=11)}])

    context.set_offline(True)
    page.click("button.primary.big")
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=waiting]")
    assert "Akan dikirim otomatis" in page.inner_text("#queue-result")
    assert not Submission.objects.exists()

    # While offline, the saksi's session changes: logged out (the queued form's CSRF token is void) ...
    logout(context, base)
    context.set_offline(False)  # ... and the signal comes back before they log in again
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=login]")
    assert "masuk lagi untuk mengirim" in page.inner_text("#queue-list")
    assert queue_ids(page) == [client_id] and not Submission.objects.exists()
    screenshot(page, "results-queue-login-needed-phone")

    login(context, base)  # a new login rotates the CSRF token: the old one in the queued form is refused
    page.goto(f"{base}/hasil/kirim/")  # where the login link brings the saksi back
    sent = page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=sent]")
    assert "tercatat sebagai angka TPS ini" in sent.inner_text()
    screenshot(page, "results-queue-sent-phone")
    assert queue_ids(page) == []
    assert Submission.objects.filter(client_id=client_id).count() == 1 and Submission.objects.count() == 1
    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.ENTERED
    assert result.attestation == {"kpps": "signed", "saksi": {"2": "refused"}, "keberatan": True,
                                  "keberatan_text": "Kotak suara dibuka sebelum saksi hadir.", "salinan": False}
    assert list(Photo.objects.values_list("document", flat=True)) == ["plano"]


def test_stale_csrf_token_after_relogin_while_offline(login_page, live_server, small_election, users):
    """Log out and back in while the queue is offline, then come online: sent with a fresh token."""
    page = login_page("saksi", viewport=(360, 740))
    context, base = page.context, live_server.url
    page.goto(f"{base}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    fill(page, *good_form())
    context.set_offline(True)
    page.click("button.primary.big")
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=waiting]")
    logout(context, base)
    login(context, base)
    context.set_offline(False)  # the page's "online" event flushes the queue, no reload
    sent = page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=sent]")
    assert "tercatat sebagai angka TPS ini" in sent.inner_text()
    assert queue_ids(page) == [] and Submission.objects.filter(client_id=client_id).count() == 1


def test_refused_c_hasil_is_kept_with_its_reason_and_can_be_corrected(login_page, live_server, small_election,
                                                                      users):
    page = login_page("saksi", viewport=(360, 740))
    base = live_server.url
    page.goto(f"{base}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    votes, numbers = good_form()
    fill(page, {**votes, "1": "-4"}, numbers)
    page.select_option("select[name=salinan]", "ya")
    page.click("button.primary.big")
    failed = page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=invalid]")
    assert "gagal" in failed.inner_text() and "tidak boleh negatif" in failed.inner_text()
    assert page.locator("p.error[role=alert]").count() == 1
    assert page.get_attribute("input[name=paslon_1]", "aria-invalid") == "true"

    page.reload()  # kept on the phone, shown again, and not resent on its own
    failed = page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=invalid]")
    assert "tidak boleh negatif" in failed.inner_text() and queue_ids(page) == [client_id]
    screenshot(page, "results-queue-refused-phone")
    assert not Submission.objects.exists()

    page.click(f"#queue-list li[data-id='{client_id}'] button:text('Perbaiki')")
    assert page.input_value("input[name=paslon_1]") == "-4"  # the refused numbers, back in the form
    assert page.input_value("select[name=salinan]") == "ya"  # and what it said beside them
    assert page.input_value("input[name=client_id]") == client_id
    page.fill("input[name=paslon_1]", str(votes["1"]))
    page.click("button.primary.big")
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=sent]")
    assert "tercatat sebagai angka TPS ini" in page.inner_text("#queue-result")
    assert queue_ids(page) == [] and Submission.objects.filter(client_id=client_id).count() == 1


def test_conflicting_numbers_are_called_disputed_on_the_phone(login_page, live_server, small_election, users):
    """Item 3: the saksi reads that their numbers differ and the TPS went to reconciliation."""
    from kawaltps.results import services

    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS, "clerk_first", {**votes, "1": 119}, numbers, "clerk-1")
    page = login_page("saksi", viewport=(360, 740))
    page.goto(f"{live_server.url}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    fill(page, votes, numbers)
    page.click("button.primary.big")
    notice = page.wait_for_selector("#queue-result .notice.warn")
    assert "BERBEDA" in notice.inner_text() and "rekonsiliasi" in notice.inner_text()
    assert "sudah diterima." not in notice.inner_text()
    assert page.get_attribute(f"#queue-list li[data-id='{client_id}']", "data-outcome") == "disputed"
    screenshot(page, "results-saksi-disputed-phone")
    assert page.input_value("input[name=client_id]") != client_id  # a new sending gets a new id
    assert TpsResult.objects.get(code=TPS).state == State.DISPUTED


def staged_answer(answer: dict):
    """A Playwright route handler answering the form's POST with ``answer``; page loads go through."""

    def handle(route, request):
        if request.method == "POST":
            route.fulfill(**answer)
        else:
            route.continue_()

    return handle


def test_only_the_exact_ack_deletes_an_item(login_page, live_server, small_election, users):
    """Answers under 500 that are not the ack of this client id keep the item: a redirect followed
    to the login page (200), a CSRF refusal (403 HTML), a plain 200 page, an ack of another id.
    The answers are staged with Playwright's router in front of the real server."""
    page = login_page("saksi", viewport=(360, 740))
    base = live_server.url
    page.goto(f"{base}/hasil/kirim/")
    client_id = page.input_value("input[name=client_id]")
    fill(page, *good_form())
    submit_url = f"{base}/hasil/kirim/{TPS}/**"
    staged = [
        ({"status": 302, "headers": {"Location": f"/masuk/?next=/hasil/kirim/{TPS}/"}}, "login"),
        ({"status": 403, "body": "<h1>403 CSRF</h1>", "content_type": "text/html"}, "login"),
        ({"status": 200, "body": "<html>ok</html>", "content_type": "text/html"}, "waiting"),
        ({"status": 200, "json": {"ack": "another-id", "status": "received", "message": "x"}}, "waiting"),
    ]
    for answer, expected in staged:
        page.route(submit_url, staged_answer(answer))
        if page.locator(f"#queue-list li[data-id='{client_id}']").count() == 0:
            page.click("button.primary.big")
        else:
            page.reload()
        page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state={expected}]")
        assert queue_ids(page) == [client_id], answer
        page.unroute(submit_url)
    assert not Submission.objects.exists()
    page.reload()  # the real server now: acknowledged, deleted, stored once
    page.wait_for_selector(f"#queue-list li[data-id='{client_id}'][data-state=sent]")
    assert queue_ids(page) == [] and Submission.objects.filter(client_id=client_id).count() == 1
