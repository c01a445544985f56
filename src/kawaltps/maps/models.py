"""The boundary of a kelurahan, as simplified GeoJSON text (``maps.boundaries``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionShape(models.Model):
    """One region's polygon(s): a GeoJSON geometry (Polygon or MultiPolygon, WGS 84 lon/lat), the
    point where its label goes (inside the polygon) and its area, from ``kawaltps import-boundaries``."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, primary_key=True,
                                  related_name="shape")
    geojson = models.TextField(_("batas wilayah (GeoJSON)"))
    label_lat = models.FloatField(_("lintang label"))
    label_lon = models.FloatField(_("bujur label"))
    area_km2 = models.FloatField(_("luas (km²)"))
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("diimpor"), auto_now=True)

    class Meta:
        ordering = ["region"]
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return f"{self.region_id} ({self.area_km2:.2f} km²)"
