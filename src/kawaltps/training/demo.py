"""Demo step: Bimtek sessions in all 44 kecamatan of Jakarta, enrolments, attendance, tests, certificates.

Runs after the volunteers step and uses its volunteers (none → nothing created, and says so).
Per kecamatan and ormas, ``SESSIONS_PER_ORMAS`` sessions between 14 October and 17 November 2024
(Bawaslu: face-to-face training at least 7 days before voting), each by the trainer of its kota
(the demo ``trainer`` for Jakarta Timur, ``pelatih-<kota>`` elsewhere: a trainer only trains in
their own region). About 75% of volunteers enrol, 80% of those attend; the pre-test averages ~50,
the post-test ~75, except in ~8% of sessions where training does not work (gain about zero) and
in the kecurangan module, which is taught poorly everywhere (low gain).
Certificates go to attended volunteers whose post-test passes; statuses move through
``volunteers.services.set_statuses``. Deterministic (fixed seeds), bulk inserts.
"""

import datetime
import random
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction

from kawaltps.core.formatting import number as angka
from kawaltps.people.demo import PASSWORD
from kawaltps.people.models import Organisation, Role, User
from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region
from kawaltps.volunteers.models import Volunteer

from . import certificates, scoring
from .exams import bank_for
from .models import Certificate, Enrolment, Module, Session, TestAttempt
from .services import advance_statuses

SEED = 20241027
SESSIONS_PER_ORMAS = 2
ENROL_SHARE, ATTEND_SHARE, PRE_SHARE, POST_SHARE = 0.75, 0.80, 0.95, 0.95
POOR_SESSION_SHARE = 0.08
MODULE_TEACHING = {"kecurangan": 0.3}  # how well a module is taught relative to the others: the demo's weak spot
FIRST_DAY, DAYS = datetime.date(2024, 10, 14), 35
PLACES = ["Aula Kantor Kecamatan", "Balai Warga RW 03", "Gedung Serbaguna", "Masjid Jami' (ruang serbaguna)",
          "Sekretariat Ormas", "Aula Kantor Kelurahan", "GOR Kecamatan"]
TZ = ZoneInfo("Asia/Jakarta")
DEMO_VOLUNTEER_USER = "relawan"


def _trainers() -> dict[str, User]:
    """One trainer per kota: the demo ``trainer`` where it is scoped, ``pelatih-<kota code>`` elsewhere."""
    out = {}
    existing = User.objects.filter(role=Role.TRAINER, username="trainer").first()
    hashed = None
    for kota in Region.objects.filter(level=Level.KABKOTA, code__startswith="31"):
        if existing and existing.region_id == kota.code:
            out[kota.code] = existing
            continue
        user = User.objects.filter(username=f"pelatih-{kota.code}").first()
        if user is None:
            user = User(username=f"pelatih-{kota.code}", role=Role.TRAINER, region=kota,
                        first_name=f"Pelatih Bimtek {kota.name}")
            if hashed is None:
                user.set_password(PASSWORD)
                hashed = user.password
            user.password = hashed
            user.save()
        out[kota.code] = user
    return out


def _scores(rng, n: int, p: np.ndarray, modules: int, per_module: int) -> tuple[np.ndarray, np.ndarray]:
    """Correct answers per module (n × modules) when each answer is right with probability ``p``
    (one per volunteer, or one per volunteer and module)."""
    p = p if p.ndim == 2 else np.repeat(p[:, None], modules, axis=1)
    right = rng.binomial(per_module, np.clip(p, 0.02, 0.98), size=(n, modules))
    total = modules * per_module
    return right, np.round(100.0 * right.sum(axis=1) / total, 1)


@transaction.atomic
def populate(ctx) -> list[str]:
    if Session.objects.exists():
        return [f"Bimtek: {angka(Session.objects.count())} sesi (sudah ada)"]
    volunteers = list(Volunteer.objects.order_by("pk").values_list("pk", "kelurahan_id", "organisation_id"))
    if not volunteers:
        return ["Bimtek: belum ada relawan, tidak ada sesi Bimtek yang dibuat."]
    rng = np.random.default_rng(SEED)
    pyrng = random.Random(SEED)
    modules = list(Module.objects.order_by("order"))
    module_codes = [m.code for m in modules]
    org_ids = sorted({o for _, _, o in volunteers if o}) or list(Organisation.objects.values_list("pk", flat=True))
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_ids)}
    trainers = _trainers()
    kecamatan = list(Region.objects.filter(level=Level.KECAMATAN, code__startswith="31").order_by("code"))

    # who goes where: volunteers of an ormas in a kecamatan share that ormas's sessions there
    groups: dict[tuple[str, int], list[int]] = {}
    for pk, kel, org in volunteers:
        org = org or org_ids[pk % len(org_ids)]
        groups.setdefault((kel[:6], org), []).append(pk)

    sessions, seats = [], []
    for kec in kecamatan:
        for org in org_ids:
            members = groups.get((kec.code, org), [])
            chosen = [v for v in members if rng.random() < ENROL_SHARE]
            for i in range(SESSIONS_PER_ORMAS):
                part = chosen[i::SESSIONS_PER_ORMAS]
                day = FIRST_DAY + datetime.timedelta(days=int(rng.integers(0, DAYS)))
                start = datetime.time(int(rng.choice([8, 9, 13, 19])))
                sessions.append(Session(
                    title=f"Bimtek {orgs[org].short_name or orgs[org].name} · {kec.name} {i + 1}",
                    date=day, start_time=start, end_time=datetime.time(start.hour + 3),
                    place=f"{pyrng.choice(PLACES)} {kec.name}", region=kec, trainer=trainers[kec.code[:4]],
                    organisation=orgs[org], capacity=max(40, (len(part) // 10 + 1) * 10), pass_score=70))
                seats.append(part)
    Session.objects.bulk_create(sessions, batch_size=500)
    through = Session.modules.through
    through.objects.bulk_create([through(session_id=s.pk, module_id=m.pk) for s in sessions for m in modules],
                                batch_size=2000)

    enrolments = []
    for s, part in zip(sessions, seats, strict=True):
        start = datetime.datetime.combine(s.date, s.start_time, tzinfo=TZ)
        for v in part:
            enrolments.append(Enrolment(session=s, volunteer_id=v))
            e = enrolments[-1]
            if rng.random() < ATTEND_SHARE:
                e.attended_at = start + datetime.timedelta(minutes=int(rng.integers(-20, 40)))
                e.attendance_method = (Enrolment.Method.SELF_SCAN if rng.random() < 0.6
                                       else Enrolment.Method.TRAINER_SCAN)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)

    # tests: an ability per volunteer, a teaching effect per session (a few sessions do not work)
    n = len(enrolments)
    poor = {s.pk for s in sessions if rng.random() < POOR_SESSION_SHARE}
    ability = rng.normal(0.50, 0.12, n)
    effect = np.array([rng.normal(-0.02, 0.05) if e.session.pk in poor else rng.normal(0.26, 0.05)
                       for e in enrolments])
    pre_right, pre_score = _scores(rng, n, ability, len(modules), scoring.QUESTIONS_PER_MODULE)
    teaching = np.array([MODULE_TEACHING.get(c, 1.0) for c in module_codes])
    post_p = (ability + rng.normal(0, 0.06, n))[:, None] + effect[:, None] * teaching[None, :]
    post_right, post_score = _scores(rng, n, post_p, len(modules), scoring.QUESTIONS_PER_MODULE)
    takes_pre = rng.random(n) < PRE_SHARE
    takes_post = rng.random(n) < POST_SHARE
    bank = bank_for(sessions[0])
    attempts, certified = [], []
    per_q = 100.0 / scoring.QUESTIONS_PER_MODULE
    for i, e in enumerate(enrolments):
        start = datetime.datetime.combine(e.session.date, e.session.start_time, tzinfo=TZ)
        if takes_pre[i]:
            attempts.append(TestAttempt(
                enrolment=e, kind="pre", question_ids=scoring.draw_questions(bank, f"{e.pk}:pre"),
                submitted_at=start - datetime.timedelta(minutes=10), score=float(pre_score[i]),
                module_scores={c: float(r * per_q) for c, r in zip(module_codes, pre_right[i], strict=True)}))
        if e.attended_at and takes_post[i]:
            passed = scoring.passes(float(post_score[i]), e.session.pass_score)
            attempts.append(TestAttempt(
                enrolment=e, kind="post", question_ids=scoring.draw_questions(bank, f"{e.pk}:post"),
                submitted_at=start + datetime.timedelta(hours=2, minutes=50), score=float(post_score[i]),
                module_scores={c: float(r * per_q) for c, r in zip(module_codes, post_right[i], strict=True)},
                passed=passed))
            if passed:
                certified.append(e)
    TestAttempt.objects.bulk_create(attempts, batch_size=2000)
    codes = set()
    certs = []
    for e in certified:  # random per install (secrets), never from the demo's seed: codes are proof
        code = certificates.new_code()
        while code in codes:
            code = certificates.new_code()
        codes.add(code)
        issued = datetime.datetime.combine(e.session.date, e.session.end_time, tzinfo=TZ)
        certs.append(Certificate(enrolment=e, number=certificates.certificate_number(e, 2024),
                                 verification_code=code, issued_at=issued))
    Certificate.objects.bulk_create(certs, batch_size=2000)

    trained = advance_statuses([e.volunteer_id for e in enrolments if e.attended_at], Volunteer.Status.TRAINED,
                               reason="demo: hadir Bimtek")
    certified_n = advance_statuses([e.volunteer_id for e in certified], Volunteer.Status.CERTIFIED,
                                   reason="demo: sertifikat Bimtek")
    lines = [f"Bimtek: {angka(len(sessions))} sesi di {len(kecamatan)} kecamatan, {angka(n)} peserta, "
             f"{angka(sum(1 for e in enrolments if e.attended_at))} hadir, {angka(len(attempts))} tes, "
             f"{angka(len(certs))} sertifikat; {len(poor)} sesi dengan kenaikan nilai buruk"]
    lines.append(f"  status relawan: {angka(trained)} → terlatih, {angka(certified_n)} → tersertifikasi")
    others = sorted(u.username for u in trainers.values() if u.username != "trainer")
    if others:
        lines.append(f"  pelatih Bimtek per kota: {', '.join(others)} (dan trainer)")
    lines += _demo_volunteer_login(enrolments)
    return lines


def _demo_volunteer_login(enrolments: list[Enrolment]) -> list[str]:
    """A login for one enrolled volunteer (attended, post-test still open) to try the test page."""
    candidate = next((e for e in enrolments if e.attended_at and e.session.region_id.startswith("3175")
                      and not e.attempts.filter(kind="post").exists()), None)
    if candidate is None or User.objects.filter(username=DEMO_VOLUNTEER_USER).exists():
        return []
    volunteer = Volunteer.objects.get(pk=candidate.volunteer_id)
    if volunteer.user_id:
        return []
    user = User(username=DEMO_VOLUNTEER_USER, role=Role.RELAWAN, first_name=volunteer.name)
    user.set_password(PASSWORD)
    user.save()
    volunteer.user = user
    volunteer.save(update_fields=["user"])
    return [f"  {DEMO_VOLUNTEER_USER:<14} relawan ({volunteer.name}), Bimtek saya: /bimtek/saya/"]
