"""Volunteer registry services: status changes (used by training too), registration, lookups.

Rules:

- A status change is written together with its audit record (``audit.record_change``) in one
  transaction. The audit record holds the status before/after and the volunteer's kelurahan code,
  never NIK, phone or address (UU PDP: personal data is never copied into logs or history).
- Statuses run registered → trained → certified → assigned; other apps (Bimtek) advance them
  through :func:`set_status` / :func:`set_statuses`, never by writing the field directly.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from kawaltps.audit.models import ChangeRecord
from kawaltps.audit.services import record_change, record_changes

from . import consent
from .models import Volunteer

SUBJECT = "volunteers.Volunteer"
STATUS_ORDER = [Volunteer.Status.REGISTERED, Volunteer.Status.TRAINED, Volunteer.Status.CERTIFIED,
                Volunteer.Status.ASSIGNED]


def _check_status(status: str) -> str:
    if status not in Volunteer.Status.values:
        raise ValueError(f"status relawan tidak dikenal: {status!r}")
    return str(status)


def set_status(volunteer: Volunteer | int, status: str, *, by=None, reason: str = "") -> bool:
    """Set one volunteer's status and record the change; returns False if it was already that.

    ``volunteer`` is a Volunteer or its pk; ``by`` the acting user (None = system). The row is
    locked while changing so two concurrent callers cannot both record the same transition.
    """
    status = _check_status(status)
    pk = volunteer.pk if isinstance(volunteer, Volunteer) else int(volunteer)
    with transaction.atomic():
        current = Volunteer.objects.select_for_update().values("status", "kelurahan_id").get(pk=pk)
        if current["status"] == status:
            return False
        Volunteer.objects.filter(pk=pk).update(status=status, updated_at=timezone.now())
        record_change(user=by, subject=SUBJECT, object_id=str(pk), code=current["kelurahan_id"],
                      action="volunteer_status", before={"status": current["status"]},
                      after={"status": status}, reason=reason)
    if isinstance(volunteer, Volunteer):
        volunteer.status = status
    return True


def set_statuses(volunteer_ids: Iterable[int], status: str, *, by=None, reason: str = "",
                 batch_size: int = 2000) -> int:
    """Bulk :func:`set_status` for many volunteers (e.g. a whole Bimtek session, the demo).

    One UPDATE and one bulk INSERT of audit records per batch; volunteers already at ``status``
    are skipped. Returns how many changed.
    """
    status = _check_status(status)
    ids = list(volunteer_ids)
    actor = by.get_username() if getattr(by, "pk", None) else "system"
    user = by if getattr(by, "pk", None) else None
    changed = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        with transaction.atomic():
            rows = list(Volunteer.objects.select_for_update().filter(pk__in=chunk).exclude(status=status)
                        .values_list("pk", "status", "kelurahan_id"))
            if not rows:
                continue
            Volunteer.objects.filter(pk__in=[r[0] for r in rows]).update(status=status,
                                                                         updated_at=timezone.now())
            record_changes([
                dict(user=user, actor=actor, subject=SUBJECT, object_id=str(pk), code=kel,
                     action="volunteer_status", before={"status": old}, after={"status": status},
                     reason=reason)
                for pk, old, kel in rows
            ])
            changed += len(rows)
    return changed


def register(*, name: str, nik: str, phone: str, kelurahan_id: str, organisation_id: int | None = None,
             address: str = "", available: bool = True, by=None, source: str = "daftar",
             guardian_name: str = "", guardian_relation: str = "") -> Volunteer | None:
    """Register one volunteer who has given consent now (self-registration or a coordinator's form).

    ``nik`` and ``phone`` must already be checked and normalised (``nik.parse_nik``,
    ``nik.normalise_phone``).

    Duplicates are handled out of band (issue 8 item 13: whether a NIK or phone belongs to a
    volunteer is political affiliation, so the caller must answer a duplicate exactly like a new
    registration). When the NIK or phone is already registered nothing is created or changed; a
    ``volunteer_duplicate_registration`` record goes on each existing volunteer matched (see
    :func:`record_duplicate`), and None is returned.
    """
    with transaction.atomic():
        matches = list(Volunteer.objects.select_for_update()
                       .filter(models.Q(nik=nik) | models.Q(phone=phone)).only("pk", "nik", "phone", "name",
                                                                                "kelurahan_id"))
        if matches:
            for existing in matches:
                record_duplicate(existing, nik=nik, phone=phone, name=name, kelurahan_id=kelurahan_id,
                                 by=by, source=source)
            return None
        volunteer = Volunteer.objects.create(
            name=name, nik=nik, phone=phone, kelurahan_id=kelurahan_id, organisation_id=organisation_id,
            address=address, available_on_election_day=available, consent_at=timezone.now())
        consent.record(volunteer, given_at=volunteer.consent_at, guardian_name=guardian_name,
                       guardian_relation=guardian_relation)
        record_change(user=by, actor="" if by else source, obj=volunteer, code=kelurahan_id,
                      action="volunteer_register", after={"status": volunteer.status,
                                                          "organisation_id": organisation_id},
                      reason=source)
    return volunteer


DUPLICATE_ACTION = "volunteer_duplicate_registration"


def record_duplicate(existing: Volunteer, *, nik: str, phone: str, name: str, kelurahan_id: str, by=None,
                     source: str = "daftar") -> None:
    """Note on ``existing`` that someone registered again with its NIK and/or phone.

    The koordinator of the volunteer's kelurahan sees it in the volunteer's history and in the
    registry's "pendaftaran ulang" list (:func:`duplicate_records`), and follows up with the
    volunteer. The record says which field matched, whether the name typed was the same, and the
    kelurahan typed; never the NIK, phone or name themselves (UU PDP).
    """
    matched = [f for f, same in (("nik", existing.nik == nik), ("phone", existing.phone == phone)) if same]
    same_name = " ".join(name.lower().split()) == " ".join(existing.name.lower().split())
    record_change(user=by, actor="" if by else source, subject=SUBJECT, object_id=str(existing.pk),
                  code=existing.kelurahan_id, action=DUPLICATE_ACTION,
                  after={"matched": matched, "same_name": same_name, "kelurahan": kelurahan_id}, reason=source)


def duplicate_records(scope: models.Q):
    """Duplicate-registration records whose volunteer's kelurahan matches ``scope`` (a Q on ``code``)."""
    return ChangeRecord.objects.filter(scope, subject=SUBJECT, action=DUPLICATE_ACTION)
