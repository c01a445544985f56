"""Background jobs of results (``kawaltps.jobs``, Celery): file imports, the tally fold, and the
check of a direct photo upload (``uploads.verify_photo``, from the photos work).

``import-results --queue`` and ``fold-tallies --queue`` enqueue them; ``kawaltps worker
--concurrency N`` on any number of machines runs them; ``/tugas/`` shows their progress and
failures. Without a broker (the SQLite laptop default) they run in-process at enqueue time.
"""

from kawaltps.jobs.services import Progress, job_task
from kawaltps.people.models import User

from .uploads import verify_photo

__all__ = ["fold_tallies_job", "import_results_job", "verify_photo"]


@job_task("results.import")
def import_results_job(progress: Progress, fmt: str, slug: str, path: str, source: str | None = None,
                       state: str = "entered", user_id: int | None = None) -> dict:
    """Load a result file (``importers.import_file``: one transaction, reruns change nothing)."""
    from kawaltps.results.importers import import_file

    user = User.objects.filter(pk=user_id).first() if user_id else None
    progress.total(0)
    report = import_file(fmt, slug, path, source=source, state=state, user=user,
                         progress=lambda n: progress.advance(n), stage=lambda msg: progress.advance(0, msg))
    data = report.as_dict()
    data["rejected"] = data["rejected"][:200]  # the row keeps the first 200 reasons; --json has all
    return {"election": slug, "file": str(path), **data, "seconds": report.timings}


@job_task("results.fold")
def fold_tallies_job(progress: Progress, election_id: int | None = None) -> dict:
    """Fold the pending TallyDelta rows into RegionTally once (``tally.fold_pending``; the folders'
    advisory lock lets N workers run it at once without double counting)."""
    from kawaltps.elections.models import Election
    from kawaltps.results.tally import fold_pending

    election = Election.objects.filter(pk=election_id).first() if election_id else None
    progress.total(1)
    folded = fold_pending(election)
    progress.advance()
    return {"deltas_folded": folded}
