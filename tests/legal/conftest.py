"""Fixtures for the legal filings: the recap's ``loaded`` election (3 known differences), its
findings, an election-day incident with a photo at TPS 3175081001001, photos with known hashes."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.recap.conftest import loaded, photo_bytes  # noqa: F401  (fixture)

TPS_IN = "3175081001001"
WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def findings(loaded):  # noqa: F811
    from kawaltps.recap.discrepancies import recompute
    from kawaltps.recap.models import Discrepancy

    recompute(loaded)
    return {d.key: d for d in Discrepancy.objects.filter(election=loaded)}


@pytest.fixture
def saksi(make_user, loaded):  # noqa: F811
    from kawaltps.volunteers.models import Volunteer

    user = make_user("saksi-legal", "saksi", tps_code=TPS_IN)
    Volunteer.objects.create(name="Siti Rahmawati", nik="3175014101900011", phone="6281311112222",
                             kelurahan_id="3175081001", user=user, status="certified", address="Jl. Saksi 3")
    return user


@pytest.fixture
def incident(loaded, saksi):  # noqa: F811
    from kawaltps.fieldday import services

    img = SimpleUploadedFile("kotak.jpg", photo_bytes("JPEG"), content_type="image/jpeg")
    inc, _ = services.report_incident(
        saksi, loaded.tps_set.get(code=TPS_IN), category_key="kotak_dibuka",
        description="Ketua KPPS membuka kotak suara sebelum penghitungan tanpa saksi.",
        occurred_at=datetime.datetime(2024, 11, 27, 11, 30, tzinfo=WIB), files=[img],
        client_id=str(uuid.uuid4()))
    return inc


@pytest.fixture
def witness_photo(loaded):  # noqa: F811
    """A saksi C.Hasil photo of TPS 3175081001001 (which differs) and one of 3171011001001 (which does not)."""
    from kawaltps.results import photos as photo_service
    from kawaltps.results.models import TpsResult

    out = {}
    for code in (TPS_IN, "3171011001001"):
        result = TpsResult.objects.get(election=loaded, code=code, source="witness")
        out[code] = photo_service.store(result, photo_service.prepare(photo_bytes("JPEG")), 1)
    return out


@pytest.fixture
def dhasil_photo(loaded):  # noqa: F811
    from kawaltps.recap.dhasil import add_photo
    from kawaltps.recap.models import DHasil

    dh = DHasil.objects.get(election=loaded, code="31")
    return add_photo(dh, photo_bytes("PNG"))


def today():
    return timezone.localdate()


__all__ = ["io", "today"]
