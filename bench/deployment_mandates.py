"""Benchmark: 1,000 mandate PDFs on one worker (the bulk-mandate job, in-process).

Fresh SQLite database: Jakarta regions, the 14,835-TPS governor election, 1,000 certified volunteers
posted as saksi to the first 1,000 TPS of Jakarta Timur, a signer with a signature image. Times the
``deployment.mandates`` job over Jakarta Timur: issuing the 1,000 letters, one PDF per saksi
(1,000 files) and one bulk PDF per kelurahan (the same 1,000 pages again). Target (issue 9): 1,000
PDFs < 30 s on one worker. Baseline in the same run: ReportLab writing 1,000 single-line PDFs.
Prints one JSON document.

    .venv/bin/python bench/deployment_mandates.py [--letters 1000]
"""

import argparse
import datetime
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import setup_django, timer  # noqa: E402

TARGET_S = 30


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=1000)
    args = ap.parse_args()
    os.environ["KAWALTPS_DATA_DIR"] = tempfile.mkdtemp(prefix="kawaltps-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("KAWALTPS_BROKER_URL", None)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kawaltps.deployment.demo import signature_png
    from kawaltps.deployment.models import Assignment, DeploymentSettings
    from kawaltps.deployment.tasks import render_mandates
    from kawaltps.elections.demo import create_election
    from kawaltps.jobs.services import enqueue
    from kawaltps.people.models import User
    from kawaltps.regions import demo as regions_demo
    from kawaltps.regions.models import Region
    from kawaltps.training.models import Certificate, Enrolment, Session
    from kawaltps.volunteers.models import Volunteer

    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    tps = list(election.tps_set.filter(code__startswith="3175").order_by("code")[: args.letters])
    trainer = User.objects.create(username="pelatih", role="trainer")
    session = Session.objects.create(date=datetime.date(2024, 11, 1), start_time=datetime.time(9),
                                     end_time=datetime.time(12), place="Aula", region=Region.objects.get(code="31"),
                                     trainer=trainer)
    vols = Volunteer.objects.bulk_create([
        Volunteer(name=f"Saksi Bench {i:04d}", nik=f"3175{i:012d}", phone=f"62813{i:08d}", kelurahan_id=t.kelurahan_id,
                  status="assigned") for i, t in enumerate(tps)])
    ens = Enrolment.objects.bulk_create([Enrolment(session=session, volunteer=v) for v in vols])
    now = datetime.datetime.now(datetime.UTC)
    Certificate.objects.bulk_create([Certificate(enrolment=e, number=f"B/{e.pk}", verification_code=f"V{e.pk:09d}",
                                                 issued_at=now) for e in ens])
    Assignment.objects.bulk_create([Assignment(election=election, tps=t, tps_code=t.code, volunteer=v)
                                    for t, v in zip(tps, vols, strict=True)])
    DeploymentSettings.objects.create(election=election, signer_name="Ketua Bench", signer_title="Ketua Tim Provinsi",
                                      signature_png=signature_png())
    out = tempfile.mkdtemp(prefix="kawaltps-mandates-")
    with timer() as t:
        job = enqueue(render_mandates, election_id=election.pk, region="3175", out_dir=out, singles=True)
    job.refresh_from_db()
    singles = list(Path(out).glob("*/*.pdf"))
    size = sum(p.stat().st_size for p in Path(out).rglob("*.pdf"))

    from reportlab.pdfgen import canvas

    with timer() as base:
        for i in range(args.letters):
            buf = io.BytesIO()
            c = canvas.Canvas(buf)
            c.drawString(100, 700, f"Surat {i}")
            c.showPage()
            c.save()
    print(json.dumps({
        "benchmark": "deployment_mandates", "status": job.status, "letters": job.result.get("letters"),
        "single_pdfs": len(singles), "bulk_pdfs": len(job.result.get("files", [])),
        "seconds": round(t.seconds, 2), "target_seconds": TARGET_S, "ok": t.seconds < TARGET_S,
        "per_letter_ms": round(1000 * t.seconds / max(len(singles), 1), 1), "megabytes": round(size / 1e6, 1),
        "baseline_reportlab_1000_one_line_pdfs_seconds": round(base.seconds, 2),
    }))


if __name__ == "__main__":
    main()
