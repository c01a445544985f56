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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import chasil_images  # noqa: E402

from kawaltps.results.layouthash import layout_hash  # noqa: E402  (no Django needed)

FULL = (1 << 64) - 1
BAND_MASK = 0x996012DDB7638EE1  # kawaltps.results.duplicates.BAND_MASK (that module needs Django)
BAND_MASKS = (BAND_MASK, FULL ^ BAND_MASK)

MAX_D = 12


def phash(data: bytes) -> int:
    """The plain pHash (lowest frequencies; the evidence rules' Photo.phash): the baseline."""
    return int(str(imagehash.phash(Image.open(io.BytesIO(data)))), 16)


HASHES = {"layout_hash": layout_hash, "phash": phash}


def histogram(dists) -> list[int]:
    return [int(x) for x in np.bincount(np.minimum(np.asarray(dists, dtype=np.int64), MAX_D + 1),
                                        minlength=MAX_D + 2)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forms", type=int, default=300, help="number of different forms (default 300)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    photos = {k: [] for k in HASHES}
    copies = {k: {} for k in HASHES}
    rephotos = {k: [] for k in HASHES}
    for i in range(args.forms):
        paper = chasil_images.form(i)
        shot = chasil_images.photograph(paper, i)
        again = chasil_images.photograph(paper, i + 100_000)
        variants = chasil_images.copy_variants(shot, i)
        for k, fn in HASHES.items():
            h = fn(shot)
            photos[k].append(h)
            for name, data in variants.items():
                copies[k].setdefault(name, []).append((h ^ fn(data)).bit_count())
            rephotos[k].append((h ^ fn(again)).bit_count())
        if i % 50 == 0:
            print(f"{i}/{args.forms}", file=sys.stderr)
    out = {"forms": args.forms, "pairs": args.forms * (args.forms - 1) // 2}
    for k in HASHES:
        out[k] = summary(photos[k], copies[k], rephotos[k])
    out["chosen"] = "layout_hash"
    out["baseline_unrelated_images"] = noise_baseline()
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=1))


def noise_baseline() -> dict:
    """Distances between unrelated pictures (random noise): what 'not similar' looks like."""
    rng = np.random.default_rng(0)
    got = []
    for _ in range(100):
        a, b = (Image.fromarray(rng.integers(0, 256, (256, 256), dtype=np.uint8)) for _ in range(2))
        buf = [io.BytesIO(), io.BytesIO()]
        a.save(buf[0], "PNG")
        b.save(buf[1], "PNG")
        got.append((layout_hash(buf[0].getvalue()) ^ layout_hash(buf[1].getvalue())).bit_count())
    return {"median": float(np.median(got)), "min": int(min(got))}


def summary(photos: list[int], copies: dict, rephotos: list[int]) -> dict:
    hashes = np.array(photos, dtype=np.uint64)
    iu = np.triu_indices(len(hashes), 1)
    pair = np.bitwise_count(hashes[iu[0]] ^ hashes[iu[1]])
    caught = [d for name in ("resave", "half") for d in copies[name]]
    per_d = []
    for d in range(MAX_D + 1):
        per_d.append({"distance": d, "false_pairs": int(np.sum(pair <= d)),
                      "false_match_rate": float(np.mean(pair <= d)),
                      "resave_half_copies_caught": float(np.mean(np.array(caught) <= d)),
                      "all_copies_caught": float(np.mean(np.array([x for v in copies.values() for x in v]) <= d)),
                      "rephotos_caught": float(np.mean(np.array(rephotos) <= d))})
    clean = [r["distance"] for r in per_d if r["false_pairs"] == 0]
    band_collisions = []
    for b in range(4):
        v = (hashes >> np.uint64(16 * b)) & np.uint64(0xFFFF)
        band_collisions.append(float(np.mean(v[iu[0]] == v[iu[1]])))
    x = hashes[iu[0]] ^ hashes[iu[1]]
    four_bands = np.zeros(len(x), bool)
    for b in range(4):  # the earlier index: some 16-bit band equal
        four_bands |= ((x >> np.uint64(16 * b)) & np.uint64(0xFFFF)) == 0
    two_bands = np.zeros(len(x), bool)
    for m in BAND_MASKS:  # the index now: some 32-bit band within one bit
        two_bands |= np.bitwise_count(x & np.uint64(m)) <= 1
    freq = ((hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)).mean(axis=0)
    return {
        "different_forms": {"min": int(pair.min()), "p1": float(np.percentile(pair, 1)),
                            "median": float(np.median(pair)), "histogram_0_to_12_plus": histogram(pair)},
        "copies": {name: {"max": int(max(ds)), "mean": round(float(np.mean(ds)), 2)} for name, ds in copies.items()},
        "rephotos": {"min": int(min(rephotos)), "median": float(np.median(rephotos)), "max": int(max(rephotos))},
        "by_distance": per_d[:7],
        "largest_distance_without_false_match": max(clean) if clean else None,
        "band_collision_rate": band_collisions,
        "candidate_rate_per_pair": {"four_16bit_bands_equal": float(four_bands.mean()),
                                    "two_32bit_bands_within_1": float(two_bands.mean())},
        "bits_constant_in_90pct": int(np.sum((freq >= 0.9) | (freq <= 0.1))),
        "balanced_band_mask": f"0x{balanced_mask(np.round(freq, 3)):016X}",
    }


def balanced_mask(freq: np.ndarray) -> int:
    """32 bits for band 0 so both bands carry the same entropy: bits taken most informative first
    (lowest collision probability p² + (1-p)², p rounded to 0.001 by the caller, so ties between
    bits of equal frequency break the same way), each to the band with the higher product so far.
    With ``--forms 300`` this gives ``duplicates.BAND_MASK``."""
    c = np.clip(freq, 0.02, 0.98) ** 2 + (1 - np.clip(freq, 0.02, 0.98)) ** 2
    groups, logs = ([], []), [0.0, 0.0]
    for b in np.argsort(np.log(c)):
        j = max((j for j in (0, 1) if len(groups[j]) < 32), key=lambda j: logs[j])
        groups[j].append(int(b))
        logs[j] += float(np.log(c[b]))
    return sum(1 << b for b in groups[0])


if __name__ == "__main__":
    main()
