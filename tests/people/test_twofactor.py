"""Two-factor authentication for admin, koordinator and legal (issue 14 item 4), through the real
login form, the admin site and the API token endpoint."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.twofactor import otp_code, otp_device

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _password_login(username: str) -> Client:
    c = Client()
    r = c.post("/masuk/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302
    return c


def test_roles_that_need_it_are_held_at_enrolment_until_they_confirm(users):
    c = _password_login("koord")
    r = c.get("/relawan/")
    assert r.status_code == 302 and r["Location"].startswith("/akun/2fa/daftar/?next=/relawan/")
    page = c.get("/akun/2fa/daftar/")
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in body
    device = TOTPDevice.objects.get(user=users["koordinator"], confirmed=False)
    wrong = c.post("/akun/2fa/daftar/", {"code": "000000" if otp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    assert c.get("/relawan/").status_code == 302  # still held
    ok = c.post("/akun/2fa/daftar/", {"code": otp_code(device), "next": "/relawan/"})
    assert ok.status_code == 200
    codes = ok.context["codes"]
    assert len(codes) == 10 and all(code in ok.content.decode() for code in codes)
    assert c.get("/relawan/").status_code == 200


def test_enrolled_user_is_asked_for_the_code_and_a_recovery_code_works_once(users):
    from kawaltps.people import twofactor

    otp_device(users["legal"])
    codes = twofactor.new_recovery_codes(users["legal"])
    c = _password_login("legal")
    r = c.get("/wilayah/")
    assert r["Location"].startswith("/akun/2fa/?next=/wilayah/")
    assert c.post("/akun/2fa/", {"code": "12345678"}).status_code == 400
    assert c.get("/wilayah/").status_code == 302
    r = c.post("/akun/2fa/", {"code": codes[0], "next": "/wilayah/"})
    assert r.status_code == 302 and r["Location"] == "/wilayah/"
    assert c.get("/wilayah/").status_code == 200
    again = _password_login("legal")
    assert again.post("/akun/2fa/", {"code": codes[0]}).status_code == 400  # used up


def test_the_totp_code_passes_and_an_outside_next_is_ignored(users):
    device = otp_device(users["admin"])
    c = _password_login("admin")
    r = c.post("/akun/2fa/", {"code": otp_code(device), "next": "https://jahat.example/"})
    assert r.status_code == 302 and r["Location"] == "/"


def test_admin_site_and_session_api_are_held_too(users):
    otp_device(users["admin"])
    c = _password_login("admin")
    assert c.get("/admin/").status_code == 302 and "/akun/2fa/" in c.get("/admin/")["Location"]
    r = c.get("/api/me")
    assert r.status_code == 403 and "dua langkah" in r.json()["detail"]


def test_other_roles_need_no_second_factor(users):
    c = _password_login("observer")
    assert c.get("/wilayah/").status_code == 200


def test_wrong_codes_are_throttled_per_account(users):
    otp_device(users["koordinator"])
    c = _password_login("koord")
    for _ in range(10):
        c.post("/akun/2fa/", {"code": "999999" if otp_code(otp_device(users["koordinator"])) != "999999" else "1"})
    r = c.post("/akun/2fa/", {"code": otp_code(otp_device(users["koordinator"]))})
    assert r.status_code == 429  # even the right code, past the limit


def test_api_token_needs_the_code_for_these_roles(users):
    device = otp_device(users["legal"])
    c = Client()
    r = c.post("/api/auth/token", {"username": "legal", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 401 and "otp" in r.json()["detail"]
    r = c.post("/api/auth/token", {"username": "legal", "password": PASSWORD, "otp": otp_code(device)},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["token"].startswith("ktps_")
    r = c.post("/api/auth/token", {"username": "observer", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 200


def test_demo_enrols_its_2fa_logins_and_prints_their_secrets(users):
    from kawaltps.people import demo
    from kawaltps.people.models import User

    User.objects.filter(username="koord").update(username="koord-jaktim")
    lines = demo.demo_second_factor()
    secret_lines = [line for line in lines[1:]]
    assert [line.split()[0] for line in secret_lines] == ["admin", "koord-jaktim", "legal"]
    device = TOTPDevice.objects.get(user__username="koord-jaktim", confirmed=True)
    assert secret_lines[1].split()[1] == __import__("base64").b32encode(device.bin_key).decode().rstrip("=")
    assert demo.demo_second_factor() == lines  # a second run prints the same secrets
