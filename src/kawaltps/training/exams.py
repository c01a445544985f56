"""Taking the pre-test and post-test.

- Only the volunteer enrolled (the logged-in user linked to the Volunteer) takes their own tests.
- The pre-test is taken before the session's learning: it closes once the post-test has started.
- The post-test opens only once attendance is recorded, and is taken once.
- Questions are drawn from the bank for the session's modules (``scoring.draw_questions``),
  reproducibly per enrolment and kind, and kept on the attempt; choices are shown in a shuffled
  order per attempt, but answers are stored as the bank's choice index.
- Submitting scores the attempt; a passing post-test (≥ the session's pass score) of an attended
  enrolment issues the certificate (``certificates.issue``).
"""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kawaltps.audit.services import record_change
from kawaltps.core.numbers import is_ascii_digits

from . import scoring
from .models import Enrolment, Question, TestAttempt
from .services import TrainingError, volunteer_of

Kind = TestAttempt.Kind


def enrolment_for(user, enrolment_id: int) -> Enrolment:
    """The user's own enrolment; anyone else's is refused."""
    volunteer = volunteer_of(user)
    enrolment = (Enrolment.objects.select_related("session", "volunteer").filter(pk=enrolment_id).first()
                 if volunteer else None)
    if enrolment is None or enrolment.volunteer_id != volunteer.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(gettext("Anda hanya dapat mengerjakan tes Anda sendiri."))
    return enrolment


def bank_for(session) -> dict[int, list[int]]:
    """module id → active question ids, for the session's modules."""
    bank: dict[int, list[int]] = {}
    for qid, module_id in Question.objects.filter(module__in=session.modules.all(), active=True).values_list(
            "id", "module_id"):
        bank.setdefault(module_id, []).append(qid)
    return bank


def why_closed(enrolment: Enrolment, kind: str) -> str | None:
    """The reason a test cannot be started or submitted now, or None if it can."""
    attempts = {a.kind: a for a in enrolment.attempts.all()}
    mine = attempts.get(kind)
    if mine and mine.submitted:
        return "Tes ini sudah Anda kerjakan."
    if kind == Kind.PRE and Kind.POST in attempts:
        return "Pre-test sudah ditutup karena post-test sudah dimulai."
    if kind == Kind.POST and not enrolment.attended:
        return "Post-test dibuka setelah kehadiran Anda di sesi tercatat."
    return None


def start(enrolment: Enrolment, kind: str) -> TestAttempt:
    """The open attempt of ``kind`` for the enrolment, created (with drawn questions) if needed."""
    reason = why_closed(enrolment, kind)
    if reason:
        raise TrainingError(reason)
    attempt = TestAttempt.objects.filter(enrolment=enrolment, kind=kind).first()
    if attempt is None:
        ids = scoring.draw_questions(bank_for(enrolment.session), seed=f"{enrolment.pk}:{kind}")
        if not ids:
            raise TrainingError(gettext("Bank soal untuk modul sesi ini masih kosong."))
        attempt, _ = TestAttempt.objects.get_or_create(enrolment=enrolment, kind=kind,
                                                       defaults={"question_ids": ids})
    return attempt


def questions_of(attempt: TestAttempt) -> list[dict]:
    """The attempt's questions in order, each with its choices shuffled for display: (index, text) pairs."""
    by_id = {q.id: q for q in Question.objects.select_related("module").filter(id__in=attempt.question_ids)}
    rng = random.Random(f"{attempt.pk}:choices")
    out = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        q = by_id.get(qid)
        if q is None:
            continue
        order = list(enumerate(q.choices))
        rng.shuffle(order)
        out.append({"id": q.id, "number": number, "text": q.text, "module": q.module, "choices": order})
    return out


def parse_answers(attempt: TestAttempt, data) -> dict[str, int]:
    """Answers from a form (``q<id>`` → choice index); every question must be answered."""
    answers, missing = {}, []
    for qid in attempt.question_ids:
        raw = data.get(f"q{qid}")
        if raw is None or not is_ascii_digits(str(raw)) or len(str(raw)) > 3:
            missing.append(qid)
            continue
        answers[str(qid)] = int(raw)
    if missing:
        raise TrainingError(f"Masih ada {len(missing)} soal yang belum dijawab.")
    return answers


def submit(attempt: TestAttempt, answers: dict[str, int], *, by=None) -> TestAttempt:
    """Score and close the attempt; a passing post-test of an attended enrolment earns the certificate."""
    from . import certificates

    enrolment = attempt.enrolment
    reason = why_closed(enrolment, attempt.kind)
    if reason:
        raise TrainingError(reason)
    questions = (Question.objects.filter(id__in=attempt.question_ids)
                 .values_list("id", "module__code", "correct"))
    score, per_module = scoring.score_answers(questions, answers)
    with transaction.atomic():
        attempt.answers = answers
        attempt.score = score
        attempt.module_scores = per_module
        attempt.submitted_at = timezone.now()
        is_post = attempt.kind == Kind.POST
        attempt.passed = scoring.passes(score, enrolment.session.pass_score) if is_post else None
        attempt.save()
        record_change(user=by, obj=attempt, code=enrolment.session.region_id,
                      action=f"bimtek_{attempt.kind}_test",
                      after={"score": score, "passed": attempt.passed})
        if attempt.kind == Kind.POST and attempt.passed and enrolment.attended:
            certificates.issue(enrolment, by=by)
    return attempt
