"""C.Hasil results: every submission kept, the current numbers per TPS and source, region tallies.

- ``Submission``: one entry of one TPS's form (a saksi's from the TPS, a clerk's first or blind
  second entry from the photos, a supervisor's decision, a row of an imported file). Append-only;
  ``client_id`` (made by the device or derived from the file row) makes a retry a no-op.
- ``TpsResult``: the numbers that count now for one TPS from one source (``witness`` = ours,
  ``official`` = KPU's), with its verification state and the checks that fail, and what the form says beside the
  numbers (``attestation``: signatures, keberatan, salinan; ``results.attestation``).
- ``Photo``: a page of the form (or the plano, the keberatan form, the daftar hadir: ``document``),
  with SHA-256, size, EXIF time/place and a perceptual hash.
- ``RegionTally``: the sums for every region at every level. A TPS change appends one
  ``TallyDelta`` in its own transaction; ``tally.fold_pending`` folds the deltas into the region
  rows (before every read of tallies, and every second in ``kawaltps fold-tallies --loop 1``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WITNESS = "witness", _("Saksi (C.Hasil kita)")
    OFFICIAL = "official", _("Resmi (KPU)")


class State(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ENTERED = "entered", _("Dientri")
    VERIFIED = "verified", _("Terverifikasi")
    DISPUTED = "disputed", _("Berbeda")
    FINAL = "final", _("Final")
    # KPU's published numbers (source official: Sirekap, an official import): never "verified", which
    # means two of our clerks agreed (issue 11); counted like verified in the tallies
    OFFICIAL = "official", _("Resmi (diterbitkan KPU)")


class TpsResult(models.Model):
    # Indexes (issue 15.6: each one is maintained for all 1.6 M rows of a national import): no index of
    # its own on election (the prefix of the unique one and of (election, source, code)); flagged only as a
    # partial index of the flagged rows; code has ONE index, varchar_pattern_ops,
    # which serves both the prefix LIKE of the region sums and =/IN (a plain one beside it was a copy).
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="tps_results",
                                 db_index=False)
    tps = models.ForeignKey("regions.TPS", on_delete=models.CASCADE, related_name="results")
    code = models.CharField(_("kode TPS"), max_length=13)  # = tps.code, for prefix sums
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.WITNESS)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.RECEIVED)
    votes = models.JSONField(_("suara per paslon"), default=dict)  # {"1": 25, "2": 211}
    numbers = models.JSONField(_("isian C.Hasil lainnya"), default=dict)  # form keys → int
    valid = models.IntegerField(_("suara sah"), null=True, blank=True)
    invalid = models.IntegerField(_("suara tidak sah"), null=True, blank=True)
    total = models.IntegerField(_("jumlah suara"), null=True, blank=True)
    voters = models.IntegerField(_("pengguna hak pilih"), null=True, blank=True)
    flags = models.JSONField(_("pemeriksaan yang gagal"), default=list)  # rule codes
    flagged = models.BooleanField(default=False)
    # signatures, keberatan, salinan (results.attestation): the latest submission that said any
    attestation = models.JSONField(_("tanda tangan, keberatan, salinan"), default=dict, blank=True,
                                   db_default=Value({}, models.JSONField()))  # raw-SQL writers omit it
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "tps", "source"],
                                               name="one_result_per_tps_source")]
        indexes = [models.Index(fields=["election", "source", "code"]),
                   models.Index(fields=["code"], name="results_tpsresult_code_pat", opclasses=["varchar_pattern_ops"]),
                   # flagged rows only (~4 % of the 2019 file): the national "flagged" counts without a scan
                   models.Index(fields=["election", "source"], name="results_tpsresult_flagged",
                                condition=models.Q(flagged=True))]
        verbose_name = _("hasil TPS")
        verbose_name_plural = _("hasil TPS")

    def __str__(self) -> str:
        return f"{self.code} {self.source} {self.state}"


SUMMARY_COLUMNS = {"valid": "suara_sah", "invalid": "suara_tidak_sah", "total": "suara_total",
                   "voters": "pengguna_total_j"}  # TpsResult column ← form key


def summary_columns(numbers) -> dict[str, int | None]:
    """The TpsResult columns copied from the form's numbers (``SUMMARY_COLUMNS``), None when absent."""
    return {column: numbers.get(key) for column, key in SUMMARY_COLUMNS.items()}


class Submission(models.Model):
    class Kind(models.TextChoices):
        SAKSI = "saksi", _("Saksi di TPS")
        CLERK_FIRST = "clerk_first", _("Entri pertama dari foto")
        CLERK_SECOND = "clerk_second", _("Entri kedua (buta) dari foto")
        RECONCILE = "reconcile", _("Keputusan supervisor")
        IMPORT = "import", _("Impor berkas")

    # Indexes: no varchar_pattern_ops copy of the unique client_id (nothing searches it with LIKE; migration
    # 0009 drops the one Django makes), none on created_at (submissions are read per result), entered_by
    # only where set (Meta)
    result = models.ForeignKey(TpsResult, on_delete=models.CASCADE, related_name="submissions")
    client_id = models.CharField(_("id dari perangkat"), max_length=64, unique=True)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="result_submissions", db_index=False)
    votes = models.JSONField(default=dict)
    numbers = models.JSONField(default=dict)
    flags = models.JSONField(default=list)
    attestation = models.JSONField(default=dict, blank=True,  # what the form says beside the numbers
                                   db_default=Value({}, models.JSONField()))
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # imports have no user: a full index would hold 1.6 M NULLs for the 2019 file; `= user` and
        # `IN (users)` (erasure, SET NULL on a user's deletion) imply IS NOT NULL and use this one
        indexes = [models.Index(fields=["entered_by"], name="results_submission_entered_by",
                                condition=models.Q(entered_by__isnull=False))]
        verbose_name = _("kiriman C.Hasil")
        verbose_name_plural = _("kiriman C.Hasil")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


def photo_path(instance: "Photo", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1]
    return f"chasil/{instance.result.election_id}/{instance.result.code}/{instance.sha256}.{ext}"


class Photo(models.Model):
    result = models.ForeignKey(TpsResult, on_delete=models.CASCADE, related_name="photos")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="photos")
    page = models.PositiveSmallIntegerField(_("halaman"))
    document = models.CharField(_("dokumen"), max_length=14, default="salinan", db_default="salinan",
                                choices=[("salinan", _("Salinan C.Hasil")),
                                         ("plano", _("C.Hasil plano (lembar besar)")),
                                         ("keberatan", _("Formulir C.Kejadian Khusus dan/atau Keberatan")),
                                         ("daftar_hadir", _("Daftar hadir pemilih"))])
    file = models.FileField(upload_to=photo_path, max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(_("hash perseptual"), max_length=16, db_index=True, blank=True)
    exif_time = models.DateTimeField(null=True, blank=True)
    exif_latitude = models.FloatField(null=True, blank=True)
    exif_longitude = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result", "page", "created_at"]
        verbose_name = _("foto C.Hasil")
        verbose_name_plural = _("foto C.Hasil")

    def __str__(self) -> str:
        return f"{self.page} {self.sha256[:12]}"


class RegionTally(models.Model):
    """Sums for one region (any level) of one election and source, kept current incrementally."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE,
                                 related_name="region_tallies")
    source = models.CharField(max_length=10, choices=Source.choices)
    code = models.CharField(max_length=10)
    level = models.PositiveSmallIntegerField()
    votes = models.JSONField(default=dict)
    valid = models.BigIntegerField(default=0)
    invalid = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    tps_total = models.PositiveIntegerField(default=0)
    tps_entered = models.PositiveIntegerField(default=0)
    tps_verified = models.PositiveIntegerField(default=0)
    tps_disputed = models.PositiveIntegerField(default=0)
    tps_flagged = models.PositiveIntegerField(default=0)
    tps_received = models.PositiveIntegerField(default=0)  # photo only, no numbers yet
    tps_valid_known = models.PositiveIntegerField(default=0)  # entered TPS whose valid is not null
    tps_invalid_known = models.PositiveIntegerField(default=0)
    tps_total_known = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "source", "code"],
                                               name="one_tally_per_region")]
        indexes = [models.Index(fields=["election", "source", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.source}"


class TallyDelta(models.Model):
    """One TPS change not yet in ``RegionTally`` (append-only; ``tally.fold_pending`` folds and deletes).

    A submission writes its TPS's own rows plus one of these, never a shared region row, so
    submissions for different TPS never wait for each other. Values are differences (may be negative).
    """

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    code = models.CharField(max_length=13)  # the TPS code; folded into its 4 prefixes
    votes = models.JSONField(default=dict)
    valid = models.BigIntegerField(default=0)
    invalid = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    tps_entered = models.IntegerField(default=0)
    tps_verified = models.IntegerField(default=0)
    tps_disputed = models.IntegerField(default=0)
    tps_flagged = models.IntegerField(default=0)
    tps_received = models.IntegerField(default=0)
    tps_valid_known = models.IntegerField(default=0)
    tps_invalid_known = models.IntegerField(default=0)
    tps_total_known = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.code} {self.source} #{self.pk}"


class PhotoUpload(models.Model):
    """A photo the phone uploads straight to object storage (presigned URL), accepted only after the
    background check (``uploads.verify``). ``client_id`` (made by the phone) makes asking again for
    the same photo — e.g. after the URL expired — return this row with a fresh URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu pemeriksaan")
        ACCEPTED = "accepted", _("diterima")
        REFUSED = "refused", _("ditolak")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.CharField(_("id dari perangkat"), max_length=64, unique=True)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("kode TPS"), max_length=13)
    page = models.PositiveSmallIntegerField(_("halaman"))
    key = models.CharField(max_length=255)  # the object's name in the storage
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("alasan"), blank=True)
    photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["election", "code"]),
                   # the sweep of uploads never confirmed (uploads.sweep_arrived): only those rows
                   models.Index(fields=["-created_at"], name="photoupload_unconfirmed",
                                condition=models.Q(status="pending", job__isnull=True))]
        verbose_name = _("unggahan foto")
        verbose_name_plural = _("unggahan foto")

    def __str__(self) -> str:
        return f"{self.code} {self.page} {self.status}"


class PhotoHash(models.Model):
    """The duplicate index: a photo's 64-bit perceptual hash split into two 32-bit bands
    (``duplicates.BAND_MASKS``: the hash with the other band's bits cleared, signed), each an
    indexed column (multi-index hashing, ``duplicates.py``). Two hashes within Hamming distance 3
    have a band within one bit (pigeonhole), so the 33 values per band find every such candidate."""

    photo = models.OneToOneField(Photo, primary_key=True, on_delete=models.CASCADE, related_name="hash_index")
    # no index of its own: both band indexes start with the election (a third would only cost writes,
    # and on a small table the planner would prefer it to the band index)
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+", db_index=False)
    code = models.CharField(max_length=13)  # the TPS
    page = models.PositiveSmallIntegerField()
    phash = models.BigIntegerField()  # the 64 bits as a signed integer
    b0 = models.BigIntegerField()  # phash & BAND_MASK
    b1 = models.BigIntegerField()  # phash & ~BAND_MASK

    class Meta:
        # (election, band) finds the candidates; phash and photo in the index: checked without the table
        indexes = [models.Index(fields=["election", f"b{i}", "phash", "photo"], name=f"photohash_band{i}")
                   for i in range(2)]

    def __str__(self) -> str:
        return f"{self.code} {self.page} {self.phash & 0xFFFFFFFFFFFFFFFF:016x}"


class DismissedMatch(models.Model):
    """A koordinator's word that two photos are NOT the same picture (a false duplicate match)."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("alasan"))
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "other"], name="one_dismissal_per_pair")]

    def __str__(self) -> str:
        return f"{self.photo_id}≠{self.other_id}"
