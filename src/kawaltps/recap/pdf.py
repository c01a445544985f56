"""The dossier's PDF summary (ReportLab), in Indonesian."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Step

STEP_LABELS = {s.value: str(s.label).replace("→", "->") for s in Step}


def _t(text) -> str:
    """Text safe for the standard PDF fonts (no arrows), with XML escaped."""
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


def summary_pdf(subject, meta: dict, numbers: dict, history: dict, events: list[dict], not_yet: list[str]) -> bytes:
    election = subject.election
    cands = list(election.candidates.order_by("number"))
    story = [
        Paragraph(_t(f"Berkas Bukti: {subject.title}"), _STYLES["h1"]),
        Paragraph(_t(f"{election.name} · dibuat {meta['created_at']} · {meta['generator']}"), _STYLES["p"]),
        Spacer(1, 0.3 * cm),
    ]
    story.append(Paragraph("Selisih yang ditemukan", _STYLES["h2"]))
    if numbers["discrepancies"]:
        rows = [["Tahap", "Kode", *[f"Paslon {c.number:02d}" for c in cands], "Suara berpindah"]]
        for d in numbers["discrepancies"]:
            rows.append(
                [
                    STEP_LABELS.get(d["step"], d["step"]),
                    d["code"],
                    *[
                        f"{d['ours'].get(str(c.number))} -> {d['official'].get(str(c.number))} "
                        f"({d['deltas'].get(str(c.number)):+d})"
                        for c in cands
                    ],
                    d["votes_moved"],
                ]
            )
        story.append(_table(rows))
        story.append(
            Paragraph(
                "Angka: tingkat bawah / milik kami -> resmi / tingkat atas (selisih = resmi dikurangi milik kami).",
                _STYLES["p"],
            )
        )
    else:
        story.append(Paragraph("Tidak ada selisih tercatat untuk subjek ini.", _STYLES["p"]))
    story.append(Paragraph("Angka per sumber", _STYLES["h2"]))
    rows = [["Sumber", *[f"Paslon {c.number:02d}" for c in cands], "Sah", "Tidak sah"]]
    for code, by_source in numbers["tps"].items():
        for source, r in by_source.items():
            label = {"witness": "C.Hasil saksi", "official": "Resmi (Sirekap)"}.get(source, source)
            rows.append(
                [
                    f"TPS {code} · {label} ({r['state']})",
                    *[r["votes"].get(str(c.number), "-") for c in cands],
                    r["valid"],
                    r["invalid"],
                ]
            )
    for code, d in numbers["dhasil"].items():
        rows.append(
            [
                f"D.Hasil {d['tier']} {code}",
                *[d["votes"].get(str(c.number), "-") for c in cands],
                d["valid"],
                d["invalid"],
            ]
        )
    story.append(_table(rows))
    story.append(Paragraph("Versi Sirekap", _STYLES["h2"]))
    if history["sirekap"]:
        rows = [["Berkas", "Waktu Sirekap", "Diambil", "Suara", "SHA-256 berkas asli"]]
        rows += [
            [
                s["path"],
                s["sirekap_ts"] or "-",
                s["fetched_at"],
                s["votes"] or "belum ada" + (" BERUBAH" if s["changed"] else ""),
                s["sha256"],
            ]
            for s in history["sirekap"]
        ]
        story.append(_table(rows, [3 * cm, 3 * cm, 3 * cm, 3.5 * cm, 5.5 * cm]))
    else:
        story.append(Paragraph("Tidak ada versi Sirekap tersimpan.", _STYLES["p"]))
    story.append(Paragraph("Foto", _STYLES["h2"]))
    if history["photos"]:
        rows = [["Berkas", "SHA-256"]] + [[p["path"], p["sha256"]] for p in history["photos"]]
        story.append(_table(rows, [7 * cm, 11 * cm]))
    else:
        story.append(Paragraph("Tidak ada foto tersimpan.", _STYLES["p"]))
    story.append(Paragraph("Linimasa", _STYLES["h2"]))
    if events:
        rows = [["Waktu", "Jenis", "Kode", "Keterangan"]] + [
            [e["time"], e["kind"], e["code"], e["text"]] for e in events[:200]
        ]
        story.append(_table(rows, [3.5 * cm, 3 * cm, 2.8 * cm, 8.7 * cm]))
    story.append(Paragraph(_t("Belum tercatat di sistem ini: " + ", ".join(not_yet) + "."), _STYLES["p"]))
    story.append(Paragraph("Riwayat perubahan", _STYLES["h2"]))
    story.append(
        Paragraph(
            _t(
                f"{len(history['audit'])} catatan audit dan {len(history['submissions'])} kiriman "
                "C.Hasil, lengkap di data/riwayat.json."
            ),
            _STYLES["p"],
        )
    )
    story.append(Paragraph("Cara memeriksa keutuhan", _STYLES["h2"]))
    story.append(
        Paragraph(
            _t(
                "manifest.json mencantumkan setiap berkas dalam ZIP ini dengan SHA-256 dan ukurannya, "
                "serta manifest_sha256: SHA-256 dari JSON kanonik (kunci urut, tanpa spasi) bagian dossier "
                "dan files. Periksa dengan "
                "'kawaltps verify-dossier berkas.zip', atau hitung sha256sum setiap berkas dan bandingkan. Catat "
                "manifest_sha256 dalam laporan agar berkas ini tidak dapat diganti tanpa ketahuan."
            ),
            _STYLES["p"],
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
