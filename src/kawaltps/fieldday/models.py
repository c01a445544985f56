"""Field reports of election day. Every report row is append-only and carries the client-made id
that made it (unique), so a retried sending returns the first copy. Rules live in ``services``
(what may be written), ``board`` (who is present), ``checklist`` and ``taxonomy`` (data)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("halaman web")
    API = "api", _("API")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")


def opens_default() -> datetime.time:
    return datetime.time(6, 0)


def escalate_default() -> datetime.time:
    return datetime.time(7, 0)


class FieldSettings(models.Model):
    """Per election: when check-in opens, when uncovered TPS escalate, how far is "far"."""

    election = models.OneToOneField("elections.Election", on_delete=models.CASCADE, related_name="fieldday")
    checkin_opens = models.TimeField(_("check-in dibuka"), default=opens_default)
    escalate_at = models.TimeField(_("eskalasi TPS tanpa saksi"), default=escalate_default,
                                   help_text=_("Jam (WIB) TPS tanpa saksi diteruskan ke koordinator."))
    far_meters = models.PositiveIntegerField(_("jarak check-in yang ditandai (m)"), default=500)

    class Meta:
        verbose_name = _("pengaturan hari H")
        verbose_name_plural = _("pengaturan hari H")

    def __str__(self) -> str:
        return f"{self.election} · {self.escalate_at:%H.%M}"


class Report(models.Model):
    """What every field report has: where, who, when, from which channel, with which client id."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("regions.TPS", on_delete=models.PROTECT, related_name="+")
    tps_code = models.CharField(max_length=13, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(unique=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CheckIn(Report):
    """A saksi arrived at the TPS: time, GPS, a photo, whether KPPS accepted the mandate."""

    at = models.DateTimeField(_("waktu"))
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("jarak ke TPS (m)"), null=True, blank=True)
    far = models.BooleanField(_("jauh dari TPS"), default=False)
    photo = models.ForeignKey("evidence.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    mandate_accepted = models.BooleanField(_("mandat diterima KPPS"), null=True, blank=True)

    class Meta:
        ordering = ["tps_code", "at"]
        indexes = [models.Index(fields=["election", "tps_code"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-in")

    def __str__(self) -> str:
        return f"{self.tps_code} {self.at:%H:%M}"


class Turnout(Report):
    """Voters who have voted so far at one of the set times (``checklist.TURNOUT_TIMES``)."""

    at = models.DateTimeField(_("waktu"))
    slot = models.CharField(_("jam laporan"), max_length=5)  # "09:00"
    voters = models.PositiveIntegerField(_("pemilih yang sudah memilih"))

    class Meta:
        ordering = ["tps_code", "at"]
        indexes = [models.Index(fields=["election", "tps_code"])]
        verbose_name = _("kehadiran pemilih")
        verbose_name_plural = _("kehadiran pemilih")

    def __str__(self) -> str:
        return f"{self.tps_code} {self.slot} {self.voters}"


class ChecklistAnswer(Report):
    """One answer to one item of the procedure checklist; the latest answer per item counts."""

    item_key = models.CharField(max_length=40)
    answer = models.CharField(max_length=8)  # "ya" / "tidak" / "tolak" (refused to sign)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["tps_code", "at", "id"]
        indexes = [models.Index(fields=["election", "tps_code", "item_key"])]
        verbose_name = _("jawaban daftar periksa")
        verbose_name_plural = _("jawaban daftar periksa")

    def __str__(self) -> str:
        return f"{self.tps_code} {self.item_key}={self.answer}"


class Incident(Report):
    """A kecurangan or keberatan report and where it stands in the workflow (``workflow``)."""

    class State(models.TextChoices):
        REPORTED = "reported", _("dilaporkan")
        VERIFIED = "verified", _("diverifikasi koordinator")
        ESCALATED = "escalated", _("diteruskan ke tim hukum")
        FILED = "filed", _("dilaporkan ke pengawas")
        OUTCOME = "outcome", _("ada putusan")
        CLOSED = "closed", _("ditutup")

    category_key = models.CharField(_("kategori"), max_length=40)
    description = models.TextField(_("uraian"))
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.REPORTED,
                             db_index=True)
    psu_trigger = models.BooleanField(_("memicu PSU"), default=False)
    recount_trigger = models.BooleanField(_("memicu penghitungan ulang"), default=False)
    psu_deadline = models.DateField(_("batas PSU"), null=True, blank=True)
    filed_with = models.CharField(_("dilaporkan ke"), max_length=20, blank=True)
    report_number = models.CharField(_("nomor laporan"), max_length=80, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filing_deadline = models.DateField(_("batas pelaporan (7 hari)"), null=True, blank=True)
    formal_ok = models.BooleanField(_("syarat formal lengkap"), null=True, blank=True)
    material_ok = models.BooleanField(_("syarat materiel lengkap"), null=True, blank=True)
    outcome = models.TextField(_("putusan"), blank=True)
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "id"]
        indexes = [models.Index(fields=["election", "state"]), models.Index(fields=["election", "tps_code"])]
        verbose_name = _("laporan kejadian")
        verbose_name_plural = _("laporan kejadian")

    def __str__(self) -> str:
        return f"{self.tps_code} {self.category_key} ({self.state})"


class IncidentStep(models.Model):
    """One move of an incident in the workflow: who, when, why, and what was recorded."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.from_state}→{self.to_state}"


class Dispatch(models.Model):
    """A coordinator sent the backup to an uncovered TPS (one tap on the board); kept for the record."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps_code = models.CharField(max_length=13, db_index=True)
    assignment = models.ForeignKey("deployment.Assignment", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(unique=True)
    at = models.DateTimeField(auto_now_add=True)
    message_sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.tps_code} ← {self.assignment_id}"


class Escalation(models.Model):
    """An uncovered TPS reported to its koordinator after ``FieldSettings.escalate_at`` (once per TPS)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps_code = models.CharField(max_length=13)
    koordinator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    backup = models.ForeignKey("deployment.Assignment", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["tps_code"]
        constraints = [models.UniqueConstraint(fields=["election", "tps_code"], name="fieldday_escalate_once")]

    def __str__(self) -> str:
        return f"{self.tps_code} → {self.koordinator_id}"
