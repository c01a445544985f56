"""Background jobs of recap (``kawaltps.jobs``, Celery): evidence dossiers and the Sirekap fetcher.

``dossier --queue`` and ``fetch-sirekap --queue`` enqueue them; see ``kawaltps.jobs``.
"""

from pathlib import Path

from kawaltps.jobs.services import Progress, job_task


@job_task("recap.dossier")
def dossier_job(progress: Progress, election_id: int, kind: str, target: str, out: str) -> dict:
    """Write the dossier ZIP of a TPS (``kind`` tps), region or discrepancy into ``out``."""
    from kawaltps.elections.models import Election
    from kawaltps.recap import dossier
    from kawaltps.recap.models import Discrepancy

    election = Election.objects.get(pk=election_id)
    progress.total(1)
    if kind == "tps":
        subject = dossier.subject_for_tps(election, target)
    elif kind == "region":
        subject = dossier.subject_for_region(election, target)
    else:
        subject = dossier.subject_for_discrepancy(Discrepancy.objects.get(election=election, pk=int(target)))
    data, manifest_hash = dossier.build(subject)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"berkas-bukti-{election.slug}-{subject.code}.zip"
    path.write_bytes(data)
    progress.advance()
    return {"path": str(path), "manifest_sha256": manifest_hash, "size": len(data), "zip_sha256": dossier.sha256(data)}


@job_task("recap.fetch_sirekap")
def fetch_sirekap_job(progress: Progress, election_id: int, base_url: str, rate: float = 2.0,
                      resume: bool = False, retries: int = 4) -> dict:
    """Fetch an election's Sirekap pages politely (``recap.fetcher``; resumable)."""
    from kawaltps.elections.models import Election
    from kawaltps.recap import fetcher
    from kawaltps.recap.models import FetchItem

    election = Election.objects.get(pk=election_id)
    job = fetcher.start_job(election, base_url, rate=rate, resume=resume)
    progress.total(job.items.exclude(state=FetchItem.State.DONE).count())
    report = fetcher.run(election, base_url, rate=rate, resume=True, retries=retries,
                         on_progress=lambda n: progress.advance(n))
    data = report.as_dict()
    data["failed"] = data["failed"][:200]
    return data
