"""Django settings for Kawal TPS, read from the environment.

Defaults need nothing: SQLite (WAL mode) and local files under ``KAWALTPS_DATA_DIR``
(else ``~/.local/share/kawaltps``). Production sets ``DATABASE_URL`` (``postgres://…``),
``REDIS_URL``, ``KAWALTPS_SECRET_KEY``, ``KAWALTPS_ALLOWED_HOSTS``, ``KAWALTPS_HTTPS=1`` and,
for S3-compatible object storage, ``KAWALTPS_S3_BUCKET`` (+ ``KAWALTPS_S3_ENDPOINT_URL``).
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url

from kawaltps.core.files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("KAWALTPS_DATA_DIR") or Path.home() / ".local" / "share" / "kawaltps")
# Personal data lives here (the SQLite file, photos, exports): folders 0700, files 0600, whatever
# the umask; folders and files we create are tightened even if an older version left them open.
private_dir(DATA_DIR)


def _secret_key() -> str:
    key = os.environ.get("KAWALTPS_SECRET_KEY")
    if key:
        return key
    path = private_file(DATA_DIR / "secret_key", secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("KAWALTPS_DEBUG")
ALLOWED_HOSTS = os.environ.get("KAWALTPS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KAWALTPS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# the OpenAPI docs' Swagger UI from ninja's own files, not a CDN, and without listing "ninja" as an app:
# that would import ninja and pydantic in every process, also commands that never serve the API (issue
# 11.9); its package folder is found without importing it (its templates and static files below)
_NINJA = Path(importlib.util.find_spec("ninja").origin).parent
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kawaltps.core",
    "kawaltps.regions",
    "kawaltps.elections",
    "kawaltps.people",
    "kawaltps.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kawaltps.api",
    "kawaltps.jobs",
    "kawaltps.evidence",
]
# Capability apps register themselves here (one line each).
INSTALLED_APPS += [
    "kawaltps.results",
    "kawaltps.recap",
    "kawaltps.volunteers",
    "kawaltps.training",
    "kawaltps.analytics",
    "kawaltps.deployment",
    "kawaltps.fieldday",
    "kawaltps.messaging",
    "kawaltps.legal",
    "kawaltps.maps",
]
INSTALLED_APPS = [a for a in INSTALLED_APPS if (BASE_DIR / a.split(".")[-1]).is_dir() or not a.startswith("kawaltps.")]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # the headers every response carries, outside the early routes (core.fastroutes)
    "kawaltps.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kawaltps.core.middleware.LanguageMiddleware",
    "kawaltps.core.fastroutes.FastRouteMiddleware",  # device endpoints answered before ninja (issue 10)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kawaltps.people.sessions.IdleTimeoutMiddleware",
    "kawaltps.people.twofactor.TwoFactorMiddleware",
    "kawaltps.core.middleware.ThrottleMiddleware",
    "kawaltps.core.dbrouter.ReplicaMiddleware",
]

ROOT_URLCONF = "kawaltps.urls"
WSGI_APPLICATION = "kawaltps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_NINJA / "templates"],  # ninja/swagger.html (kawaltps.api.docs)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kawaltps.core.context.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "kawaltps.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at BEGIN so
        # two concurrent writers queue instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    # SQLite creates its -wal and -shm files with the database file's mode: create it 0600 first.
    if Path(DATABASES["default"]["NAME"]).parent == DATA_DIR:
        private_file(Path(DATABASES["default"]["NAME"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
# Username/password checks go through the login rate limit (web, admin and API token alike).
AUTHENTICATION_BACKENDS = ["kawaltps.core.throttle.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- cache ----------------------------------------------------------------------------------
# A PostgreSQL streaming replica for dashboards and public reads (core/dbrouter.py, docs/scale.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60,
                                                 conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kawaltps.core.dbrouter.ReplicaRouter"]

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("KAWALTPS_CACHE_PREFIX", "kawaltps")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background jobs (kawaltps.jobs) ---------------------------------------------------------
# A broker makes jobs run in `kawaltps worker` processes; without one they run in-process.
CELERY_BROKER_URL = os.environ.get("KAWALTPS_BROKER_URL") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = None  # a job's status and result live in its Job row
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves it on the queue for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis gives back a killed worker's unacked message after this many seconds: longer than the longest
# job (a national import, a dossier), else a job still running is started a second time elsewhere.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("KAWALTPS_BROKER_VISIBILITY_TIMEOUT", "3600"))}
# Short idempotent jobs (the photo check) do not wait for it: each worker's sweeper sends again the
# task of a job unfinished this many seconds after it was sent or started (jobs/redelivery.py).
JOB_REDELIVER_AFTER = int(os.environ.get("KAWALTPS_JOB_REDELIVER_AFTER", "120"))
JOB_SWEEP_SECONDS = float(os.environ.get("KAWALTPS_JOB_SWEEP_SECONDS", str(max(1, min(60, JOB_REDELIVER_AFTER // 4)))))
JOB_MAX_RESENDS = int(os.environ.get("KAWALTPS_JOB_MAX_RESENDS", "3"))
JOB_REQUEUE_QUEUED_FACTOR = int(os.environ.get("KAWALTPS_JOB_REQUEUE_QUEUED_FACTOR", "5"))
CELERY_TASK_SERIALIZER = "json"

# --- files ----------------------------------------------------------------------------------
MEDIA_ROOT = private_dir(DATA_DIR / "media")
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR_MODE
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATIC_URL = "/static/"
# Leaflet's JS/CSS (the maps app) come from the pinned django-leaflet wheel's static folder, served as
# ours (no CDN). Not an installed app: its admin module needs GDAL, which we do not use.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [Path(_LEAFLET.submodule_search_locations[0]) / "static"] if _LEAFLET else []
STATICFILES_DIRS.append(_NINJA / "static")
WHITENOISE_USE_FINDERS = True
S3_BUCKET = os.environ.get("KAWALTPS_S3_BUCKET")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("KAWALTPS_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("KAWALTPS_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("KAWALTPS_S3_SECRET_KEY"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
# Direct uploads from the phone (results.uploads): presigned PUT URLs signed for the address phones
# reach (default: the endpoint above), valid this many seconds.
S3_PUBLIC_URL = os.environ.get("KAWALTPS_S3_PUBLIC_URL") or None
S3_REGION = os.environ.get("KAWALTPS_S3_REGION", "us-east-1")
PRESIGN_SECONDS = int(os.environ.get("KAWALTPS_PRESIGN_SECONDS", "900"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- language -------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- security -------------------------------------------------------------------------------
HTTPS = _flag("KAWALTPS_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Content-Security-Policy on every response (core.middleware.SecurityHeadersMiddleware): this site
# only, no inline script; inline style attributes only (bar widths). Empty string = no header.
# The offline queue PUTs photos to the object storage's public address: allowed in connect-src.
_S3_ORIGIN = (S3_PUBLIC_URL or os.environ.get("KAWALTPS_S3_ENDPOINT_URL") or "") if S3_BUCKET else ""
CONTENT_SECURITY_POLICY = os.environ.get("KAWALTPS_CSP", "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:", "font-src 'self'", "connect-src 'self'" + (f" {_S3_ORIGIN}" if _S3_ORIGIN else ""),
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
]))
# Reverse proxies in front of the app whose X-Forwarded-For we trust (core.throttle.client_address).
PROXY_COUNT = int(os.environ.get("KAWALTPS_PROXY_COUNT", "0"))
# Roles that must pass a TOTP second factor after the password (people.twofactor); superusers always.
TWO_FACTOR_ROLES = tuple(r for r in os.environ.get("KAWALTPS_2FA_ROLES", "admin,koordinator,legal").split(",") if r)
OTP_TOTP_ISSUER = "Kawal TPS"
# Wrong codes are limited by core.throttle ("otp": per account and per address), the one rate-limit
# rule; django-otp's own per-device delay is off so a slip of the finger does not block the next code.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Sessions end after this many idle minutes (shared phones; people.sessions) and at the latest after
# SESSION_COOKIE_AGE; the browser forgets them when closed.
SESSION_IDLE_MINUTES = int(os.environ.get("KAWALTPS_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Days an API token lives (people.models.ApiToken); a device logs in again after that.
API_TOKEN_DAYS = int(os.environ.get("KAWALTPS_API_TOKEN_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # NIK and phone numbers are blanked in every log line, tracebacks included (UU PDP).
    "filters": {"personal_data": {"()": "kawaltps.volunteers.logfilter.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("KAWALTPS_LOG_LEVEL", "WARNING")},
    # runserver's request lines carry query strings (?q=<NIK>): same handler, same filter.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- legal filings (kawaltps.legal.deadlines) --------------------------------------------------
# Days that are not working days for the MK deadline besides Saturdays and Sundays: national holidays
# and cuti bersama, ISO dates, comma-separated in the environment (default: those around the 2024
# Pilkada's announcements: Natal, cuti bersama Natal, Tahun Baru).
KAWALTPS_HOLIDAYS = [d.strip() for d in os.environ.get(
    "KAWALTPS_HOLIDAYS", "2024-12-25,2024-12-26,2025-01-01").split(",") if d.strip()]

# Steps of `kawaltps demo`, in order: each module has populate(ctx) -> list[str].
# --- personal data (UU 27/2022; volunteers.consent) ------------------------------------------
# Named in the consent text every volunteer agrees to: who controls the data and how to reach them.
KAWALTPS_DATA_CONTROLLER = os.environ.get("KAWALTPS_DATA_CONTROLLER", "Pokja Kawal TPS")
KAWALTPS_DATA_CONTACT = os.environ.get("KAWALTPS_DATA_CONTACT", "dpo@kawaltps.local")
KAWALTPS_RETENTION_MONTHS = int(os.environ.get("KAWALTPS_RETENTION_MONTHS", "12"))

DEMO_STEPS = [
    "kawaltps.regions.demo",
    "kawaltps.elections.demo",
    "kawaltps.people.demo",
    "kawaltps.results.demo",
    "kawaltps.recap.demo",
    "kawaltps.volunteers.demo",
    "kawaltps.training.demo",
    "kawaltps.analytics.demo",
    "kawaltps.deployment.demo",
    "kawaltps.fieldday.demo",
    "kawaltps.legal.demo",
    "kawaltps.maps.demo",
]
