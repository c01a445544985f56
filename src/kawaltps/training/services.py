"""Bimtek rules: sessions, enrolment, attendance.

- Sessions are created and changed by users who may ``MANAGE_TRAINING`` in the session's region;
  the trainer must be a user with the trainer role whose own region covers the session's region.
- Enrolment is once per volunteer per session, and never beyond the session's capacity (the
  session row is locked while counting, so two concurrent enrolments cannot both take the last seat).
- Attendance is recorded once per enrolment, either by the trainer scanning the volunteer's code
  (``RECORD_ATTENDANCE`` in the session's region) or by the volunteer, logged in, scanning the
  session's code. Both codes are signed and live 15 minutes (``tokens``).
- Scope (issue 8 item 14): a coordinator or trainer finds, enrols and marks present only
  volunteers whose home kelurahan lies inside their own region (``volunteers_in_scope``), in
  sessions inside it; a volunteer outside it is "not found", never named.
- A volunteer enrols themself (``self_enrol``) only into a session that has not started yet, has a
  seat left, and is held inside their own kota/kabupaten (``why_not_self_enrol``).
- Attending moves the volunteer registered → trained (``volunteers.services.set_status``); a
  status is only ever moved forward, never back (a certified or assigned volunteer stays so).
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from kawaltps.access import Action, may, require
from kawaltps.access.rules import scope_q
from kawaltps.audit.services import record_change
from kawaltps.people.models import Role
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.nik import InvalidPhone, normalise_phone
from kawaltps.volunteers.services import STATUS_ORDER, set_status, set_statuses

from . import tokens
from .models import Enrolment, Module, Session

SUBJECT_SESSION = "training.Session"
SUBJECT_ENROLMENT = "training.Enrolment"


class TrainingError(ValueError):
    """A request the rules refuse; the message is shown to the user (Indonesian)."""


# --- statuses -------------------------------------------------------------------------------------

def is_before(status: str, target: str) -> bool:
    """True if ``status`` comes before ``target`` in registered → trained → certified → assigned."""
    return STATUS_ORDER.index(status) < STATUS_ORDER.index(target)


def advance_status(volunteer: Volunteer, target: str, *, by=None, reason: str = "") -> bool:
    """Move a volunteer forward to ``target``; never backwards. True if it changed."""
    volunteer.refresh_from_db(fields=["status"])
    if not is_before(volunteer.status, target):
        return False
    return set_status(volunteer, target, by=by, reason=reason)


def advance_statuses(volunteer_ids: Iterable[int], target: str, *, by=None, reason: str = "") -> int:
    """Bulk :func:`advance_status`: only volunteers whose status is before ``target`` move."""
    earlier = STATUS_ORDER[:STATUS_ORDER.index(target)]
    ids = list(Volunteer.objects.filter(pk__in=list(volunteer_ids), status__in=earlier)
               .values_list("pk", flat=True))
    return set_statuses(ids, target, by=by, reason=reason) if ids else 0


# --- sessions --------------------------------------------------------------------------------------

def can_train_in(trainer, region_code: str) -> bool:
    """A trainer may run a session in a region inside their own region (or anywhere if they have none)."""
    return (trainer.role == Role.TRAINER and trainer.is_active
            and may(trainer, Action.MANAGE_TRAINING, region_code))


def create_session(user, *, modules: Iterable[Module] | None = None, **fields) -> Session:
    """Create a session after checking who may, where, and with which trainer."""
    region = fields["region"]
    require(user, Action.MANAGE_TRAINING, region.code)
    trainer = fields.get("trainer") or user
    if not can_train_in(trainer, region.code):
        raise TrainingError(f"{trainer.get_full_name() or trainer.username} bukan pelatih untuk wilayah "
                            f"{region.name}.")
    if fields["end_time"] <= fields["start_time"]:
        raise TrainingError(gettext("Jam selesai harus setelah jam mulai."))
    fields["trainer"] = trainer
    with transaction.atomic():
        session = Session.objects.create(created_by=user, **fields)
        session.modules.set(list(modules) if modules is not None else Module.objects.all())
        record_change(user=user, obj=session, code=region.code, action="bimtek_session_create",
                      after={"date": session.date.isoformat(), "trainer": trainer.username,
                             "capacity": session.capacity, "pass_score": session.pass_score})
    return session


def sessions_for(user, action: Action = Action.MANAGE_TRAINING):
    """Sessions inside the user's scope for ``action``."""
    return Session.objects.filter(scope_q(user, action, "region__code"))


# --- enrolment -------------------------------------------------------------------------------------

def enrol(session: Session, volunteer: Volunteer, *, by=None) -> Enrolment:
    """Give ``volunteer`` a seat in ``session``: once only, and never past capacity."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if Enrolment.objects.filter(session=locked, volunteer=volunteer).exists():
            raise TrainingError(f"{volunteer.name} sudah terdaftar di sesi ini.")
        taken = Enrolment.objects.filter(session=locked).count()
        if taken >= locked.capacity:
            raise TrainingError(f"Sesi sudah penuh ({locked.capacity} peserta).")
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(session=locked, volunteer=volunteer)
        except IntegrityError:
            raise TrainingError(f"{volunteer.name} sudah terdaftar di sesi ini.") from None
        record_change(user=by, obj=enrolment, code=locked.region_id, action="bimtek_enrol",
                      after={"session": locked.pk, "volunteer": volunteer.pk})
    return enrolment


def volunteers_in_scope(user, action: Action = Action.MANAGE_TRAINING):
    """Volunteers whose home kelurahan lies inside ``user``'s region for ``action`` (none if not allowed)."""
    return Volunteer.objects.filter(scope_q(user, action, "kelurahan__code"))


def find_volunteer(user, who: str) -> Volunteer | None:
    """The volunteer with this exact NIK (16 digits) or phone, searched only within ``user``'s region.

    A volunteer elsewhere is not found: the answer never tells whether a NIK or number is
    registered outside the searcher's area.
    """
    who = (who or "").strip()
    qs = volunteers_in_scope(user)
    if who.isdigit() and len(who) == 16:
        return qs.filter(nik=who).first()
    try:
        return qs.filter(phone=normalise_phone(who)).first()
    except InvalidPhone:
        return None


def require_volunteer_in_scope(user, action: Action, session: Session, volunteer_kelurahan: str) -> None:
    """Both the session's region and the volunteer's home kelurahan must lie in ``user``'s region."""
    require(user, action, session.region_id)
    if not may(user, action, volunteer_kelurahan):
        raise TrainingError(gettext("Relawan ini di luar wilayah Anda."))


def enrol_by_manager(user, session: Session, volunteer: Volunteer) -> Enrolment:
    """A coordinator/trainer enrols a volunteer of their region in a session of their region."""
    require_volunteer_in_scope(user, Action.MANAGE_TRAINING, session, volunteer.kelurahan_id)
    return enrol(session, volunteer, by=user)


def why_not_self_enrol(volunteer: Volunteer, session: Session, now=None) -> str | None:
    """Why ``volunteer`` may not enrol themself in ``session`` (None = they may).

    Rule: the session has not started yet (its local date and start time are in the future), it
    has a seat left, and it is held inside the volunteer's own kota/kabupaten (the session's region
    code starts with the first four digits of the volunteer's kelurahan). Anything else goes
    through their coordinator.
    """
    now = timezone.localtime(now)
    if (session.date, session.start_time) <= (now.date(), now.time()):
        return gettext("Sesi ini sudah dimulai atau sudah lewat.")
    if not session.region_id.startswith(volunteer.kelurahan_id[:4]):
        return gettext("Sesi ini di luar kota/kabupaten Anda.")
    if seats_left(session) <= 0:
        return gettext("Sesi sudah penuh.")
    return None


def sessions_open_to(volunteer: Volunteer, now=None):
    """Sessions ``volunteer`` may enrol themself in (:func:`why_not_self_enrol`), soonest first."""
    now = timezone.localtime(now)
    started = Q(date__lt=now.date()) | Q(date=now.date(), start_time__lte=now.time())
    return (Session.objects.filter(region__code__startswith=volunteer.kelurahan_id[:4]).exclude(started)
            .annotate(taken=Count("enrolments")).filter(taken__lt=F("capacity"))
            .order_by("date", "start_time", "pk"))


def self_enrol(user, session: Session) -> Enrolment:
    """The logged-in volunteer takes a seat in ``session`` if :func:`why_not_self_enrol` allows."""
    volunteer = volunteer_of(user)
    if volunteer is None:
        raise TrainingError(gettext("Akun Anda tidak terhubung dengan data relawan."))
    reason = why_not_self_enrol(volunteer, session)
    if reason:
        raise TrainingError(reason)
    return enrol(session, volunteer, by=user)


def mark_present_by_manager(user, enrolment: Enrolment, method: str) -> bool:
    """A trainer/coordinator records attendance: session and volunteer both inside their region."""
    require_volunteer_in_scope(user, Action.RECORD_ATTENDANCE, enrolment.session,
                               enrolment.volunteer.kelurahan_id)
    return mark_attended(enrolment, method, by=user)


def seats_left(session: Session) -> int:
    return max(session.capacity - session.enrolments.count(), 0)


# --- attendance ------------------------------------------------------------------------------------

def mark_attended(enrolment: Enrolment, method: str, *, by=None) -> bool:
    """Record attendance once (False if it was already recorded) and move the volunteer to trained."""
    with transaction.atomic():
        changed = Enrolment.objects.filter(pk=enrolment.pk, attended_at__isnull=True).update(
            attended_at=timezone.now(), attendance_method=method,
            attendance_by=by if getattr(by, "pk", None) else None)
        if not changed:
            return False
        enrolment.refresh_from_db()
        record_change(user=by, obj=enrolment, code=enrolment.session.region_id, action="bimtek_attendance",
                      after={"session": enrolment.session_id, "method": method})
        advance_status(enrolment.volunteer, Volunteer.Status.TRAINED, by=by,
                       reason=f"hadir Bimtek sesi {enrolment.session_id}")
    return True


def scan_volunteer(user, session: Session, token: str) -> tuple[Enrolment, bool]:
    """The trainer scans a volunteer's code at ``session``. Returns (enrolment, newly recorded)."""
    require(user, Action.RECORD_ATTENDANCE, session.region_id)
    try:
        volunteer_id = tokens.read_volunteer_token(token)
    except tokens.TokenError as exc:
        raise TrainingError(str(exc)) from None
    enrolment = (Enrolment.objects.select_related("volunteer", "session")
                 .filter(session=session, volunteer_id=volunteer_id).first())
    if enrolment is None:
        raise TrainingError(gettext("Relawan ini tidak terdaftar di sesi ini."))
    return enrolment, mark_present_by_manager(user, enrolment, Enrolment.Method.TRAINER_SCAN)


def volunteer_of(user) -> Volunteer | None:
    """The volunteer record linked to a logged-in user, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).first()


def scan_session(user, token: str, expected: Session | None = None) -> tuple[Enrolment, bool]:
    """A volunteer (the logged-in user) scans a session's code: records their own attendance only.

    ``expected``: the session whose page the code was typed into; a code of another session is refused.
    """
    volunteer = volunteer_of(user)
    if volunteer is None:
        raise TrainingError(gettext("Akun Anda tidak terhubung dengan data relawan."))
    try:
        session_id = tokens.read_session_token(token)
    except tokens.TokenError as exc:
        raise TrainingError(str(exc)) from None
    if expected is not None and expected.pk != session_id:
        raise TrainingError(gettext("Kode ini milik sesi Bimtek lain."))
    enrolment = (Enrolment.objects.select_related("volunteer", "session")
                 .filter(session_id=session_id, volunteer=volunteer).first())
    if enrolment is None:
        raise TrainingError(gettext("Anda tidak terdaftar di sesi ini."))
    return enrolment, mark_attended(enrolment, Enrolment.Method.SELF_SCAN, by=user)
