from django.utils import translation

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.discrepancies import VERDICT_TEXT, as_dict, not_compared_lines, recompute


class Command(JsonCommand):
    # Django's system checks import every URL and view (PDF, Celery, image libraries): ~2 s of a
    # run that reads and writes only recap tables (issue 11.9); `kawaltps check` still runs them
    requires_system_checks = []
    help = (
        "Recompute every discrepancy of an election (TPS → Sirekap, TPS → kecamatan D.Hasil, kecamatan → "
        "kab/kota, kab/kota → provinsi, Sirekap numbers changed after publication) and list them, "
        "largest impact on the 50 %% + 1 line first (then votes moved), with how many TPS/regions were not "
        "compared and why. "
        "A finding keeps its id across recomputes. --json: {discrepancies: [...], not_compared: [...], ...}."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument(
            "--include-entered",
            action="store_true",
            help="also compare witness results only entered (not yet verified)",
        )

    def handle(self, *args, election: str, include_entered: bool, **options):
        with translation.override("id"):  # operators' output is Indonesian, like every command's
            self._run(election, include_entered)

    def _run(self, election: str, include_entered: bool) -> None:
        e = election_or_error(election)
        objs, summary = recompute(e, include_entered=include_entered)
        objs.sort(key=lambda d: (-d.impact_rank, -d.votes_moved, d.step, d.code))
        rows = [{**as_dict(d), "detail": d.detail} for d in objs]
        skipped = not_compared_lines(summary)
        nc = summary["not_compared"]
        data = {
            "election": e.slug,
            "include_entered": include_entered,
            "counts": summary["counts"],
            "official": summary["official"],
            "missing": summary["missing"],
            "tps": nc["tps"],
            "tps_compared": nc["compared"],
            "not_compared": skipped,
            "discrepancies": rows,
        }
        lines = [f"{len(objs)} selisih: " + ", ".join(f"{k} {v}" for k, v in summary["counts"].items())]
        lines.append(f"TPS dibandingkan (C.Hasil saksi vs resmi): {nc['compared']} dari {nc['tps']}")
        if skipped:
            lines.append("Tidak dibandingkan:")
            lines += [f"  {x['n']} {'TPS' if x['step'] == 'tps_sirekap' else x['step']}: {x['text']}" for x in skipped]
        for d in rows[:200]:
            deltas = " ".join(f"{k}:{v:+d}" for k, v in d["deltas"].items())
            where = d.get("tps") or d.get("region")
            verdict = VERDICT_TEXT.get((d.get("detail") or {}).get("verdict"))
            lines.append(
                f"#{d['id']:<6} {d['votes_moved']:>7} {d['step']:<22} {where:<13} {deltas}"
                f" dampak {d['impact_line']:+d}/{d['impact_margin']:+d}" + (f" ({verdict})" if verdict else "")
            )
        self.emit(data, "\n".join(lines))
