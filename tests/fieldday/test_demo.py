"""The demo step: two saksi check in, one far away with a PSU-trigger incident; a re-run adds nothing."""

from types import SimpleNamespace

from kawaltps.fieldday import demo
from kawaltps.fieldday.models import CheckIn, Incident


def test_demo_seeds_a_morning_and_is_idempotent(small_election, tps, make_user):
    make_user("saksi", "saksi", tps_code="3175081001001")
    far = make_user("saksi-pinangranti", "saksi", tps_code="3175081002001")
    from kawaltps.regions.models import TPS

    TPS.objects.filter(code="3175081002001").update(latitude=-6.29, longitude=106.88)
    lines = demo.populate(SimpleNamespace(election=small_election))
    assert len(lines) == 2 and CheckIn.objects.count() == 2
    assert CheckIn.objects.get(user=far).far and Incident.objects.get().psu_trigger
    assert "sudah ada" in demo.populate(SimpleNamespace(election=small_election))[0]
    assert CheckIn.objects.count() == 2
