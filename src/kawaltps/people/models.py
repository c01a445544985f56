"""Users with one role and a scope, partner organisations (ormas), API tokens for devices."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a user does. The actions each role may take are in ``kawaltps.access.rules``."""

    ADMIN = "admin", _("Admin (Pokja)")
    KOORDINATOR = "koordinator", _("Koordinator")
    SAKSI = "saksi", _("Saksi")
    CLERK = "clerk", _("Petugas entri data")
    TRAINER = "trainer", _("Pelatih Bimtek")
    LEGAL = "legal", _("Tim hukum")
    OBSERVER = "observer", _("Pemantau (hanya baca)")
    RELAWAN = "relawan", pgettext_lazy("peran", "Relawan")
    DPO = "dpo", _("Petugas pelindungan data")


class Organisation(models.Model):
    """A partner organisation (ormas) that brings volunteers."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi mitra")
        verbose_name_plural = _("organisasi mitra")

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who logs in. ``region`` scopes a koordinator/clerk/trainer; ``tps_code`` a saksi."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OBSERVER)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah tugas"))
    tps_code = models.CharField(_("kode TPS tugas"), max_length=13, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="members", verbose_name=_("organisasi"))
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def scope_code(self) -> str:
        """The code prefix this user works within ('' = everywhere)."""
        if self.role == Role.SAKSI:
            return self.tps_code
        return self.region_id or ""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a device. Only the SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama perangkat"), max_length=100, default="device")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} · {self.prefix}…"

    @classmethod
    def lifetime(cls):
        """How long a token lives: ``settings.API_TOKEN_DAYS`` (env ``KAWALTPS_API_TOKEN_DAYS``, default 30)."""
        from django.conf import settings

        return timedelta(days=settings.API_TOKEN_DAYS)

    @classmethod
    def issue(cls, user: User, name: str = "device", days: int | None = None) -> tuple["ApiToken", str]:
        """Create a token that expires after ``days`` (default :meth:`lifetime`); returns it and the
        plain key (shown once, never stored)."""
        key = "ktps_" + secrets.token_urlsafe(32)
        life = timedelta(days=days) if days is not None else cls.lifetime()
        token = cls.objects.create(user=user, name=name, digest=_digest(key), prefix=key[5:13],
                                   expires_at=timezone.now() + life)
        return token, key

    @property
    def expiry(self):
        """When the token stops working; tokens issued before expiry existed count from their creation."""
        return self.expires_at or (self.created_at + self.lifetime())

    def expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expiry

    @classmethod
    def rotate(cls, user: User, name: str = "device", days: int | None = None) -> tuple["ApiToken", str, int]:
        """Revoke the user's live tokens named ``name`` and issue a new one: (token, key, revoked count)."""
        from django.db import transaction

        with transaction.atomic():
            revoked = cls.objects.filter(user=user, name=name, revoked=False).update(revoked=True)
            token, key = cls.issue(user, name, days=days)
        return token, key, revoked

    @classmethod
    def lookup(cls, key: str) -> "ApiToken | None":
        """The live (not revoked) token row for ``key`` with its user, expired or not."""
        return cls.objects.select_related("user").filter(digest=_digest(key), revoked=False).first()

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The token's user, or None when the key is unknown, revoked, expired or its user inactive."""
        token = cls.lookup(key)
        now = timezone.now()
        if token is None or not token.user.is_active or token.expired(now):
            return None
        cls.touch(token.pk, token.last_used_at, now)
        return token.user

    @staticmethod
    def touch_due(last_used_at, now) -> bool:
        """Whether ``last_used_at`` is written now: at most once a minute."""
        return last_used_at is None or (now - last_used_at).total_seconds() > 60

    @classmethod
    def touch(cls, pk: int, last_used_at, now=None) -> None:
        """Write ``last_used_at`` at most once a minute (one UPDATE per token per minute, not per request)."""
        now = now or timezone.now()
        if cls.touch_due(last_used_at, now):
            cls.objects.filter(pk=pk).update(last_used_at=now)


class PersonalDataView(models.Model):
    """One showing of a person's unmasked personal data (NIK, phone, address): who, whose, when, where.

    Written by :func:`kawaltps.people.access_log.record` wherever unmasked values leave the server;
    read by the data protection officer at ``/akun/akses-data/`` (UU 27/2022 art. 31: a record of
    processing). Append-only in the application: nothing edits or deletes a row.
    """

    viewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("yang melihat"))
    subject_model = models.CharField(max_length=60)  # "volunteers.Volunteer"
    subject_id = models.CharField(max_length=40)
    subject_label = models.CharField(_("data siapa"), max_length=200)
    fields = models.CharField(_("data"), max_length=100)  # "nik,phone,address"
    path = models.CharField(_("halaman"), max_length=300, blank=True)
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_model", "subject_id"])]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.subject_model} {self.subject_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def fields_label(self) -> str:
        names = {"nik": "NIK", "phone": _("telepon"), "address": _("alamat")}
        return ", ".join(str(names.get(f, f)) for f in self.fields.split(",") if f)
