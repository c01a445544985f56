"""Legal filings built from the evidence: a report to Bawaslu and the MK package of a region.

A ``BawasluReport`` keeps what the report form asks for (Perbawaslu 7/2022 formal and material
requirements, ../shared/DOMAIN.md "Filing with Bawaslu") and a copy of the findings and incidents it
was made from (``sources``), so the report still reads the same after the findings are recomputed.
An ``MkPackage`` keeps the computed petition material of one region (``data``: the table, the
Pasal 158 arithmetic, the evidence list) as it was when made; each is re-made, never edited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawaltps.fieldday.taxonomy import ADMINISTRATIF, TRACKS


class BawasluReport(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("kode TPS/wilayah"), max_length=13, db_index=True)  # scope: the place reported
    reporter_name = models.CharField(_("nama pelapor"), max_length=120)
    reporter_address = models.CharField(_("alamat pelapor"), max_length=255, blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)
    reported_party = models.CharField(_("terlapor"), max_length=200)
    event_at = models.DateTimeField(_("waktu kejadian"))
    event_place = models.CharField(_("tempat kejadian"), max_length=300)
    known_on = models.DateField(_("tanggal diketahui"))
    deadline = models.DateField(_("batas pelaporan"))
    narrative = models.TextField(_("uraian kejadian"))
    witnesses = models.JSONField(_("saksi"), default=list)  # [{"name", "statement"}]
    evidence = models.JSONField(_("bukti"), default=list)  # [{"label", "file", "sha256", "size"}]
    violation = models.CharField(_("jenis pelanggaran"), max_length=16, choices=list(TRACKS.items()),
                                 default=ADMINISTRATIF)
    desk = models.CharField(_("ditujukan kepada"), max_length=20)
    sources = models.JSONField(default=dict)  # {"findings": [...], "incidents": [...]} as when made
    findings = models.ManyToManyField("recap.Discrepancy", blank=True, related_name="+")
    incidents = models.ManyToManyField("fieldday.Incident", blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "-created_at"]
        verbose_name = _("laporan Bawaslu")
        verbose_name_plural = _("laporan Bawaslu")

    def __str__(self) -> str:
        return f"Laporan #{self.pk} {self.reported_party}"


class MkPackage(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(_("kode wilayah"), max_length=10, db_index=True)
    announced_on = models.DateField(_("tanggal pengumuman KPU"))
    deadline = models.DateField(_("batas pengajuan permohonan"))
    population = models.PositiveBigIntegerField(_("jumlah penduduk"), null=True, blank=True)
    petitioner = models.PositiveSmallIntegerField(_("paslon pemohon"))
    level = models.PositiveSmallIntegerField(_("rincian per"), default=10)  # 10 = kelurahan, 13 = TPS
    data = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("berkas permohonan MK")
        verbose_name_plural = _("berkas permohonan MK")

    def __str__(self) -> str:
        return f"MK {self.region_code} {self.announced_on}"
