"""Background jobs of the deployment app: bulk mandate letters (``kawaltps.jobs``, Celery)."""

import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from kawaltps.elections.models import Election
from kawaltps.jobs.services import Progress, job_task
from kawaltps.people.models import User

from . import mandates

# pdf (ReportLab, numpy) and services (OR-Tools, numpy) are imported inside the tasks: this module is
# loaded by every command at start-up (its tasks register with Celery), the two only when a task runs


def public_base() -> str:
    """Where the verification page is served (``KAWALTPS_PUBLIC_URL``; the demo's address by default)."""
    return (getattr(settings, "KAWALTPS_PUBLIC_URL", None) or os.environ.get("KAWALTPS_PUBLIC_URL")
            or "http://127.0.0.1:8000").rstrip("/")


def verify_url(code: str, base: str | None = None) -> str:
    return (base or public_base()) + reverse("deployment:verify", args=[code])


def output_dir(election_slug: str) -> Path:
    return Path(settings.DATA_DIR) / "mandates" / election_slug


@job_task("deployment.mandates")
def render_mandates(progress: Progress, election_id: int, region: str, out_dir: str = "", group: int = 10,
                    singles: bool = True, base_url: str = "", user_id: int | None = None) -> dict:
    """Issue the missing mandates under ``region`` and write one bulk PDF per group (kelurahan = 10,
    kecamatan = 6 code digits) plus, with ``singles``, one PDF per saksi. Returns the files written."""
    from . import pdf

    election = Election.objects.get(pk=election_id)
    by = User.objects.filter(pk=user_id).first() if user_id else None
    letters = mandates.issue_for_region(election, region, by=by)
    progress.total(len(letters) * (2 if singles else 1))
    out = Path(out_dir) if out_dir else output_dir(election.slug)
    out.mkdir(parents=True, exist_ok=True)
    url = lambda code: verify_url(code, base_url or None)  # noqa: E731
    groups: dict[str, list] = {}
    for m in letters:
        groups.setdefault(m.place_code[:group], []).append(m)
    files = []
    for key, items in groups.items():
        name = f"mandat-{election.slug}-{key}.pdf"
        ctx = pdf.context(items)
        (out / name).write_bytes(pdf.render(items, url, ctx=ctx))
        progress.advance(len(items))
        files.append(name)
        if singles:
            (out / key).mkdir(exist_ok=True)
            for m, body in pdf.render_each(items, url, ctx=ctx):
                (out / key / f"{m.place_code}-{m.pk}.pdf").write_bytes(body)
                progress.advance()
    return {"region": region, "letters": len(letters), "files": files, "dir": str(out)}


@job_task("deployment.assign")
def run_assignment(progress: Progress, election_id: int, region: str = "", user_id: int | None = None) -> dict:
    """The solver run as a job (the page's button; a national run takes about a minute)."""
    from . import services

    progress.total(1)
    by = User.objects.filter(pk=user_id).first() if user_id else None
    report = services.run_assignment(Election.objects.get(pk=election_id), region, by=by)
    progress.advance()
    return report
