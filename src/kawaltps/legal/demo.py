"""Demo step: one Bawaslu report from the demo's election-day incident (with a finding at its TPS when
there is one; without an incident, from the largest TPS finding) and one MK package for the election's region,
announced the day KPU Jakarta declared (8 December 2024, ../shared/DOMAIN.md), with Jakarta's
population (Kemendagri DKB semester I 2024: 11.350.328 jiwa, taken as given: not in ../shared)."""

from __future__ import annotations

import datetime

from django.utils import translation

from kawaltps.core.formatting import long_day
from kawaltps.fieldday.models import Incident
from kawaltps.people.models import User
from kawaltps.recap.models import Discrepancy

from . import bawaslu, mk
from .models import BawasluReport, MkPackage

ANNOUNCED = datetime.date(2024, 12, 8)
JAKARTA_POPULATION = 11_350_328


def populate(ctx) -> list[str]:
    election = ctx.election
    lines = []
    legal = User.objects.filter(username="legal").first()
    with translation.override("id"):
        if not BawasluReport.objects.filter(election=election).exists():
            # the first incident with the findings at its TPS; without incidents, the largest TPS finding
            incident = Incident.objects.filter(election=election).order_by("pk").first()
            found = Discrepancy.objects.filter(election=election, is_tps=True).order_by("-votes_moved", "pk")
            finding = found.filter(code=incident.tps_code).first() if incident else found.first()
            if finding or incident:
                r = bawaslu.create_report(
                    None, election, finding_ids=[finding.pk] if finding else [],
                    incident_ids=[incident.pk] if incident else [], reporter_name="Tim Hukum Pokja Kawal TPS",
                    reporter_address="Jl. Contoh Demo No. 1, Jakarta", reporter_phone="081200000000")
                if legal:
                    BawasluReport.objects.filter(pk=r.pk).update(created_by=legal)
                lines.append(f"Hukum: laporan Bawaslu terhadap {r.reported_party}, batas {long_day(r.deadline)}")
        if election.scope_id and not MkPackage.objects.filter(election=election).exists():
            pkg = mk.build_package(None, election, election.scope_id, ANNOUNCED, population=JAKARTA_POPULATION)
            t = pkg.data["threshold"] or {}
            lines.append(f"Hukum: berkas MK {pkg.data['region_name']}, batas {long_day(pkg.deadline)}, "
                         f"{len(pkg.data['evidence'])} alat bukti, "
                         + ("memenuhi" if t.get("eligible") else "tidak memenuhi") + " ambang Pasal 158")
    return lines or ["Hukum: berkas sudah ada."]
