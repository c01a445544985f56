"""A quick-count draw and its sampled TPS, stored so the draw can be audited and deployment can send
saksi to the sampled ("priority") TPS first. Every draw is kept; the latest is the one in use."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuickCountDraw(models.Model):
    """One stratified random draw of TPS: seed, strata scheme, sample size and the design behind it.

    ``design`` holds what reproduces and explains the draw: the sample-size calculation (target
    margin of error, confidence, design effect), and per stratum its population N_h and sample n_h.
    Drawing again with the same seed over the same TPS gives the same sample.
    """

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="quickcount_draws")
    seed = models.BigIntegerField(_("seed"))
    strata = models.CharField(_("strata"), max_length=20)
    sample_size = models.PositiveIntegerField(_("ukuran sampel"))
    population = models.PositiveIntegerField(_("jumlah TPS populasi"))
    margin = models.FloatField(_("target margin of error"), null=True, blank=True)
    confidence = models.FloatField(_("tingkat kepercayaan"), default=0.95)
    design = models.JSONField(_("rancangan"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("undian quick count")
        verbose_name_plural = _("undian quick count")

    def __str__(self) -> str:
        return f"{self.election.slug} n={self.sample_size} seed={self.seed}"


class SampledTps(models.Model):
    """A TPS in a quick-count sample (a priority TPS for deployment), with its stratum."""

    draw = models.ForeignKey(QuickCountDraw, on_delete=models.CASCADE, related_name="tps")
    tps = models.ForeignKey("regions.TPS", on_delete=models.CASCADE, related_name="quickcount_samples")
    code = models.CharField(_("kode TPS"), max_length=13)
    stratum = models.CharField(_("strata"), max_length=20)

    class Meta:
        ordering = ["draw", "code"]
        constraints = [models.UniqueConstraint(fields=["draw", "tps"], name="analytics_sampled_tps_once")]
        indexes = [models.Index(fields=["draw", "stratum"])]
        verbose_name = _("TPS sampel")
        verbose_name_plural = _("TPS sampel")

    def __str__(self) -> str:
        return self.code
