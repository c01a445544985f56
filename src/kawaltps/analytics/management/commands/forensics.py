"""``kawaltps forensics --election SLUG [--json]`` or ``kawaltps forensics FILE --registered COL --voters COL
--valid COL --winner COL [--unit COL] [--region COL] [--json]``."""

from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.analytics import data, plots
from kawaltps.analytics.forensics import DEFAULT_ALPHA, run_all
from kawaltps.analytics.units import AnalyticsError, from_csv
from kawaltps.core.commands import JsonCommand
from kawaltps.elections.models import Election
from kawaltps.results.models import Source


class Command(JsonCommand):
    help = ("Election forensics on a stored election or on any per-station CSV (plain, .gz or .zip): the "
            "Klimek fingerprint, integer percentages (Kobak et al.), last digit (Beber–Scacco), second digit "
            "(Mebane 2BL), turnout slope, neighbourhood outliers; by region. Columns by name, by 1-based "
            "number, or summed with '+' (e.g. --voters 12+13).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", help="CSV with one row per TPS/unit (instead of --election)")
        parser.add_argument("--election", help="slug of a stored election")
        parser.add_argument("--source", choices=Source.values, default=Source.WITNESS,
                            help="witness (our saksi and clerks) or official (KPU); default witness")
        parser.add_argument("--within", default="", help="only regions under this code")
        for col in ("registered", "voters", "valid", "winner"):
            parser.add_argument(f"--{col}", help=f"the {col} column (name, number, or A+B)")
        parser.add_argument("--unit", help="the unit id column")
        parser.add_argument("--region", help="the region column (per-region report, outliers)")
        parser.add_argument("--alpha", type=float, default=DEFAULT_ALPHA, help="significance level")
        parser.add_argument("--plots", dest="plots_dir", help="directory for the PNG and SVG plots")

    def handle(self, *args, file, election, source, within, registered, voters, valid, winner, unit, region, alpha,
               plots_dir: str | None, **options):
        if not 0 < alpha < 1:
            raise CommandError("--alpha harus antara 0 dan 1")
        try:
            if election and file:
                raise CommandError("pilih salah satu: --election SLUG atau FILE")
            if election:
                e = Election.objects.filter(slug=election).first()
                if e is None:
                    raise CommandError(f"pemilihan {election!r} tidak ada")
                units = data.election_units(e, source, within.replace(".", ""))
                subject = {"election": e.slug, "source": source, "within": within}
            elif file:
                need = [n for n, v in (("--registered", registered), ("--voters", voters), ("--valid", valid),
                                       ("--winner", winner)) if not v]
                if need:
                    raise CommandError(f"untuk berkas CSV wajib: {', '.join(need)}")
                units = from_csv(file, registered=registered, voters=voters, valid=valid, winner=winner,
                                 unit=unit, region=region)
                subject = {"file": Path(file).name}
            else:
                raise CommandError("beri --election SLUG atau FILE")
            report = run_all(units, alpha)
        except AnalyticsError as exc:
            raise CommandError(str(exc)) from None
        if election:
            names = data.region_names(r["region"] for r in report["regions"])
            for r in report["regions"]:
                r["name"] = names.get(r["region"], "")
        report = {**subject, **report}
        if plots_dir:
            report["plots"] = [str(p) for p in plots_write(units, Path(plots_dir))]
        lines = [f"{report['units']} unit, turnout {100 * report['turnout']:.1f}%, pemenang "
                 f"{report['winner']} {100 * report['winner_share']:.1f}%, alpha {alpha}"]
        for t in report["tests"]:
            p = "–" if t["p_value"] is None else f"{t['p_value']:.3g}"
            lines.append(f"  {'DITANDAI' if t['flagged'] else 'ok':<8} {t['test']:<16} statistik {t['statistic']:.4g}"
                         f"  p {p}")
        flagged = [r for r in report["regions"] if r["flags"]]
        lines.append(f"  wilayah ditandai: {len(flagged)} dari {len(report['regions'])}")
        for r in flagged[:20]:
            lines.append(f"    {r['region']} {r.get('name', '')}: {', '.join(r['flags'])}")
        self.emit(report, "\n".join(lines))


def plots_write(units, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return plots.write_all(units, folder)
