"""Loading whole elections from result files: one module per format (see docs/results-loading.md).

``import_file(fmt, slug, path, source=...)`` parses the file with its format module, creates the
election (and its candidates) if ``slug`` is new, and writes everything in one transaction
(:mod:`.loader`). Formats: ``csv`` (our documented CSV), ``kawalpemilu2019`` (both sources),
``sirekap-dki2024`` (official numbers).
"""

from importlib import import_module
from pathlib import Path

from django.core.management.base import CommandError

from .base import Report, ensure_election

FORMATS = {"csv": "csv", "kawalpemilu2019": "kawalpemilu2019", "sirekap-dki2024": "sirekap_dki2024"}


def format_module(fmt: str):
    try:
        return import_module(f"{__name__}.{FORMATS[fmt]}")
    except KeyError:
        raise CommandError(f"format {fmt!r} tidak dikenal; pilih salah satu: {', '.join(FORMATS)}") from None


def import_file(fmt: str, slug: str, path: str | Path, *, source: str | None = None, state: str = "entered",
                user=None, progress=None, stage=None) -> Report:
    """Load ``path`` (format ``fmt``) into election ``slug``; returns the :class:`Report`."""
    from django.db import transaction

    from .loader import load

    module = format_module(fmt)
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"berkas {path} tidak ada")
    report = Report()
    with transaction.atomic():
        election = ensure_election(slug, module.election_spec(path, slug), report)
        with report.timed("parse"):
            batch = module.parse(path, source, report, election)
        load(election, batch, report, state=state, user=user, filename=path.name, progress=progress, stage=stage)
    return report
