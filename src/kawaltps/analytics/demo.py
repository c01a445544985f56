"""Demo step: a quick-count draw for the demo election (seed 20241127, 600 TPS), so /analitik/ shows an
estimate from the demo's witness results and deployment can read the priority TPS."""

from kawaltps.core.formatting import number

from .models import QuickCountDraw
from .sampling import create_draw

SEED = 20241127
SAMPLE_SIZE = 600


def populate(ctx) -> list[str]:
    election = ctx.election
    if QuickCountDraw.objects.filter(election=election).exists():
        return ["Sampel quick count demo sudah ada (dilewati)."]
    draw = create_draw(election, sample_size=SAMPLE_SIZE, seed=SEED)
    return [f"Sampel quick count: {number(draw.sample_size)} TPS dari {number(draw.population)} "
            f"(seed {draw.seed}), /analitik/."]
