"""Messages in and out: every inbound message kept once per channel and message id, every broadcast.

- ``InboundMessage``: one message received from WhatsApp, Telegram, SMS or the CLI, with the
  reply given. ``(channel, message_id)`` is unique: a provider's retry (or a replayed webhook)
  finds the stored row and gets the same reply, nothing is processed twice.
- ``TelegramLink``: a Telegram user who shared their phone number with the bot (Telegram does
  not send the number with each message).
- ``Broadcast``: one text sent by a koordinator to a set of saksi/backups, with how many got it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    SMS = "sms", "SMS"
    CLI = "cli", _("baris perintah")


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("diterima")
        INVALID = "invalid", _("format salah")
        DENIED = "denied", _("ditolak")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    message_id = models.CharField(max_length=128)
    phone = models.CharField(max_length=20, blank=True)  # normalised 628…; personal data, never logged
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    text = models.TextField()
    keyword = models.CharField(max_length=10, blank=True)
    tps_code = models.CharField(max_length=13, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "message_id"], name="one_inbound_per_id")]
        ordering = ["-received_at", "-id"]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        return f"{self.channel} {self.message_id} {self.status}"


class TelegramLink(models.Model):
    telegram_user_id = models.BigIntegerField(unique=True)
    phone = models.CharField(max_length=20)
    linked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"telegram {self.telegram_user_id}"


class Broadcast(models.Model):
    class Audience(models.TextChoices):
        KELURAHAN = "kelurahan", _("per kelurahan")
        KECAMATAN = "kecamatan", _("per kecamatan")
        UNCOVERED_BACKUPS = "uncovered", _("cadangan TPS tanpa saksi")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    region_code = models.CharField(max_length=10)
    text = models.TextField()
    recipients = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)  # accepted by the sender
    failed = models.PositiveIntegerField(default=0)  # refused or unreachable (OutboundMessage has why)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    client_id = models.CharField(max_length=64, unique=True)  # a retried broadcast is sent once
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.audience} {self.region_code}"


class OutboundMessage(models.Model):
    """One message handed to a real sender (``messaging.senders``): sent, or failed with the reason.

    The phone is personal data: kept here for a resend, never logged. The text is kept only while a
    failed message waits to be sent again (``next_attempt_at``) and cleared once it is sent or given
    up; a secret message (an activation code) never keeps its text: it is reissued, not resent."""

    class Status(models.TextChoices):
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    phone = models.CharField(max_length=20)
    status = models.CharField(max_length=8, choices=Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    text = models.TextField(blank=True)
    secret = models.BooleanField(default=False)
    resends = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"
