"""Rate limits for the doors a stranger can knock on: login, registration, certificate checks.

Rule (issue 8 item 13): each named limit below allows at most ``max_hits`` attempts per
``window`` for one *address* (the client IP) or one *account* (the username typed). Past it the
request is refused with HTTP 429 and "Terlalu banyak percobaan. Coba lagi dalam N menit." — even
a correct password, so guessing a password by trying stops being possible.

- ``login`` counts **failed** logins; it guards the web login, the admin login and
  ``POST /api/auth/token`` alike, because all three go through :class:`ThrottledModelBackend`
  (Django's ``authenticate``). Locking an account for 15 minutes lets a stranger delay one user;
  that is the price of stopping the guessing (the address limit is separate, so the user can still
  get in from nowhere else only after the window).
- ``register`` and ``certificate`` count **every** attempt from one address.

Storage: the hits live in the database (``core.ThrottleHit``), the one store every web process
shares in every setup (the demo's several gunicorn workers on SQLite with a per-process memory
cache; production on PostgreSQL). Redis would be faster but is not always there; a throttled door
is not a hot path. An attempt is written first and counted after, so concurrent attempts can never
all slip under a limit. Keys are HMACs of the address or account, never the value.

Behind a reverse proxy set ``KAWALTPS_PROXY_COUNT`` (settings ``PROXY_COUNT``) to the number of
proxies in front, so the client address is read from ``X-Forwarded-For``.
"""

import hashlib
import hmac
import math
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from django.utils.translation import ngettext

from .models import ThrottleHit


@dataclass(frozen=True)
class Limit:
    """At most ``max_hits`` per ``window`` for one ``by`` ("address" or "account")."""

    by: str
    max_hits: int
    window: timedelta


# Address limits are generous because Indonesian mobile carriers put many phones behind one
# address (carrier-grade NAT): on election morning hundreds of saksi may share one. The account
# limit is what stops guessing one password; the address limit stops spraying many accounts.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "login": (Limit("account", 10, timedelta(minutes=15)), Limit("address", 100, timedelta(minutes=15))),
    "register": (Limit("address", 10, timedelta(minutes=1)), Limit("address", 100, timedelta(hours=1))),
    "certificate": (Limit("address", 30, timedelta(minutes=10)),),
    # wrong second-factor codes (people.twofactor): web and API token alike
    "otp": (Limit("account", 10, timedelta(minutes=15)), Limit("address", 100, timedelta(minutes=15))),
}


class Throttled(Exception):
    """Too many attempts; ``retry_after`` seconds until the next one is allowed."""

    def __init__(self, retry_after: int):
        self.retry_after = max(int(retry_after), 1)
        super().__init__(self.message)

    @property
    def minutes(self) -> int:
        return max(math.ceil(self.retry_after / 60), 1)

    @property
    def message(self) -> str:
        return ngettext("Terlalu banyak percobaan. Coba lagi dalam %(n)d menit.",
                        "Terlalu banyak percobaan. Coba lagi dalam %(n)d menit.", self.minutes) % {"n": self.minutes}


def client_address(request) -> str:
    """The client's IP: ``REMOTE_ADDR``, or the address the n-th trusted proxy saw (``PROXY_COUNT``)."""
    if request is None:
        return ""
    count = getattr(settings, "PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def _key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:64]


def _subjects(name: str, request, account: str | None) -> list[tuple[Limit, str, str]]:
    """(limit, scope, key) for each limit of ``name`` that applies to this request."""
    out = []
    values = {"address": client_address(request), "account": (account or "").strip().lower()}
    for i, limit in enumerate(LIMITS[name]):
        value = values[limit.by]
        if value:
            out.append((limit, f"{name}:{limit.by}:{i}", _key(f"{limit.by}:{value}")))
    return out


def _retry_after(scope: str, key: str, limit: Limit, now) -> int | None:
    """Seconds until the oldest counted hit leaves the window, if the limit is reached; else None."""
    since = now - limit.window
    hits = ThrottleHit.objects.filter(scope=scope, key=key, at__gt=since)
    if hits.count() < limit.max_hits:
        return None
    oldest = hits.order_by("-at").values_list("at", flat=True)[limit.max_hits - 1]
    return math.ceil((oldest + limit.window - now).total_seconds())


def check(name: str, request=None, *, account: str | None = None) -> None:
    """Raise :class:`Throttled` if any limit of ``name`` is already reached (records nothing)."""
    now = timezone.now()
    waits = [w for limit, scope, key in _subjects(name, request, account)
             if (w := _retry_after(scope, key, limit, now)) is not None]
    if waits:
        raise Throttled(max(waits))


def hit(name: str, request=None, *, account: str | None = None) -> None:
    """Count one attempt under every limit of ``name`` (and drop hits that left their window)."""
    now = timezone.now()
    subjects = _subjects(name, request, account)
    ThrottleHit.objects.bulk_create([ThrottleHit(scope=scope, key=key, at=now) for _l, scope, key in subjects])
    for limit, scope, key in subjects:
        ThrottleHit.objects.filter(scope=scope, key=key, at__lte=now - limit.window).delete()
    if random.random() < 0.01:  # noqa: S311 - housekeeping, not security
        longest = max(limit.window for limits in LIMITS.values() for limit in limits)
        ThrottleHit.objects.filter(at__lte=now - longest).delete()


def attempt(name: str, request=None, *, account: str | None = None) -> None:
    """Count this attempt, then raise :class:`Throttled` if it went over a limit of ``name``.

    Written first and counted after, so concurrent attempts cannot all pass.
    """
    hit(name, request, account=account)
    now = timezone.now()
    waits = []
    for limit, scope, key in _subjects(name, request, account):
        if ThrottleHit.objects.filter(scope=scope, key=key, at__gt=now - limit.window).count() > limit.max_hits:
            waits.append(_retry_after(scope, key, limit, now) or 1)
    if waits:
        raise Throttled(max(waits))


class ThrottledModelBackend(ModelBackend):
    """Django's username/password check behind the ``login`` limit (web, admin and API token)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        check("login", request, account=username)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            hit("login", request, account=username)
        return user

