"""Regions (Kemendagri hierarchy) and TPS."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .codes import Level, dotted


class Region(models.Model):
    """A provinsi, kabupaten/kota, kecamatan or kelurahan/desa, keyed by its undotted code."""

    LEVEL_CHOICES = [
        (Level.PROVINSI, _("Provinsi")),
        (Level.KABKOTA, _("Kabupaten/Kota")),
        (Level.KECAMATAN, _("Kecamatan")),
        (Level.KELURAHAN, _("Kelurahan/Desa")),
    ]
    code = models.CharField(_("kode"), max_length=10, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=LEVEL_CHOICES, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.name} ({dotted(self.code)})"

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)


class TPS(models.Model):
    """A polling station of one election: kelurahan code + 3-digit number, with its DPT.

    TPS belong to an election because KPU draws them anew for each one (Jakarta had 30,766 TPS in
    the 2024 presidential election and 14,835 in the governor election nine months later), so the
    same 13-digit code names different places with different DPT in different elections.
    """

    # no index of its own on election: the unique (election, code) starts with it (issue 15.6)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="tps_set",
                                 db_index=False)
    code = models.CharField(_("kode TPS"), max_length=13)
    kelurahan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="tps_set")
    number = models.PositiveSmallIntegerField(_("nomor TPS"))
    dpt_l = models.PositiveIntegerField(_("DPT laki-laki"), default=0)
    dpt_p = models.PositiveIntegerField(_("DPT perempuan"), default=0)
    dpt = models.PositiveIntegerField(_("DPT"), default=0)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="tps_unique_code_per_election"),
            models.CheckConstraint(condition=models.Q(dpt=models.F("dpt_l") + models.F("dpt_p")), name="tps_dpt_l_p_j"),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.kelurahan.name}"

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)
