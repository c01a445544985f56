"""`kawaltps incidents --election SLUG [--state S] [--region CODE] [--json]`."""

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.fieldday import workflow
from kawaltps.fieldday.models import Incident

from ._common import election, region


class Command(JsonCommand):
    help = "Incident reports with their state, category, PSU/recount flag, deadlines and report number."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--state", default="", help="only this state: " + ", ".join(Incident.State.values))
        parser.add_argument("--region", default="", help="only TPS under this region code")

    def handle(self, *args, **opts):
        e = election(opts["election"])
        qs = Incident.objects.filter(election=e, tps_code__startswith=region(opts["region"]))
        if opts["state"]:
            if opts["state"] not in Incident.State.values:
                raise CommandError(f"status tidak dikenal: {opts['state']} (pilih {', '.join(Incident.State.values)})")
            qs = qs.filter(state=opts["state"])
        rows = [{"id": i.pk, "tps": i.tps_code, "category": i.category_key, "state": i.state,
                 "occurred_at": i.occurred_at.isoformat(), "psu_trigger": i.psu_trigger,
                 "recount_trigger": i.recount_trigger,
                 "psu_deadline": i.psu_deadline.isoformat() if i.psu_deadline else None,
                 "filing_deadline": i.filing_deadline.isoformat() if i.filing_deadline else None,
                 "days_left": workflow.days_left(i), "report_number": i.report_number or None,
                 "evidence": i.evidence.count()} for i in qs.order_by("occurred_at", "id")]
        text = "\n".join(f"#{r['id']} TPS {r['tps']} {r['category']} {r['state']}"
                         + (f" PSU≤{r['psu_deadline']}" if r["psu_trigger"] else "") for r in rows)
        text = text or "tidak ada laporan"
        self.emit({"count": len(rows), "incidents": rows}, text)
