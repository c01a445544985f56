"""Erasure (UU 27/2022 Pasal 8, 16(2) huruf f): anonymise a volunteer unless their data is evidence.

Rule, in order:

    1. already erased                      -> refused, says when
    2. evidence in an open case            -> refused, naming every case; a case is open while it
       exists: a ``recap.Discrepancy`` of a TPS where this volunteer's login entered a C.Hasil,
       or where they were posted as saksi (their mandate and testimony are the evidence), and
       an incident report not yet closed that they made or that comes from their TPS, and whatever
       else :data:`EVIDENCE_SOURCES` lists
    3. otherwise, in one transaction: name, NIK, phone and address replaced by placeholders that
       identify no one (NIK/phone stay unique: ``E`` + the row id), the login deactivated and
       renamed, consents kept (they prove past processing was lawful) but marked withdrawn, an
       ``Erasure`` row and an audit record (no personal data) written.

The anonymised volunteer keeps its id, status, kelurahan and organisation, so counts, Bimtek
results and assignment histories still add up.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change

from .models import Consent, Erasure, Volunteer

ERASED_NAME = "(data dihapus)"


class ErasureRefused(Exception):
    """Erasure refused; ``cases`` names the open cases that hold the data as evidence."""

    def __init__(self, message: str, cases: list[str] | None = None):
        super().__init__(message)
        self.cases = cases or []


def _discrepancies(volunteer: Volunteer) -> list[str]:
    if not apps.is_installed("kawaltps.recap"):
        return []
    from kawaltps.recap.models import Discrepancy

    codes: set[tuple[int, str]] = set()
    if volunteer.user_id and apps.is_installed("kawaltps.results"):
        from kawaltps.results.models import Submission

        codes |= set(Submission.objects.filter(entered_by_id=volunteer.user_id)
                     .values_list("result__election_id", "result__code"))
    if apps.is_installed("kawaltps.deployment"):
        from kawaltps.deployment.models import Assignment

        codes |= set(Assignment.objects.filter(volunteer=volunteer, kind=Assignment.Kind.SAKSI)
                     .values_list("election_id", "tps_code"))
    found = []
    for election_id, code in sorted(codes):
        for d in Discrepancy.objects.filter(election_id=election_id, code=code).select_related("election"):
            found.append(_("selisih #%(id)s (%(step)s, TPS %(code)s, %(election)s)")
                         % {"id": d.pk, "step": d.get_step_display(), "code": d.code, "election": d.election.name})
    return found


def _incidents(volunteer: Volunteer) -> list[str]:
    """Kecurangan/keberatan reports not yet closed that this volunteer made, or from a TPS where they
    were posted as saksi (they are the witness Bawaslu or the court will hear)."""
    if not apps.is_installed("kawaltps.fieldday"):
        return []
    from django.db.models import Q

    from kawaltps.fieldday.models import Incident

    mine = Q(user_id=volunteer.user_id) if volunteer.user_id else Q(pk__in=[])
    if apps.is_installed("kawaltps.deployment"):
        from kawaltps.deployment.models import Assignment

        for election_id, code in (Assignment.objects.filter(volunteer=volunteer, kind=Assignment.Kind.SAKSI)
                                  .values_list("election_id", "tps_code")):
            mine |= Q(election_id=election_id, tps_code=code)
    return [_("laporan kejadian #%(id)s (TPS %(code)s, %(state)s)")
            % {"id": i.pk, "code": i.tps_code, "state": i.get_state_display()}
            for i in Incident.objects.filter(mine).exclude(state=Incident.State.CLOSED).order_by("pk")]


# Each returns the open cases (in words) in which the volunteer's data is evidence.
EVIDENCE_SOURCES: list[Callable[[Volunteer], list[str]]] = [_discrepancies, _incidents]


def open_cases(volunteer: Volunteer) -> list[str]:
    return [case for source in EVIDENCE_SOURCES for case in source(volunteer)]


@dataclass
class Erased:
    volunteer_id: int
    erased_at: str


def erase(volunteer: Volunteer | int, *, by=None, actor: str = "", reason: str = "") -> Erased:
    """Anonymise one volunteer (module docstring); raises :class:`ErasureRefused` and changes nothing."""
    pk = volunteer.pk if isinstance(volunteer, Volunteer) else int(volunteer)
    with transaction.atomic():
        v = Volunteer.objects.select_for_update().filter(pk=pk).first()
        if v is None:
            raise ErasureRefused(_("Relawan #%(id)s tidak ada.") % {"id": pk})
        done = Erasure.objects.filter(volunteer=v).first()
        if done is not None:
            raise ErasureRefused(_("Data relawan #%(id)s sudah dihapus pada %(when)s.")
                                 % {"id": pk, "when": timezone.localtime(done.erased_at).strftime("%d-%m-%Y %H.%M")})
        cases = open_cases(v)
        if cases:
            raise ErasureRefused(_("Data relawan #%(id)s tidak dapat dihapus: masih menjadi bukti dalam perkara "
                                   "yang berjalan: %(cases)s.") % {"id": pk, "cases": "; ".join(cases)}, cases)
        now = timezone.now()
        v.name, v.nik, v.phone, v.address = ERASED_NAME, f"E{pk:015d}", f"E{pk:015d}", ""
        v.save(update_fields=["name", "nik", "phone", "address", "updated_at"])
        if v.user_id:
            from kawaltps.people.models import User

            User.objects.filter(pk=v.user_id).update(
                username=f"dihapus-{pk}", first_name="", last_name="", email="", is_active=False,
                **({"phone": ""} if any(f.name == "phone" for f in User._meta.fields) else {}))
        Consent.objects.filter(volunteer=v, withdrawn_at__isnull=True).update(withdrawn_at=now)
        who = actor or (by.get_username() if getattr(by, "pk", None) else "system")
        Erasure.objects.create(volunteer=v, erased_at=now, by=who, reason=reason)
        record_change(user=by, actor=actor, subject="volunteers.Volunteer", object_id=str(pk), code=v.kelurahan_id,
                      action="volunteer_erase", after={"erased": True}, reason=reason or "UU PDP Pasal 8")
    return Erased(pk, now.isoformat())
