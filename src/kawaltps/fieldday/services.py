"""What a saksi (or a message channel on their behalf) writes on election day.

Every function here takes the acting ``user``, the ``tps`` (a ``regions.TPS``) and a client-made
``client_id`` (UUID, made once on the phone or per incoming message) and returns
``(stored object, created)``:

    in one transaction:
        access.require(user, action, tps)        # a saksi only at their own TPS (set by deployment)
        if a row with client_id exists:           # a retry, a re-sent message, a replayed queue
            return (that row, False)              # (refused if it belongs to someone else)
        check the input (Indonesian ValidationError, nothing stored)
        insert the row, audit.record_change(...)
        return (row, True)

``source`` names the channel ("web", "api", "whatsapp", "telegram", "sms"). A concurrent
duplicate (two sends of one id at once) hits the unique index and returns the first copy too.
Message channels call exactly these functions, so one rule holds for every door.
"""

import datetime
import math
import uuid
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.core.numbers import NumberError, parse_count
from kawaltps.evidence import store as evidence

from . import checklist, taxonomy
from .models import CheckIn, ChecklistAnswer, FieldSettings, Incident, IncidentStep, Source, Turnout

MAX_CLOCK_SKEW = datetime.timedelta(minutes=10)  # a phone clock may run a little ahead
MAX_FILES = 10


def settings_for(election) -> FieldSettings:
    """The election's field settings (created with the defaults on first use)."""
    return FieldSettings.objects.get_or_create(election=election)[0]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


def client_uuid(client_id) -> uuid.UUID:
    """The client-made id as a UUID (Indonesian ValidationError when it is none)."""
    try:
        return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("Kode kiriman (client_id) tidak sah.")) from None


def source_of(source: str) -> str:
    """``source`` if it names a known channel (``Source``)."""
    if source not in Source.values:
        raise ValidationError(_("Saluran kiriman tidak dikenal."))
    return source


def client_id_taken() -> str:
    return _("Kode kiriman ini sudah dipakai orang lain.")


def unknown_tps(code) -> str:
    return _("TPS %(c)s tidak ada dalam pemilihan ini.") % {"c": code}


def _existing(model, user, cid: uuid.UUID):
    """The report stored under ``cid`` (a retry), refused when it is someone else's."""
    row = model.objects.filter(client_id=cid).first()
    if row is not None and row.user_id != user.pk:
        raise ValidationError(client_id_taken())
    return row


def _when(at, *, field: str) -> datetime.datetime:
    if isinstance(at, str):
        try:
            at = datetime.datetime.fromisoformat(at)
        except ValueError:
            raise ValidationError(_("%(f)s tidak sah.") % {"f": field}) from None
    if not isinstance(at, datetime.datetime):
        raise ValidationError(_("%(f)s wajib diisi.") % {"f": field})
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now() + MAX_CLOCK_SKEW:
        raise ValidationError(_("%(f)s ada di masa depan. Periksa jam ponsel Anda.") % {"f": field})
    return at


def _coord(value, low: float, high: float, what: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(w)s GPS tidak sah.") % {"w": what}) from None
    if not math.isfinite(v) or not low <= v <= high:
        raise ValidationError(_("%(w)s GPS tidak sah.") % {"w": what})
    return v


def _create(model, user, cid, make):
    """Insert through ``make()`` inside a savepoint; a concurrent duplicate returns the first copy."""
    try:
        with transaction.atomic():
            return make(), True
    except IntegrityError:
        row = _existing(model, user, cid)
        if row is None:
            raise
        return row, False


def _audit(user, row, action: str, after: dict) -> None:
    record_change(user=user, obj=row, code=row.tps_code, election_slug=row.election.slug,
                  action=action, after=after)


def clean_check_in(tps, *, at, lat, lon, far_meters: Callable[[], int]) -> dict:
    """The checked fields of a check-in at ``tps`` (Indonesian ValidationError): ``at``, ``latitude``,
    ``longitude``, ``distance_m`` and ``far`` (``far_meters()`` is asked only when a distance is known).
    Shared by :func:`check_in` and the API's fast path (``fastpath``)."""
    at = _when(at, field=_("Waktu check-in"))
    lat = _coord(lat, -90, 90, _("Lintang"))
    lon = _coord(lon, -180, 180, _("Bujur"))
    if (lat is None) != (lon is None):
        raise ValidationError(_("Lintang dan bujur GPS harus diisi keduanya."))
    dist = far = None
    if lat is not None and tps.latitude is not None and tps.longitude is not None:
        dist = round(distance_m(lat, lon, tps.latitude, tps.longitude))
        far = dist > far_meters()
    return {"at": at, "latitude": lat, "longitude": lon, "distance_m": dist, "far": bool(far)}


def check_in_record(fields: dict, *, mandate_accepted, source: str, photo_sha: str | None = None) -> dict:
    """The audit record's ``after`` of a stored check-in."""
    return {"at": fields["at"].isoformat(), "distance_m": fields["distance_m"], "far": fields["far"],
            "mandate_accepted": mandate_accepted, "source": source, "photo": photo_sha}


@transaction.atomic
def check_in(user, tps, *, at, lat=None, lon=None, photo=None, mandate_accepted=None, client_id,
             source: str = "web") -> tuple[CheckIn, bool]:
    """A saksi arrived at ``tps``. GPS optional; with the TPS's own position known, the distance
    is stored and a check-in farther than ``FieldSettings.far_meters`` is flagged ``far`` (never
    refused: a TPS position may be wrong). ``photo`` (an upload or bytes) passes the evidence
    rules. ``mandate_accepted``: whether KPPS accepted the surat mandat (None = not said yet)."""
    require(user, Action.FIELD_REPORT, tps)
    cid = client_uuid(client_id)
    if (row := _existing(CheckIn, user, cid)) is not None:
        return row, False
    source = source_of(source)
    fields = clean_check_in(tps, at=at, lat=lat, lon=lon, far_meters=lambda: settings_for(tps.election).far_meters)
    ev = None
    if photo is not None:
        ev, _new = evidence.save(evidence.prepare(photo), election=tps.election, code=tps.code,
                                 purpose="checkin", user=user)

    def make():
        return CheckIn.objects.create(election=tps.election, tps=tps, tps_code=tps.code, user=user,
                                      client_id=cid, source=source, photo=ev, mandate_accepted=mandate_accepted,
                                      **fields)

    row, created = _create(CheckIn, user, cid, make)
    if created:
        _audit(user, row, "fieldday.checkin", check_in_record(fields, mandate_accepted=mandate_accepted,
                                                              source=source, photo_sha=ev.sha256 if ev else None))
    return row, created


def _slot(at: datetime.datetime) -> str:
    local = timezone.localtime(at).strftime("%H:%M")
    passed = [t for t in checklist.TURNOUT_TIMES if t <= local]
    return passed[-1] if passed else checklist.TURNOUT_TIMES[0]


@transaction.atomic
def record_turnout(user, tps, *, at, voters, client_id, source: str = "web",
                   slot: str | None = None) -> tuple[Turnout, bool]:
    """Voters who voted so far at ``tps``. ``slot`` is one of ``checklist.TURNOUT_TIMES`` (default:
    the latest set time not after ``at``). ``voters`` is a count by ``core.numbers`` and at most
    the TPS's ballots (DPT plus the election's reserve percentage)."""
    require(user, Action.FIELD_REPORT, tps)
    cid = client_uuid(client_id)
    if (row := _existing(Turnout, user, cid)) is not None:
        return row, False
    source = source_of(source)
    at = _when(at, field=_("Waktu laporan"))
    try:
        count = parse_count(voters, field=_("Jumlah pemilih"))
    except NumberError as exc:
        raise ValidationError(str(exc)) from None
    if count is None:
        raise ValidationError(_("Jumlah pemilih wajib diisi."))
    ballots = math.ceil(tps.dpt * (1 + float(tps.election.ballot_reserve_percent) / 100))
    if tps.dpt and count > ballots:
        raise ValidationError(_("Jumlah pemilih %(n)s melebihi surat suara TPS ini (%(b)s).")
                              % {"n": count, "b": ballots})
    slot = slot or _slot(at)
    if slot not in checklist.TURNOUT_TIMES:
        raise ValidationError(_("Jam laporan harus salah satu dari %(t)s.") % {"t": ", ".join(checklist.TURNOUT_TIMES)})

    def make():
        return Turnout.objects.create(election=tps.election, tps=tps, tps_code=tps.code, user=user, client_id=cid,
                                      source=source, at=at, slot=slot, voters=count)

    row, created = _create(Turnout, user, cid, make)
    if created:
        _audit(user, row, "fieldday.turnout", {"slot": slot, "voters": count, "source": source})
    return row, created


def clean_checklist(election, *, item_key, answer, note, at) -> dict:
    """The checked fields of one checklist answer (``item_key``, ``answer``, ``note``, ``at``) for
    ``election``'s checklist. Shared by :func:`answer_checklist` and the API's fast path."""
    item = checklist.item(election, str(item_key))
    if item is None:
        raise ValidationError(_("Butir daftar periksa tidak dikenal."))
    answer = str(answer).strip().lower()
    if answer not in item.answers:
        raise ValidationError(_("Jawaban harus salah satu dari: %(a)s.") % {"a": ", ".join(item.answers)})
    note = str(note or "").strip()
    if len(note) > 500:
        raise ValidationError(_("Catatan paling panjang 500 karakter."))
    at = _when(at or timezone.now(), field=_("Waktu"))
    return {"item_key": item.key, "answer": answer, "note": note, "at": at}


def checklist_record(fields: dict, *, source: str) -> dict:
    """The audit record's ``after`` of a stored checklist answer."""
    return {"item": fields["item_key"], "answer": fields["answer"], "source": source}


@transaction.atomic
def answer_checklist(user, tps, *, item_key, answer, note: str = "", client_id, source: str = "web",
                     at=None) -> tuple[ChecklistAnswer, bool]:
    """One answer to one checklist item (``checklist.items_for(election)``); a later answer to the
    same item replaces it on the page, both are kept. ``answer`` must be one the item allows."""
    require(user, Action.FIELD_REPORT, tps)
    cid = client_uuid(client_id)
    if (row := _existing(ChecklistAnswer, user, cid)) is not None:
        return row, False
    source = source_of(source)
    fields = clean_checklist(tps.election, item_key=item_key, answer=answer, note=note, at=at)

    def make():
        return ChecklistAnswer.objects.create(election=tps.election, tps=tps, tps_code=tps.code, user=user,
                                              client_id=cid, source=source, **fields)

    row, created = _create(ChecklistAnswer, user, cid, make)
    if created:
        _audit(user, row, "fieldday.checklist", checklist_record(fields, source=source))
    return row, created


def clean_incident(election, *, category_key, description, occurred_at) -> dict:
    """The checked fields of an incident report in ``election`` (category, description, when, and the
    PSU/recount flags and deadlines the category brings). Shared by :func:`report_incident` and the
    API's fast path."""
    cat = taxonomy.category(str(category_key))
    if cat is None:
        raise ValidationError(_("Kategori kejadian tidak dikenal."))
    description = str(description or "").strip()
    if not description:
        raise ValidationError(_("Uraian kejadian wajib diisi."))
    if len(description) > 5000:
        raise ValidationError(_("Uraian paling panjang 5.000 karakter."))
    occurred_at = _when(occurred_at, field=_("Waktu kejadian"))
    return {"category_key": cat.key, "description": description, "occurred_at": occurred_at,
            "psu_trigger": cat.psu, "recount_trigger": cat.recount,
            "psu_deadline": taxonomy.psu_deadline(election) if cat.psu else None,
            "filing_deadline": taxonomy.filing_deadline(timezone.localdate(occurred_at))}


def incident_step_reason(fields: dict) -> str:
    """The reason of the first workflow step (``reported``) of a new incident."""
    return fields["description"][:200]


def incident_record(fields: dict, *, source: str, evidence_sha: list[str]) -> dict:
    """The audit record's ``after`` of a stored incident report."""
    return {"category": fields["category_key"], "psu": fields["psu_trigger"], "recount": fields["recount_trigger"],
            "source": source, "evidence": evidence_sha}


@transaction.atomic
def report_incident(user, tps, *, category_key, description, occurred_at, files=(), client_id,
                    source: str = "web") -> tuple[Incident, bool]:
    """A kecurangan/keberatan report from ``tps`` in a ``taxonomy`` category, with up to 10 photos
    or videos (evidence rules). A category that is a PSU trigger (Pasal 112) flags the report with
    the deadline for requesting the re-vote; a recount trigger (Pasal 113) is flagged too. The
    Bawaslu filing deadline (7 days from the day it happened) is counted from ``occurred_at``."""
    require(user, Action.REPORT_INCIDENT, tps)
    cid = client_uuid(client_id)
    if (row := _existing(Incident, user, cid)) is not None:
        return row, False
    source = source_of(source)
    election = tps.election
    fields = clean_incident(election, category_key=category_key, description=description, occurred_at=occurred_at)
    files = list(files or ())
    if len(files) > MAX_FILES:
        raise ValidationError(_("Paling banyak %(n)s berkas bukti per laporan.") % {"n": MAX_FILES})
    prepared = [evidence.prepare(f, allow_video=True) for f in files]  # all checked before anything is stored

    def make():
        return Incident.objects.create(election=election, tps=tps, tps_code=tps.code, user=user, client_id=cid,
                                       source=source, **fields)

    row, created = _create(Incident, user, cid, make)
    if created:
        stored = [evidence.save(p, election=election, code=tps.code, purpose="incident", user=user)[0]
                  for p in prepared]
        row.evidence.add(*stored)
        IncidentStep.objects.create(incident=row, from_state="", to_state=Incident.State.REPORTED, by=user,
                                    reason=incident_step_reason(fields))
        _audit(user, row, "fieldday.incident", incident_record(fields, source=source,
                                                               evidence_sha=[e.sha256 for e in stored]))
    return row, created


def tps_of(user, election, code: str, action: Action = Action.FIELD_REPORT):
    """The TPS ``code`` of ``election`` if ``user`` may take ``action`` there (``REPORT_INCIDENT``
    for incidents), else PermissionDenied / ValidationError (Indonesian). For channels that only
    know a code (messages, the API). ``election`` may be an Election or its slug (one query for
    both: the API's path; an unknown slug is Http404)."""
    from django.shortcuts import get_object_or_404

    from kawaltps.elections.models import Election
    from kawaltps.regions.models import TPS

    by = {"election__slug": election} if isinstance(election, str) else {"election": election}
    tps = TPS.objects.select_related("election").filter(**by, code=str(code).replace(".", "")).first()
    if tps is None:
        if isinstance(election, str):
            get_object_or_404(Election, slug=election)
        raise ValidationError(unknown_tps(code))
    require(user, action, tps)
    return tps


__all__ = ["check_in", "record_turnout", "answer_checklist", "report_incident", "tps_of", "settings_for",
           "distance_m", "PermissionDenied"]
