"""Rate limits (issue 8 item 13): web login, admin login, API token, per account and per address.

Each door is used the way a person or device uses it (real HTTP through Django's test client);
the hits are in the database, so every web process sees the same counts.
"""

import pytest
from django.test import Client

from kawaltps.core import throttle
from kawaltps.core.models import ThrottleHit
from tests.conftest import PASSWORD

MESSAGE = "Terlalu banyak percobaan. Coba lagi dalam"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client: Client, username: str, password: str, addr: str = "127.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=addr)


@pytest.mark.django_db
def test_51st_login_with_right_password_refused(users):
    c = Client()
    for _ in range(50):
        r = _login(c, "koord", "salah")
        assert r.status_code in (200, 429)
    r = _login(c, "koord", PASSWORD)
    assert r.status_code == 429 and MESSAGE in r.content.decode()
    assert 1 <= int(r["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in c.session
    assert c.get("/").status_code == 302  # still not logged in


@pytest.mark.django_db
def test_account_locked_after_ten_failures_from_any_address(users):
    for i in range(10):
        assert _login(Client(), "koord", "salah", addr=f"10.0.0.{i}").status_code == 200
    r = _login(Client(), "koord", PASSWORD, addr="10.9.9.9")
    assert r.status_code == 429 and "15 menit" in r.content.decode()
    # another account from the same addresses is fine
    assert _login(Client(), "observer", PASSWORD, addr="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_address_limited_across_accounts(users):
    c = Client()
    for i in range(100):
        assert _login(c, f"tebakan{i}", "salah", addr="10.7.7.7").status_code == 200
    assert _login(c, "observer", PASSWORD, addr="10.7.7.7").status_code == 429
    assert _login(Client(), "observer", PASSWORD, addr="10.7.7.8").status_code == 302


@pytest.mark.django_db
def test_few_failures_then_right_password_logs_in(users):
    c = Client()
    for _ in range(3):
        _login(c, "koord", "salah")
    assert _login(c, "koord", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_admin_login_throttled(users):
    c = Client()
    for _ in range(10):
        assert c.post("/admin/login/", {"username": "admin", "password": "salah"}).status_code == 200
    r = c.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert r.status_code == 429 and MESSAGE in r.content.decode()
    assert c.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_api_token_throttled_with_the_web_login(users):
    """Failures on the web and the API add up for one account: same limit, same backend."""
    api = Client()
    for _ in range(5):
        _login(Client(), "saksi", "salah")
    for _ in range(5):
        r = api.post("/api/auth/token", {"username": "saksi", "password": "salah"}, content_type="application/json")
        assert r.status_code == 401
    r = api.post("/api/auth/token", {"username": "saksi", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429 and r.json()["detail"].startswith(MESSAGE)
    assert "Retry-After" in r


@pytest.mark.django_db
def test_hits_store_no_username_or_address(users):
    _login(Client(), "koord", "salah", addr="10.1.1.1")
    keys = list(ThrottleHit.objects.values_list("key", flat=True))
    assert keys and not any("koord" in k or "10.1.1.1" in k for k in keys)


@pytest.mark.django_db
def test_proxy_address_read_only_when_configured(settings, rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8", REMOTE_ADDR="127.0.0.1")
    assert throttle.client_address(request) == "127.0.0.1"  # a client cannot pick its own address
    settings.PROXY_COUNT = 1
    assert throttle.client_address(request) == "5.6.7.8"


@pytest.mark.django_db
def test_limits_are_named_data():
    assert set(throttle.LIMITS) == {"login", "register", "certificate", "otp"}
    assert all(limit.by in ("address", "account") for limits in throttle.LIMITS.values() for limit in limits)


def test_limit_shared_by_gunicorn_workers(tmp_path):
    """The demo's setup: gunicorn on SQLite with a per-process memory cache.

    Two separate gunicorn servers on one data folder stand for two workers (which one serves a
    request is not up to the test): failures on both add up, because the hits are in the
    database, and the right password is then refused on either.
    """
    import os
    import re
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from kawaltps.core.management.commands.demo import gunicorn_argv

    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(KAWALTPS_DATA_DIR=str(tmp_path / "data"), DJANGO_SUPERUSER_PASSWORD="sandi-benar-123",
               DJANGO_SUPERUSER_USERNAME="pokja", DJANGO_SUPERUSER_EMAIL="pokja@example.org")
    kawaltps = str(bin_dir / "kawaltps")
    subprocess.run([kawaltps, "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
    subprocess.run([kawaltps, "createsuperuser", "--noinput"], env=env, check=True, timeout=60,
                   capture_output=True)
    servers, bases = [], []
    log = open(tmp_path / "gunicorn.log", "w")
    try:
        for _ in range(2):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            servers.append(subprocess.Popen(gunicorn_argv(str(bin_dir / "gunicorn"), f"127.0.0.1:{port}", 1),
                                            env=env, stdout=log, stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/health", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)

        def attempt(base: str, password: str) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=30) as c:
                page = c.get("/masuk/").text
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                return c.post("/masuk/", data={"username": "pokja", "password": password,
                                               "csrfmiddlewaretoken": token})

        for i in range(10):
            assert attempt(bases[i % 2], "salah").status_code == 200
        for base in bases:
            r = attempt(base, "sandi-benar-123")
            assert r.status_code == 429 and "Terlalu banyak percobaan" in r.text
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=30)
        log.close()
