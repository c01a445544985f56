"""Availability files: who can serve, where they vote, how far they will go (CSV, one row per volunteer).

Columns: ``nik`` (required), ``bersedia`` (ya/tidak), ``tps_memilih`` (13-digit TPS code),
``jarak_maks`` (0–4). Every row is checked first; a file naming an unknown NIK, a malformed TPS code
or distance is refused whole, with the line numbers, and nothing is changed.
"""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change
from kawaltps.volunteers.models import Volunteer

from .models import VolunteerProfile
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
