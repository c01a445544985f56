from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.people.models import ApiToken, User


class Command(JsonCommand):
    help = "Issue an API token for a user's device (the key is shown once)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--device", default="device")

    def handle(self, *args, username: str, device: str, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"pengguna {username!r} tidak ada") from None
        token, key = ApiToken.issue(user, device)
        self.emit({"username": user.username, "device": device, "token": key},
                  f"Token untuk {user.username} ({device}): {key}\nSimpan sekarang; token tidak ditampilkan lagi.")
