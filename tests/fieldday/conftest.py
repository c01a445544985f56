import pytest

from tests.deployment.conftest import bimtek, volunteer  # noqa: F401  (certified volunteers)
from tests.results.conftest import make_jpeg  # noqa: F401  (a real small JPEG)

SAKSI_TPS = "3175081001001"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KAWALTPS_MESSAGE_SENDER = "kawaltps.deployment.senders.MemorySender"
    from kawaltps.deployment.senders import MemorySender

    MemorySender.outbox.clear()


@pytest.fixture
def tps(small_election):
    """The saksi's TPS with a known position (Monas-ish: -6.2100, 106.8200)."""
    from kawaltps.regions.models import TPS

    t = TPS.objects.select_related("election").get(election=small_election, code=SAKSI_TPS)
    t.latitude, t.longitude = -6.2100, 106.8200
    t.save()
    return t
