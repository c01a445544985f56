"""Elections and their candidate pairs (paslon)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .form_types import FORM_TYPES, form_type


class Election(models.Model):
    """One race: its scope region (None = national), type, date, C.Hasil form and legal limits."""

    class Kind(models.TextChoices):
        PILKADA_GUBERNUR = "pilkada_gubernur", _("Pilkada gubernur")
        PILKADA_BUPATI = "pilkada_bupati_walikota", _("Pilkada bupati/walikota")
        PILPRES = "pilpres", _("Pilpres")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=32, choices=Kind.choices)
    date = models.DateField(_("tanggal pemungutan suara"))
    scope = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="elections", verbose_name=_("wilayah pemilihan"))
    form_type = models.CharField(_("jenis formulir C.Hasil"), max_length=20,
                                 choices=[(k, v.name) for k, v in FORM_TYPES.items()])
    max_dpt_per_tps = models.PositiveIntegerField(
        _("DPT maksimum per TPS"), default=600,
        help_text=_("600 pada Pilkada 2024, 300 pada Pemilu 2024."))
    ballot_reserve_percent = models.DecimalField(
        _("cadangan surat suara (%)"), max_digits=4, decimal_places=2, default=2.5,
        help_text=_("2,5% dari DPT pada Pilkada, 2% pada Pemilu 2024."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "slug"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")

    def __str__(self) -> str:
        return self.name

    @property
    def form(self):
        return form_type(self.form_type)


class Candidate(models.Model):
    """A candidate pair with its ballot number. ``sirekap_key`` is KPU's numeric id (e.g. 1000023)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    name = models.CharField(_("nama paslon"), max_length=200)
    sirekap_key = models.CharField(_("kunci Sirekap"), max_length=20, blank=True)
    color = models.CharField(_("warna"), max_length=7, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="candidate_number_unique")]
        verbose_name = _("paslon")
        verbose_name_plural = _("paslon")

    def __str__(self) -> str:
        return f"{self.number:02d} {self.name}"
