"""Demo step: witness C.Hasil for about 70% of the Jakarta 2024 TPS, with the mistakes real forms have.

Deterministic (seed 20241127). Vote shares near the real result (DOMAIN.md: 39.40 / 10.53 / 50.07%
of valid votes, invalid 7.7% of the total, turnout about 57.5%), varied per kota and per TPS. Of
the TPS: ~70% entered (most verified by a blind second entry, ~4% disputed, some waiting for the
second entry), a few dozen only photographed (waiting in the clerks' queue), the rest missing.
About 2% of forms carry each kind of mistake (paslon sum ≠ valid, ballots that do not balance,
L + P ≠ J, more voters than DPT) and one photo is reused for two TPS. Written with bulk_create;
tallies are rebuilt at the end (tabulation's ``rebuild_tallies`` when present).
"""

import io

import numpy as np
from django.db import transaction
from PIL import Image, ImageDraw

from kawaltps.core.formatting import number as angka
from kawaltps.people.models import User

from . import photos as photo_service
from .checks import run_checks
from .models import Source, State, Submission, TpsResult, summary_columns

SEED = 20241127
SHARES = np.array([0.3940, 0.1053, 0.5007])
INVALID_SHARE = 363_764 / 4_724_393
TURNOUT = 0.575
MISTAKES = ("paslon", "surat", "lpj", "dpt")


def _form(tps, rng) -> tuple[dict, dict]:
    """A consistent C.Hasil for one TPS (votes, numbers)."""
    dpt, dpt_l = tps.dpt, tps.dpt_l
    voters = int(np.clip(rng.normal(TURNOUT, 0.07) * dpt, 20, dpt))
    dptb, dpk = int(min(rng.poisson(3), voters // 10)), int(min(rng.poisson(2), voters // 10))
    on_dpt = voters - dptb - dpk
    men = int(round(on_dpt * dpt_l / max(dpt, 1)))
    invalid = int(rng.binomial(voters, INVALID_SHARE))
    valid = voters - invalid
    share = SHARES * rng.normal(1, 0.12, 3) * tps.kota_bias
    votes = rng.multinomial(valid, share / share.sum())
    received = dpt + int(np.ceil(dpt * 0.025))
    damaged = int(rng.poisson(1))
    numbers = {
        "dpt_l": dpt_l,
        "dpt_p": tps.dpt_p,
        "dpt_j": dpt,
        "pengguna_dpt_l": men,
        "pengguna_dpt_p": on_dpt - men,
        "pengguna_dpt_j": on_dpt,
        "pengguna_dptb_l": dptb,
        "pengguna_dptb_p": 0,
        "pengguna_dptb_j": dptb,
        "pengguna_dpk_l": 0,
        "pengguna_dpk_p": dpk,
        "pengguna_dpk_j": dpk,
        "pengguna_total_l": men + dptb,
        "pengguna_total_p": on_dpt - men + dpk,
        "pengguna_total_j": voters,
        "surat_diterima": received,
        "surat_digunakan": voters,
        "surat_rusak": damaged,
        "surat_tidak_digunakan": received - voters - damaged,
        "pengguna_disabilitas_l": 1,
        "pengguna_disabilitas_p": 0,
        "pengguna_disabilitas_j": 1,
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "suara_total": voters,
    }
    return {str(i + 1): int(v) for i, v in enumerate(votes)}, numbers


def _mistake(kind: str, votes: dict, numbers: dict) -> None:
    if kind == "paslon":
        votes["1"] += 10
    elif kind == "surat":
        numbers["surat_rusak"] += 3
    elif kind == "lpj":
        numbers["pengguna_total_l"] += 1
    elif kind == "dpt":  # more DPT voters than the DPT: the form's DPT row was copied short
        numbers["dpt_l"] = max(numbers["pengguna_dpt_l"] - 4, 0)
        numbers["dpt_j"] = numbers["dpt_l"] + numbers["dpt_p"]


def page_photo(tps_code: str, votes: dict, seed: int) -> bytes:
    """A small real JPEG of a 'form page' with the TPS code and the votes drawn on it."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (360, 480), (250, 248, 240))
    draw = ImageDraw.Draw(img)
    draw.text((16, 14), f"C.HASIL-KWK  TPS {tps_code}", fill="black")
    for i, (k, v) in enumerate(sorted(votes.items())):
        draw.text((24, 60 + 40 * i), f"Paslon {k}: {v}", fill="black")
    for i in range(14):
        y = 190 + i * 19
        draw.rectangle([16, y, 16 + int(rng.integers(40, 330)), y + 9], fill=(60, 60, 70))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def populate(ctx) -> list[str]:
    election = ctx.election
    if TpsResult.objects.filter(election=election, source=Source.WITNESS).exists():
        return ["Hasil C.Hasil demo sudah ada (dilewati)."]
    rng = np.random.default_rng(SEED)
    users = {u.username: u for u in User.objects.filter(username__in=["saksi", "clerk1", "clerk2", "koord-jaktim"])}
    clerk1, clerk2 = users.get("clerk1"), users.get("clerk2")
    tps_list = list(election.tps_set.order_by("code"))
    kota_bias = {k: rng.normal(1, 0.06, 3) for k in {t.code[:4] for t in tps_list}}
    roll = rng.random(len(tps_list))
    results, subs, pending_photos = [], [], []
    counts = dict.fromkeys(["entered", "verified", "disputed", "received", "flagged"], 0)
    for i, tps in enumerate(tps_list):
        r = roll[i]
        if r >= 0.70 and not (0.70 <= r < 0.7025):
            continue
        tps.kota_bias = kota_bias[tps.code[:4]]
        if r >= 0.70:  # photographed only: waiting for a clerk's first entry
            results.append(TpsResult(election=election, tps=tps, code=tps.code, source=Source.WITNESS))
            pending_photos.append((tps, {}))
            counts["received"] += 1
            continue
        votes, numbers = _form(tps, rng)
        if rng.random() < 0.08:
            _mistake(MISTAKES[int(rng.integers(len(MISTAKES)))], votes, numbers)
        state = State.VERIFIED if r < 0.56 else State.DISPUTED if r < 0.59 else State.ENTERED
        flags = [f.code for f in run_checks(election, tps, votes, numbers)]
        results.append(
            TpsResult(
                election=election,
                tps=tps,
                code=tps.code,
                source=Source.WITNESS,
                state=state,
                votes=votes,
                numbers=numbers,
                **summary_columns(numbers),
                flags=flags,
                flagged=bool(flags),
                version=2 if state != State.ENTERED else 1,
            )
        )
        counts["entered"] += 1
        counts["flagged"] += bool(flags)
        key = {State.VERIFIED: "verified", State.DISPUTED: "disputed"}.get(state)
        if key:
            counts[key] += 1
        first_kind = Submission.Kind.SAKSI if r < 0.35 else Submission.Kind.CLERK_FIRST
        first_user = clerk1 if first_kind == Submission.Kind.CLERK_FIRST else None
        subs.append((tps.code, first_kind, first_user, votes, numbers, flags))
        if state != State.ENTERED:
            second_votes = dict(votes)
            if state == State.DISPUTED:
                second_votes["3"] = second_votes["3"] + int(rng.integers(1, 40))
            subs.append(
                (
                    tps.code,
                    Submission.Kind.CLERK_SECOND,
                    clerk2,
                    second_votes,
                    numbers,
                    [f.code for f in run_checks(election, tps, second_votes, numbers)],
                )
            )
        if i % 250 == 0:
            pending_photos.append((tps, votes))
    with transaction.atomic():
        TpsResult.objects.bulk_create(results, batch_size=2000)
        by_code = dict(TpsResult.objects.filter(election=election, source=Source.WITNESS).values_list("code", "pk"))
        Submission.objects.bulk_create(
            [
                Submission(
                    result_id=by_code[code],
                    client_id=f"demo-{election.pk}-{n}",
                    kind=kind,
                    entered_by=user,
                    votes=v,
                    numbers=nums,
                    flags=fl,
                )
                for n, (code, kind, user, v, nums, fl) in enumerate(subs)
            ],
            batch_size=2000,
        )
        stored = _photos(election, pending_photos, by_code, clerk1)
        _rebuild(election)
    flagged = TpsResult.objects.filter(election=election, source=Source.WITNESS, flagged=True).count()
    return [
        f"C.Hasil demo: {angka(counts['entered'])} TPS dientri ({angka(counts['verified'])} terverifikasi, "
        f"{angka(counts['disputed'])} berbeda), {counts['received']} menunggu entri, {angka(flagged)} ditandai, "
        f"{stored} foto"
    ]


def _photos(election, pending, by_code, clerk) -> int:
    """Store page-2 photos for some TPS; the photo of the first one is reused for the second TPS."""
    results = {
        r.pk: r
        for r in TpsResult.objects.filter(pk__in=[by_code[t.code] for t, _ in pending]).select_related("election")
    }
    stored, reused = 0, None
    for n, (tps, votes) in enumerate(pending):
        data = reused if n == 1 and reused else page_photo(tps.code, votes, SEED + n)
        if n == 0:
            reused = data
        prepared = photo_service.prepare(data)
        photo_service.store(results[by_code[tps.code]], prepared, 2, user=clerk)
        stored += 1
    return stored


def _rebuild(election) -> None:
    """Rebuild the witness tallies (the reused photo left a pending delta: the rebuild counts it)."""
    try:
        from .tabulation import rebuild_tallies
    except ImportError:
        from .tally import recompute_tallies as rebuild_tallies
    from .tally import discard_pending

    discard_pending(election, Source.WITNESS)
    rebuild_tallies(election, Source.WITNESS)
