"""Bimtek (technical guidance for saksi): curriculum, question bank, sessions, enrolment, tests, certificates.

Attendance lives on the enrolment (one per volunteer per session) with how it was recorded;
rules (capacity, who may scan, pass marks, when a certificate is due) are in ``services``,
``exams``, ``scoring`` and ``certificates``, not here.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Module(models.Model):
    """One part of the curriculum (seeded from ``curriculum.MODULES``; see DOMAIN.md)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("modul Bimtek")
        verbose_name_plural = _("modul Bimtek")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A multiple-choice question of the bank: ``choices`` is a list of strings, ``correct`` an index.

    ``key`` identifies a question of ``bank.MODULES`` across corrections (empty for questions added
    in the admin); ``source`` is the rule it teaches (UU/PKPU article), shown after the test.
    """

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("kunci"), max_length=60, unique=True, null=True, blank=True)
    text = models.TextField(_("pertanyaan"))
    choices = models.JSONField(_("pilihan jawaban"))
    correct = models.PositiveSmallIntegerField(_("indeks jawaban benar"))
    source = models.CharField(_("dasar aturan"), max_length=300, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["module__order", "id"]
        verbose_name = _("soal")
        verbose_name_plural = _("bank soal")
        constraints = [models.UniqueConstraint(fields=["module", "text"],
                                               name="training_question_unique_text")]

    def __str__(self) -> str:
        return self.text[:80]


class Session(models.Model):
    """One Bimtek meeting: when, where, who trains, which ormas organises, how many seats, which modules."""

    title = models.CharField(_("judul"), max_length=200, blank=True)
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("mulai"))
    end_time = models.TimeField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="bimtek_sessions",
                               verbose_name=_("wilayah"))
    trainer = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="bimtek_sessions",
                                verbose_name=_("pelatih"))
    organisation = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="bimtek_sessions", verbose_name=_("ormas penyelenggara"))
    capacity = models.PositiveIntegerField(_("kapasitas"), default=40, validators=[MinValueValidator(1)])
    modules = models.ManyToManyField(Module, related_name="sessions", verbose_name=_("modul"))
    pass_score = models.PositiveSmallIntegerField(
        _("nilai lulus post-test"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)])
    created_by = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["region", "date"])]
        verbose_name = _("sesi Bimtek")
        verbose_name_plural = _("sesi Bimtek")
        constraints = [models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")),
                                              name="training_session_ends_after_start")]

    def __str__(self) -> str:
        return self.title or f"Bimtek {self.region.name} {self.date:%d-%m-%Y}"


class Enrolment(models.Model):
    """A volunteer's seat in a session, and their attendance (recorded once, by QR or by hand)."""

    class Method(models.TextChoices):
        TRAINER_SCAN = "trainer_scan", _("dipindai pelatih")
        SELF_SCAN = "self_scan", _("relawan memindai kode sesi")
        MANUAL = "manual", _("dicatat manual")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    attended_at = models.DateTimeField(_("hadir pada"), null=True, blank=True)
    attendance_method = models.CharField(_("cara pencatatan"), max_length=16, choices=Method.choices,
                                         blank=True)
    attendance_by = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("peserta Bimtek")
        verbose_name_plural = _("peserta Bimtek")
        constraints = [models.UniqueConstraint(fields=["session", "volunteer"],
                                               name="training_enrolment_once")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.session_id}"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class TestAttempt(models.Model):
    """A pre-test or post-test: the drawn questions, the answers, the score (0–100) and per-module scores.

    ``question_ids`` is the order the questions are shown in; ``choice_orders`` maps str(question id)
    to the bank's choice indices in the order shown (``exams``). The form posts display positions,
    which are graded against this stored order; ``answers`` keeps the bank index chosen.
    """

    __test__ = False  # not a pytest class despite its name

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(_("jenis"), max_length=4, choices=Kind.choices)
    question_ids = models.JSONField(_("soal"), default=list)
    choice_orders = models.JSONField(_("urutan pilihan"), default=dict, blank=True)
    answers = models.JSONField(_("jawaban"), default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(_("nilai"), null=True, blank=True)
    module_scores = models.JSONField(_("nilai per modul"), default=dict)
    passed = models.BooleanField(_("lulus"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "kind"]
        verbose_name = _("tes Bimtek")
        verbose_name_plural = _("tes Bimtek")
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind"], name="training_attempt_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.enrolment_id}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Certificate(models.Model):
    """Proof that a volunteer attended and passed the post-test; verifiable at /bimtek/sertifikat/<code>/."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    verification_code = models.CharField(_("kode verifikasi"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("terbit"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=200, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("sertifikat Bimtek")
        verbose_name_plural = _("sertifikat Bimtek")

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
