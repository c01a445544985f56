"""A base for management commands that a script may read.

With ``--json`` a command prints exactly one JSON document on stdout (its result, or
``{"error": ...}`` on failure, with a non-zero exit); progress bars go to stderr.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.utils import OperationalError, ProgrammingError
from tqdm import tqdm


class JsonCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    def execute(self, *args, **options):
        self.as_json = options.get("json", False)
        try:
            try:
                return super().execute(*args, **options)
            except (OperationalError, ProgrammingError) as exc:
                if "no such table" in str(exc) or "does not exist" in str(exc):
                    raise CommandError("basis data belum disiapkan: jalankan `kawaltps migrate` "
                                       "(atau `kawaltps demo`) lebih dulu") from exc
                raise
        except CommandError as exc:
            if self.as_json:
                self.stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False))
                sys.exit(exc.returncode or 1)
            raise

    def emit(self, data, text: str | None = None) -> None:
        """Print ``data`` as JSON with --json, else ``text`` (or a readable rendering of data)."""
        if self.as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
        else:
            self.stdout.write(text if text is not None else json.dumps(data, ensure_ascii=False, indent=2,
                                                                        default=str))

    def progress(self, total: int | None, desc: str) -> tqdm:
        return tqdm(total=total, desc=desc, unit=" baris", file=sys.stderr, disable=None, mininterval=0.5)
