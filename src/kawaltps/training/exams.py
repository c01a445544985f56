"""Taking the pre-test and post-test.

- Only the volunteer enrolled (the logged-in user linked to the Volunteer) takes their own tests.
- The pre-test is taken before the session's learning: it closes once the post-test has started.
- The post-test opens only once attendance is recorded, and is taken once.
- Questions are drawn from the bank for the session's modules (``scoring.draw_questions``) when the
  attempt starts. The attempt stores the order its questions are shown in and, per question, the
  order of its choices (``layout``), both from the operating system's random source, so nobody can
  predict them. The form posts each choice's display position; the server grades that position
  against the stored order (``scoring.grade``), so the value sent never says which choice is right.
- Submitting scores the attempt; a passing post-test (≥ the session's pass score) of an attended
  enrolment issues the certificate (``certificates.issue``).
"""

import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kawaltps.audit.services import record_change

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
        return gettext("Tes ini sudah Anda kerjakan.")
    if kind == Kind.PRE and Kind.POST in attempts:
        return gettext("Pre-test sudah ditutup karena post-test sudah dimulai.")
    if kind == Kind.POST and not enrolment.attended:
        return gettext("Post-test dibuka setelah kehadiran Anda di sesi tercatat.")
    return None


def start(enrolment: Enrolment, kind: str) -> TestAttempt:
    """The open attempt of ``kind`` for the enrolment, created (with drawn questions) if needed."""
    reason = why_closed(enrolment, kind)
    if reason:
        raise TrainingError(reason)
    attempt = TestAttempt.objects.filter(enrolment=enrolment, kind=kind).first()
    if attempt is None:
        rng = random_source()
        ids = scoring.draw_questions(bank_for(enrolment.session), seed=str(rng.getrandbits(128)))
        if not ids:
            raise TrainingError(gettext("Bank soal untuk modul sesi ini masih kosong."))
        ids, orders = layout(ids, rng)
        attempt, _ = TestAttempt.objects.get_or_create(
            enrolment=enrolment, kind=kind, defaults={"question_ids": ids, "choice_orders": orders})
    return attempt


def random_source() -> random.Random:
    """Where draws and layouts come from: the operating system's random source, which nobody can
    predict from an enrolment id or a clock (tests replace it with a seeded one to be repeatable)."""
    return secrets.SystemRandom()


def layout(question_ids: list[int], rng: random.Random | None = None) -> tuple[list[int], dict[str, list[int]]]:
    """A fresh display layout: the questions shuffled, and each question's choice order (bank indices)."""
    rng = rng or random_source()
    sizes = dict(Question.objects.filter(id__in=question_ids).values_list("id", "choices"))
    ids = [qid for qid in question_ids if qid in sizes]
    rng.shuffle(ids)
    return ids, {str(qid): scoring.shuffled_order(len(sizes[qid]), rng) for qid in ids}


def _ensure_layout(attempt: TestAttempt, by_id: dict[int, Question]) -> None:
    """Give an open attempt a valid choice order for every question (attempts made before orders were
    stored, or whose question gained or lost a choice since); saved before it is shown."""
    if attempt.submitted:
        return
    rng = random_source()
    changed = False
    for qid in attempt.question_ids:
        q = by_id.get(qid)
        if q is not None and not scoring.is_order_of(attempt.choice_orders.get(str(qid)), len(q.choices)):
            attempt.choice_orders[str(qid)] = scoring.shuffled_order(len(q.choices), rng)
            changed = True
    if changed:
        attempt.save(update_fields=["choice_orders"])


def questions_of(attempt: TestAttempt) -> list[dict]:
    """The attempt's questions in their stored order, each with its choices as (display position, text)."""
    by_id = {q.id: q for q in Question.objects.select_related("module").filter(id__in=attempt.question_ids)}
    _ensure_layout(attempt, by_id)
    out = []
    for number, qid in enumerate((i for i in attempt.question_ids if i in by_id), start=1):
        q = by_id[qid]
        order = attempt.choice_orders.get(str(qid)) or list(range(len(q.choices)))
        out.append({"id": q.id, "number": number, "text": q.text, "module": q.module, "source": q.source,
                    "choices": [(position, q.choices[index]) for position, index in enumerate(order)]})
    return out


def parse_answers(attempt: TestAttempt, data) -> dict[str, int]:
    """Answers from a form (``q<id>`` → display position), mapped through the attempt's stored choice
    order to the bank's choice index. Every question must be answered with a position it has."""
    sizes = dict(Question.objects.filter(id__in=attempt.question_ids).values_list("id", "choices"))
    answers, missing = {}, []
    for qid in attempt.question_ids:
        if qid not in sizes:  # deleted from the bank since the draw: not asked, not scored
            continue
        raw = str(data.get(f"q{qid}", ""))
        order = attempt.choice_orders.get(str(qid))
        valid = raw.isascii() and raw.isdigit() and len(raw) <= 3
        index = scoring.grade_position(order, int(raw)) if valid else None
        if index is None or not scoring.is_order_of(order, len(sizes[qid])):
            missing.append(qid)
            continue
        answers[str(qid)] = index
    if missing:
        raise TrainingError(gettext("Masih ada %(n)s soal yang belum dijawab.") % {"n": len(missing)})
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


def feedback(attempt: TestAttempt) -> list[dict]:
    """Per question of a submitted attempt: the text, the answer given, whether it was right, and the
    rule it teaches (``source``). The right answer itself is shown after the post-test only, so the
    pre-test does not hand out the answers to the post-test drawn from the same bank."""
    if not attempt.submitted or not attempt.answers:  # e.g. demo attempts carry a score but no answers
        return []
    by_id = {q.id: q for q in Question.objects.filter(id__in=attempt.question_ids)}
    show_right = attempt.kind == Kind.POST
    out = []
    for number, qid in enumerate((i for i in attempt.question_ids if i in by_id), start=1):
        q = by_id[qid]
        given = attempt.answers.get(str(qid))
        out.append({
            "number": number, "text": q.text, "source": q.source, "right": given == q.correct,
            "given": q.choices[given] if isinstance(given, int) and 0 <= given < len(q.choices) else "",
            "answer": q.choices[q.correct] if show_right and q.correct < len(q.choices) else ""})
    return out
