from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.elections.models import Election
from kawaltps.regions.codes import Level, parse_level
from kawaltps.volunteers.readiness import LEVELS, SAKSI_PER_TPS, readiness


class Command(JsonCommand):
    help = ("Saksi readiness per kota, kecamatan and kelurahan: TPS, volunteers registered/trained/certified "
            "and the gap to the target of saksi per TPS.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--level", help="kabkota (or kota), kecamatan or kelurahan (default: all three)")
        parser.add_argument("--region", default="", help="only under this region code (dotted or not)")
        parser.add_argument("--per-tps", type=int, default=SAKSI_PER_TPS, help="saksi per TPS target")

    def handle(self, *args, election: str, level: str | None, region: str, per_tps: int, **options):
        try:
            e = Election.objects.get(slug=election)
        except Election.DoesNotExist:
            raise CommandError(f"pemilihan {election!r} tidak ada") from None
        levels = LEVELS
        if level:
            try:
                lv = parse_level(level)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if lv not in LEVELS:
                raise CommandError("tingkat harus salah satu dari: kabkota (kota), kecamatan, kelurahan")
            levels = [lv]
        data = readiness(e, region.replace(".", ""), levels, per_tps=per_tps, use_cache=False)
        rows = [row for lv in levels for row in data["levels"].get(Level(lv).name.lower(), [])]
        out = {"election": data["election"], "prefix": data["prefix"], "saksi_per_tps": per_tps,
               "total": data["total"], "rows": rows}
        lines = [f"{'kode':<10} {'wilayah':<28} {'TPS':>6} {'daftar':>7} {'latih':>6} {'sertif':>6} {'kurang':>7}"]
        for r in [*rows, data["total"]]:
            lines.append(f"{r['code'] or '':<10} {r['name'][:28]:<28} {r['tps']:>6} {r['registered']:>7} "
                         f"{r['trained']:>6} {r['certified']:>6} {r['gap']:>7}")
        self.emit(out, "\n".join(lines))
