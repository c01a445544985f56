"""`kawaltps checkins --election SLUG [--region CODE] --json`: the board (same as `kawaltps board`)."""

from .board import Command as BoardCommand


class Command(BoardCommand):
    help = "TPS with 0 / some / all saksi present per region (the same output as `kawaltps board`)."
