"""Assignments: the solver run and the coordinator's hand (pin, swap, release, promote, assign by hand).

Every change writes an ``AssignmentHistory`` row and an ``audit.ChangeRecord`` in the same
transaction, moves the volunteer's status (assigned / back to certified) and their login's role
(``rules.role_for``), and ends the mandate of an assignment that stops being a saksi post.
Refusals raise :class:`~kawaltps.deployment.rules.DeploymentError` before anything is written.
"""

from collections import Counter

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change, record_changes
from kawaltps.people.models import User
from kawaltps.regions.models import TPS, Region
from kawaltps.volunteers.models import Volunteer

from . import solver
from .models import Assignment, AssignmentHistory, DeploymentSettings, Mandate, TpsPriority
from .rules import MANAGED_ROLES, DeploymentError, certified_q, is_certified, role_for

SUBJECT = "deployment.Assignment"
Kind = Assignment.Kind
ACTIVE = Assignment.Status.ACTIVE
CHANGE_LIST_LIMIT = 1000  # changes listed one by one in a report (all are counted)


def settings_for(election) -> DeploymentSettings:
    return DeploymentSettings.objects.get_or_create(election=election)[0]


def _check(by, code: str) -> None:
    if by is not None:
        require(by, Action.MANAGE_DEPLOYMENT, code)


def active(election, prefix: str = ""):
    return Assignment.objects.filter(election=election, status=ACTIVE, tps_code__startswith=prefix)


# --- the solver run -------------------------------------------------------------------------------

def _problem(election, region: str, conf: DeploymentSettings):
    tps = list(TPS.objects.filter(election=election, code__startswith=region).order_by("code")
               .values_list("pk", "code"))
    if not tps:
        raise DeploymentError(_("Tidak ada TPS pemilihan ini di wilayah %(r)s.") % {"r": region or "-"})
    pinned = list(active(election, region).filter(pinned=True).select_related("volunteer"))
    uncertified = [a for a in pinned if not is_certified(a.volunteer)]
    if uncertified:
        names = ", ".join(f"{a.volunteer.name} (TPS {a.tps_code})" for a in uncertified[:5])
        raise DeploymentError(_("Saksi yang disematkan tidak lagi tersertifikasi (sertifikat dicabut atau tidak "
                                "ada): %(n)s. Lepaskan atau ganti lebih dulu; tidak ada yang diubah.") % {"n": names})
    elsewhere = active(election).exclude(tps_code__startswith=region).values("volunteer_id") if region else []
    vols = (Volunteer.objects.filter(certified_q(), available_on_election_day=True)
            .exclude(deployment__available=False).exclude(pk__in=[a.volunteer_id for a in pinned])
            .values_list("pk", "kelurahan_id", "deployment__voting_tps_code", "deployment__max_distance"))
    if region:
        vols = vols.exclude(pk__in=elsewhere)
    current = dict(active(election, region).filter(pinned=False).values_list("volunteer_id", "tps_code"))
    # the pool: people whose home is inside the region, and those already posted inside it
    rows = [r for r in vols if ((r[2] or "")[:10] or r[1]).startswith(region) or r[0] in current]
    if not rows and not pinned:
        raise DeploymentError(_("Belum ada relawan tersertifikasi yang bersedia di wilayah ini; "
                                "tidak ada penugasan yang dibuat atau diubah."))
    codes = np.array([c for _, c in tps], dtype="U13")
    pin_s = Counter(a.tps_code for a in pinned if a.kind == Kind.SAKSI)
    pin_b = Counter(a.tps_code for a in pinned if a.kind == Kind.BACKUP)
    weights = dict(TpsPriority.objects.filter(election=election, tps_code__startswith=region)
                   .values_list("tps_code", "weight"))
    code_list = codes.tolist()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    voting = np.array([r[2] or "" for r in rows], dtype="U13")
    home = np.array([(r[2] or "")[:10] or r[1] for r in rows], dtype="U10")
    p = solver.Problem(
        tps_codes=codes,
        tps_weight=np.array([max(1, weights.get(c, 1)) for c in code_list], dtype=np.int64),
        tps_saksi_open=np.array([max(conf.saksi_per_tps - pin_s[c], 0) for c in code_list], dtype=np.int64),
        tps_backup_open=np.array([max(conf.backups_per_tps - pin_b[c], 0) for c in code_list], dtype=np.int64),
        vol_ids=ids, vol_home=home, vol_voting=voting,
        vol_max=np.array([conf.max_distance if r[3] is None else r[3] for r in rows], dtype=np.int64),
        vol_current=np.array([current.get(r[0], "") for r in rows], dtype="U13"),
    )
    return p, {c: pk for pk, c in tps}, pinned, pin_s, pin_b


def run_assignment(election, region: str = "", *, by=None) -> dict:
    """Assign certified saksi to the TPS of ``election`` under ``region`` (a code prefix; '' = all).

    Pinned assignments are kept; the others are re-solved and only the differences written.
    Returns coverage, distances and the changes.
    """
    region = (region or "").replace(".", "")
    if region and not Region.objects.filter(code=region).exists():
        raise DeploymentError(_("Kode wilayah %(r)s tidak dikenal.") % {"r": region})
    _check(by, region or None)
    conf = settings_for(election)
    p, tps_pk, pinned, pin_s, pin_b = _problem(election, region, conf)
    sol = solver.solve(p)
    wanted = np.full(len(p.tps_codes), conf.saksi_per_tps)
    cov = solver.coverage(p, sol, wanted, np.array([pin_s[c] for c in p.tps_codes.tolist()]),
                          np.array([pin_b[c] for c in p.tps_codes.tolist()]))
    base = solver.coverage(p, solver.greedy(p), wanted, np.array([pin_s[c] for c in p.tps_codes.tolist()]),
                           np.array([pin_b[c] for c in p.tps_codes.tolist()]))
    new = {int(p.vol_ids[v]): (str(p.tps_codes[t]), "saksi" if k == solver.KIND_SAKSI else "backup", int(d))
           for v, t, k, d in zip(sol.vol_index, sol.tps_index, sol.kind, sol.distance, strict=True)}
    changes = _apply(election, region, new, tps_pk, by)
    return {"election": election.slug, "region": region, "coverage": cov, "greedy_baseline": base,
            "pinned": len(pinned), "changes": changes}


@transaction.atomic
def _apply(election, region: str, new: dict, tps_pk: dict, by) -> dict:
    old = {a.volunteer_id: a for a in active(election, region).filter(pinned=False).select_for_update()}
    now = timezone.now()
    released, created, rekinded = [], [], []
    for vid, a in old.items():
        target = new.get(vid)
        if target is None or target[0] != a.tps_code:
            released.append(a)
        elif target[1] != a.kind:
            rekinded.append((a, target[1]))
    for vid, (code, kind, dist) in new.items():
        a = old.get(vid)
        if a is None or a.tps_code != code:
            created.append(Assignment(election=election, tps_id=tps_pk[code], tps_code=code, volunteer_id=vid,
                                      kind=kind, distance=dist))
    history, audit = [], []
    actor = by.get_username() if getattr(by, "pk", None) else "kawaltps assign"
    user = by if getattr(by, "pk", None) else None

    def log(a, action, before, after):
        history.append(AssignmentHistory(assignment=a, action=action, before=before, after=after, by=user))
        audit.append(dict(user=user, actor=actor, subject=SUBJECT, object_id=str(a.pk), code=a.tps_code,
                                  election_slug=election.slug, action=f"assignment_{action}", before=before,
                                  after=after, reason="solver"))

    for a in released:
        before = a.snapshot()
        a.status, a.updated_at = Assignment.Status.RELEASED, now
        log(a, "release", before, a.snapshot())
    Assignment.objects.bulk_update(released, ["status", "updated_at"], batch_size=1000)
    for a, kind in rekinded:
        before = a.snapshot()
        a.kind, a.updated_at = kind, now
        log(a, "kind", before, a.snapshot())
    Assignment.objects.bulk_update([a for a, _ in rekinded], ["kind", "updated_at"], batch_size=1000)
    Assignment.objects.bulk_create(created, batch_size=1000)
    for a in created:
        log(a, "assign", None, a.snapshot())
    AssignmentHistory.objects.bulk_create(history, batch_size=2000)
    record_changes(audit)
    ended = [a for a in released] + [a for a, k in rekinded if k == Kind.BACKUP]
    _end_mandates(ended, Mandate.Status.REVOKED, "penugasan berubah (penugasan ulang)", by)
    touched = {a.volunteer_id for a in released} | {a.volunteer_id for a, _ in rekinded} | \
        {a.volunteer_id for a in created}
    sync_volunteers(election, touched, by=by)
    moved = {a.volunteer_id for a in released} & {a.volunteer_id for a in created}
    detail = [{"volunteer": a.volunteer_id, "from": a.tps_code, "to": new.get(a.volunteer_id, ("",))[0] or None,
               "kind": new.get(a.volunteer_id, (None, a.kind))[1]} for a in released]
    detail += [{"volunteer": a.volunteer_id, "from": None, "to": a.tps_code, "kind": a.kind}
               for a in created if a.volunteer_id not in moved]
    detail += [{"volunteer": a.volunteer_id, "from": a.tps_code, "to": a.tps_code, "kind": k} for a, k in rekinded]
    return {"assigned": len(created) - len(moved), "released": len(released) - len(moved), "moved": len(moved),
            "kind_changed": len(rekinded), "kept": len(old) - len(released) - len(rekinded),
            "list": detail[:CHANGE_LIST_LIMIT]}


# --- status and role follow the assignment ---------------------------------------------------------

def sync_volunteers(election, volunteer_ids, *, by=None) -> None:
    """Volunteer status (assigned ↔ certified) and login role (``rules.role_for``) from active assignments."""
    from kawaltps.volunteers.services import set_statuses

    ids = list(volunteer_ids)
    if not ids:
        return
    posts = dict(Assignment.objects.filter(election=election, status=ACTIVE, volunteer_id__in=ids,
                                           kind=Kind.SAKSI).values_list("volunteer_id", "tps_code"))
    any_active = set(Assignment.objects.filter(status=ACTIVE, volunteer_id__in=ids)
                     .values_list("volunteer_id", flat=True))
    set_statuses([v for v in ids if v in any_active], Volunteer.Status.ASSIGNED, by=by, reason="penugasan TPS")
    back = Volunteer.objects.filter(pk__in=[v for v in ids if v not in any_active],
                                    status=Volunteer.Status.ASSIGNED).values_list("pk", flat=True)
    set_statuses(list(back), Volunteer.Status.CERTIFIED, by=by, reason="penugasan dilepas")
    users = User.objects.filter(volunteer__pk__in=ids, role__in=MANAGED_ROLES).values_list("pk", "volunteer__pk")
    for upk, vid in users:
        code = posts.get(vid, "")
        User.objects.filter(pk=upk).update(role=role_for(bool(code)), tps_code=code)


def _end_mandates(assignments, status: str, reason: str, by) -> int:
    ids = [a.pk for a in assignments if a.pk]
    if not ids:
        return 0
    from .mandates import end_mandates

    return end_mandates(Mandate.objects.filter(assignment_id__in=ids, status=Mandate.Status.VALID), status,
                        reason, by)


# --- the coordinator's hand -----------------------------------------------------------------------

def _write(a: Assignment, action: str, before: dict | None, by, reason: str = "") -> None:
    AssignmentHistory.objects.create(assignment=a, action=action, before=before, after=a.snapshot(),
                                     by=by if getattr(by, "pk", None) else None, reason=reason)
    record_change(user=by, actor="" if getattr(by, "pk", None) else "kawaltps", subject=SUBJECT,
                  object_id=str(a.pk), code=a.tps_code, election_slug=a.election.slug,
                  action=f"assignment_{action}", before=before, after=a.snapshot(), reason=reason)


def _locked(a: Assignment) -> Assignment:
    a = Assignment.objects.select_for_update().select_related("election", "volunteer").get(pk=a.pk)
    if a.status != ACTIVE:
        raise DeploymentError(_("Penugasan ini sudah dilepas."))
    return a


@transaction.atomic
def set_pinned(assignment: Assignment, pinned: bool, *, by=None) -> Assignment:
    """Pin (a re-run keeps it) or unpin an assignment."""
    a = _locked(assignment)
    _check(by, a.tps_code)
    if pinned and not is_certified(a.volunteer):
        raise DeploymentError(_("%(n)s tidak memiliki sertifikat Bimtek yang berlaku.") % {"n": a.volunteer.name})
    before = a.snapshot()
    a.pinned = pinned
    a.save(update_fields=["pinned", "updated_at"])
    _write(a, "pin" if pinned else "unpin", before, by)
    return a


@transaction.atomic
def release(assignment: Assignment, *, by=None, reason: str = "") -> Assignment:
    """Release an assignment: its mandate is revoked, the volunteer goes back to certified/relawan."""
    a = _locked(assignment)
    _check(by, a.tps_code)
    before = a.snapshot()
    a.status = Assignment.Status.RELEASED
    a.save(update_fields=["status", "updated_at"])
    _write(a, "release", before, by, reason)
    _end_mandates([a], Mandate.Status.REVOKED, reason or "penugasan dilepas", by)
    sync_volunteers(a.election, [a.volunteer_id], by=by)
    return a


@transaction.atomic
def swap(first: Assignment, second: Assignment, *, by=None) -> tuple[Assignment, Assignment]:
    """Exchange the TPS (and kind) of two assignments of the same election; both become pinned."""
    a, b = _locked(first), _locked(second)
    if a.election_id != b.election_id or a.pk == b.pk:
        raise DeploymentError(_("Tukar hanya antara dua penugasan berbeda dalam pemilihan yang sama."))
    _check(by, a.tps_code)
    _check(by, b.tps_code)
    ba, bb = a.snapshot(), b.snapshot()
    for x, y in ((a, bb), (b, ba)):
        x.tps_id = TPS.objects.get(election_id=x.election_id, code=y["tps"]).pk
        x.tps_code, x.kind, x.pinned = y["tps"], y["kind"], True
        x.save(update_fields=["tps", "tps_code", "kind", "pinned", "updated_at"])
    _write(a, "swap", ba, by)
    _write(b, "swap", bb, by)
    _end_mandates([a, b], Mandate.Status.REPLACED, "ditukar", by)
    sync_volunteers(a.election, [a.volunteer_id, b.volunteer_id], by=by)
    return a, b


@transaction.atomic
def promote(backup: Assignment, *, by=None, reason: str = "") -> Assignment:
    """A backup becomes the TPS's saksi in one action: the saksi it replaces (if the TPS is full) is
    released and their mandate marked replaced; the promoted one is pinned and gets a mandate at once
    when the one they replace had one."""
    a = _locked(backup)
    _check(by, a.tps_code)
    if a.kind != Kind.BACKUP:
        raise DeploymentError(_("Hanya saksi cadangan yang bisa dinaikkan."))
    if not is_certified(a.volunteer):
        raise DeploymentError(_("%(n)s tidak memiliki sertifikat Bimtek yang berlaku.") % {"n": a.volunteer.name})
    conf = settings_for(a.election)
    saksi = list(active(a.election, a.tps_code).filter(kind=Kind.SAKSI).select_for_update().order_by("id"))
    replaced = None
    if len(saksi) >= conf.saksi_per_tps and saksi:
        replaced = saksi[0]
        before = replaced.snapshot()
        replaced.status = Assignment.Status.RELEASED
        replaced.save(update_fields=["status", "updated_at"])
        _write(replaced, "release", before, by, reason or "digantikan cadangan")
    before = a.snapshot()
    a.kind, a.pinned = Kind.SAKSI, True
    a.save(update_fields=["kind", "pinned", "updated_at"])
    _write(a, "promote", before, by, reason)
    if replaced is not None:
        old = list(Mandate.objects.filter(assignment=replaced, status=Mandate.Status.VALID))
        if old:
            from .mandates import end_mandates, issue_for_assignment

            new = issue_for_assignment(a, by=by)
            end_mandates(Mandate.objects.filter(pk__in=[m.pk for m in old]), Mandate.Status.REPLACED,
                         "digantikan cadangan", by, replaced_by=new)
    sync_volunteers(a.election, [a.volunteer_id] + ([replaced.volunteer_id] if replaced else []), by=by)
    return a


@transaction.atomic
def assign_by_hand(election, volunteer: Volunteer, tps_code: str, kind: str = Kind.SAKSI, *, by=None) -> Assignment:
    """Post a named certified volunteer to a TPS (pinned). Their other active assignment is released."""
    tps_code = (tps_code or "").replace(".", "").strip()
    tps = TPS.objects.filter(election=election, code=tps_code).first()
    if tps is None:
        raise DeploymentError(_("TPS %(c)s tidak ada dalam pemilihan %(e)s.") % {"c": tps_code, "e": election.name})
    _check(by, tps_code)
    if kind not in Kind.values:
        raise DeploymentError(_("Jenis penugasan tidak dikenal."))
    if not is_certified(volunteer):
        raise DeploymentError(_("%(n)s tidak memiliki sertifikat Bimtek yang berlaku.") % {"n": volunteer.name})
    for old in active(election).filter(volunteer=volunteer):
        release(old, by=by, reason="dipindah dengan tangan")
    voting = getattr(getattr(volunteer, "deployment", None), "voting_tps_code", "") or ""
    dist = int(solver.distance(np.array([voting[:10] or volunteer.kelurahan_id]), np.array([voting]),
                               np.array([tps_code]))[0])
    a = Assignment.objects.create(election=election, tps=tps, tps_code=tps_code, volunteer=volunteer, kind=kind,
                                  distance=dist, pinned=True)
    _write(a, "assign", None, by, "dengan tangan")
    sync_volunteers(election, [volunteer.pk], by=by)
    return a
