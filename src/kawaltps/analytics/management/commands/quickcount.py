"""``kawaltps quickcount --election SLUG [--sample-size N] [--seed S] [--source witness|official] [--json]``."""

from django.core.management.base import CommandError

from kawaltps.analytics import live, sampling
from kawaltps.analytics.units import AnalyticsError
from kawaltps.core.commands import JsonCommand
from kawaltps.elections.models import Election
from kawaltps.results.models import Source


class Command(JsonCommand):
    help = ("Quick count: draws the stratified TPS sample once (stored, reproducible from its seed), then "
            "estimates each paslon's share with its standard error, interval and P(> threshold) from the "
            "sampled TPS that have arrived, and says whether the interval can call the race.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--sample-size", type=int, help="TPS in the sample (default: NDI formula from --margin)")
        parser.add_argument("--seed", type=int, help="seed of the draw (default: random, recorded)")
        parser.add_argument("--strata", choices=list(sampling.SCHEMES), help="stratification scheme")
        parser.add_argument("--margin", type=float, default=sampling.DEFAULT_MARGIN,
                            help="target margin of error (0.01 = ±1 point)")
        parser.add_argument("--confidence", type=float, default=sampling.DEFAULT_CONFIDENCE,
                            help="confidence level of the interval (default 0.95)")
        parser.add_argument("--threshold", type=float, default=0.5, help="share that wins outright (0.5)")
        parser.add_argument("--source", choices=Source.values, default=Source.WITNESS,
                            help="witness (our saksi and clerks) or official (KPU); default witness")
        parser.add_argument("--redraw", action="store_true",
                            help="draw a new sample even if one exists (the old draw stays recorded)")

    def handle(self, *args, election, sample_size, seed, strata, margin, confidence, threshold, source, redraw,
               **options):
        e = Election.objects.filter(slug=election).first()
        if e is None:
            raise CommandError(f"pemilihan {election!r} tidak ada")
        draw = sampling.current_draw(e)
        asked = {"sample_size": sample_size, "seed": seed, "strata": strata}
        if draw is not None and not redraw:
            differs = [k for k, v in asked.items() if v is not None and v != getattr(draw, k)]
            if differs:
                raise CommandError(
                    f"sudah ada undian (seed {draw.seed}, {draw.sample_size} TPS, strata {draw.strata}); "
                    f"{', '.join(differs)} berbeda: tambahkan --redraw untuk undian baru (yang lama tetap tercatat)")
        try:
            if draw is None or redraw:
                draw = sampling.create_draw(e, sample_size=sample_size, seed=seed, scheme=strata, margin=margin,
                                            confidence=confidence)
            data = live.update(draw, source, threshold=threshold)
        except AnalyticsError as exc:
            raise CommandError(str(exc)) from None
        lines = [f"{e.name}: sampel {draw.sample_size} TPS dari {draw.population} (seed {draw.seed}, "
                 f"strata {draw.strata}); tiba {data['arrived']}"]
        for p in data["paslon"]:
            lines.append(f"  {p['number']:>2} {p['name'][:30]:<30} {100 * p['estimate']:6.2f}% ± "
                         f"{100 * (p['high'] - p['estimate']):.2f}  [{100 * p['low']:.2f}, {100 * p['high']:.2f}]"
                         f"  P(>{100 * threshold:.0f}%) = {p['p_above_threshold']:.3f}")
        lines.append(f"  keputusan: {data['call']['status']} ({data['call']['reason']})")
        self.emit(data, "\n".join(lines))
