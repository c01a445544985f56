from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.people.models import ApiToken, User


class Command(JsonCommand):
    help = ("Rotate a device's API token: revoke the user's live tokens with that device name and issue a new "
            "one (the key is shown once). Devices can rotate their own with POST /api/auth/token/rotate.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username", help="the token's user")
        parser.add_argument("--device", default="device", help="the device name given when the token was made")
        parser.add_argument("--days", type=int, default=None,
                            help="days until the new token expires (default KAWALTPS_API_TOKEN_DAYS, 30)")

    def handle(self, *args, username: str, device: str, days: int | None = None, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"pengguna {username!r} tidak ada") from None
        if days is not None and days < 1:
            raise CommandError("--days harus 1 atau lebih")
        token, key, revoked = ApiToken.rotate(user, device, days=days)
        expires = token.expires_at.isoformat(timespec="seconds")
        self.emit({"username": user.username, "device": device, "token": key, "expires_at": expires,
                   "revoked": revoked},
                  f"Token baru untuk {user.username} ({device}): {key}\nBerlaku sampai {expires}. "
                  f"{revoked} token lama dicabut.\nSimpan sekarang; token tidak ditampilkan lagi.")
