from django.utils import translation

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.discrepancies import recompute as run_recompute
from kawaltps.recap.margin import report


class Command(JsonCommand):
    help = (
        "The official totals and ours, the leader's 50 %% + 1 line and the top-two margin, and the sum of the "
        "findings' impact on both (does undoing them cross the line?), cumulative by kab/kota and kecamatan. "
        "Reads the stored findings (--recompute runs `discrepancies` first)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="the election's slug")
        parser.add_argument("--region", default="", help="only findings under this region code (prefix)")
        parser.add_argument("--top", type=int, default=20, help="regions listed per level (default 20)")
        parser.add_argument("--recompute", action="store_true", help="recompute the findings first")

    def handle(self, *args, election: str, region: str, top: int, recompute: bool, **options):
        e = election_or_error(election)
        if recompute:
            self.stderr.write("menghitung ulang selisih …")
            run_recompute(e)
        with translation.override("id"):
            data = report(e, prefix=region.replace(".", "").strip(), top=max(1, top))
        self.emit(data, _text(data))


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _text(d: dict) -> str:
    o, w, f = d["official"], d["ours"], d["findings"]
    src = "D.Hasil" if o["source"] == "dhasil" else "jumlah Sirekap per TPS"
    lines = [
        f"Resmi ({src}): "
        + " · ".join(f"{int(k):02d}: {_fmt(v)}" for k, v in o["votes"].items())
        + f" · sah {_fmt(o['valid'])}",
        f"  garis 50% + 1 = {_fmt(o['line'])}; unggul paslon {o['leader'] or 0:02d} "
        f"dengan kelebihan {_fmt(o['surplus'])}; selisih dua teratas {_fmt(o['margin'])}",
        f"Kami (C.Hasil saksi, {_fmt(w['tps'])} TPS): "
        + " · ".join(f"{int(k):02d}: {_fmt(v)}" for k, v in w["votes"].items()),
        f"Temuan: {_fmt(f['n'])}; dampak rantai pada garis {f['chain_impact_line']:+d}, "
        f"pada selisih {f['chain_impact_margin']:+d}",
        f"  tanpa temuan itu: kelebihan {_fmt(f['surplus_after'])}, selisih {_fmt(f['margin_after'])}"
        + (" — MELEWATI garis 50% + 1" if f["crosses_line"] else "")
        + (" — urutan dua teratas BERBALIK" if f["crosses_margin"] else ""),
    ]
    for r in d["by_kecamatan"][:10]:
        lines.append(
            f"  kecamatan {r['code']}: garis {r['impact_line']:+d}, selisih {r['impact_margin']:+d} ({r['n']} temuan)"
        )
    return "\n".join(lines)
