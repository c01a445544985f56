"""Stored evidence: the original bytes (content-addressed), a display copy for images, fingerprints."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def original_path(instance: "EvidenceFile", filename: str) -> str:
    return f"evidence/{instance.election_id}/{instance.sha256[:2]}/{instance.sha256}.{filename.rsplit('.', 1)[-1]}"


def display_path(instance: "EvidenceFile", filename: str) -> str:
    return f"evidence/{instance.election_id}/{instance.sha256[:2]}/{instance.sha256}.display.jpg"


class EvidenceFile(models.Model):
    """One photo or video kept as evidence. The same bytes in one election are stored once."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("foto")
        VIDEO = "video", _("video")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("kode TPS/wilayah"), max_length=13, db_index=True)
    purpose = models.CharField(_("keperluan"), max_length=20)  # "checkin", "incident", ...
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    phash = models.CharField(max_length=16, blank=True)
    exif_time = models.DateTimeField(null=True, blank=True)
    exif_latitude = models.FloatField(null=True, blank=True)
    exif_longitude = models.FloatField(null=True, blank=True)
    original = models.FileField(upload_to=original_path, max_length=200)
    display = models.FileField(upload_to=display_path, max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "sha256"], name="evidence_once_per_election")]
        verbose_name = _("berkas bukti")
        verbose_name_plural = _("berkas bukti")

    def __str__(self) -> str:
        return f"{self.code} {self.sha256[:12]}"

    def fingerprint(self) -> dict:
        """What the history and dossiers keep (JSON-safe, no personal data)."""
        return {"sha256": self.sha256, "size": self.size, "type": self.content_type, "kind": self.kind,
                "exif_time": self.exif_time.isoformat() if self.exif_time else None,
                "exif_lat": self.exif_latitude, "exif_lon": self.exif_longitude}


class EvidenceUpload(models.Model):
    """A photo or video the phone puts straight into object storage (presigned PUT) as evidence of
    something (``purpose``: ``incident``, ``target_id`` the incident), kept only after the
    background check (``evidence.uploads.verify``) stored it as an :class:`EvidenceFile`.
    ``client_id`` (made by the phone) makes asking again return this row with a fresh URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu pemeriksaan")
        ACCEPTED = "accepted", _("diterima")
        REFUSED = "refused", _("ditolak")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.CharField(_("id dari perangkat"), max_length=64, unique=True)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("kode TPS/wilayah"), max_length=13)
    purpose = models.CharField(_("keperluan"), max_length=20)
    target_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=255)  # where the phone puts the bytes; deleted once checked
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("alasan"), blank=True)
    evidence = models.ForeignKey(EvidenceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "target_id"])]
        verbose_name = _("unggahan bukti")
        verbose_name_plural = _("unggahan bukti")

    def __str__(self) -> str:
        return f"{self.purpose} {self.target_id} {self.status}"
