"""False and true duplicate matches of the perceptual hash on C.Hasil-like photos (one layout).

Generates ``--forms`` different filled-in forms (``chasil_images.py``: same printed page,
different handwritten numbers), photographs each once, and measures the Hamming distance of
``imagehash.phash`` between:

- every pair of DIFFERENT forms (a match there is a false match: two TPS flagged wrongly);
- each photo and its copies (re-saved, half size, slight crop, screenshot): the reuse we must catch;
- each photo and a second photograph of the same paper (a saksi photographing another TPS's form).

Prints JSON: per distance 0..12 the false-match rate over pairs and the share of copies caught,
and the threshold chosen: the largest distance with no false match. Baseline in the same run:
the distance between unrelated images (random noise pictures), i.e. what "not similar" looks like.

    .venv/bin/python bench/photos_false_matches.py [--forms 300]
"""

import argparse
import io
import json
import sys
import time
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chasil_images  # noqa: E402

MAX_D = 12


def phash(data: bytes) -> int:
    return int(str(imagehash.phash(Image.open(io.BytesIO(data)))), 16)


def histogram(dists) -> list[int]:
    return [int(x) for x in np.bincount(np.minimum(np.asarray(dists, dtype=np.int64), MAX_D + 1),
                                        minlength=MAX_D + 2)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forms", type=int, default=300, help="number of different forms (default 300)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    photos, copies, rephotos = [], {}, []
    for i in range(args.forms):
        paper = chasil_images.form(i)
        shot = chasil_images.photograph(paper, i)
        h = phash(shot)
        photos.append(h)
        for name, data in chasil_images.copy_variants(shot, i).items():
            copies.setdefault(name, []).append((h ^ phash(data)).bit_count())
        rephotos.append((h ^ phash(chasil_images.photograph(paper, i + 100_000))).bit_count())
        if i % 50 == 0:
            print(f"{i}/{args.forms}", file=sys.stderr)
    hashes = np.array(photos, dtype=np.uint64)
    iu = np.triu_indices(len(hashes), 1)
    pair = np.bitwise_count(hashes[iu[0]] ^ hashes[iu[1]])
    rng = np.random.default_rng(0)
    noise = []
    for _ in range(100):
        a = Image.fromarray(rng.integers(0, 256, (256, 256), dtype=np.uint8))
        b = Image.fromarray(rng.integers(0, 256, (256, 256), dtype=np.uint8))
        noise.append((int(str(imagehash.phash(a)), 16) ^ int(str(imagehash.phash(b)), 16)).bit_count())
    all_copies = [d for ds in copies.values() for d in ds]
    per_d = []
    for d in range(MAX_D + 1):
        per_d.append({"distance": d, "false_match_rate": float(np.mean(pair <= d)),
                      "false_pairs": int(np.sum(pair <= d)),
                      "copies_caught": float(np.mean(np.array(all_copies) <= d)),
                      "rephotos_caught": float(np.mean(np.array(rephotos) <= d))})
    clean = [row["distance"] for row in per_d if row["false_pairs"] == 0]
    chosen = max(clean) if clean else None
    print(json.dumps({
        "forms": args.forms, "pairs": int(len(pair)),
        "different_forms": {"min": int(pair.min()), "p1": float(np.percentile(pair, 1)),
                            "median": float(np.median(pair)), "histogram_0_to_12_plus": histogram(pair)},
        "copies": {name: {"max": int(max(ds)), "mean": round(float(np.mean(ds)), 2)} for name, ds in copies.items()},
        "rephotos": {"min": int(min(rephotos)), "median": float(np.median(rephotos)), "max": int(max(rephotos))},
        "by_distance": per_d,
        "threshold_no_false_match": chosen,
        "baseline_unrelated_images": {"median": float(np.median(noise)), "min": int(min(noise))},
        "seconds": round(time.perf_counter() - t0, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
