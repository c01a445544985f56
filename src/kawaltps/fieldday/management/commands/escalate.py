"""`kawaltps escalate --election SLUG [--region CODE] [--force] [--json]`."""

from kawaltps.core.commands import JsonCommand
from kawaltps.fieldday import dispatching

from ._common import election, region


class Command(JsonCommand):
    help = ("From the configured time (default 07.00 WIB on voting day) send each koordinator the TPS of their "
            "area still without a saksi, with the backup's name and phone and the board's link; each TPS is "
            "escalated once. Run it from cron every few minutes on voting day.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--region", default="", help="only TPS under this region code")
        parser.add_argument("--force", action="store_true", help="escalate now even before the configured time")

    def handle(self, *args, **opts):
        e = election(opts["election"])
        out = dispatching.escalate(e, force=opts["force"], region=region(opts["region"]))
        text = (f"{out['escalated']} TPS tanpa saksi diteruskan, {out['messages']} pesan ke koordinator"
                if out["due"] else "belum waktunya eskalasi (lihat pengaturan hari H; --force untuk sekarang)")
        self.emit(out, text)
