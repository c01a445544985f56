"""A synthetic election big enough for a quick count: TPS in every Jakarta kelurahan, witness results
drawn from a known share, written with bulk inserts (fast)."""

import datetime

import numpy as np
import pytest

from kawaltps.elections.models import Candidate, Election
from kawaltps.regions.models import TPS, Region
from kawaltps.results.models import TpsResult


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def indonesian():
    """Messages are checked in the source language, whatever language an earlier request left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


def build_election(slug="qc", per_kel=4, share=0.56, arrive=1.0, seed=1, with_results=True) -> Election:
    """``per_kel`` TPS in each Jakarta kelurahan; a share ``arrive`` of them have a witness result in which
    paslon 1 gets about ``share`` of the votes (TPS-level noise), DPT 250–300."""
    e = Election.objects.create(slug=slug, name=f"Uji {slug}", kind=Election.Kind.PILKADA_GUBERNUR,
                                date=datetime.date(2024, 11, 27), scope_id="31", form_type="C.HASIL-KWK")
    Candidate.objects.create(election=e, number=1, name="Satu")
    Candidate.objects.create(election=e, number=2, name="Dua")
    rng = np.random.default_rng(seed)
    kels = list(Region.objects.filter(level=4, code__startswith="31").values_list("code", flat=True))
    tps = []
    for kel in kels:
        for i in range(1, per_kel + 1):
            dpt_l = int(rng.integers(120, 150))
            tps.append(TPS(election=e, code=f"{kel}{i:03d}", kelurahan_id=kel, number=i, dpt_l=dpt_l, dpt_p=dpt_l + 5,
                           dpt=2 * dpt_l + 5))
    TPS.objects.bulk_create(tps)
    if with_results:
        results = []
        for t in TPS.objects.filter(election=e):
            if rng.random() > arrive:
                continue
            voters = int(t.dpt * rng.uniform(0.55, 0.8))
            invalid = int(rng.integers(0, 6))
            valid = voters - invalid
            p = float(np.clip(rng.normal(share, 0.12), 0.02, 0.98))
            v1 = int(rng.binomial(valid, p))
            results.append(TpsResult(election=e, tps=t, code=t.code, source="witness", state="entered",
                                     votes={"1": v1, "2": valid - v1}, valid=valid, invalid=invalid, total=voters,
                                     voters=voters))
        TpsResult.objects.bulk_create(results)
    return e


@pytest.fixture
def qc_election(jakarta):
    return build_election()
