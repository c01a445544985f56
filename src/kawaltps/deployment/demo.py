"""Demo step: assign the certified volunteers to the 14,835 TPS, print mandates for one kelurahan, one saksi login.

Runs after the Bimtek step. Each volunteer votes at a TPS of their domicile kelurahan (85%; the
rest unknown), 5% of TPS are weighted (quick-count sample, contested), the signer is a provincial
team leader with a drawn signature. The solver then runs over the whole election: the demo has fewer
certified volunteers than TPS, so the gaps are real. Mandates are printed for Kel. Pinang Ranti
(3175081002) through the job queue, and ``saksi-pinangranti`` logs in to see their assignment.
"""

import io
import random

from django.db import transaction

from kawaltps.core.formatting import decimal
from kawaltps.core.formatting import number as angka
from kawaltps.jobs.services import enqueue
from kawaltps.people.demo import PASSWORD
from kawaltps.people.models import Role, User
from kawaltps.volunteers.models import Volunteer

from . import services
from .models import Assignment, DeploymentSettings, TpsPriority, VolunteerProfile
from .tasks import output_dir, render_mandates

SEED = 20241127
KELURAHAN = "3175081002"
SAKSI_USER = "saksi-pinangranti"


def signature_png() -> bytes:
    """A hand-drawn-looking signature (Pillow), standing in for the scanned one."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (500, 200), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    rng = random.Random(SEED)
    pts = [(40 + i * 14, 110 + rng.randint(-45, 45)) for i in range(30)]
    d.line(pts, fill=(20, 30, 120, 255), width=5, joint="curve")
    d.line([(60, 160), (440, 140)], fill=(20, 30, 120, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _profiles(election) -> int:
    if VolunteerProfile.objects.exists():
        return 0
    rng = random.Random(SEED)
    by_kel: dict[str, list[str]] = {}
    for code, kel in election.tps_set.values_list("code", "kelurahan_id").order_by("code"):
        by_kel.setdefault(kel, []).append(code)
    rows = []
    for pk, kel in Volunteer.objects.order_by("pk").values_list("pk", "kelurahan_id"):
        codes = by_kel.get(kel)
        voting = rng.choice(codes) if codes and rng.random() < 0.85 else ""
        rows.append(VolunteerProfile(volunteer_id=pk, voting_tps_code=voting, available=rng.random() > 0.03))
    VolunteerProfile.objects.bulk_create(rows, batch_size=2000)
    codes = list(election.tps_set.values_list("code", flat=True).order_by("code"))
    picks = rng.sample(codes, len(codes) // 20)
    TpsPriority.objects.bulk_create([
        TpsPriority(election=election, tps_code=c, weight=3 if i % 2 else 5,
                    reason="sampel hitung cepat" if i % 2 else "wilayah rawan / anomali 2019")
        for i, c in enumerate(picks)])
    return len(rows)


def populate(ctx) -> list[str]:
    election = ctx.election
    if Assignment.objects.filter(election=election).exists():
        return [f"Penugasan: {angka(services.active(election).count())} penugasan aktif (sudah ada)"]
    if not Volunteer.objects.exists():
        return ["Penugasan: belum ada relawan."]
    with transaction.atomic():
        _profiles(election)
        DeploymentSettings.objects.update_or_create(election=election, defaults=dict(
            saksi_per_tps=1, backups_per_tps=1, max_distance=3, signer_name="H. Ahmad Fauzi, S.H.",
            signer_title="Ketua Tim Pemenangan Provinsi DKI Jakarta", signer_place="Jakarta",
            signature_png=signature_png()))
    from .rules import DeploymentError

    try:
        report = services.run_assignment(election)
    except DeploymentError as exc:
        return [f"Penugasan: {exc}"]
    c, g = report["coverage"], report["greedy_baseline"]
    lines = [f"Penugasan: {angka(c['tps'])} TPS, {angka(c['full'])} dengan saksi, "
             f"{angka(c['with_backup'])} dengan cadangan, "
             f"{angka(c['none'])} tanpa saksi; jarak rata-rata {decimal(c['mean_distance'], 2)} "
             f"(0 = kelurahan sendiri, 4 = provinsi; greedy: {angka(g['full'])} terisi, "
             f"{decimal(g['mean_distance'], 2)}) — celah: /penugasan/celah/"]
    job = enqueue(render_mandates, election_id=election.pk, region=KELURAHAN, singles=True)
    job.refresh_from_db()
    if job.status == job.Status.DONE:
        lines.append(f"  surat mandat Kel. Pinang Ranti: {job.result['letters']} surat di "
                     f"{output_dir(election.slug)}")
    lines += _saksi_login(election)
    return lines


def _saksi_login(election) -> list[str]:
    a = (services.active(election, KELURAHAN).filter(kind=Assignment.Kind.SAKSI, volunteer__user__isnull=True)
         .select_related("volunteer").order_by("tps_code").first())
    if a is None or User.objects.filter(username=SAKSI_USER).exists():
        return []
    user = User(username=SAKSI_USER, first_name=a.volunteer.name[:150], phone=a.volunteer.phone, role=Role.RELAWAN)
    user.set_password(PASSWORD)
    user.save()
    Volunteer.objects.filter(pk=a.volunteer_id).update(user=user)
    services.sync_volunteers(election, [a.volunteer_id])
    return [f"  {SAKSI_USER:<14} saksi TPS {a.tps_code} ({a.volunteer.name}), tugas saya: /penugasan/saya/"]
