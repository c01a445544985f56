"""Messaging fixtures: two posted saksi (with logins and registered phones), a backup, a memory sender."""

import pytest

from tests.conftest import PASSWORD

SAKSI_PHONE = "6281311110001"
OTHER_PHONE = "6281311110002"
BACKUP_PHONE = "6281311110003"
TPS = "3175081001001"
OTHER_TPS = "3175081001002"


@pytest.fixture(autouse=True)
def memory_sender(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KAWALTPS_MESSAGE_SENDER = "kawaltps.deployment.senders.MemorySender"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KAWALTPS_WHATSAPP_APP_SECRET = "wa-app-secret-uji"
    settings.KAWALTPS_WHATSAPP_VERIFY_TOKEN = "wa-verify-uji"
    settings.KAWALTPS_TELEGRAM_SECRET_TOKEN = "tg-secret-uji"
    settings.KAWALTPS_SMS_SECRET = "sms-secret-uji"
    from kawaltps.deployment.senders import MemorySender

    MemorySender.outbox.clear()
    return MemorySender.outbox


def _post(election, code, phone, n, kind="saksi", login=True):
    from kawaltps.deployment.models import Assignment
    from kawaltps.people.models import User
    from kawaltps.regions.models import TPS as TPSModel
    from kawaltps.volunteers.models import Volunteer

    user = None
    if login:
        user = User.objects.create_user(phone, password=PASSWORD, role="saksi" if kind == "saksi" else "relawan",
                                        tps_code=code if kind == "saksi" else "", phone=phone)
    v = Volunteer.objects.create(name=f"Saksi Uji {n}", nik=f"3175{n:012d}", phone=phone, kelurahan_id=code[:10],
                                 user=user, status="certified")
    Assignment.objects.create(election=election, tps=TPSModel.objects.get(election=election, code=code),
                              tps_code=code, volunteer=v, kind=kind)
    return v


@pytest.fixture
def posted(small_election, users):
    """Saksi at TPS 001 and 002 of kelurahan 3175081001, a backup at 001; TPS 3175081002001 has nobody."""
    return {"saksi": _post(small_election, TPS, SAKSI_PHONE, 1),
            "other": _post(small_election, OTHER_TPS, OTHER_PHONE, 2),
            "backup": _post(small_election, TPS, BACKUP_PHONE, 3, kind="backup", login=False),
            "election": small_election}
