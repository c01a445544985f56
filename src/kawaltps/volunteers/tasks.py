"""Background tasks of volunteers (``tasks.py``: found by Celery's autodiscovery).

Large volunteer imports from the upload page run as a background job (``kawaltps.jobs``).

Rule: a file whose content is over ``JOB_THRESHOLD_BYTES`` once read (a CSV's size; an XLSX's
inflated size from its zip directory) is about 20,000 rows or more, so it is stored (Django's
``default_storage``, which every worker can read), imported by the ``volunteers.import`` task, and
deleted when the task ends, whatever the outcome (it holds NIKs). The page answers at once with a
link to the job's status page, which shows progress and then the same report as a small import.
Smaller files import within the request. Without a broker the job runs in-process (eager).
"""

import tempfile
import uuid
from pathlib import Path

from django.core.files.storage import default_storage

from kawaltps.jobs.services import Progress, job_task

from .importer import import_volunteers
from .tabular import check_xlsx_expansion

JOB_THRESHOLD_BYTES = 2 * 1024 * 1024
KIND = "volunteers.import"


def inflated_size(path: str | Path, size: int) -> int:
    """What the file holds once read: an XLSX's parts inflated (zip directory only), else its size.
    Refuses (``FileRefused``) an XLSX that would inflate too far."""
    with open(path, "rb") as f:
        zipped = f.read(4) == b"PK\x03\x04"
    return check_xlsx_expansion(path) if zipped else size


def needs_job(path: str | Path, size: int) -> bool:
    return inflated_size(path, size) > JOB_THRESHOLD_BYTES


def store_upload(path: str | Path, filename: str) -> str:
    """Save the uploaded file where workers can read it; returns its storage name."""
    suffix = Path(filename).suffix.lower()[:6]
    with open(path, "rb") as f:
        return default_storage.save(f"impor-relawan/{uuid.uuid4().hex}{suffix}", f)


def _paper(consent: dict | None):
    """The job's JSON-safe consent keyword back to a ``PaperConsent``."""
    import datetime

    from .consent import PaperConsent

    if not consent:
        return None
    day = consent.get("collected_on")
    return PaperConsent(consent.get("collected_by", ""),
                        datetime.date.fromisoformat(day) if isinstance(day, str) else day,
                        consent.get("paper_location", ""))


@job_task(KIND)
def import_volunteers_job(progress: Progress, *, name: str, filename: str, size: int,
                          organisation_id: int | None = None, user_id: int | None = None,
                          consent: dict | None = None) -> dict:
    """Import a stored upload; the job's result is ``ImportReport.as_dict()`` (no personal data).
    A refused file fails the job with the Indonesian reason as its message."""
    from kawaltps.people.models import Organisation, User

    user = User.objects.filter(pk=user_id).first() if user_id else None
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    try:
        with default_storage.open(name, "rb") as src, tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as tmp:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                tmp.write(chunk)
            tmp.flush()
            report = import_volunteers(tmp.name, filename=filename, size=size, organisation=organisation,
                                       user=user, progress=progress.advance, on_total=progress.total,
                                       consent=_paper(consent))
    finally:
        default_storage.delete(name)
    return report.as_dict()
