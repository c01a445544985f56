"""Helpers shared by the recap management commands."""

from django.core.management.base import CommandError

from kawaltps.elections.models import Election


def election_or_error(slug: str) -> Election:
    try:
        return Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise CommandError(f"pemilihan {slug!r} tidak ada (lihat: kawaltps elections)") from None
