"""Shared fixtures: Jakarta's regions, the demo election, a user per role, live server + Chromium.

The database is whatever ``DATABASE_URL`` says (SQLite by default; CI runs again on PostgreSQL).
"""

import os
import shutil
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# Playwright keeps an event loop in the test thread; Django must still let tests touch the DB.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config):
    """Close connections after each request in tests, so live-server threads never keep the test DB open."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests create many users: a fast hasher (PBKDF2's 1M rounds cost 0.4 s a user). Production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _flush_around_audit_triggers()


def _flush_around_audit_triggers():
    """The test database's flush (after every transactional test) empties every table, the
    append-only audit log included: it drops the log's triggers first and puts them back after,
    as an operator resetting a database would. The application itself never can."""
    from django.db import connections

    from kawaltps.audit import schema

    for ops_class in {type(connections[alias].ops) for alias in connections}:
        original = ops_class.sql_flush
        if getattr(original, "_around_audit", False):
            continue

        def sql_flush(self, style, tables, *args, _original=original, **kwargs):
            sql = _original(self, style, tables, *args, **kwargs)
            if schema.TABLE not in tables:
                return sql
            vendor = self.connection.vendor
            return schema.drop_sql(vendor) + list(sql) + schema.create_sql(vendor)

        sql_flush._around_audit = True
        ops_class.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _two_factor_on_test_logins(monkeypatch):
    """``Client.login``/``force_login`` of an admin, koordinator or legal user also passes the second
    factor (``tests/twofactor.py``); the 2FA tests log in through the real form instead."""
    from django.test.client import ClientMixin

    from tests.twofactor import verify_session

    original = ClientMixin._login

    def login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(ClientMixin, "_login", login)


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Every test starts in the product's default language; a test that switches to English
    (a request with the language cookie, a command) must not leak it into the next test."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or skip the test naming what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data file {path} is absent (see ../shared/data/README.md)")
    return path


@pytest.fixture
def jakarta(db):
    """Jakarta's 1 / 6 / 44 / 267 regions from the project's fixture."""
    from kawaltps.regions import demo

    demo.import_regions(demo.JAKARTA_REGIONS)


@pytest.fixture
def election(jakarta):
    """The demo's Jakarta 2024 governor election with its 14,835 TPS."""
    from kawaltps.elections.demo import create_election

    election, _ = create_election()
    return election


@pytest.fixture
def small_election(jakarta):
    """A small election: 3 paslon, 2 TPS in each of 3 kelurahan (fast for most tests)."""
    import datetime

    from kawaltps.elections.models import Candidate, Election
    from kawaltps.regions.models import TPS

    e = Election.objects.create(slug="uji", name="Pemilihan uji", kind=Election.Kind.PILKADA_GUBERNUR,
                                date=datetime.date(2024, 11, 27), scope_id="31", form_type="C.HASIL-KWK")
    for n, name in [(1, "Satu"), (2, "Dua"), (3, "Tiga")]:
        Candidate.objects.create(election=e, number=n, name=name)
    for kel in ["3175081001", "3175081002", "3171011001"]:
        for i in (1, 2):
            TPS.objects.create(election=e, code=f"{kel}{i:03d}", kelurahan_id=kel, number=i,
                               dpt_l=250, dpt_p=260, dpt=510)
    return e


PASSWORD = "sandi-uji-123"


@pytest.fixture
def make_user(db):
    from kawaltps.people.models import User

    def make(username: str, role: str, region: str | None = None, tps_code: str = "", **extra):
        user = User.objects.create_user(username=username, password=PASSWORD, role=role, region_id=region,
                                        tps_code=tps_code, **extra)
        return user

    return make


@pytest.fixture
def users(jakarta, make_user):
    """One user per role: nationwide admin/legal/observer/clerk, Jakarta Timur koordinator and trainer,
    a Makasar (317508) kecamatan koordinator, and a saksi at TPS 3175081001001."""
    return {
        "admin": make_user("admin", "admin", is_superuser=True, is_staff=True),
        "koordinator": make_user("koord", "koordinator", "3175"),
        "koordinator_kec": make_user("koordkec", "koordinator", "317508"),
        "saksi": make_user("saksi", "saksi", tps_code="3175081001001"),
        "clerk": make_user("clerk", "clerk"),
        "clerk2": make_user("clerk2", "clerk"),
        "trainer": make_user("trainer", "trainer", "3175"),
        "legal": make_user("legal", "legal"),
        "observer": make_user("observer", "observer"),
    }


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def login_page(browser, live_server):
    """``login_page(username)`` → a logged-in Playwright page on the live server."""

    def login(username: str, viewport=(1280, 900)):
        from kawaltps.people.models import User
        from kawaltps.people.twofactor import requires_2fa
        from tests.twofactor import otp_code, otp_device

        user = User.objects.filter(username=username).first()
        device = otp_device(user) if user is not None and requires_2fa(user) else None
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.goto(f"{live_server.url}/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        if device is not None:  # the second step: the code an authenticator app shows now
            page.wait_for_url("**/akun/2fa/**")
            page.fill("input[name=code]", otp_code(device))
            page.click("button.primary")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login


SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a screenshot under screenshots/ (git-ignored) for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _end_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """At the end, end sessions that killed subprocesses left on the PostgreSQL test database.

    The kill-and-retry tests SIGKILL servers and loaders mid-write; their server-side sessions can
    outlive them for a moment and would stop the test database from being dropped.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(scope="session")
def seaweedfs_process(tmp_path_factory):
    """One real SeaweedFS S3 server for the session: ``(process, endpoint, boto3 client)``."""
    from tests import seaweed

    reason = seaweed.skip_reason()
    if reason:
        pytest.skip(reason)
    proc, endpoint, client = seaweed.start(tmp_path_factory.mktemp("seaweedfs"))
    yield proc, endpoint, client
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def seaweedfs(seaweedfs_process):
    """The session's SeaweedFS: ``(endpoint, boto3 client)``."""
    return seaweedfs_process[1:]


@pytest.fixture
def s3_storage(settings, seaweedfs):
    """Photos in the SeaweedFS bucket, as ``KAWALTPS_S3_*`` would configure them."""
    from tests import seaweed

    endpoint, client = seaweedfs
    settings.S3_BUCKET = seaweed.BUCKET
    settings.STORAGES = {**settings.STORAGES, "default": seaweed.storage_settings(endpoint)}
    return endpoint, client


@pytest.fixture
def redis_broker(settings):
    """This process sends its tasks to the real Redis at ``REDIS_URL`` that ``job_workers`` read."""
    import redis

    from tests import workers

    r = redis.Redis.from_url(workers.REDIS)
    try:
        r.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not running at {workers.REDIS}")
    r.delete(*workers.QUEUE_KEYS)
    workers.reset_pools()  # another module's broker fixture may have closed them
    old, eager = workers.app.conf.broker_url, workers.app.conf.task_always_eager
    workers.app.conf.broker_url = workers.REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = workers.app.conf.task_always_eager = False
    try:
        yield r
    finally:
        r.delete(*workers.QUEUE_KEYS)
        workers.reset_pools()
        workers.app.conf.broker_url, workers.app.conf.task_always_eager = old, eager


@pytest.fixture
def job_workers(seaweedfs_process, tmp_path):
    """``kawaltps worker`` processes (``tests/workers.Workers``) with S3 on the session's SeaweedFS;
    all stopped afterwards, and SeaweedFS resumed if a test stopped it."""
    import signal

    from tests.workers import Workers

    proc, endpoint, _client = seaweedfs_process

    w = Workers(endpoint, tmp_path)
    try:
        yield w
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        w.stop_all()
