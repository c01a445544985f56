"""`kawaltps board --election SLUG [--region CODE] [--uncovered] [--json]` (alias: `kawaltps checkins`)."""

from kawaltps.core.commands import JsonCommand
from kawaltps.fieldday import board
from kawaltps.volunteers.nik import mask_phone

from ._common import election, region


class Command(JsonCommand):
    help = ("The election-day board: per child region, TPS with no saksi, some, or all saksi present "
            "(checked in), far check-ins and mandates refused; --uncovered lists the TPS without a saksi "
            "with their backups (phone masked) and koordinator.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--region", default="", help="region code (default: everything); rows are its children")
        parser.add_argument("--uncovered", action="store_true", help="also list every TPS with no saksi present")

    def handle(self, *args, **opts):
        e, code = election(opts["election"]), region(opts["region"])
        data = board.board(e, code)
        if opts["uncovered"]:
            data["uncovered"] = board.uncovered(e, code)
            for u in data["uncovered"]:  # a terminal or a log is no place for phone numbers
                for b in u["backups"]:
                    b["phone"] = mask_phone(b["phone"]) if b["phone"] else None
        lines = [f"{'wilayah':<28} {'TPS':>7} {'tanpa':>7} {'sebagian':>8} {'lengkap':>8} {'jauh':>5}"]
        for r in data["rows"] + [{**data["total"], "name": "JUMLAH"}]:
            lines.append(f"{r['name'][:28]:<28} {r['tps']:>7} {r['none']:>7} {r['some']:>8} {r['all']:>8} "
                         f"{r['far']:>5}")
        for u in data.get("uncovered", []):
            b = ", ".join(x["name"] for x in u["backups"]) or "tanpa cadangan"
            lines.append(f"TPS {u['code']} tanpa saksi · koordinator {u['koordinator'] or '-'} · cadangan {b}")
        self.emit(data, "\n".join(lines))
