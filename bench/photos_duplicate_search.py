"""Duplicate search with 2.4 million hashes stored on PostgreSQL: the band index vs a scan.

A fresh database (``kawaltps_bench_photos`` on 127.0.0.1:5432) gets one election and
``--hashes`` (2,400,000: ≈ 820,000 TPS × 3 pages) rows of ``PhotoHash`` by COPY. The hashes are
not uniform: each bit is drawn with the frequency it has in the index hashes (``layout_hash``) of generated
C.Hasil photos that share one printed layout (``chasil_images.py``), so band collisions are as
frequent as for forms of one layout (bits drawn independently: correlations are not modelled).
The bench drops the table's foreign key to ``Photo`` so it needs no 2.4 M photo rows; the
search never reads that table.

Measured, same run: ``duplicates.find_matches`` (the Django code the upload runs: two band
lookups of 33 values each, UNION ALL, then the exact Hamming check) for ``--queries`` new photos (half unrelated,
half a copy of a stored photo with 0-3 bits changed), and the baseline: the same search as one
sequential scan computing the Hamming distance of every hash of the election in SQL. 100 other
searches run first, untimed (the indexes cached, as in service).

    .venv/bin/python bench/photos_duplicate_search.py [--hashes 2400000] [--queries 500]
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fresh_pg_database, setup_django  # noqa: E402


def bit_frequencies(forms: int) -> np.ndarray:
    """P(bit i = 1) in the index hash (``layout_hash``) of ``forms`` generated C.Hasil photos."""
    import chasil_images

    from kawaltps.results.layouthash import layout_hash

    bits = []
    for i in range(forms):
        h = layout_hash(chasil_images.photograph(chasil_images.form(i), i))
        bits.append([(h >> b) & 1 for b in range(64)])
    return np.clip(np.mean(bits, axis=0), 0.02, 0.98)


def sample(freq: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    bits = rng.random((n, 64)) < freq
    weights = (np.uint64(1) << np.arange(64, dtype=np.uint64))
    return (bits.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hashes", type=int, default=2_400_000, help="hashes stored (default 2,400,000)")
    ap.add_argument("--queries", type=int, default=500, help="searches timed (default 500)")
    ap.add_argument("--forms", type=int, default=60, help="generated photos for the bit frequencies")
    ap.add_argument("--database", default="kawaltps_bench_photos", help="database dropped and created")
    args = ap.parse_args()
    os.environ["DATABASE_URL"] = fresh_pg_database(args.database)
    os.environ.setdefault("KAWALTPS_DATA_DIR", "/tmp/kawaltps-bench-photos")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    import datetime

    from kawaltps.elections.models import Election
    from kawaltps.results import duplicates

    election = Election.objects.create(slug="nasional", name="Nasional", kind="pilpres",
                                       date=datetime.date(2029, 2, 14), scope_id=None, form_type="C.HASIL-PPWP")
    other = Election.objects.create(slug="lain", name="Lain", kind="pilpres", date=datetime.date(2024, 2, 14),
                                    scope_id=None, form_type="C.HASIL-PPWP")
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    freq = bit_frequencies(args.forms)
    print(f"bit frequencies from {args.forms} photos: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    stored = sample(freq, args.hashes, rng)
    with connection.cursor() as cur:
        cur.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'results_photohash'::regclass "
                    "AND contype = 'f' AND confrelid = 'results_photo'::regclass")
        for (name,) in cur.fetchall():
            cur.execute(f'ALTER TABLE results_photohash DROP CONSTRAINT "{name}"')
    t0 = time.perf_counter()
    signed_all = stored.view(np.int64).tolist()  # the BIGINT column's signed view of the same 64 bits
    band_cols = [(stored & np.uint64(m)).view(np.int64).tolist() for m in duplicates.BAND_MASKS]
    with connection.cursor() as cur, cur.copy(
            "COPY results_photohash (photo_id, election_id, code, page, phash, b0, b1) FROM STDIN") as copy:
        for start in range(0, args.hashes, 100_000):
            rows = []
            for i in range(start, min(start + 100_000, args.hashes)):
                e = election.pk if i % 10 else other.pk  # a tenth in another election: the search must ignore them
                rows.append(f"{i + 1}\t{e}\t{3100000000000 + i // 3}\t{1 + i % 3}\t{signed_all[i]}\t"
                            f"{band_cols[0][i]}\t{band_cols[1][i]}\n")
            copy.write("".join(rows))
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE results_photohash")  # visibility map set: index-only scans
    load_s = time.perf_counter() - t0
    print(f"COPY {args.hashes} hashes + VACUUM ANALYZE: {load_s:.1f} s", file=sys.stderr)

    prng = random.Random(2)
    queries = []
    for q in range(args.queries):
        if q % 2:
            h = int(stored[prng.randrange(args.hashes)])
            for b in prng.sample(range(64), prng.randint(0, 3)):
                h ^= 1 << b
        else:
            h = int(sample(freq, 1, rng)[0])
        queries.append(h)
    for _ in range(100):  # warm-up, not timed: in service the band indexes are read all the time (cached)
        duplicates.find_matches(election.pk, "9999999999999", int(sample(freq, 1, rng)[0]))
    times, found, candidates = [], 0, []
    for h in queries:
        t = time.perf_counter()
        m = duplicates.find_matches(election.pk, "9999999999999", h)
        times.append((time.perf_counter() - t) * 1000)
        found += bool(m)
        candidates.append(len(list(duplicates.candidates(election.pk, h))) if len(candidates) < 50 else 0)
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + duplicates.candidate_sql(election.pk, queries[0], 3)[0],
                    duplicates.candidate_sql(election.pk, queries[0], 3)[1])
        plan = [r[0] for r in cur.fetchall()]
    scan_times = []
    with connection.cursor() as cur:
        for h in queries[:10]:
            t = time.perf_counter()
            cur.execute("SELECT photo_id, code, page FROM results_photohash WHERE election_id = %s "
                        "AND bit_count(int8send(phash # %s)) <= %s", [election.pk, duplicates.signed(h),
                                                                       duplicates.DUPLICATE_DISTANCE])
            cur.fetchall()
            scan_times.append((time.perf_counter() - t) * 1000)
    arr = np.array(times)
    print(json.dumps({
        "hashes_stored": args.hashes, "in_this_election": int(sum(1 for i in range(args.hashes) if i % 10)),
        "load_seconds": round(load_s, 1), "distance": duplicates.DUPLICATE_DISTANCE,
        "band_index_ms": {"mean": round(float(arr.mean()), 2), "p50": round(float(np.median(arr)), 2),
                          "p99": round(float(np.percentile(arr, 99)), 2), "max": round(float(arr.max()), 2)},
        "queries": len(queries), "queries_with_a_match": found,
        "candidates_per_query_mean": round(float(np.mean([c for c in candidates[:50]])), 1),
        "baseline_seq_scan_ms": {"mean": round(float(np.mean(scan_times)), 1), "queries": len(scan_times)},
        "speedup": round(float(np.mean(scan_times)) / float(arr.mean()), 1),
        "plan": plan,
    }, indent=1))


if __name__ == "__main__":
    main()
