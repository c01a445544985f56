"""Surat mandat saksi: issuing, ending (revoked / replaced), public verification, the PDF.

- A TPS mandate is issued only for an **active saksi** assignment of a volunteer whose Bimtek
  certificate is valid; a released (revoked) assignment is refused. One valid mandate per assignment.
- Plenary mandates (PPK kecamatan, KPU kota/kabupaten, KPU provinsi) name the region and the
  plenary's date; they are for certified volunteers too.
- Signed at the race's level (``rules.race_level``) by the signer configured in
  ``DeploymentSettings`` (name, title, scanned signature); refused while none is configured.
- The QR code opens ``/penugasan/cek/<code>/``: a public page with the status (valid, revoked,
  replaced), masked name and NIK, the TPS or plenary and the election. Never the full NIK.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change
from kawaltps.regions.codes import dotted
from kawaltps.regions.models import TPS, Region
from kawaltps.volunteers.nik import mask_nik

from .models import Assignment, DeploymentSettings, Mandate
from .rules import DeploymentError, is_certified

SUBJECT = "deployment.Mandate"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PLENARY_LEVEL = {Mandate.Kind.PPK: 6, Mandate.Kind.KPU_KOTA: 4, Mandate.Kind.KPU_PROV: 2}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _signer(election) -> DeploymentSettings:
    conf = DeploymentSettings.objects.filter(election=election).first()
    if conf is None or not conf.signer_name:
        raise DeploymentError(_("Penanda tangan surat mandat untuk %(e)s belum diatur.") % {"e": election.name})
    return conf


def _number(election, kind: str, place: str) -> str:
    return f"SM/{election.slug}/{kind.upper()}/{place}/{new_code()[:5]}"


def _new(election, conf, *, kind, volunteer, place_code, event_date, assignment=None) -> Mandate:
    return Mandate(election=election, kind=kind, assignment=assignment, volunteer=volunteer,
                   place_code=place_code, event_date=event_date, number=_number(election, kind, place_code),
                   verification_code=new_code(), signer_name=conf.signer_name, signer_title=conf.signer_title,
                   issued_at=timezone.now())


@transaction.atomic
def issue_for_assignment(assignment: Assignment, *, by=None) -> Mandate:
    """The valid mandate of an active saksi assignment (issued now if it has none)."""
    a = Assignment.objects.select_related("election", "volunteer").get(pk=assignment.pk)
    if a.status != Assignment.Status.ACTIVE:
        raise DeploymentError(_("Penugasan ini sudah dilepas; surat mandat tidak bisa diterbitkan."))
    if a.kind != Assignment.Kind.SAKSI:
        raise DeploymentError(_("Surat mandat hanya untuk saksi; naikkan cadangan lebih dulu."))
    if not is_certified(a.volunteer):
        raise DeploymentError(_("%(n)s tidak memiliki sertifikat Bimtek yang berlaku.") % {"n": a.volunteer.name})
    existing = Mandate.objects.filter(assignment=a, status=Mandate.Status.VALID).first()
    if existing:
        return existing
    m = _new(a.election, _signer(a.election), kind=Mandate.Kind.TPS, volunteer=a.volunteer, place_code=a.tps_code,
             event_date=a.election.date, assignment=a)
    m.save()
    record_change(user=by, subject=SUBJECT, object_id=str(m.pk), code=m.place_code,
                  election_slug=a.election.slug, action="mandate_issue", after={"number": m.number})
    return m


def issue_for_region(election, region: str, *, by=None) -> list[Mandate]:
    """Valid mandates for every active saksi assignment under ``region`` (issuing the missing ones)."""
    conf = _signer(election)
    todo = list(Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                          kind=Assignment.Kind.SAKSI, tps_code__startswith=region)
                .exclude(mandates__status=Mandate.Status.VALID).select_related("volunteer"))
    from kawaltps.volunteers.models import Volunteer

    from .rules import certified_q

    ok = set(Volunteer.objects.filter(certified_q(), pk__in=[a.volunteer_id for a in todo])
             .values_list("pk", flat=True))
    new = [_new(election, conf, kind=Mandate.Kind.TPS, volunteer=a.volunteer, place_code=a.tps_code,
                event_date=election.date, assignment=a) for a in todo if a.volunteer_id in ok]
    with transaction.atomic():
        Mandate.objects.bulk_create(new, batch_size=1000)
        if new:
            record_change(user=by, subject=SUBJECT, object_id=region or "*", code=region,
                          election_slug=election.slug, action="mandate_issue_bulk", after={"issued": len(new)})
    return list(Mandate.objects.filter(election=election, kind=Mandate.Kind.TPS, status=Mandate.Status.VALID,
                                       place_code__startswith=region)
                .select_related("volunteer", "election__scope").order_by("place_code"))


@transaction.atomic
def issue_plenary(election, volunteer, kind: str, region_code: str, event_date, *, by=None) -> Mandate:
    """A mandate for a recapitulation plenary: PPK (kecamatan), KPU kota/kabupaten or KPU provinsi."""
    if kind not in PLENARY_LEVEL:
        raise DeploymentError(_("Jenis rapat pleno tidak dikenal."))
    region_code = (region_code or "").replace(".", "")
    if len(region_code) != PLENARY_LEVEL[kind] or not Region.objects.filter(code=region_code).exists():
        raise DeploymentError(_("Wilayah %(r)s bukan wilayah untuk %(k)s.") % {
            "r": region_code, "k": Mandate.Kind(kind).label})
    if election.scope_id and not region_code.startswith(election.scope_id):
        raise DeploymentError(_("Wilayah %(r)s di luar pemilihan %(e)s.") % {"r": region_code, "e": election.name})
    if not is_certified(volunteer):
        raise DeploymentError(_("%(n)s tidak memiliki sertifikat Bimtek yang berlaku.") % {"n": volunteer.name})
    if by is not None:
        from kawaltps.access import Action, require

        require(by, Action.MANAGE_DEPLOYMENT, region_code)
    m = _new(election, _signer(election), kind=kind, volunteer=volunteer, place_code=region_code,
             event_date=event_date)
    m.save()
    record_change(user=by, subject=SUBJECT, object_id=str(m.pk), code=region_code, election_slug=election.slug,
                  action="mandate_issue", after={"number": m.number, "kind": kind})
    return m


def end_mandates(qs, status: str, reason: str, by=None, replaced_by: Mandate | None = None) -> int:
    """Mark valid mandates revoked or replaced (the public page then says so)."""
    now = timezone.now()
    n = 0
    for m in qs.select_related("election"):
        if m.status != Mandate.Status.VALID:
            continue
        Mandate.objects.filter(pk=m.pk).update(status=status, ended_at=now, end_reason=reason[:200],
                                               replaced_by=replaced_by)
        record_change(user=by, subject=SUBJECT, object_id=str(m.pk), code=m.place_code,
                      election_slug=m.election.slug, action=f"mandate_{status}",
                      before={"status": "valid"}, after={"status": status}, reason=reason)
        n += 1
    return n


@dataclass
class Verification:
    status: str  # valid | revoked | replaced | unknown
    mandate: Mandate | None = None
    masked_name: str = ""
    masked_nik: str = ""
    place: str = ""


def place_label(m: Mandate) -> str:
    if m.kind == Mandate.Kind.TPS:
        tps = TPS.objects.filter(election_id=m.election_id, code=m.place_code).select_related("kelurahan").first()
        return f"TPS {m.place_code[-3:]} {tps.kelurahan.name if tps else ''} ({dotted(m.place_code[:10])})"
    region = Region.objects.filter(code=m.place_code).first()
    return f"{m.get_kind_display()} · {region.name if region else m.place_code}"


def verify(code: str) -> Verification:
    """What the public page may say about a verification code."""
    from kawaltps.training.certificates import mask_name

    code = (code or "").strip().upper()
    m = Mandate.objects.select_related("volunteer", "election").filter(verification_code=code).first() if code \
        else None
    if m is None:
        return Verification("unknown")
    return Verification(m.status, m, mask_name(m.volunteer.name), mask_nik(m.volunteer.nik), place_label(m))
