"""Official data as KPU publishes it, tier by tier, and the differences we find in it.

- ``SirekapSnapshot``: one version of one TPS's Sirekap page (the raw JSON, its SHA-256, the parsed
  numbers). Every distinct version is kept: a number that changes after it was published is itself
  a finding ("changed after publication").
- ``RegionSnapshot``: one version of a region's aggregate page (``hhcw/{code}.json``).
- ``FetchJob`` / ``FetchItem``: a polite crawl of an election's TPS pages, persisted so that a
  crashed fetch resumes where it stopped.
- ``DHasil``: the recap form of one kecamatan, kabupaten/kota or provinsi (D.Hasil), with photos
  (``DHasilPhoto``); every change goes to the audit log.
- ``Discrepancy``: one difference found by ``recap.engine`` (recomputed on demand).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SirekapSnapshot(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="sirekap_snapshots")
    code = models.CharField(_("kode TPS"), max_length=13)
    tps = models.ForeignKey("regions.TPS", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fetched_at = models.DateTimeField(_("diambil pada"), db_index=True)
    last_seen_at = models.DateTimeField(_("terakhir terlihat"))
    sirekap_ts = models.DateTimeField(_("waktu Sirekap"), null=True, blank=True)
    source = models.CharField(_("asal"), max_length=500, blank=True)  # URL or file path
    raw = models.JSONField(_("JSON asli"))
    raw_bytes = models.BinaryField(_("berkas asli"), null=True)  # the exact bytes the sha256 is of
    sha256 = models.CharField(max_length=64)
    votes = models.JSONField(_("suara per paslon"), default=dict)  # {"1": n} by candidate number; {} if none yet
    administrasi = models.JSONField(default=dict)
    valid = models.IntegerField(null=True, blank=True)
    invalid = models.IntegerField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)
    images = models.JSONField(_("tautan foto"), default=list)
    status_suara = models.BooleanField(null=True)
    status_adm = models.BooleanField(null=True)
    psu = models.CharField(max_length=100, blank=True)
    changed = models.BooleanField(
        _("berubah setelah terbit"),
        default=False,
        help_text=_("angka berbeda dari versi sebelumnya yang sudah terbit"),
    )

    class Meta:
        ordering = ["election", "code", "fetched_at", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "code", "sha256"], name="one_snapshot_per_version")]
        indexes = [models.Index(fields=["election", "code", "fetched_at"])]
        verbose_name = _("snapshot Sirekap TPS")
        verbose_name_plural = _("snapshot Sirekap TPS")

    def __str__(self) -> str:
        return f"{self.code} @ {self.fetched_at:%Y-%m-%d %H:%M}"


class RegionSnapshot(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="sirekap_regions")
    code = models.CharField(_("kode wilayah"), max_length=10, blank=True)  # '' = national page
    fetched_at = models.DateTimeField(db_index=True)
    last_seen_at = models.DateTimeField()
    sirekap_ts = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)
    raw = models.JSONField()
    sha256 = models.CharField(max_length=64)
    votes = models.JSONField(default=dict)  # {"1": n}
    table = models.JSONField(default=dict)  # {child code: {"1": n, ...}}
    progress_done = models.IntegerField(null=True, blank=True)
    progress_total = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["election", "code", "fetched_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code", "sha256"], name="one_region_snapshot_per_version")
        ]
        verbose_name = _("snapshot Sirekap wilayah")
        verbose_name_plural = _("snapshot Sirekap wilayah")

    def __str__(self) -> str:
        return f"{self.code or 'nasional'} @ {self.fetched_at:%Y-%m-%d %H:%M}"


class FetchJob(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    base_url = models.CharField(max_length=300)
    race = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    rate = models.FloatField(default=2.0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"fetch {self.base_url} ({self.state})"


class FetchItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    job = models.ForeignKey(FetchJob, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=13)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "code"]
        constraints = [models.UniqueConstraint(fields=["job", "code"], name="one_item_per_code")]
        indexes = [models.Index(fields=["job", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.state}"


class Tier(models.TextChoices):
    KECAMATAN = "kecamatan", _("Kecamatan (D.Hasil Kecamatan)")
    KABKOTA = "kabkota", _("Kabupaten/Kota (D.Hasil Kab/Kota)")
    PROVINSI = "provinsi", _("Provinsi (D.Hasil Provinsi)")


TIER_CODE_LENGTH = {Tier.KECAMATAN: 6, Tier.KABKOTA: 4, Tier.PROVINSI: 2}


class DHasil(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="dhasil")
    tier = models.CharField(_("tingkat"), max_length=10, choices=Tier.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("kode wilayah"), max_length=10, db_index=True)
    votes = models.JSONField(_("suara per paslon"), default=dict)
    valid = models.IntegerField(_("suara sah"), null=True, blank=True)
    invalid = models.IntegerField(_("suara tidak sah"), null=True, blank=True)
    dpt = models.IntegerField(_("DPT"), null=True, blank=True)
    voters = models.IntegerField(_("pengguna hak pilih"), null=True, blank=True)
    ballots_used = models.IntegerField(_("surat suara digunakan"), null=True, blank=True)
    # the form's rows: {child code: {"votes": {"1": n}, "dpt", "voters", "ballots_used", "valid", "invalid"}}
    # (kelurahan of a
    # D.Hasil Kecamatan, kecamatan of a kota's, kota of a province's); they add up to the totals above
    children = models.JSONField(_("rincian per wilayah di bawahnya"), default=dict)
    flags = models.JSONField(_("pemeriksaan formulir yang gagal"), default=list)  # dhasil.FORM_CHECKS codes
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("asal"), max_length=200, blank=True)  # "form", a CSV file name
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["election", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="one_dhasil_per_region")]
        verbose_name = _("D.Hasil")
        verbose_name_plural = _("D.Hasil")

    def __str__(self) -> str:
        return f"D.Hasil {self.tier} {self.code}"


class HrSnapshot(models.Model):
    """One version of KPU's published recapitulation page (``hr``) of a region (``recap.hr``): the original
    bytes and their SHA-256; ``dhasil`` is the D.Hasil it filled (null when a typed D.Hasil differs)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("kode wilayah"), max_length=10)
    tier = models.CharField(_("tingkat"), max_length=10, choices=Tier.choices)
    fetched_at = models.DateTimeField(_("diambil pada"))
    last_seen_at = models.DateTimeField(_("terakhir terlihat"))
    sirekap_ts = models.DateTimeField(_("waktu Sirekap"), null=True, blank=True)
    source = models.CharField(_("asal"), max_length=500, blank=True)
    raw = models.JSONField(_("JSON asli"))
    raw_bytes = models.BinaryField(_("berkas asli"))
    sha256 = models.CharField(max_length=64)
    dhasil = models.ForeignKey(DHasil, null=True, blank=True, on_delete=models.SET_NULL, related_name="hr_pages")

    class Meta:
        ordering = ["election", "code", "fetched_at", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "code", "sha256"], name="one_hr_page_per_version")]
        verbose_name = _("halaman rekapitulasi KPU (hr)")
        verbose_name_plural = _("halaman rekapitulasi KPU (hr)")

    def __str__(self) -> str:
        return f"hr {self.code} {self.sha256[:12]}"


def dhasil_photo_path(instance: "DHasilPhoto", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dhasil/{instance.dhasil.election_id}/{instance.dhasil.code}/{instance.sha256}.{ext}"


class DHasilPhoto(models.Model):
    dhasil = models.ForeignKey(DHasil, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=dhasil_photo_path, max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dhasil", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dhasil} {self.sha256[:12]}"


class Step(models.TextChoices):
    TPS_SIREKAP = "tps_sirekap", _("TPS → Sirekap (C.Hasil saksi vs resmi)")
    TPS_KECAMATAN = "tps_kecamatan", _("Jumlah angka Sirekap per TPS → D.Hasil Kecamatan")
    TPS_KECAMATAN_SAKSI = "tps_kecamatan_saksi", _("Jumlah C.Hasil saksi kami → D.Hasil Kecamatan")
    KECAMATAN_KABKOTA = "kecamatan_kabkota", _("D.Hasil Kecamatan → Kab/Kota")
    KABKOTA_PROVINSI = "kabkota_provinsi", _("D.Hasil Kab/Kota → Provinsi")
    SIREKAP_CHANGED = "sirekap_changed", _("Angka Sirekap berubah setelah terbit")
    DHASIL_KELURAHAN = "dhasil_kelurahan", _("Jumlah Sirekap per kelurahan → baris kelurahan D.Hasil Kecamatan")
    DHASIL_KECAMATAN_ROW = "dhasil_kecamatan_row", _("D.Hasil Kecamatan → baris kecamatan D.Hasil Kab/Kota")
    DHASIL_KABKOTA_ROW = "dhasil_kabkota_row", _("D.Hasil Kab/Kota → baris kab/kota D.Hasil Provinsi")
    VOTERS_SAME_VOTES_UP = "voters_same_votes_up", _("Pengguna hak pilih tetap, suara paslon naik")
    INVALID_DOWN_PASLON_UP = "invalid_down_paslon_up", _("Suara tidak sah turun, suara paslon naik")
    SIREKAP_REGION = "sirekap_region", _("Jumlah TPS Sirekap → halaman wilayah Sirekap")


class Discrepancy(models.Model):
    """One difference. ``deltas`` = {candidate number: official (upper tier) minus ours (lower tier)}.

    ``key`` names the finding (``discrepancies.finding_key``: step and code, plus the later Sirekap
    version for a changed number) and is unique per election: a recompute updates the row with the
    same key, so a finding keeps its id (links, ``dossier --discrepancy ID``) as long as it exists.
    """

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="discrepancies")
    key = models.CharField(_("kunci temuan"), max_length=80)
    step = models.CharField(_("tahap"), max_length=24, choices=Step.choices)
    code = models.CharField(_("kode TPS/wilayah"), max_length=13, db_index=True)
    is_tps = models.BooleanField(default=False)
    deltas = models.JSONField(_("selisih per paslon"))
    ours = models.JSONField(default=dict)  # the lower tier's / our numbers
    official = models.JSONField(default=dict)  # the upper tier's / KPU's numbers
    votes_moved = models.IntegerField(_("suara berpindah"), db_index=True)
    gained = models.PositiveSmallIntegerField(_("paslon yang diuntungkan"), null=True, blank=True)
    impact_line = models.IntegerField(_("dampak pada garis 50 % + 1"), default=0)
    impact_margin = models.IntegerField(_("dampak pada selisih dua teratas"), default=0)
    impact_rank = models.IntegerField(default=0, db_index=True)  # |impact_line|, the order a coordinator opens
    detail = models.JSONField(default=dict)
    first_found_at = models.DateTimeField(_("pertama ditemukan"), auto_now_add=True)
    computed_at = models.DateTimeField(_("terakhir dihitung"), default=timezone.now)

    class Meta:
        ordering = ["-votes_moved", "step", "code"]
        indexes = [models.Index(fields=["election", "step", "code"])]
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="one_discrepancy_per_key")]
        verbose_name = _("selisih")
        verbose_name_plural = _("selisih")

    def __str__(self) -> str:
        return f"{self.step} {self.code} {self.deltas}"
