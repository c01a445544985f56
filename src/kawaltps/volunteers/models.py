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
