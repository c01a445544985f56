"""The 64-bit hash the duplicate index uses: signs of the MID spatial frequencies of the page.

Why not the plain pHash (``imagehash.phash``, the 8 × 8 LOWEST DCT frequencies, kept in
``Photo.phash`` by the evidence rules): every C.Hasil page shares one printed layout, and the
lowest frequencies are the layout. Measured on 200 generated forms with different handwritten
numbers (``bench/photos_false_matches.py``, docs/photos.md) two different forms came within
pHash distance 0 and 246 pairs within 4, while re-saved copies reached 4: no threshold separates
them. The mid frequencies (rows and columns 8-15 of the DCT of the page at 64 × 64) carry the
handwriting and the fine print; there different forms stayed ≥ 6 bits apart, copies ≤ 4 (97 %
≤ 2). Many of its bits are still nearly constant over forms (the layout), which is why the index
cuts it into two 32-bit bands looked up within one bit (``duplicates.py``).

Rule: grey, 64 × 64 (Lanczos), orthonormal 2-D DCT, the 8 × 8 block at [8:16, 8:16], each bit
1 where the coefficient is above the block's median; bit 63 is the block's first coefficient.
No Django here: the benchmarks use the same function.
"""

import io

from PIL import Image


def layout_hash_of_image(img: Image.Image) -> int:
    import numpy as np  # here, not at import: every command loads this module (~0.1 s of numpy)

    grey = np.asarray(img.convert("L").resize((64, 64), Image.LANCZOS), dtype=np.float64)
    from scipy.fft import dctn  # here, not at import: scipy costs every command ~0.3 s to load

    block = dctn(grey, norm="ortho")[8:16, 8:16].ravel()
    bits = block > np.median(block)
    return int("".join("1" if b else "0" for b in bits), 2)


def layout_hash(data: bytes) -> int:
    """The hash of an image's bytes (already checked by the evidence rules). A JPEG is decoded at a
    reduced scale (``draft``), enough for 64 × 64 and fast on a 12 MP photo: the same grey pixels
    as ``evidence.rules.Prepared.grey`` (``HASH_DRAFT``), so a checked photo is hashed without a
    second decode (``duplicates.photo_hash``)."""
    with Image.open(io.BytesIO(data)) as img:
        img.draft("L", (256, 256))
        return layout_hash_of_image(img)
