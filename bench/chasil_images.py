"""Generated C.Hasil-like photos that share one printed layout (for the duplicate measurements).

``form(seed)`` draws the same printed page every time — title, header boxes, the table of DPT /
pengguna rows with L/P/J columns, the paslon rows, signature boxes — and fills every cell with
different handwritten-looking numbers (jittered pen strokes per digit, random slant, thickness
and ink). ``photograph(img, seed)`` makes a phone photo of that paper: small rotation, a little
perspective-free shift and scale, paper tint and lighting, blur, sensor noise, JPEG.
``copy_variants(jpeg)`` are what a cheater does with someone else's photo file: re-save,
resize, a slight crop, a screenshot-like border.
"""

import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

W, H = 1000, 1414  # A4 proportions
ROWS = ["DPT", "DPTb", "DPK", "Pengguna DPT", "Pengguna DPTb", "Pengguna DPK", "Jumlah pengguna",
        "Surat diterima", "Surat digunakan", "Surat rusak", "Sisa surat", "Disabilitas"]
PASLON = ["Paslon 1", "Paslon 2", "Paslon 3"]

# Digit strokes on a 0..1 box (x, y), drawn with jitter so no two look alike.
STROKES = {
    "0": [[(0.2, 0.1), (0.8, 0.1), (0.9, 0.5), (0.8, 0.9), (0.2, 0.9), (0.1, 0.5), (0.2, 0.1)]],
    "1": [[(0.3, 0.25), (0.55, 0.05), (0.55, 0.95)]],
    "2": [[(0.15, 0.25), (0.5, 0.05), (0.85, 0.25), (0.15, 0.95), (0.9, 0.95)]],
    "3": [[(0.15, 0.1), (0.85, 0.15), (0.45, 0.5), (0.85, 0.7), (0.5, 0.95), (0.15, 0.85)]],
    "4": [[(0.7, 0.95), (0.7, 0.05), (0.1, 0.65), (0.9, 0.65)]],
    "5": [[(0.85, 0.05), (0.2, 0.05), (0.15, 0.45), (0.8, 0.5), (0.8, 0.85), (0.15, 0.95)]],
    "6": [[(0.8, 0.05), (0.2, 0.5), (0.2, 0.9), (0.8, 0.9), (0.8, 0.55), (0.2, 0.55)]],
    "7": [[(0.1, 0.05), (0.9, 0.05), (0.4, 0.95)]],
    "8": [[(0.5, 0.5), (0.15, 0.25), (0.5, 0.05), (0.85, 0.25), (0.5, 0.5), (0.15, 0.75), (0.5, 0.95),
           (0.85, 0.75), (0.5, 0.5)]],
    "9": [[(0.8, 0.45), (0.2, 0.45), (0.2, 0.1), (0.8, 0.1), (0.8, 0.45), (0.5, 0.95)]],
}


def _font(size: int):
    return ImageFont.load_default(size=size)


def _layout() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """The printed page (identical for every form) and the boxes where numbers are written."""
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    d.text((W // 2, 40), "MODEL C.HASIL-KWK", fill=0, font=_font(34), anchor="mt")
    d.text((W // 2, 85), "CATATAN HASIL PENGHITUNGAN PEROLEHAN SUARA", fill=0, font=_font(20), anchor="mt")
    for i, label in enumerate(["PROVINSI", "KAB/KOTA", "KECAMATAN", "KELURAHAN", "TPS"]):
        y = 130 + i * 34
        d.text((60, y), label, fill=0, font=_font(18))
        d.rectangle([260, y - 4, 700, y + 24], outline=0, width=2)
    boxes = []
    top, row_h, cols = 320, 56, [60, 480, 650, 800, 940]
    d.rectangle([cols[0], top - 40, cols[-1], top], outline=0, width=3)
    for x, t in zip(cols[1:4], ["L", "P", "JML"], strict=True):
        d.text((x + 60, top - 30), t, fill=0, font=_font(18))
    for i, label in enumerate(ROWS):
        y = top + i * row_h
        d.rectangle([cols[0], y, cols[-1], y + row_h], outline=0, width=2)
        d.text((cols[0] + 10, y + 18), f"{i + 1}. {label}", fill=0, font=_font(18))
        for a, b in zip(cols[1:-1], cols[2:], strict=True):
            d.line([a, y, a, y + row_h], fill=0, width=2)
            boxes.append((a + 8, y + 8, b - 8, y + row_h - 8))
    top2 = top + len(ROWS) * row_h + 40
    for i, label in enumerate(PASLON + ["Suara sah", "Tidak sah", "Jumlah"]):
        y = top2 + i * row_h
        d.rectangle([cols[0], y, cols[-1], y + row_h], outline=0, width=2)
        d.text((cols[0] + 10, y + 18), label, fill=0, font=_font(18))
        d.line([cols[2], y, cols[2], y + row_h], fill=0, width=2)
        boxes.append((cols[2] + 8, y + 8, cols[-1] - 8, y + row_h - 8))
    y = H - 150
    for x in (80, 400, 720):
        d.rectangle([x, y, x + 220, y + 100], outline=0, width=2)
        d.text((x + 10, y + 105), "Tanda tangan", fill=0, font=_font(14))
    return img, boxes


_PAGE = None


def _digits(d: ImageDraw.ImageDraw, box, text: str, rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    h = (y1 - y0) * rng.uniform(0.7, 0.95)
    w = h * rng.uniform(0.45, 0.6)
    slant = rng.uniform(-0.25, 0.15)
    ink = rng.randint(0, 70)
    width = rng.randint(2, 4)
    x = x0 + rng.uniform(0, max(1, (x1 - x0) - w * len(text) * 1.2))
    top = y0 + rng.uniform(0, (y1 - y0) - h)
    for ch in text:
        for stroke in STROKES[ch]:
            pts = [(x + (px + rng.gauss(0, 0.05)) * w + slant * (1 - py) * h, top + (py + rng.gauss(0, 0.04)) * h)
                   for px, py in stroke]
            d.line(pts, fill=ink, width=width, joint="curve")
        x += w * rng.uniform(1.05, 1.35)


def form(seed: int) -> Image.Image:
    """One filled-in form: the shared layout with this seed's handwritten numbers (grayscale)."""
    global _PAGE
    if _PAGE is None:
        _PAGE = _layout()
    page, boxes = _PAGE
    img = page.copy()
    d = ImageDraw.Draw(img)
    rng = random.Random(seed)
    for box in boxes:
        _digits(d, box, str(rng.randint(0, 400)), rng)
    return img


def photograph(img: Image.Image, seed: int, quality: int | None = None) -> bytes:
    """A phone photo of the paper ``img`` as JPEG bytes."""
    rng = random.Random(seed * 7919 + 1)
    img = img.resize((int(W * 0.6), int(H * 0.6)), Image.BILINEAR)  # a 600 px page: enough for a 32 × 32 hash
    w, h = img.size
    paper = Image.new("RGB", (int(w * 1.12), int(h * 1.08)), (rng.randint(90, 140),) * 3)  # the table
    page = Image.merge("RGB", [img.point(lambda v, t=t: int(v * t / 255)) for t in
                               (rng.randint(225, 255), rng.randint(220, 250), rng.randint(200, 240))])
    paper.paste(page, ((paper.width - w) // 2 + rng.randint(-12, 12), (paper.height - h) // 2 + rng.randint(-12, 12)))
    shot = paper.rotate(rng.uniform(-3, 3), resample=Image.BICUBIC, expand=False, fillcolor=(100, 100, 100))
    scale = rng.uniform(0.9, 1.1)
    shot = shot.resize((int(shot.width * scale), int(shot.height * scale)), Image.BILINEAR)
    shot = ImageEnhance.Brightness(shot).enhance(rng.uniform(0.8, 1.15))
    shot = ImageEnhance.Contrast(shot).enhance(rng.uniform(0.8, 1.2))
    shot = shot.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))
    noise = Image.effect_noise(shot.size, rng.uniform(4, 12)).convert("RGB")
    shot = Image.blend(shot, noise, 0.06)
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=quality or rng.randint(60, 90))
    return out.getvalue()


def copy_variants(jpeg: bytes, seed: int) -> dict[str, bytes]:
    """What reusing someone else's photo file looks like: re-saved, resized, cropped, screenshotted."""
    rng = random.Random(seed)
    img = Image.open(io.BytesIO(jpeg)).convert("RGB")
    out = {}

    def save(name, im, fmt="JPEG", **kw):
        buf = io.BytesIO()
        im.save(buf, fmt, **kw)
        out[name] = buf.getvalue()

    save("resave", img, quality=rng.randint(50, 80))
    save("half", img.resize((img.width // 2, img.height // 2), Image.LANCZOS), quality=75)
    dx, dy = int(img.width * rng.uniform(0.01, 0.03)), int(img.height * rng.uniform(0.01, 0.03))
    save("crop", img.crop((dx, dy, img.width - dx, img.height - dy)), quality=80)
    frame = Image.new("RGB", (img.width + 60, img.height + 160), (250, 250, 250))
    frame.paste(img.resize((img.width, img.height)), (30, 80))
    save("screenshot", frame, "PNG")
    return out
