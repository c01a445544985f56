"""Volunteers (relawan): who they are, where they live, who brought them, how far they are."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Volunteer(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        TRAINED = "trained", _("Terlatih")
        CERTIFIED = "certified", _("Tersertifikasi")
        ASSIGNED = "assigned", _("Ditugaskan")

    name = models.CharField(_("nama"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    phone = models.CharField(_("telepon (WhatsApp)"), max_length=16, unique=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="volunteers",
                                  verbose_name=_("kelurahan domisili"))
    organisation = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="volunteers", verbose_name=_("organisasi"))
    available_on_election_day = models.BooleanField(_("bersedia pada hari pemungutan suara"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)
    consent_at = models.DateTimeField(_("persetujuan pemrosesan data pribadi"), null=True, blank=True)
    user = models.OneToOneField("people.User", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="volunteer")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kelurahan", "status"])]
        verbose_name = _("relawan")
        verbose_name_plural = _("relawan")

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """One person's consent to the processing of their personal data (UU 27/2022 Pasal 20–22, 25):
    the exact text they agreed to (``volunteers.consent``: version and rendered text), how it was
    given and, for paper forms gathered by a coordinator and imported, who collected it, when, and
    where the signed paper is kept. Under 18 (from the NIK's birth date) the guardian's name and
    relation are required (Pasal 25). Withdrawal (Pasal 9) sets ``withdrawn_at``; a row is never
    deleted, so the lawful basis of past processing stays provable."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Formulir daring")
        PAPER = "paper", _("Formulir kertas (diimpor)")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(_("versi naskah"), max_length=20)
    text = models.TextField(_("naskah yang disetujui"))
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices, default=Method.ONLINE)
    given_at = models.DateTimeField(_("waktu persetujuan"))
    collected_by = models.CharField(_("dikumpulkan oleh"), max_length=150, blank=True)
    paper_location = models.CharField(_("lokasi berkas kertas"), max_length=255, blank=True)
    guardian_name = models.CharField(_("nama orang tua/wali"), max_length=150, blank=True)
    guardian_relation = models.CharField(_("hubungan wali"), max_length=60, blank=True)
    withdrawn_at = models.DateTimeField(_("ditarik pada"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("persetujuan data pribadi")
        verbose_name_plural = _("persetujuan data pribadi")

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.version} · {self.given_at:%Y-%m-%d}"


class Erasure(models.Model):
    """That a volunteer's personal data was erased (anonymised), by whom and when (UU 27/2022 Pasal 8)."""

    volunteer = models.OneToOneField(Volunteer, on_delete=models.CASCADE, related_name="erasure")
    erased_at = models.DateTimeField(_("dihapus pada"))
    by = models.CharField(_("oleh"), max_length=150)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.erased_at:%Y-%m-%d}"
