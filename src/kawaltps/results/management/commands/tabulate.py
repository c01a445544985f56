"""``kawaltps tabulate --election SLUG --level LEVEL [--source S] [--within CODE] [--user NAME] [--json]``.

One row per region. With ``--user`` the export is that user's: only the regions whose totals
``access.may_see_region_numbers`` lets them see (a clerk: none), the same rule as the dashboard.
Without it, the operator at the shell sees everything.
"""

from django.core.management.base import CommandError

from kawaltps.access import may_see_region_numbers
from kawaltps.core.commands import JsonCommand
from kawaltps.core.formatting import number, paslon
from kawaltps.elections.models import Election
from kawaltps.people.models import User
from kawaltps.regions.codes import parse_level
from kawaltps.results.models import Source
from kawaltps.results.tabulation import BUCKETS, PARTIAL_FIELDS, coverage_labels, national, tabulate


def _with_partial(row: dict, field: str, width: int) -> str:
    """``row[field]``, followed by "(dari N TPS)" when that sum covers fewer TPS than have numbers."""
    part = row["coverage"]["partial"].get(field)
    text = number(row[field]) + (f" (dari {number(part['tps'])} TPS)" if part else "")
    return f"{text:>{width}}"


class Command(JsonCommand):
    help = ("Totals per region (provinsi, kabkota, kecamatan, kelurahan): votes per paslon, valid, invalid, "
            "TPS coverage (each TPS counted once: verified/published, entered, disputed, received, missing; "
            "they add up to the TPS count) and flagged TPS. A sum known at fewer TPS than have numbers "
            "says so (coverage.partial; 'dari N TPS' in the text).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--level", required=True, help="provinsi, kabkota (or kota), kecamatan or kelurahan")
        parser.add_argument("--source", choices=Source.values, default=Source.WITNESS,
                            help="witness (our saksi and clerks) or official (KPU); default witness")
        parser.add_argument("--within", default="", help="only regions under this code (e.g. 3175)")
        parser.add_argument("--user", help="export as this user: only the regions they may see")

    def handle(self, *args, election: str, level: str, source: str, within: str, user: str | None = None,
               **options):
        try:
            lvl = parse_level(level)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        e = Election.objects.filter(slug=election).first()
        if e is None:
            raise CommandError(f"pemilihan {election!r} tidak ada")
        within = within.replace(".", "")
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"pengguna {user!r} tidak ada")
            if within and not may_see_region_numbers(acting, within):
                raise CommandError(f"{acting.username} tidak berwenang melihat rekap wilayah {within}")
        rows = tabulate(e, lvl, source, within)
        if user:
            rows = [r for r in rows if may_see_region_numbers(acting, r["code"])]
        data = {"election": e.slug, "level": lvl.name.lower(), "source": source, "rows": rows,
                "national": national(rows)}
        data["coverage_labels"] = dict(coverage_labels(source))
        head = "cakupan TPS"
        lines = [f"{'kode':<10} {'nama':<28} " + " ".join(f"{paslon(k):>11}" for k in data["national"]["votes"])
                 + f" {'sah':>11} {'tidak sah':>10} {'suara':>11} {head:>24} {'tanda':>6}"]
        for r in [*rows, {"code": "", "name": "JUMLAH", **data["national"]}]:
            c = r["coverage"]
            lines.append(f"{r['code']:<10} {r['name'][:28]:<28} "
                         + " ".join(f"{number(r['votes'].get(k, 0)):>11}" for k in data["national"]["votes"])
                         + " " + " ".join(_with_partial(r, f, w) for f, w in zip(PARTIAL_FIELDS, (11, 10, 11),
                                                                                  strict=True))
                         + " " + f"{'/'.join(str(c[b]) for b in (*BUCKETS, 'total')):>24} {r['flagged']:>6}")
        lines.append("cakupan TPS = " + " / ".join(data["coverage_labels"][b] for b in BUCKETS) + " / total TPS"
                     " (setiap TPS dihitung sekali)")
        self.emit(data, "\n".join(lines))
