"""Analytics API at /api/analytics/: the quick count and the forensics report as JSON (the same
documents as ``kawaltps quickcount --json`` and ``kawaltps forensics --json``), with the pages'
permissions (:func:`kawaltps.analytics.views.authorise_area`)."""

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from kawaltps.elections.models import Election
from kawaltps.results.models import Source

from . import live, sampling
from .units import AnalyticsError
from .views import _report, authorise_area

router = Router(tags=["analitik"])


def _election(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise Http404(f"Pemilihan {slug!r} tidak ada")
    return election


def _source(sumber: str) -> str:
    if sumber not in Source.values:
        raise HttpError(422, f"sumber harus salah satu dari {', '.join(Source.values)}")
    return sumber


@router.get("/quickcount", summary="Quick count: estimate, SE, interval, P(> 50 %), call, missing strata")
def quickcount(request, pemilihan: str, sumber: str = Source.WITNESS):
    election = _election(pemilihan)
    authorise_area(request.user, election, election.scope_id or "")
    draw = sampling.current_draw(election)
    if draw is None:
        raise HttpError(404, "Belum ada sampel TPS untuk pemilihan ini.")
    return live.update(draw, _source(sumber))


@router.get("/forensics", summary="Forensic tests of an area, and by region")
def forensics(request, pemilihan: str, wilayah: str | None = None, sumber: str = Source.WITNESS):
    election = _election(pemilihan)
    area = authorise_area(request.user, election, wilayah)
    try:
        return {"election": election.slug, "area": area, **_report(election, _source(sumber), area)}
    except AnalyticsError as exc:
        raise HttpError(422, str(exc)) from None
