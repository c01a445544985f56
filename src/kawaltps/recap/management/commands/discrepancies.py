from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.discrepancies import as_dict, recompute


class Command(JsonCommand):
    help = (
        "Recompute every discrepancy of an election (TPS → Sirekap, TPS → kecamatan D.Hasil, kecamatan → "
        "kab/kota, kab/kota → provinsi, Sirekap numbers changed after publication) and list them, "
        "largest votes moved first. --json: one object per discrepancy."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True)
        parser.add_argument(
            "--include-entered",
            action="store_true",
            help="also compare witness results only entered (not yet verified)",
        )

    def handle(self, *args, election: str, include_entered: bool, **options):
        e = election_or_error(election)
        objs, summary = recompute(e, include_entered=include_entered)
        objs.sort(key=lambda d: (-d.votes_moved, d.step, d.code))
        data = [{**as_dict(d), "detail": d.detail} for d in objs]
        lines = [f"{len(objs)} selisih: " + ", ".join(f"{k} {v}" for k, v in summary["counts"].items())]
        for step, n in summary["skipped_incomplete"].items():
            if n:
                lines.append(f"  {step}: {n} wilayah dilewati karena angka anaknya belum lengkap")
        for d in data[:200]:
            deltas = " ".join(f"{k}:{v:+d}" for k, v in d["deltas"].items())
            where = d.get("tps") or d.get("region")
            lines.append(f"{d['votes_moved']:>7} {d['step']:<18} {where:<13} {deltas}")
        self.emit(data, "\n".join(lines))
