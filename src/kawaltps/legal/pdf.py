"""The two filings as PDF (ReportLab, as ``recap.pdf``), written as Indonesian legal documents.

Rules: dates are written out (``core.formatting.long_day`` / ``long_when``: 8 Desember 2024,
27 November 2024 14.05 WIB), counts with dots, paslon as "Paslon 01", places in words
(:mod:`legal.places`), and no internal code, field name or region code ever printed.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kawaltps.core.formatting import long_day, long_when, number, paslon, percent
from kawaltps.fieldday.taxonomy import TRACKS
from kawaltps.fieldday.workflow import FILED_WITH

from .deadlines import FILING_DAYS, MK_WORKING_DAYS

_base = getSampleStyleSheet()
S = {
    "title": _base["Title"].clone("ltitle", fontSize=14, leading=18),
    "h": _base["Heading3"].clone("lh", spaceBefore=8),
    "p": _base["BodyText"].clone("lp", alignment=4, leading=14),
    "cell": _base["BodyText"].clone("lcell", fontSize=8, leading=10),
    "num": _base["BodyText"].clone("lnum", fontSize=8, leading=10, alignment=2),
    "hash": _base["BodyText"].clone("lhash", fontName="Courier", fontSize=6, leading=9),
}


def esc(text) -> str:
    s = "–" if text is None or text == "" else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _para(text: str, style: str = "p") -> Paragraph:
    return Paragraph(esc(text), S[style])


def _grid(rows: list[list], widths=None, numeric_from: int | None = None, hash_col: int | None = None) -> Table:
    """A table; ``numeric_from``: columns from there right-aligned; ``hash_col``: a SHA-256 column in a
    fixed-width font small enough for 64 characters on one line."""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, c in enumerate(row):
            style = "cell"
            if i > 0 and numeric_from is not None and j >= numeric_from:
                style = "num"
            elif i > 0 and j == hash_col:
                style = "hash"
            cells.append(Paragraph(esc(c), S[style]))
        body.append(cells)
    t = Table(body, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f3")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _doc(story: list, title: str, pagesize=A4) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=pagesize, title=title, author="Kawal TPS", leftMargin=2 * cm,
                      rightMargin=2 * cm, topMargin=1.8 * cm, bottomMargin=1.8 * cm, invariant=1).build(story)
    return buf.getvalue()


def _countdown(deadline: datetime.date, today: datetime.date) -> str:
    left = (deadline - today).days
    if left > 0:
        return f"tersisa {left} hari"
    return "hari terakhir" if left == 0 else f"lewat {-left} hari"


def bawaslu_pdf(report, *, now: datetime.datetime | None = None) -> bytes:
    """The report to Bawaslu (the form's sections in order), with full personal data: only people
    who may file (``Action.FILE_LEGAL``) receive it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    e = report.election
    story = [_para("LAPORAN DUGAAN PELANGGARAN PEMILIHAN", "title"), _para(e.name, "title"),
             _para(f"Kepada Yth. {FILED_WITH.get(report.desk, 'Badan Pengawas Pemilihan Umum')}"), Spacer(1, 6)]
    story.append(_para("I. Identitas Pelapor", "h"))
    story.append(_grid([["Uraian", "Isian"], ["Nama", report.reporter_name], ["Alamat", report.reporter_address],
                        ["Nomor telepon", report.reporter_phone]], [4.5 * cm, 12.5 * cm]))
    story.append(_para("II. Terlapor", "h"))
    story.append(_para(report.reported_party))
    story.append(_para("III. Waktu dan Tempat Kejadian", "h"))
    story.append(_grid([["Uraian", "Isian"], ["Waktu kejadian", long_when(report.event_at)],
                        ["Tempat kejadian", report.event_place], ["Diketahui pada", long_day(report.known_on)],
                        ["Batas akhir pelaporan", f"{long_day(report.deadline)} ({FILING_DAYS} hari sejak "
                                                  f"diketahui; {_countdown(report.deadline, today)})"]],
                       [4.5 * cm, 12.5 * cm]))
    story.append(_para("IV. Uraian Kejadian", "h"))
    for para in [p for p in report.narrative.split("\n\n") if p.strip()]:
        story.append(_para(" ".join(para.split())))
    story.append(_para("V. Saksi", "h"))
    if report.witnesses:
        rows = [["No.", "Nama", "Keterangan"]] + [[str(n), w.get("name", ""), w.get("statement", "")]
                                                for n, w in enumerate(report.witnesses, start=1)]
        story.append(_grid(rows, [1 * cm, 4.5 * cm, 11.5 * cm]))
    else:
        story.append(_para("Belum ada saksi yang tercatat."))
    story.append(_para("VI. Bukti", "h"))
    if report.evidence:
        rows = [["No.", "Bukti", "Berkas", "SHA-256"]] + [
            [str(n), b["label"], b["file"], b["sha256"]] for n, b in enumerate(report.evidence, start=1)]
        story.append(_grid(rows, [0.8 * cm, 5.4 * cm, 2 * cm, 8.8 * cm], hash_col=3))
        story.append(_para("SHA-256 adalah sidik isi berkas yang dicatat saat berkas masuk ke sistem; berkas yang "
                           "dilampirkan dapat diperiksa dengan menghitung SHA-256-nya kembali."))
    else:
        story.append(_para("Belum ada bukti berkas."))
    story.append(_para("VII. Jenis Dugaan Pelanggaran", "h"))
    story.append(_para(f"Dugaan pelanggaran {TRACKS.get(report.violation, '')}, dilaporkan kepada "
                       f"{FILED_WITH.get(report.desk, '')}."))
    story += [Spacer(1, 10), _para("Demikian laporan ini kami sampaikan dengan sebenar-benarnya untuk ditindaklanjuti "
                                   "sesuai ketentuan peraturan perundang-undangan."), Spacer(1, 8),
              _para(f"Dibuat pada {long_when(now)}."), Spacer(1, 30), _para("Pelapor,"), Spacer(1, 36),
              _para(f"({report.reporter_name})")]
    return _doc(story, f"Laporan dugaan pelanggaran {e.name}")


def _share(part: int, whole: int) -> str:
    return percent(part * 100 / whole, 2) if whole else "–"


def mk_pdf(pkg, *, now: datetime.datetime | None = None) -> bytes:
    """The MK package: deadline, Pasal 158, the table per kelurahan or TPS, the exhibits P-1 …"""
    now = now or timezone.now()
    d, e = pkg.data, pkg.election
    nums = sorted(d["candidates"], key=int)
    pet, win = d["petitioner"], d["winner"]
    story = [_para("BERKAS PERMOHONAN PERSELISIHAN HASIL PEMILIHAN", "title"), _para(e.name, "title"),
             _para(f"Wilayah: {d['region_name']}. Pemohon: {paslon(pet)} ({d['candidates'].get(str(pet), '')}). "
                   "Termohon: Komisi Pemilihan Umum."), Spacer(1, 4)]
    story.append(_para("A. Tenggang Waktu Pengajuan Permohonan", "h"))
    story.append(_para(
        f"Termohon mengumumkan penetapan perolehan suara pada {long_day(pkg.announced_on)}. Permohonan diajukan "
        f"paling lambat {MK_WORKING_DAYS} hari kerja sejak pengumuman itu (UU 10/2016 Pasal 157 ayat (5)), yaitu "
        f"pada {long_day(pkg.deadline)}; hari Sabtu, Minggu, dan hari libur tidak dihitung."))
    story.append(_para("B. Ambang Batas Selisih Suara (UU 10/2016 Pasal 158)", "h"))
    official = d["official"]
    votes = official["votes"]
    story.append(_para(
        f"Menurut Termohon, {paslon(win)} memperoleh {number(votes.get(str(win)))} suara dan Pemohon "
        f"{number(votes.get(str(pet)))} suara dari {number(official['valid'])} suara sah; selisihnya "
        f"{number(d['margin'])} suara ({_share(d['margin'], official['valid'])} dari suara sah)."))
    t = d.get("threshold")
    if t:
        wilayah = "provinsi" if t["level"] == "provinsi" else "kabupaten/kota"
        story.append(_para(
            f"Jumlah penduduk {d['region_name']} {number(t['population'])} jiwa, sehingga bagi pemilihan di "
            f"tingkat {wilayah} ambang batasnya {percent(t['percent'], 1)} dari suara sah ({t['basis']}), yaitu "
            f"{number(int(t['threshold_votes']))} suara. Selisih {number(d['margin'])} suara "
            + ("tidak melebihi ambang batas: permohonan memenuhi syarat Pasal 158." if t["eligible"] else
               "melebihi ambang batas: permohonan tidak memenuhi syarat Pasal 158.")))
    elif d.get("threshold_level"):
        story.append(_para("Jumlah penduduk wilayah belum diisi, sehingga ambang batas Pasal 158 belum dapat "
                           "dihitung."))
    else:
        story.append(_para("Pasal 158 berlaku bagi pemilihan gubernur, bupati, dan wali kota; tidak bagi "
                           "pemilihan ini."))
    unit = "TPS" if d["level"] == 13 else "kelurahan"
    story.append(_para(f"C. Perolehan Suara Menurut Pemohon dan Termohon per {unit}", "h"))
    story.append(_para("Menurut Pemohon: jumlah C.Hasil yang dipegang saksi Pemohon; di TPS yang salinannya tidak "
                       "dipegang saksi dipakai angka Termohon. Menurut Termohon: angka resmi KPU per TPS. Selisih: "
                       "Pemohon dikurangi Termohon. Kolom TPS: jumlah TPS (dalam kurung: yang C.Hasil-nya dipegang "
                       "saksi)."))
    head = [unit.capitalize(), "TPS (C.Hasil saksi)"]
    for n in nums:
        head += [f"{paslon(n)} Pemohon", f"{paslon(n)} Termohon", f"{paslon(n)} selisih"]
    rows = [head]

    def line(name: str, r: dict) -> list:
        out = [name, f"{number(r['tps'])} ({number(r['ours_tps'])})"]
        for n in nums:
            diff = r["diff"][n]
            out += [number(r["ours"][n]), number(r["kpu"][n]), ("+" if diff > 0 else "") + number(diff)]
        return out

    rows += [line(r["name"], r) for r in d["rows"]]
    rows.append(line("Jumlah", d["total"]))
    width = 25.7 * cm
    first = 6.2 * cm
    story.append(_grid(rows, [first, 2 * cm] + [(width - first - 2 * cm) / (3 * len(nums))] * (3 * len(nums)),
                       numeric_from=1))
    story.append(_para("D. Daftar Alat Bukti", "h"))
    if d["evidence"]:
        rows = [["Bukti", "Uraian", "Berkas", "SHA-256"]] + [[x["number"], x["label"], x["file"], x["sha256"]]
                                                           for x in d["evidence"]]
        story.append(_grid(rows, [1.6 * cm, 12.6 * cm, 2.4 * cm, 9.1 * cm], hash_col=3))
    else:
        story.append(_para("Belum ada alat bukti berkas."))
    story += [Spacer(1, 8), _para(f"Disusun pada {long_when(now)}.")]
    return _doc(story, f"Permohonan perselisihan hasil {e.name}", landscape(A4))
