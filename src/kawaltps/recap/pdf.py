"""The dossier's PDF summary (ReportLab), in Indonesian, ready to hand to Bawaslu as it is.

Every code goes through :func:`recap.labels.label`, every time through :func:`recap.labels.format_wib`
(WIB), every missing value is "—"; the C.Hasil and D.Hasil photos are printed inside (downscaled
copies; the original bytes are in the ZIP under ``foto/``).
"""

from __future__ import annotations

import io

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kawaltps.regions.lookup import place_name

from .labels import EMPTY, format_number, format_votes, format_wib, label

MAX_IMAGE_PX = 1600  # longest side of the copy printed in the PDF


def _t(text) -> str:
    """Text safe for the standard PDF fonts (no arrows), XML escaped; None is "—"."""
    if text is None or text == "":
        return EMPTY
    if isinstance(text, int) and not isinstance(text, bool):
        text = format_number(text)
    s = str(text).replace("→", "->").replace("–", "-")
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list], widths=None) -> Table:
    t = Table([[Paragraph(_t(c), _STYLES["cell"]) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


_base = getSampleStyleSheet()
_STYLES = {
    "h1": _base["Title"],
    "h2": _base["Heading2"],
    "p": _base["BodyText"],
    "cell": _base["BodyText"].clone("cell", fontSize=8, leading=10),
}


def _image(data: bytes, caption: str, path: str) -> list:
    """A photo as flowables (caption, downscaled image), or a note when it is not an image (a PDF form)."""
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img.load()
            img = img.convert("RGB")
            img.thumbnail((MAX_IMAGE_PX, MAX_IMAGE_PX))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=80)
            w, h = img.size
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return [Paragraph(_t(f"{caption}: bukan gambar yang dapat dicetak, lihat berkas {path}"), _STYLES["p"])]
    out.seek(0)
    scale = min(17 * cm / w, 11 * cm / h)
    return [
        KeepTogether(
            [
                Paragraph(_t(f"{caption} — {path}"), _STYLES["cell"]),
                Image(out, width=w * scale, height=h * scale),
                Spacer(1, 0.3 * cm),
            ]
        )
    ]


def _change(d: dict, n: int) -> str:
    key = str(n)
    delta = d["deltas"].get(key)
    return f"{_t(d['ours'].get(key))} -> {_t(d['official'].get(key))} ({f'{delta:+d}' if delta is not None else EMPTY})"


def _sirekap_status(s: dict) -> str:
    if s["changed"]:
        return "BERUBAH setelah terbit"
    return "belum ada angka" if not s["votes"] else "terbit"


def summary_pdf(
    subject,
    meta: dict,
    numbers: dict,
    history: dict,
    events: list[dict],
    not_yet: list[str],
    images: list[dict] | None = None,
    key: dict | None = None,
) -> bytes:
    election = subject.election
    cands = list(election.candidates.order_by("number"))
    p = _STYLES["p"]
    places: dict[str, str] = {}

    def place(code: str) -> str:  # a place's name, never a raw code (a judge reads this)
        if code not in places:
            places[code] = place_name(code)
        return places[code]

    story = [
        Paragraph(_t(f"Berkas Bukti: {subject.title}"), _STYLES["h1"]),
        Paragraph(_t(f"{election.name} · dibuat {format_wib(meta['created_at'])} · {meta['generator']}"), p),
    ]
    if key:
        story.append(Paragraph(_t(f"Ditandatangani dengan kunci organisasi, sidik {key['fingerprint']}."), p))
    story.append(Spacer(1, 0.3 * cm))
    if history.get("photo_problems"):
        story.append(Paragraph("Peringatan: foto yang tidak utuh", _STYLES["h2"]))
        rows = [["Foto", "SHA-256 saat diunggah", "Masalah"]]
        rows += [[x["path"], x["stored_sha256"], x["text"]] for x in history["photo_problems"]]
        story.append(_table(rows, [5 * cm, 6 * cm, 7 * cm]))
    story.append(Paragraph("Selisih yang ditemukan", _STYLES["h2"]))
    if numbers["discrepancies"]:
        rows = [["Tahap", "Tempat", *[f"Paslon {c.number:02d}" for c in cands], "Suara berpindah"]]
        for d in numbers["discrepancies"]:
            rows.append([label(d["step"]), place(d["code"]), *[_change(d, c.number) for c in cands], d["votes_moved"]])
        story.append(_table(rows))
        story.append(
            Paragraph(
                "Angka: tingkat bawah / milik kami -> resmi / tingkat atas (selisih = resmi dikurangi milik kami); "
                "untuk angka Sirekap yang berubah: versi sebelumnya -> versi berikutnya.",
                p,
            )
        )
    else:
        story.append(Paragraph("Tidak ada selisih tercatat untuk subjek ini.", p))
    story.append(Paragraph("Angka per sumber", _STYLES["h2"]))
    rows = [["Sumber", *[f"Paslon {c.number:02d}" for c in cands], "Sah", "Tidak sah"]]
    for code, by_source in numbers["tps"].items():
        for source, r in by_source.items():
            rows.append(
                [
                    # official rows are published, never "verified" (that word means two clerks agreed)
                    f"{place(code)} · {label(source)} "
                    + ("(diterbitkan KPU)" if source == "official" else f"({label(r['state'])})"),
                    *[r["votes"].get(str(c.number)) for c in cands],
                    r["valid"],
                    r["invalid"],
                ]
            )
    for code, d in numbers["dhasil"].items():
        rows.append(
            [
                f"D.Hasil {place(code)}",
                *[d["votes"].get(str(c.number)) for c in cands],
                d["valid"],
                d["invalid"],
            ]
        )
    story.append(_table(rows))
    story.append(Paragraph("Versi Sirekap", _STYLES["h2"]))
    if history["sirekap"]:
        rows = [["Berkas", "Waktu Sirekap", "Diambil", "Suara", "Status", "SHA-256 berkas asli"]]
        rows += [
            [
                s["path"],
                format_wib(s["sirekap_ts"]),
                format_wib(s["fetched_at"]),
                format_votes(s["votes"]),
                _sirekap_status(s),
                s["sha256"],
            ]
            for s in history["sirekap"]
        ]
        story.append(_table(rows, [2.8 * cm, 2.6 * cm, 2.6 * cm, 3 * cm, 2.2 * cm, 4.8 * cm]))
    else:
        story.append(Paragraph("Tidak ada versi Sirekap tersimpan.", p))
    story.append(Paragraph("Foto", _STYLES["h2"]))
    if history["photos"]:
        rows = [["Berkas", "Diunggah", "SHA-256 (sama dengan saat diunggah)"]]
        rows += [[x["path"], format_wib(x.get("uploaded_at")), x["sha256"]] for x in history["photos"]]
        story.append(_table(rows, [6 * cm, 3.5 * cm, 8.5 * cm]))
        for img in images or []:
            story += _image(img["data"], img["caption"], img["path"])
    else:
        story.append(Paragraph("Tidak ada foto tersimpan.", p))
    story.append(Paragraph("Linimasa", _STYLES["h2"]))
    if events:
        rows = [["Waktu", "Jenis", "Tempat", "Keterangan"]] + [
            [format_wib(e["time"]), label(e["kind"]), place(e["code"]), e["text"]] for e in events[:200]
        ]
        story.append(_table(rows, [3.5 * cm, 3.2 * cm, 2.8 * cm, 8.5 * cm]))
    story.append(Paragraph(_t("Belum tercatat di sistem ini: " + ", ".join(not_yet) + "."), p))
    story.append(Paragraph("Riwayat perubahan", _STYLES["h2"]))
    story.append(
        Paragraph(
            _t(
                f"{len(history['audit'])} catatan audit dan {len(history['submissions'])} kiriman "
                "C.Hasil, lengkap di data/riwayat.json."
            ),
            p,
        )
    )
    story.append(Paragraph("Cara memeriksa keutuhan", _STYLES["h2"]))
    story.append(
        Paragraph(
            _t(
                "manifest.json mencantumkan setiap berkas dalam ZIP ini dengan SHA-256 dan ukurannya, "
                "manifest_sha256 (SHA-256 dari JSON kanonik bagian dossier dan files: kunci urut, tanpa spasi) "
                "dan tanda tangan Ed25519 organisasi atas JSON kanonik yang sama. Periksa dengan "
                "'kawaltps verify-dossier berkas.zip --public-key KUNCI_PUBLIK'; kunci publik organisasi "
                "tercantum di halaman /rekap/kunci-publik/ dan dicetak oleh 'kawaltps signing-key'"
                + (f" (sidik {key['fingerprint']})" if key else "")
                + ". Berkas yang diubah, walau hash-nya dihitung ulang, membuat tanda tangan tidak sah. "
                "Catat manifest_sha256 dalam laporan."
            ),
            p,
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=_t(f"Berkas Bukti {subject.title}"),
        author="Kawal TPS",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        invariant=1,
    )
    doc.build(story)
    return buf.getvalue()
