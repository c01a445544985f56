"""Mandate PDFs (ReportLab + segno): one page per letter; one file per saksi or per kelurahan/kecamatan."""

import io
from collections.abc import Callable, Iterable

import numpy as np
import segno
from django.utils import timezone

from kawaltps.core.formatting import long_day
from kawaltps.regions.codes import dotted
from kawaltps.regions.models import TPS, Region

from .models import DeploymentSettings, Mandate
from .rules import WHAT_TO_BRING, race_level

QR_MASK = 2


def tanggal(d) -> str:
    """The letter's dates (``core.formatting.long_day``: 27 November 2024)."""
    return long_day(d)


def context(mandates: list[Mandate]) -> dict:
    election_ids = {m.election_id for m in mandates}
    codes = [m.place_code for m in mandates if m.kind == Mandate.Kind.TPS]
    tps = {(t.election_id, t.code): t for t in TPS.objects.filter(election_id__in=election_ids, code__in=codes)
           .select_related("kelurahan__parent__parent")}
    regions = {r.code: r for r in Region.objects.filter(code__in=[m.place_code for m in mandates
                                                                   if m.kind != Mandate.Kind.TPS])}
    confs = {c.election_id: c for c in DeploymentSettings.objects.filter(election_id__in=election_ids)}
    return {"tps": tps, "regions": regions, "confs": confs}


def _signature(conf) -> bytes:
    """The scanned signature flattened on white as a JPEG (ReportLab embeds JPEG as is, no re-encoding)."""
    from PIL import Image

    img = Image.open(io.BytesIO(bytes(conf.signature_png))).convert("RGBA")
    flat = Image.new("RGB", img.size, (255, 255, 255))
    flat.paste(img, mask=img.split()[3])
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _qr_image(ctx: dict, url: str):
    """The QR code of ``url`` as a one-pixel-per-module greyscale image (the PDF scales it up without
    smoothing), encoded once per letter even when it is drawn twice (bulk + single)."""
    from PIL import Image

    cache = ctx.setdefault("qr", {})
    if url not in cache:
        # A fixed mask: every mask decodes; scoring all eight was 40% of the rendering time.
        m = np.asarray(segno.make(url, error="m", micro=False, mask=QR_MASK).matrix, dtype=np.uint8)
        m = np.pad(m, 1)
        cache[url] = Image.fromarray(((1 - m) * 255).astype(np.uint8), "L")
    return cache[url]


def render(mandates: Iterable[Mandate], url_for: Callable[[str], str],
           progress: Callable[[int], None] | None = None, ctx: dict | None = None) -> bytes:
    """All ``mandates`` in one PDF, one A4 page each. ``url_for(code)`` → the public verification URL.
    ``ctx`` (from :func:`context`) shares lookups, signature and QR codes between calls."""
    mandates = list(mandates)
    return _render(mandates, url_for, ctx if ctx is not None else context(mandates), progress)


def render_each(mandates: Iterable[Mandate], url_for: Callable[[str], str], ctx: dict | None = None):
    """One PDF per mandate, sharing the lookups: yields ``(mandate, bytes)``."""
    mandates = list(mandates)
    ctx = ctx if ctx is not None else context(mandates)
    for m in mandates:
        yield m, _render([m], url_for, ctx, None)


def _render(mandates: list[Mandate], url_for, ctx: dict, progress) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("Surat mandat saksi")
    c.setAuthor("Kawal TPS")
    signatures = ctx.setdefault("signatures", {})
    forms: set[str] = set()
    for i, m in enumerate(mandates):
        conf = ctx["confs"].get(m.election_id)
        if m.election_id not in signatures:
            signatures[m.election_id] = _signature(conf) if conf and conf.signature_png else None
        level, scope = race_level(m.election)
        y = height - 2.5 * cm
        c.setFont("Helvetica-Bold", 15)
        c.drawCentredString(width / 2, y, "SURAT MANDAT SAKSI")
        c.setFont("Helvetica", 10)
        c.drawCentredString(width / 2, y - 0.6 * cm, f"Nomor: {m.number}")
        y -= 2 * cm
        c.setFont("Helvetica", 11)
        c.drawString(2 * cm, y, "Yang bertanda tangan di bawah ini:")
        for label, value in (("Nama", m.signer_name), ("Jabatan", m.signer_title),
                             ("Tingkat", f"{level.title()} {scope}")):
            y -= 0.6 * cm
            c.drawString(2.5 * cm, y, f"{label:<10}")
            c.drawString(6 * cm, y, f": {value}")
        y -= 1.0 * cm
        c.drawString(2 * cm, y, "memberi mandat kepada:")
        rows = [("Nama", m.volunteer.name), ("NIK", m.volunteer.nik)]
        if m.kind == Mandate.Kind.TPS:
            t = ctx["tps"].get((m.election_id, m.place_code))
            kel = t.kelurahan if t else None
            rows += [("Tugas", "Saksi di Tempat Pemungutan Suara (TPS)"),
                     ("TPS", f"TPS {m.place_code[-3:]} · kode {dotted(m.place_code[:10])}.{m.place_code[-3:]}"),
                     ("Kelurahan", kel.name if kel else ""),
                     ("Kecamatan", kel.parent.name if kel and kel.parent else ""),
                     ("Kab/Kota", kel.parent.parent.name if kel and kel.parent and kel.parent.parent else ""),
                     ("Alamat TPS", (t.address if t else "") or "-")]
        else:
            r = ctx["regions"].get(m.place_code)
            rows += [("Tugas", f"Saksi {m.get_kind_display()}"), ("Wilayah", r.name if r else m.place_code)]
        rows += [("Pemilihan", m.election.name), ("Tanggal", tanggal(m.event_date))]
        for label, value in rows:
            y -= 0.6 * cm
            c.drawString(2.5 * cm, y, label)
            c.drawString(6 * cm, y, f": {value}"[:85])
        y -= 1.0 * cm
        c.setFont("Helvetica", 10)
        for line in ("untuk hadir, menyaksikan, dan mencatat seluruh tahapan pemungutan dan penghitungan suara,",
                     "menerima salinan hasil penghitungan, serta mengajukan keberatan bila ada pelanggaran,",
                     "sesuai peraturan perundang-undangan."):
            c.drawString(2 * cm, y, line)
            y -= 0.5 * cm
        if m.kind == Mandate.Kind.TPS:
            y -= 0.3 * cm
            c.setFont("Helvetica-Bold", 10)
            c.drawString(2 * cm, y, "Dibawa:")
            c.setFont("Helvetica", 9)
            for item in WHAT_TO_BRING:
                y -= 0.45 * cm
                c.drawString(2.4 * cm, y, f"- {item}")
        sy = 7.5 * cm
        place = (conf.signer_place if conf else "") or scope
        c.setFont("Helvetica", 10)
        c.drawString(11 * cm, sy, f"{place}, {tanggal(timezone.localtime(m.issued_at))}")
        c.drawString(11 * cm, sy - 0.6 * cm, m.signer_title[:60])
        sig = signatures[m.election_id]
        if sig is not None:
            form = f"sig{m.election_id}"
            if form not in forms:  # one XObject per file, however many pages show it
                c.beginForm(form)
                c.drawImage(ImageReader(io.BytesIO(sig)), 0, 0, 5 * cm, 2.2 * cm, preserveAspectRatio=True)
                c.endForm()
                forms.add(form)
            c.saveState()
            c.translate(11 * cm, sy - 3.2 * cm)
            c.doForm(form)
            c.restoreState()
        c.setFont("Helvetica-Bold", 11)
        c.drawString(11 * cm, sy - 3.8 * cm, m.signer_name)
        url = url_for(m.verification_code)
        c.drawImage(ImageReader(_qr_image(ctx, url)), 2 * cm, 2.2 * cm, 3.6 * cm, 3.6 * cm)
        c.setFont("Helvetica", 8)
        c.drawString(2 * cm, 1.8 * cm, f"Periksa keabsahan: {url}")
        c.drawString(2 * cm, 1.4 * cm, f"Kode verifikasi: {m.verification_code}")
        c.showPage()
        if progress:
            progress(i + 1)
    c.save()
    return buf.getvalue()
