"""Shared bits of the fieldday commands."""

from django.core.management.base import CommandError

from kawaltps.elections.models import Election


def election(slug: str) -> Election:
    e = Election.objects.filter(slug=slug).first()
    if e is None:
        raise CommandError(f"pemilihan {slug!r} tidak ada")
    return e


def region(code: str) -> str:
    code = (code or "").replace(".", "").strip()
    if code and (not code.isascii() or not code.isdigit() or len(code) not in (2, 4, 6, 10, 13)):
        raise CommandError("kode wilayah harus 2, 4, 6, 10 atau 13 angka")
    return code
