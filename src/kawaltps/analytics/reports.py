"""The forensics report of an area of a stored election: computed once per state of the results.

A report is keyed by the election, source, area, the number of counted results, the time of the
last change and the language, so it is recomputed exactly when the numbers change. Where it is:

1. the cache (this process or Redis);
2. else a finished background job of kind ``analytics.forensics`` with that key (``Job.result``
   holds the whole report, so any web process finds it);
3. else, for an area of at most :data:`INLINE_MAX_TPS` TPS, it is computed in the request;
   a bigger one (a province, the nation) runs as a job (``kawaltps.jobs``) and the page shows
   its progress until it is done.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from kawaltps.elections.models import Election
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import Progress, enqueue, job_task
from kawaltps.results.models import TpsResult

from . import data
from .forensics import run_all

CACHE_SECONDS = 600
INLINE_MAX_TPS = 50_000
KIND = "analytics.forensics"


def report_key(election, source: str, area: str) -> tuple[str, int]:
    """(key, number of counted results) of the area's current state."""
    stamp = TpsResult.objects.filter(election=election, source=source, code__startswith=area).aggregate(
        last=Max("updated_at"), n=Count("id"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"analytics:forensics:{election.pk}:{source}:{area}:{stamp['n']}:{last:.6f}:{translation.get_language()}"
    return key, stamp["n"]


def compute(election, source: str, area: str) -> dict:
    """Run every test on the area (raises AnalyticsError when it has no results) and name its regions."""
    report = run_all(data.election_units(election, source, area))
    names = data.region_names(r["region"] for r in report["regions"])
    for r in report["regions"]:
        r["name"] = names.get(r["region"], "")
    return report


@job_task(KIND)
def forensics_job(progress: Progress, election_id: int, source: str, area: str, language: str) -> dict:
    with translation.override(language):
        election = Election.objects.get(pk=election_id)
        key, _ = report_key(election, source, area)
        return {"key": key, "report": compute(election, source, area)}


def report_or_job(election, source: str, area: str, user=None) -> tuple[dict | None, Job | None]:
    """(the report, None) when it is ready; (None, the job computing it) otherwise."""
    key, n = report_key(election, source, area)
    report = cache.get(key)
    if report is not None:
        return report, None
    done = (Job.objects.filter(kind=KIND, status=Job.Status.DONE, result__key=key)
            .order_by("-finished_at").values_list("result", flat=True).first())
    if done is None and n <= INLINE_MAX_TPS:
        done = {"report": compute(election, source, area)}
    if done is None:
        job = cache.get(f"{key}:job")
        job = Job.objects.filter(pk=job).first() if job else None
        if job is None or job.status == Job.Status.FAILED:
            job = enqueue(forensics_job, user=user, election_id=election.pk, source=source, area=area,
                          language=translation.get_language())
            cache.set(f"{key}:job", str(job.pk), CACHE_SECONDS)
        job.refresh_from_db()
        if job.status != Job.Status.DONE:
            if job.status == Job.Status.FAILED:
                from .units import AnalyticsError

                raise AnalyticsError(job.message)
            return None, job
        done = job.result
    cache.set(key, done["report"], CACHE_SECONDS)
    return done["report"], None
