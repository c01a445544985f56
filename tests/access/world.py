"""The world the authorisation matrix runs in: one user per role and two of every object.

Every object kind exists twice: ``in`` lies at TPS 3175081001001 (kelurahan 3175081001, kecamatan
Makasar 317508, Jakarta Timur 3175), inside every scoped test user's scope; ``out`` lies at TPS
3171011001001 (Jakarta Pusat), outside all of them. The ``relawan`` user *is* the ``in`` volunteer
(their own certificate, enrolment, assignment and mandate). ``LEAK_MARKERS`` are strings only the
``out`` objects carry: no page that a scoped user opens may contain them.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

IN_TPS, OUT_TPS = "3175081001001", "3171011001001"
IN_KEL, OUT_KEL = "3175081001", "3171011001"
OUT_NAME = "Sutarmi Pusatrahasia"
OUT_NIK = "3171014101900007"
OUT_PHONE = "6281399990007"
LEAK_MARKERS = (OUT_NAME, OUT_NIK, OUT_PHONE)

#: Users of the matrix: role key → (username, role, region, tps_code, superuser).
USERS = {
    "admin": ("m-admin", "admin", None, "", True),
    "koord": ("m-koord", "koordinator", "3175", "", False),
    "koord_kec": ("m-koordkec", "koordinator", "317508", "", False),
    "saksi": ("m-saksi", "saksi", None, IN_TPS, False),
    "clerk": ("m-clerk", "clerk", None, "", False),
    "trainer": ("m-trainer", "trainer", "3175", "", False),
    "legal": ("m-legal", "legal", None, "", False),
    "observer": ("m-observer", "observer", None, "", False),
    "relawan": ("m-relawan", "relawan", None, "", False),
    "dpo": ("m-dpo", "dpo", None, "", False),
}
#: Roles whose scope is the whole country: for them ``out`` objects are in scope too.
NATIONWIDE = frozenset({"admin", "clerk", "legal", "observer", "dpo"})
ROLES = ("anon", *USERS)


@dataclass
class World:
    election: object
    users: dict = field(default_factory=dict)
    #: object kind → {"in": value for the URL, "out": value}
    ids: dict = field(default_factory=dict)


def _jpeg(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 255, 90, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(f"c{seed}.jpg", buf.getvalue(), content_type="image/jpeg")


def build(files_dir) -> World:
    """Create the world in the current database (the caller rolls it back); job files in ``files_dir``."""
    from kawaltps.deployment.models import Assignment, Mandate
    from kawaltps.elections.models import Candidate, Election
    from kawaltps.jobs.models import Job
    from kawaltps.people.models import User
    from kawaltps.recap.models import DHasil, DHasilPhoto, Discrepancy
    from kawaltps.regions import demo
    from kawaltps.regions.models import TPS, Region
    from kawaltps.results import services
    from kawaltps.training.models import Certificate, Enrolment, Session, TestAttempt
    from kawaltps.volunteers.models import Volunteer
    from tests.results.helpers import good_form

    demo.import_regions(demo.JAKARTA_REGIONS)
    e = Election.objects.create(slug="uji", name="Pemilihan uji", kind=Election.Kind.PILKADA_GUBERNUR,
                                date=datetime.date(2024, 11, 27), scope_id="31", form_type="C.HASIL-KWK")
    for n, name in [(1, "Satu"), (2, "Dua"), (3, "Tiga")]:
        Candidate.objects.create(election=e, number=n, name=name)
    tps = {}
    for kel in (IN_KEL, OUT_KEL):
        for i in (1, 2):
            t = TPS.objects.create(election=e, code=f"{kel}{i:03d}", kelurahan_id=kel, number=i,
                                   dpt_l=250, dpt_p=260, dpt=510)
            tps[t.code] = t
    w = World(election=e)
    for key, (username, role, region, tps_code, su) in USERS.items():
        w.users[key] = User.objects.create_user(username, password="sandi-uji-123", role=role, region_id=region,
                                                tps_code=tps_code, is_superuser=su, is_staff=su)
    out_saksi = User.objects.create_user("m-saksi-out", role="saksi", tps_code=OUT_TPS)

    # Volunteers, Bimtek, certificates: the in-scope one is the relawan user.
    vin = Volunteer.objects.create(name="Relawan Dalam", nik="3175014101900001", phone="6281311110001",
                                   kelurahan_id=IN_KEL, user=w.users["relawan"], status="certified",
                                   address="Jl. Dalam 1")
    vout = Volunteer.objects.create(name=OUT_NAME, nik=OUT_NIK, phone=OUT_PHONE, kelurahan_id=OUT_KEL,
                                    status="certified", address="Jl. Pusat 7")
    other_trainer = User.objects.create_user("m-trainer-out", role="trainer", region_id="3171")
    at = datetime.datetime(2024, 11, 1, 9, tzinfo=datetime.UTC)
    sessions, enrolments, certs = {}, {}, {}
    for side, v, region, trainer in (("in", vin, "3175", w.users["trainer"]), ("out", vout, "3171", other_trainer)):
        s = Session.objects.create(date=datetime.date(2024, 11, 1), start_time=datetime.time(9),
                                   end_time=datetime.time(12), place=f"Aula {side}",
                                   region=Region.objects.get(code=region), trainer=trainer)
        en = Enrolment.objects.create(session=s, volunteer=v, attended_at=at)
        code = "CERTHMBAGU" if side == "in" else "CERTXPVSAT"  # the certificate alphabet: no I, O, 0, 1
        c = Certificate.objects.create(enrolment=en, number=f"B/{side}", verification_code=code, issued_at=at)
        TestAttempt.objects.create(enrolment=en, kind="pre", submitted_at=at, score=0.8)
        sessions[side], enrolments[side], certs[side] = s.pk, en.pk, c.verification_code

    # Results with photos (one saksi submission per side).
    photos, submissions = {}, {}
    for side, code, user in (("in", IN_TPS, w.users["saksi"]), ("out", OUT_TPS, out_saksi)):
        votes, numbers = good_form()
        sub = services.submit(user, e, code, "saksi", votes, numbers, client_id=f"matrix-{side}",
                              photos=[(1, _jpeg(1 if side == "in" else 2))])
        submissions[side] = sub.pk
        photos[side] = sub.result.photos.first().pk

    # Recapitulation: one discrepancy per side, a D.Hasil photo per side (kecamatan tier).
    discrepancies, dphotos = {}, {}
    for side, code, kec in (("in", IN_TPS, "317508"), ("out", OUT_TPS, "317101")):
        d = Discrepancy.objects.create(election=e, key=f"tps_sirekap:{code}", step="tps_sirekap", code=code,
                                       is_tps=True, deltas={"1": 5, "2": -5}, ours={"1": 120}, official={"1": 125},
                                       votes_moved=5, gained=1)
        discrepancies[side] = d.pk
        dh = DHasil.objects.create(election=e, tier="kecamatan", region_id=kec, code=kec, votes={"1": 1})
        img = _jpeg(3 if side == "in" else 4)
        dp = DHasilPhoto(dhasil=dh, content_type="image/jpeg", size=img.size, sha256=f"{side:0>64}")
        dp.file.save(f"{side}.jpg", img, save=True)
        dphotos[side] = dp.pk

    # Deployment: each volunteer posted to their TPS with a mandate; a mandate job per side.
    assignments, mandates, mandate_codes, jobs, import_jobs = {}, {}, {}, {}, {}
    for side, v, code in (("in", vin, IN_TPS), ("out", vout, OUT_TPS)):
        a = Assignment.objects.create(election=e, tps=tps[code], tps_code=code, volunteer=v)
        m = Mandate.objects.create(election=e, assignment=a, volunteer=v, place_code=code,
                                   event_date=e.date, number=f"M/{side}", verification_code=f"MAND{side.upper()}01",
                                   signer_name="Ketua", signer_title="Ketua Tim", issued_at=timezone.now())
        assignments[side], mandates[side], mandate_codes[side] = a.pk, m.pk, m.verification_code
        folder = files_dir / side
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "x.pdf").write_bytes(b"%PDF-1.4 matrix")
        j = Job.objects.create(kind="deployment.mandates", status="done",
                               result={"region": code[:6], "files": ["x.pdf"], "dir": str(folder)})
        jobs[side] = str(j.pk)
    # A volunteer import is the uploader's own: "in" is the koordinator's, "out" another koordinator's.
    for side, by in (("in", w.users["koord"]), ("out", other_trainer)):
        import_jobs[side] = str(Job.objects.create(kind="volunteers.import", status="done", created_by=by,
                                                   result={}).pk)

    # Election day (fieldday): an incident report with one photo per side, through the service.
    from kawaltps.fieldday import services as fieldday

    incidents, evidence = {}, {}
    for side, code, user in (("in", IN_TPS, w.users["saksi"]), ("out", OUT_TPS, out_saksi)):
        inc, _ = fieldday.report_incident(user, tps[code], category_key="kotak_dibuka", description=f"Uji {side}",
                                          occurred_at=timezone.now(), files=[_jpeg(5 if side == "in" else 6)],
                                          client_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"matrix-inc-{side}")))
        incidents[side], evidence[side] = inc.pk, inc.evidence.get().pk

    # Legal filings (/hukum/): a Bawaslu report from each side's finding and incident, an MK package of
    # each side's kota (Jakarta Timur in, Jakarta Pusat out), made by the operator as the CLI would.
    from kawaltps.legal import bawaslu as legal_bawaslu
    from kawaltps.legal import mk as legal_mk

    reports, packages = {}, {}
    for side, kota in (("in", "3175"), ("out", "3171")):
        r = legal_bawaslu.create_report(None, e, finding_ids=[discrepancies[side]], incident_ids=[incidents[side]],
                                        reporter_name="Pelapor Dalam" if side == "in" else OUT_NAME,
                                        reporter_phone="081311110001" if side == "in" else "0" + OUT_PHONE[2:])
        reports[side] = r.pk
        packages[side] = legal_mk.build_package(None, e, kota, "2024-12-06").pk

    # Background jobs (/tugas/): one started by the in-scope koordinator, one by a koordinator elsewhere.
    from kawaltps.jobs import services as job_services
    from kawaltps.jobs.tasks import ping

    koord_out = User.objects.create_user("m-koord-out", role="koordinator", region_id="3171")
    job_ids = {side: str(job_services.enqueue(ping, user=by, steps=1).pk)
               for side, by in (("in", w.users["koord"]), ("out", koord_out))}

    # Direct photo uploads, pending, one by each side's saksi. ``uploads.presign`` needs object storage
    # (KAWALTPS_S3_BUCKET), which the matrix does not have: the row it would create, made here.
    from kawaltps.results.models import PhotoUpload

    photo_uploads = {}
    for side, code, user in (("in", IN_TPS, w.users["saksi"]), ("out", OUT_TPS, out_saksi)):
        up = PhotoUpload.objects.create(client_id=f"matrix-upload-{side}", election=e, code=code, page=1,
                                        key=f"chasil/{e.pk}/{code}/unggah/matrix{side}", uploaded_by=user)
        photo_uploads[side] = str(up.pk)

    from kawaltps.analytics import sampling

    sampling.create_draw(e, sample_size=4, seed=1)  # the quick count has a sample to estimate from

    w.ids = {
        "tps": {"in": IN_TPS, "out": OUT_TPS},
        "kelurahan": {"in": IN_KEL, "out": OUT_KEL},
        "election": {"in": e.slug, "out": e.slug},
        "photo": photos, "submission": submissions, "discrepancy": discrepancies, "dhasil_photo": dphotos,
        "volunteer": {"in": vin.pk, "out": vout.pk},
        "session": sessions, "enrolment": enrolments, "certificate": certs,
        "assignment": assignments, "mandate": mandates, "mandate_code": mandate_codes,
        "mandate_job": jobs, "import_job": import_jobs,
        "test_kind": {"in": "pre", "out": "pre"}, "file_name": {"in": "x.pdf", "out": "x.pdf"},
        "assignment_op": {"in": "pin", "out": "pin"},
        "plot_kind": {"in": "fingerprint", "out": "fingerprint"}, "plot_fmt": {"in": "png", "out": "png"},
        "kecamatan": {"in": "317508", "out": "317101"}, "kabkota": {"in": "3175", "out": "3171"},
        "bawaslu_report": reports, "mk_package": packages,
        "incident": incidents, "evidence": evidence, "job": job_ids, "photo_upload": photo_uploads,
        # Fields of API bodies that are the same on both sides (valid shape; the values need not pass).
        "client_id": {"in": str(uuid.uuid5(uuid.NAMESPACE_URL, "matrix-body")),
                      "out": str(uuid.uuid5(uuid.NAMESPACE_URL, "matrix-body"))},
        "page_number": {"in": 1, "out": 1}, "voters": {"in": 120, "out": 120},
        "checklist_item": {"in": "kotak_kosong", "out": "kotak_kosong"}, "answer": {"in": "ya", "out": "ya"},
        "category": {"in": "kotak_dibuka", "out": "kotak_dibuka"}, "text": {"in": "Uji", "out": "Uji"},
        "when": {"in": "2024-11-27T10:00:00+07:00", "out": "2024-11-27T10:00:00+07:00"},
    }
    return w
