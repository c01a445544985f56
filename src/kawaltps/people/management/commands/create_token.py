from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.people.models import ApiToken, User


class Command(JsonCommand):
    help = "Issue an API token for a user's device (the key is shown once)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username", help="the user the device acts as")
        parser.add_argument("--device", default="device", help="a name for the device (shown in the admin)")
        parser.add_argument("--days", type=int, default=None,
                            help="days until the token expires (default KAWALTPS_API_TOKEN_DAYS, 30)")

    def handle(self, *args, username: str, device: str, days: int | None = None, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"pengguna {username!r} tidak ada") from None
        if days is not None and days < 1:
            raise CommandError("--days harus 1 atau lebih")
        token, key = ApiToken.issue(user, device, days=days)
        expires = token.expires_at.isoformat(timespec="seconds")
        self.emit({"username": user.username, "device": device, "token": key, "expires_at": expires},
                  f"Token untuk {user.username} ({device}): {key}\nBerlaku sampai {expires}.\n"
                  "Simpan sekarang; token tidak ditampilkan lagi.")
