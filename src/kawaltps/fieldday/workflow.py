"""The way of an incident report, every step with who, when and why (``IncidentStep`` + audit).

    reported  --verify (koordinator)------------> verified
    verified  --escalate (koordinator)----------> escalated      (to the legal team, with a track)
    escalated --file (legal)---------------------> filed         (with Pengawas TPS / Panwascam /
                                                                 Bawaslu; their report number; the
                                                                 formal and material requirements
                                                                 both checked; within 7 days)
    filed     --outcome (legal)------------------> outcome       (what the supervisor decided)
    outcome   --close (legal, koordinator)-------> closed
    any open  --close (koordinator, legal)-------> closed        (rejected / withdrawn: reason required)

Who: ``STEPS`` lists the roles per move (admin may take every move); where: the incident's TPS
must lie in the user's scope for ``Action.HANDLE_INCIDENT`` (access.rules). Every move needs a
reason. A move that is not in ``STEPS`` is refused with an Indonesian message; nothing changes.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.people.models import Role

from . import taxonomy
from .models import Incident, IncidentStep

S = Incident.State
FILED_WITH = {"pengawas_tps": gettext_lazy("Pengawas TPS"), "panwascam": gettext_lazy("Panwascam"),
              "bawaslu_kota": gettext_lazy("Bawaslu kabupaten/kota"), "bawaslu_prov": gettext_lazy("Bawaslu provinsi"),
              "gakkumdu": gettext_lazy("Sentra Gakkumdu"), "dkpp": gettext_lazy("DKPP")}


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    source: tuple[str, ...]
    target: str
    roles: frozenset[str]


STEPS = (
    Step("verify", gettext_lazy("Verifikasi"), (S.REPORTED,), S.VERIFIED, frozenset({Role.KOORDINATOR})),
    Step("escalate", gettext_lazy("Teruskan ke tim hukum"), (S.VERIFIED,), S.ESCALATED,
         frozenset({Role.KOORDINATOR})),
    Step("file", gettext_lazy("Catat pelaporan ke pengawas"), (S.ESCALATED,), S.FILED, frozenset({Role.LEGAL})),
    Step("outcome", gettext_lazy("Catat putusan"), (S.FILED,), S.OUTCOME, frozenset({Role.LEGAL})),
    Step("close", gettext_lazy("Tutup"), (S.REPORTED, S.VERIFIED, S.ESCALATED, S.FILED, S.OUTCOME), S.CLOSED,
         frozenset({Role.KOORDINATOR, Role.LEGAL})),
)
BY_NAME = {s.name: s for s in STEPS}


def steps_for(user, incident: Incident) -> list[Step]:
    """The moves ``user`` may take on ``incident`` now (what the page offers)."""
    from kawaltps.access import may

    if not may(user, Action.HANDLE_INCIDENT, incident.tps_code):
        return []
    return [s for s in STEPS if incident.state in s.source and (user.is_superuser or user.role == Role.ADMIN
                                                                  or user.role in s.roles)]


@transaction.atomic
def advance(user, incident: Incident, step: str, *, reason: str, filed_with: str = "", report_number: str = "",
            formal_ok: bool | None = None, material_ok: bool | None = None, track: str = "",
            outcome: str = "") -> Incident:
    """Move ``incident`` by ``step`` (a key of ``BY_NAME``) and keep who/when/why. Returns it."""
    inc = Incident.objects.select_for_update().select_related("election").get(pk=incident.pk)
    require(user, Action.HANDLE_INCIDENT, inc.tps_code)
    move = BY_NAME.get(step)
    if move is None or inc.state not in move.source:
        raise ValidationError(_("Langkah ini tidak bisa diambil pada laporan berstatus %(s)s.")
                              % {"s": inc.get_state_display()})
    if not (user.is_superuser or user.role == Role.ADMIN or user.role in move.roles):
        raise PermissionDenied(_("Peran Anda tidak dapat mengambil langkah ini."))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan wajib diisi."))
    data: dict = {}
    if move.name == "escalate":
        cat = taxonomy.category(inc.category_key)
        if track not in (cat.tracks if cat else ()):
            raise ValidationError(_("Pilih jalur hukum yang sesuai kategori kejadian."))
        data["track"] = track
    if move.name == "file":
        if filed_with not in FILED_WITH:
            raise ValidationError(_("Pilih lembaga tempat laporan diajukan."))
        report_number = str(report_number or "").strip()
        if not report_number or len(report_number) > 80:
            raise ValidationError(_("Nomor laporan dari pengawas wajib diisi (paling panjang 80 karakter)."))
        if not (formal_ok and material_ok):
            raise ValidationError(_("Syarat formal dan materiel harus diperiksa dan lengkap sebelum dilaporkan."))
        inc.filed_with, inc.report_number, inc.filed_at = filed_with, report_number, timezone.now()
        inc.formal_ok, inc.material_ok = True, True
        data.update(filed_with=filed_with, report_number=report_number,
                    late=bool(inc.filing_deadline and timezone.localdate() > inc.filing_deadline))
    if move.name == "outcome":
        outcome = str(outcome or "").strip()
        if not outcome:
            raise ValidationError(_("Isi putusan atau tindak lanjut pengawas."))
        inc.outcome = outcome
        data["outcome"] = outcome[:200]
    before = inc.state
    inc.state = move.target
    inc.save()
    IncidentStep.objects.create(incident=inc, from_state=before, to_state=inc.state, by=user, reason=reason,
                                data=data)
    record_change(user=user, obj=inc, code=inc.tps_code, election_slug=inc.election.slug,
                  action=f"fieldday.incident_{move.name}", before={"state": before},
                  after={"state": inc.state, **data}, reason=reason)
    return inc


def days_left(incident: Incident) -> int | None:
    """Days until the 7-day filing deadline (negative when past); None once filed or closed."""
    if incident.filing_deadline is None or incident.state in (S.FILED, S.OUTCOME, S.CLOSED):
        return None
    return taxonomy.days_until(incident.filing_deadline)
