"""``kawaltps filing bawaslu|mk``: make a legal filing, store it (audited) and write its PDF.

    kawaltps filing bawaslu --election SLUG --finding ID [ID …] [--incident ID …] --out FILE.pdf
    kawaltps filing mk --election SLUG --region CODE --announced YYYY-MM-DD --out FILE.pdf
                       [--population N] [--petitioner N] [--by-tps] [--json]

``--user NAME`` acts as that user (``Action.FILE_LEGAL`` in the place is required); without it the
server's operator acts. Bad input is refused in Indonesian and nothing is stored or written.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from kawaltps.access import Action, may
from kawaltps.core.commands import JsonCommand
from kawaltps.core.formatting import long_day, number
from kawaltps.legal import bawaslu, mk, pdf
from kawaltps.people.models import User
from kawaltps.recap.cli import election_or_error


class Command(JsonCommand):
    help = ("Legal filings: a report to Bawaslu from recap findings and/or incidents (deadline 7 days), or the MK "
            "petition package of a region (Pemohon/Termohon table, Pasal 158 threshold, 3 working days, P-1 …).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, help="bawaslu (a report) or mk (a petition package)")
        b = sub.add_parser("bawaslu", help="a report to Bawaslu")
        b.add_argument("--finding", nargs="*", default=[], help="finding ids (kawaltps discrepancies)")
        b.add_argument("--incident", nargs="*", default=[], help="incident report ids (kawaltps incidents)")
        b.add_argument("--reporter-name", default="")
        b.add_argument("--reporter-address", default="")
        b.add_argument("--reporter-phone", default="")
        b.add_argument("--violation", default="", help="administratif | pidana | etik (default: by category)")
        m = sub.add_parser("mk", help="the MK petition package of a region")
        m.add_argument("--region", required=True, help="provinsi (2 digits) or kabupaten/kota (4 digits) code")
        m.add_argument("--announced", required=True, help="the day KPU announced the result, YYYY-MM-DD")
        m.add_argument("--population", default=None, help="the region's population (Pasal 158)")
        m.add_argument("--petitioner", type=int, default=None, help="the petitioner's ballot number "
                                                                    "(default: the official runner-up)")
        m.add_argument("--by-tps", action="store_true", help="one table row per TPS (default: per kelurahan)")
        for p in (b, m):
            p.add_argument("--election", required=True, help="the election's slug")
            p.add_argument("--out", required=True, help="the PDF to write")
            p.add_argument("--user", default="", help="act as this user")
            p.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    def handle(self, *args, kind: str, election: str, out: str, user: str = "", **o):
        e = election_or_error(election)
        acting = None
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"pengguna {user!r} tidak ada")
            if not may(acting, Action.FILE_LEGAL):
                raise CommandError(f"{acting.username} tidak berwenang menyusun berkas hukum")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"folder {str(path.parent)!r} tidak ada")
        try:
            with transaction.atomic(), translation.override("id"):
                if kind == "bawaslu":
                    r = bawaslu.create_report(acting, e, finding_ids=o["finding"], incident_ids=o["incident"],
                                              reporter_name=o["reporter_name"] or "Tim Hukum",
                                              reporter_address=o["reporter_address"],
                                              reporter_phone=o["reporter_phone"], violation=o["violation"])
                    data = pdf.bawaslu_pdf(r)
                    result = {"kind": "bawaslu", "id": r.pk, "deadline": r.deadline.isoformat(),
                              "days_left": bawaslu.days_left(r), "reported_party": r.reported_party,
                              "violation": r.violation, "desk": r.desk, "evidence": r.evidence,
                              "witnesses": len(r.witnesses), "out": str(path)}
                    text = (f"Laporan Bawaslu #{r.pk}: {r.reported_party}; batas {long_day(r.deadline)} "
                            f"({result['days_left']} hari lagi); {len(r.evidence)} bukti → {path}")
                else:
                    pkg = mk.build_package(acting, e, o["region"], o["announced"], population=o["population"],
                                           petitioner=o["petitioner"], length=13 if o["by_tps"] else 10)
                    data = pdf.mk_pdf(pkg)
                    d = pkg.data
                    result = {"kind": "mk", "id": pkg.pk, **{k: d[k] for k in (
                        "region", "announced_on", "deadline", "petitioner", "winner", "margin", "official",
                        "threshold", "total", "evidence")}, "rows": len(d["rows"]), "out": str(path)}
                    t = d["threshold"]
                    text = (f"Berkas MK #{pkg.pk} {d['region_name']}: batas {long_day(pkg.deadline)}; selisih "
                            f"{number(d['margin'])} suara"
                            + (f", ambang {number(int(t['threshold_votes']))} → "
                               + ("memenuhi Pasal 158" if t["eligible"] else "tidak memenuhi Pasal 158") if t
                               else ", ambang belum dihitung (--population)")
                            + f"; {len(d['evidence'])} alat bukti → {path}")
                path.write_bytes(data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.emit(result, text)
