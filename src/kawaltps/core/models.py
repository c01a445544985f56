"""Shared tables of the core app: throttle hits (see ``throttle``)."""

from django.db import models


class ThrottleHit(models.Model):
    """One counted attempt (a failed login, a registration, a certificate check) under a named limit.

    ``key`` is an HMAC of the address or account name, never the value itself (UU PDP). Rows older
    than the longest window are deleted as new hits arrive.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="core_throttle_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M:%S}"
