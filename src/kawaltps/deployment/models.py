"""Deployment: who guards which TPS (and which plenary), with which mandate letter, and how they log in.

Rules live in ``services`` (assign, pin, swap, release, promote), ``solver`` (the optimiser),
``mandates`` (letters) and ``accounts`` (activation codes), not here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeploymentSettings(models.Model):
    """Per election: how many saksi each TPS wants, whether to keep backups, who signs mandates."""

    election = models.OneToOneField("elections.Election", on_delete=models.CASCADE, related_name="deployment")
    saksi_per_tps = models.PositiveSmallIntegerField(
        _("saksi per TPS"), default=1,
        help_text=_("UU 10/2016 memperbolehkan hingga 2 saksi per paslon di TPS; umumnya 1–2."))
    backups_per_tps = models.PositiveSmallIntegerField(_("cadangan per TPS"), default=1)
    max_distance = models.PositiveSmallIntegerField(
        _("jarak terjauh"), default=3,
        help_text=_("0 TPS memilih, 1 kelurahan, 2 kecamatan, 3 kota/kabupaten, 4 provinsi."))
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signer_place = models.CharField(_("tempat penandatanganan"), max_length=100, blank=True)
    signature_png = models.BinaryField(_("pindaian tanda tangan (PNG)"), blank=True, null=True)

    class Meta:
        verbose_name = _("pengaturan penugasan")
        verbose_name_plural = _("pengaturan penugasan")

    def __str__(self) -> str:
        return f"{self.election} · {self.saksi_per_tps}+{self.backups_per_tps}"


class VolunteerProfile(models.Model):
    """What the deployment needs to know about a volunteer beyond the registry: where they vote, when
    they can serve, and how far they are willing to go."""

    volunteer = models.OneToOneField("volunteers.Volunteer", on_delete=models.CASCADE, related_name="deployment")
    voting_tps_code = models.CharField(_("kode TPS tempat memilih"), max_length=13, blank=True, db_index=True)
    available = models.BooleanField(_("bersedia bertugas"), default=True)
    max_distance = models.PositiveSmallIntegerField(
        _("jarak terjauh yang bersedia"), null=True, blank=True,
        help_text=_("Kosong = mengikuti pengaturan pemilihan."))
    note = models.CharField(_("catatan kendala"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("profil penugasan relawan")
        verbose_name_plural = _("profil penugasan relawan")

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.voting_tps_code or '-'}"


class TpsPriority(models.Model):
    """A TPS that matters more when people are short: contested area, past anomaly, quick-count sample,
    TPS Lokasi Khusus. ``weight`` 1 = normal, up to 10."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps_code = models.CharField(_("kode TPS"), max_length=13)
    weight = models.PositiveSmallIntegerField(_("bobot"), default=1)
    reason = models.CharField(_("alasan"), max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "tps_code"], name="deployment_priority_once")]
        verbose_name = _("prioritas TPS")
        verbose_name_plural = _("prioritas TPS")

    def __str__(self) -> str:
        return f"{self.tps_code} × {self.weight}"


class Assignment(models.Model):
    """A volunteer posted to a TPS as saksi (``slot`` 1..n) or backup. Released rows are kept."""

    class Kind(models.TextChoices):
        SAKSI = "saksi", _("saksi")
        BACKUP = "backup", _("cadangan")

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktif")
        RELEASED = "released", _("dilepas")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("regions.TPS", on_delete=models.PROTECT, related_name="assignments")
    tps_code = models.CharField(max_length=13, db_index=True)
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices, default=Kind.SAKSI)
    distance = models.PositiveSmallIntegerField(_("jarak"), default=0)
    pinned = models.BooleanField(_("disematkan"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tps_code", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "volunteer"], condition=models.Q(status="active"),
                                    name="deployment_one_tps_per_person"),
        ]
        indexes = [models.Index(fields=["election", "status", "tps_code"])]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.tps_code} ({self.kind})"

    def snapshot(self) -> dict:
        """What the history keeps (no personal data)."""
        return {"tps": self.tps_code, "volunteer": self.volunteer_id, "kind": self.kind,
                "pinned": self.pinned, "status": self.status, "distance": self.distance}


class AssignmentHistory(models.Model):
    """Every change of an assignment: assign, pin, unpin, swap, release, promote, solver run."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=20)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.action}"


class Mandate(models.Model):
    """A surat mandat: for a TPS (from an assignment) or a recapitulation plenary (PPK, KPU kota, KPU
    provinsi). Verifiable at ``/penugasan/mandat/<code>/``; revoked or replaced letters say so there."""

    class Kind(models.TextChoices):
        TPS = "tps", _("saksi TPS")
        PPK = "ppk", _("rapat pleno PPK (kecamatan)")
        KPU_KOTA = "kpu_kota", _("rapat pleno KPU kabupaten/kota")
        KPU_PROV = "kpu_prov", _("rapat pleno KPU provinsi")

    class Status(models.TextChoices):
        VALID = "valid", _("berlaku")
        REVOKED = "revoked", _("dicabut")
        REPLACED = "replaced", _("diganti")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.TPS)
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="mandates")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="mandates")
    place_code = models.CharField(_("kode TPS/wilayah"), max_length=13, db_index=True)
    event_date = models.DateField(_("tanggal tugas"))
    number = models.CharField(_("nomor"), max_length=60, unique=True)
    verification_code = models.CharField(_("kode verifikasi"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=200)
    issued_at = models.DateTimeField(_("terbit"))
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["place_code", "id"]
        indexes = [models.Index(fields=["election", "kind", "status"])]
        verbose_name = _("surat mandat")
        verbose_name_plural = _("surat mandat")

    def __str__(self) -> str:
        return self.number


class ActivationCode(models.Model):
    """A one-time code that lets a volunteer set a password. Only its HMAC is stored."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.created_at:%Y-%m-%d %H:%M}"
