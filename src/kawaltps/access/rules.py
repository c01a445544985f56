"""Permission rules: which role may take which action, and where.

Two questions, both must say yes:

1. *What*: the user's role lists the action in ``ROLE_ACTIONS``.
2. *Where*: the target (a region or TPS code) lies inside the user's scope. Codes nest by prefix,
   so "inside" means the target code starts with the scope code. Admin, legal and observer work
   nationwide; a koordinator, clerk or trainer within their ``region`` (a clerk works nationwide
   if none is set; a koordinator or trainer without one works nowhere, since both see volunteers'
   data); a saksi only at their own TPS, though they may *view* the regions that contain it.

Inactive and anonymous users may do nothing.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from kawaltps.people.models import Role


class Action(StrEnum):
    VIEW_REGION = "view_region"
    VIEW_RESULTS = "view_results"
    SUBMIT_RESULT = "submit_result"  # a saksi's C.Hasil from the TPS
    ENTER_RESULT = "enter_result"  # a clerk's entry from the photos (first or second, blind)
    RECONCILE_RESULT = "reconcile_result"  # decide a disputed TPS
    IMPORT_RESULTS = "import_results"
    VIEW_DISCREPANCIES = "view_discrepancies"
    MANAGE_OFFICIAL_DATA = "manage_official_data"  # Sirekap snapshots, D.Hasil
    EXPORT_EVIDENCE = "export_evidence"
    MANAGE_VOLUNTEERS = "manage_volunteers"
    VIEW_PERSONAL_DATA = "view_personal_data"  # NIK, phone, address unmasked
    MANAGE_TRAINING = "manage_training"
    RECORD_ATTENDANCE = "record_attendance"
    VIEW_READINESS = "view_readiness"
    REPORT_INCIDENT = "report_incident"
    MANAGE_ELECTIONS = "manage_elections"
    MANAGE_USERS = "manage_users"
    MANAGE_DEPLOYMENT = "manage_deployment"  # assign saksi to TPS, pin/swap/release, mandate letters
    VIEW_ACCESS_LOG = "view_access_log"  # who saw whose unmasked personal data (the DPO's page)
    FIELD_REPORT = "field_report"  # election day at the TPS: check-in, turnout, checklist
    VIEW_FIELD = "view_field"  # the election-day board: who is present, checklists, incidents
    HANDLE_INCIDENT = "handle_incident"  # move an incident report along its workflow (fieldday.workflow)
    VIEW_JOBS = "view_jobs"  # background jobs page (admin: every job; koordinator: the jobs they started)
    FILE_LEGAL = "file_legal"  # make and edit Bawaslu reports and MK packages (kawaltps.legal)
    VIEW_LEGAL = "view_legal"  # read the filings of a region and download their PDFs


ACTION_LABELS = {
    Action.VIEW_REGION: "melihat wilayah dan TPS",
    Action.VIEW_RESULTS: "melihat hasil penghitungan",
    Action.SUBMIT_RESULT: "mengirim C.Hasil dari TPS",
    Action.ENTER_RESULT: "mengentri C.Hasil dari foto",
    Action.RECONCILE_RESULT: "memutuskan entri yang berbeda",
    Action.IMPORT_RESULTS: "mengimpor hasil",
    Action.VIEW_DISCREPANCIES: "melihat selisih rekapitulasi",
    Action.MANAGE_OFFICIAL_DATA: "mengelola data resmi (Sirekap, D.Hasil)",
    Action.EXPORT_EVIDENCE: "mengekspor berkas bukti",
    Action.MANAGE_VOLUNTEERS: "mengelola relawan",
    Action.VIEW_PERSONAL_DATA: "melihat data pribadi (NIK, telepon, alamat)",
    Action.MANAGE_TRAINING: "mengelola Bimtek",
    Action.RECORD_ATTENDANCE: "mencatat kehadiran Bimtek",
    Action.VIEW_READINESS: "melihat kesiapan saksi",
    Action.REPORT_INCIDENT: "melaporkan kejadian",
    Action.MANAGE_ELECTIONS: "mengelola pemilihan",
    Action.MANAGE_USERS: "mengelola pengguna",
    Action.MANAGE_DEPLOYMENT: "mengelola penugasan saksi dan surat mandat",
    Action.VIEW_ACCESS_LOG: "melihat catatan akses data pribadi",
    Action.FIELD_REPORT: "melapor dari TPS pada hari pemungutan suara",
    Action.VIEW_FIELD: "melihat papan hari pemungutan suara",
    Action.HANDLE_INCIDENT: "menangani laporan kejadian",
    Action.VIEW_JOBS: "melihat tugas latar belakang",
    Action.FILE_LEGAL: "menyusun laporan Bawaslu dan permohonan MK",
    Action.VIEW_LEGAL: "melihat berkas hukum",
}

A = Action
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.KOORDINATOR: frozenset({
        A.VIEW_REGION, A.VIEW_RESULTS, A.RECONCILE_RESULT, A.VIEW_DISCREPANCIES, A.EXPORT_EVIDENCE,
        A.MANAGE_VOLUNTEERS, A.VIEW_PERSONAL_DATA, A.MANAGE_TRAINING, A.RECORD_ATTENDANCE,
        A.VIEW_READINESS, A.REPORT_INCIDENT, A.MANAGE_DEPLOYMENT, A.VIEW_FIELD, A.HANDLE_INCIDENT,
        A.VIEW_JOBS, A.VIEW_LEGAL,
    }),
    Role.SAKSI: frozenset({A.VIEW_REGION, A.VIEW_RESULTS, A.SUBMIT_RESULT, A.REPORT_INCIDENT, A.FIELD_REPORT}),
    # A clerk enters results blind and does not read them (no VIEW_RESULTS): see access/visibility.py.
    Role.CLERK: frozenset({A.VIEW_REGION, A.ENTER_RESULT, A.MANAGE_OFFICIAL_DATA}),
    Role.TRAINER: frozenset({A.VIEW_REGION, A.MANAGE_TRAINING, A.RECORD_ATTENDANCE, A.VIEW_READINESS}),
    Role.LEGAL: frozenset({A.VIEW_REGION, A.VIEW_RESULTS, A.VIEW_DISCREPANCIES, A.EXPORT_EVIDENCE, A.VIEW_FIELD,
                           A.HANDLE_INCIDENT, A.FILE_LEGAL, A.VIEW_LEGAL}),
    Role.OBSERVER: frozenset({A.VIEW_REGION, A.VIEW_RESULTS, A.VIEW_DISCREPANCIES, A.VIEW_READINESS, A.VIEW_FIELD}),
    Role.RELAWAN: frozenset(),  # a volunteer not yet assigned: only their own self-service pages
    # The data protection officer (UU 27/2022 art. 53) audits access to personal data; sees no data itself.
    Role.DPO: frozenset({A.VIEW_ACCESS_LOG}),
}

NATIONWIDE_ROLES = {Role.ADMIN, Role.LEGAL, Role.OBSERVER, Role.DPO}


def _code_of(target) -> str | None:
    if target is None:
        return None
    if isinstance(target, str):
        return target.replace(".", "")
    return getattr(target, "code", None) or str(target.pk)


def scope_prefix(user) -> str | None:
    """The code prefix the user may act within: '' = everywhere, None = nowhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role in NATIONWIDE_ROLES:
        return ""
    if user.role == Role.SAKSI:
        return user.tps_code or None
    if user.role in (Role.KOORDINATOR, Role.TRAINER):
        return user.region_id or None
    return user.region_id or ""


def may(user, action: Action, target=None) -> bool:
    """True if ``user`` may take ``action`` on ``target`` (a code, Region, TPS, or None = anywhere)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return False
    if not user.is_superuser and action not in ROLE_ACTIONS.get(user.role, ()):
        return False
    code = _code_of(target)
    if code is None or prefix == "":
        return True
    if code.startswith(prefix):
        return True
    # A saksi (or any scoped user) may look at the regions that contain their scope.
    return action == Action.VIEW_REGION and prefix.startswith(code)


def require(user, action: Action, target=None) -> None:
    """Raise PermissionDenied unless :func:`may` says yes."""
    if not may(user, action, target):
        raise PermissionDenied(f"Anda tidak berwenang {ACTION_LABELS[action]} di sini.")


def scope_q(user, action: Action, field: str = "code") -> Q:
    """A filter keeping only rows whose ``field`` (a code) lies inside the user's scope for ``action``.

    Returns a Q that matches nothing when the user may not take the action at all.
    """
    prefix = scope_prefix(user)
    if prefix is None or (not user.is_superuser and action not in ROLE_ACTIONS.get(user.role, ())):
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{field}__startswith": prefix})
