"""Analytics API at /api/analytics/: the quick count and the forensics report as JSON (the same
documents as ``kawaltps quickcount --json`` and ``kawaltps forensics --json``), with the pages'
permissions (:func:`kawaltps.analytics.views.authorise_area`)."""

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from kawaltps.elections.models import Election
from kawaltps.results.models import Source

from . import live, sampling
from .reports import report_or_job
from .units import AnalyticsError
from .views import authorise_area

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
        report, job = report_or_job(election, _source(sumber), area, request.user)
    except AnalyticsError as exc:
        raise HttpError(422, str(exc)) from None
    if report is None:  # a big area: computed by a background job; ask again (GET /api/jobs/... shows it)
        return {"election": election.slug, "area": area, "job": str(job.pk), "status": job.status,
                "done": job.done, "total": job.total}
    return {"election": election.slug, "area": area, **report}
