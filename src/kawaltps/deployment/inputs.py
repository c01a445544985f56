"""Input files for the assignment, each checked whole before anything is written.

- **Availability** (:func:`load`): who can serve, where they vote, how far they will go. Columns:
  ``nik`` (required), ``bersedia`` (ya/tidak), ``tps_memilih`` (13-digit TPS code), ``jarak_maks`` (0–4).
- **Priorities** (:func:`load_priorities`): TPS that matter more when people are short (contested
  area, past anomaly, quick-count sample, TPS Lokasi Khusus). Columns: ``kode_tps``, ``bobot`` (1–10),
  ``alasan``.

A file naming an unknown NIK, a TPS outside the election, a malformed code, distance or weight is
refused whole, with the line numbers, and nothing is changed.
"""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change
from kawaltps.volunteers.models import Volunteer

from .models import TpsPriority, VolunteerProfile
from .rules import DeploymentError

YES = {"ya", "y", "1", "true", "bersedia", "yes"}
NO = {"tidak", "t", "0", "false", "no", "n"}


def load(text: str, *, by=None) -> int:
    """Apply an availability CSV; returns the number of volunteers updated."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "nik" not in rows[0]:
        raise DeploymentError(_("Berkas ketersediaan harus berkolom 'nik' (serta bersedia, tps_memilih, jarak_maks)."))
    niks = {r["nik"].strip() for r in rows}
    known = dict(Volunteer.objects.filter(nik__in=niks).values_list("nik", "pk"))
    errors = []
    parsed = []
    for line, r in enumerate(rows, start=2):
        nik = (r.get("nik") or "").strip()
        if nik not in known:
            errors.append(_("baris %(l)s: NIK %(n)s tidak terdaftar sebagai relawan") % {"l": line, "n": nik[:6] + "…"})
            continue
        avail = (r.get("bersedia") or "ya").strip().lower()
        tps = (r.get("tps_memilih") or "").replace(".", "").strip()
        dist = (r.get("jarak_maks") or "").strip()
        if avail not in YES | NO:
            errors.append(_("baris %(l)s: 'bersedia' harus ya atau tidak") % {"l": line})
        if tps and (len(tps) != 13 or not tps.isdigit()):
            errors.append(_("baris %(l)s: kode TPS harus 13 angka") % {"l": line})
        if dist and (not dist.isdigit() or int(dist) > 4):
            errors.append(_("baris %(l)s: jarak_maks harus 0–4") % {"l": line})
        parsed.append((known[nik], avail in YES, tps, int(dist) if dist.isdigit() else None))
    if errors:
        raise DeploymentError(_("Berkas ketersediaan ditolak, tidak ada yang diubah: ") + "; ".join(errors[:20]))
    with transaction.atomic():
        for vid, avail, tps, dist in parsed:
            VolunteerProfile.objects.update_or_create(volunteer_id=vid, defaults={
                "available": avail, "voting_tps_code": tps, "max_distance": dist})
        record_change(user=by, subject="deployment.VolunteerProfile", object_id="*", action="availability_load",
                      after={"rows": len(parsed)})
    return len(parsed)


def load_priorities(election, text: str, *, by=None) -> int:
    """Apply a priorities CSV to ``election`` (replacing each named TPS's weight); returns rows applied."""
    from kawaltps.regions.models import TPS

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "kode_tps" not in rows[0] or "bobot" not in rows[0]:
        raise DeploymentError(_("Berkas prioritas harus berkolom 'kode_tps' dan 'bobot' (serta alasan)."))
    codes = {(r.get("kode_tps") or "").replace(".", "").strip() for r in rows}
    known = set(TPS.objects.filter(election=election, code__in=codes).values_list("code", flat=True))
    errors, parsed = [], []
    for line, r in enumerate(rows, start=2):
        code = (r.get("kode_tps") or "").replace(".", "").strip()
        weight = (r.get("bobot") or "").strip()
        if code not in known:
            errors.append(_("baris %(l)s: TPS %(c)s tidak ada dalam pemilihan ini") % {"l": line, "c": code})
        if not weight.isdigit() or not 1 <= int(weight) <= 10:
            errors.append(_("baris %(l)s: bobot harus 1–10") % {"l": line})
        parsed.append((code, int(weight) if weight.isdigit() else 1, (r.get("alasan") or "").strip()[:120]))
    if errors:
        raise DeploymentError(_("Berkas prioritas ditolak, tidak ada yang diubah: ") + "; ".join(errors[:20]))
    with transaction.atomic():
        for code, weight, reason in parsed:
            TpsPriority.objects.update_or_create(election=election, tps_code=code,
                                                 defaults={"weight": weight, "reason": reason})
        record_change(user=by, subject="deployment.TpsPriority", object_id="*", election_slug=election.slug,
                      action="priorities_load", after={"rows": len(parsed)})
    return len(parsed)
