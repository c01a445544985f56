"""The demo step: certified volunteers onto the 14,835 TPS, mandates for one kelurahan, one saksi login."""

from types import SimpleNamespace

import numpy as np
import pytest
from django.test import Client

from kawaltps.deployment import demo
from kawaltps.deployment.models import Assignment, Mandate
from kawaltps.people.demo import ORGANISATIONS, PASSWORD
from kawaltps.people.models import Organisation
from kawaltps.training import demo as training_demo
from kawaltps.volunteers import demo as volunteers_demo
from kawaltps.volunteers.models import Volunteer


@pytest.fixture
def certified(election):
    orgs = [Organisation.objects.create(name=n).pk for n in ORGANISATIONS]
    kel = ["3175081001", "3175081002", "3171011001", "3172011001"]
    people = volunteers_demo.generate(kel, np.array([1, 3, 1, 1]), 600, seed=7)
    Volunteer.objects.bulk_create([Volunteer(**p, organisation_id=orgs[i % 4]) for i, p in enumerate(people)])
    training_demo.populate(SimpleNamespace(election=election))
    return election


@pytest.mark.django_db
def test_demo_assigns_prints_one_kelurahan_and_logs_a_saksi_in(certified, settings):
    lines = demo.populate(SimpleNamespace(election=certified))
    assert "14.835 TPS" in lines[0] and "tanpa saksi" in lines[0]
    saksi = Assignment.objects.filter(status="active", kind="saksi").count()
    assert 0 < saksi < 14_835  # fewer certified volunteers than TPS: real gaps
    assert Mandate.objects.filter(place_code__startswith=demo.KELURAHAN).count() == \
        Assignment.objects.filter(status="active", kind="saksi", tps_code__startswith=demo.KELURAHAN).count()
    assert not Mandate.objects.exclude(place_code__startswith=demo.KELURAHAN).exists()
    files = list((settings.DATA_DIR / "mandates" / certified.slug).glob("*.pdf"))
    assert [f.name for f in files] == [f"mandat-{certified.slug}-{demo.KELURAHAN}.pdf"]
    c = Client()
    assert c.login(username=demo.SAKSI_USER, password=PASSWORD)
    html = c.get("/penugasan/saya/").content.decode()
    assert "TPS 0" in html and "Unduh surat mandat" in html
    assert "sudah ada" in demo.populate(SimpleNamespace(election=certified))[0]
