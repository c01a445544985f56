"""Bimtek effectiveness: C.Hasil flag rates of saksi submissions by training, score band, trainer, ormas."""

import datetime

import pytest
from django.utils import timezone

from kawaltps.analytics.bimtek import effectiveness, wilson
from kawaltps.people.models import Organisation
from kawaltps.regions.models import TPS
from kawaltps.results.models import Submission, TpsResult
from kawaltps.training.models import Certificate, Enrolment, Session, TestAttempt
from kawaltps.volunteers.models import Volunteer


def test_wilson_interval_known_values():
    low, high = wilson([0, 5, 10], [10, 10, 10])
    assert low[0] == 0 and high[0] == pytest.approx(0.2775, abs=1e-4)
    assert (low[1], high[1]) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert high[2] == pytest.approx(1.0) and low[2] == pytest.approx(0.7225, abs=1e-4)


@pytest.mark.django_db
def test_flag_rates_by_training_and_score(small_election, make_user, users):
    org = Organisation.objects.create(name="Ormas Uji")
    trainer = users["trainer"]
    session = Session.objects.create(date=datetime.date(2024, 11, 1), start_time=datetime.time(9),
                                     end_time=datetime.time(12), place="Balai", region_id="3175", trainer=trainer)
    now = timezone.now()
    tps = list(TPS.objects.filter(election=small_election))
    plan = [("certified", 90, 0), ("trained", 60, 2), ("untrained", None, 3)]  # status, post score, flagged of 4
    for i, (status, score, flagged) in enumerate(plan):
        user = make_user(f"saksi{i}", "saksi", tps_code=tps[i].code)
        vol = Volunteer.objects.create(name=f"Saksi {i}", nik=f"31750810010{i:05d}", phone=f"08120000{i:04d}",
                                       kelurahan_id="3175081001", organisation=org if i < 2 else None, user=user)
        if status != "untrained":
            enr = Enrolment.objects.create(session=session, volunteer=vol, attended_at=now)
            TestAttempt.objects.create(enrolment=enr, kind="post", score=score, submitted_at=now, passed=score >= 70)
            if status == "certified":
                Certificate.objects.create(enrolment=enr, number=f"C{i}", verification_code=f"V{i}", issued_at=now)
        result = TpsResult.objects.create(election=small_election, tps=tps[i], code=tps[i].code, state="entered")
        for k in range(4):
            Submission.objects.create(result=result, client_id=f"c{i}-{k}", kind="saksi", entered_by=user,
                                      flags=["jumlah_paslon"] if k < flagged else [])
    # a clerk's entry is not a saksi's and does not count
    Submission.objects.create(result=result, client_id="clerk", kind="clerk_first", entered_by=users["clerk"],
                              flags=["x"])
    out = effectiveness(small_election)["chasil_flagged"]
    assert out["observations"] == 12 and out["saksi"] == 3 and out["higher_is_better"] is False
    by = {r["key"]: r for r in out["training"]}
    assert by["certified"]["rate"] == 0 and by["trained"]["rate"] == 0.5 and by["untrained"]["rate"] == 0.75
    assert by["untrained"]["low"] < 0.75 < by["untrained"]["high"]
    bands = {r["key"]: r["rate"] for r in out["score_band"]}
    assert bands == {"85–100": 0.0, "50–69": 0.5, "tanpa post-test": 0.75}
    assert {r["key"] for r in out["trainer"]} == {trainer.username, "(tanpa pelatih)"}
    assert {r["key"]: r["n"] for r in out["ormas"]} == {"Ormas Uji": 8, "(tanpa ormas)": 4}
    # scoped by TPS code: the first two TPS are in Jakarta Pusat (3171), the third in Jakarta Timur
    assert effectiveness(small_election, within="3171")["chasil_flagged"]["observations"] == 8
    assert effectiveness(small_election, within="3174")["chasil_flagged"]["observations"] == 0
