"""The PPK plenary kit (issue 11 item 7): for one kecamatan, before its plenary, every TPS's numbers
from our saksi's C.Hasil beside Sirekap's, the differences marked, the salinan photos referenced by
their SHA-256, and a prepared objection text for the D.Kejadian Khusus dan/atau Keberatan form.

One XLSX (``core.spreadsheet``) and one PDF (ReportLab, the dossier's table style), both Indonesian,
WIB dates, Indonesian number format, no internal codes. ``kawaltps plenary-kit`` and
``/rekap/kit-pleno/`` write them.
"""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kawaltps.core.spreadsheet import xlsx_bytes
from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS, Region

from .discrepancies import WITNESS_STATES
from .labels import EMPTY, format_number, format_wib
from .models import DHasil
from .pdf import _STYLES, _t, _table


class PlenaryError(ValueError):
    """A kit that cannot be made; the message is Indonesian."""


def rows_for(election: Election, code: str) -> dict:
    """The kit's data for kecamatan ``code``: ``{region, kelurahan names, cands, tps: [...], dhasil, totals}``;
    each TPS ``{code, number, kelurahan, address, ours, sirekap, diff, differs, photos}``."""
    from kawaltps.results.models import Photo, TpsResult

    code = (code or "").replace(".", "").strip()
    if len(code) != 6 or not code.isdigit():
        raise PlenaryError(f"kode {code!r} bukan kode kecamatan (6 digit)")
    region = Region.objects.filter(code=code).first()
    tps = list(TPS.objects.filter(election=election, code__startswith=code).order_by("code"))
    if region is None or not tps:
        raise PlenaryError(f"kecamatan {code} tidak memiliki TPS pemilihan {election.name} di daftar kami")
    numbers = sorted(election.candidates.values_list("number", flat=True))
    results = TpsResult.objects.filter(election=election, code__startswith=code)
    ours = {r.code: r.votes for r in results if r.source == "witness" and r.state in WITNESS_STATES}
    sirekap = {r.code: r.votes for r in results if r.source == "official"}
    photos: dict[str, list[str]] = {}
    for p in Photo.objects.filter(result__election=election, result__source="witness", result__code__startswith=code):
        photos.setdefault(p.result.code, []).append(f"hal. {p.page}: {p.sha256[:16]}")
    names = dict(Region.objects.filter(code__startswith=code).values_list("code", "name"))
    out = []
    for t in tps:
        o, s = ours.get(t.code), sirekap.get(t.code)
        diff = (
            {n: s[str(n)] - o[str(n)] for n in numbers}
            if o and s and all(str(n) in o and str(n) in s for n in numbers)
            else None
        )
        out.append({
            "code": t.code, "number": t.number, "kelurahan": names.get(t.code[:10], ""), "address": t.address,
            "ours": o, "sirekap": s, "diff": diff, "differs": bool(diff and any(diff.values())),
            "photos": sorted(photos.get(t.code, [])),
        })  # fmt: skip
    total = {n: sum(r["ours"][str(n)] for r in out if r["ours"]) for n in numbers}
    return {
        "region": region,
        "cands": list(election.candidates.order_by("number")),
        "numbers": numbers,
        "tps": out,
        "complete": all(r["ours"] for r in out),
        "ours_total": total,
        "dhasil": DHasil.objects.filter(election=election, code=code).first(),
    }


def _v(votes: dict | None, n: int) -> str:
    return format_number(votes.get(str(n))) if votes else EMPTY


def objection_text(election: Election, data: dict) -> str:
    """The prepared text of the objection for the D.Kejadian Khusus dan/atau Keberatan form."""
    bad = [r for r in data["tps"] if r["differs"]]
    region = data["region"]
    if not bad:
        return (f"Tidak ada perbedaan antara salinan C.Hasil saksi kami dan angka Sirekap di Kecamatan {region.name} "
                "untuk TPS yang kami miliki salinannya.")  # fmt: skip
    parts = []
    for r in bad:
        items = "; ".join(
            f"paslon {n:02d} menurut salinan C.Hasil {_v(r['ours'], n)}, menurut Sirekap {_v(r['sirekap'], n)}"
            for n in data["numbers"]
            if r["diff"][n]
        )
        parts.append(f"TPS {r['number']:03d} Kelurahan {r['kelurahan']}: {items}")
    return (
        f"Kami, saksi pasangan calon pada rapat pleno rekapitulasi Kecamatan {region.name} ({election.name}), "
        "mengajukan keberatan atas angka berikut dan meminta agar rekapitulasi dicocokkan dengan C.Hasil "
        "(plano) TPS yang bersangkutan: " + " · ".join(parts) + ". Salinan C.Hasil dan fotonya (dengan "
        "sidik SHA-256 pada lampiran) kami serahkan sebagai bukti."
    )


def xlsx(election: Election, data: dict) -> bytes:
    nums = data["numbers"]
    head = ["TPS", "Kelurahan", "Alamat", *[f"Saksi {n:02d}" for n in nums], *[f"Sirekap {n:02d}" for n in nums],
            *[f"Selisih {n:02d}" for n in nums], "Berbeda", "Foto salinan (SHA-256)"]  # fmt: skip
    rows = [head]
    for r in data["tps"]:
        rows.append([
            f"{r['number']:03d}", r["kelurahan"], r["address"],
            *[(r["ours"] or {}).get(str(n)) for n in nums], *[(r["sirekap"] or {}).get(str(n)) for n in nums],
            *[(r["diff"] or {}).get(n) for n in nums], "YA" if r["differs"] else "", "; ".join(r["photos"]),
        ])  # fmt: skip
    rows.append([])
    rows.append(["Keberatan", objection_text(election, data)])
    return xlsx_bytes(rows, sheet_title=f"Pleno {data['region'].code}")


def pdf(election: Election, data: dict) -> bytes:
    nums, p, region = data["numbers"], _STYLES["p"], data["region"]
    story = [
        Paragraph(_t(f"Bahan Rapat Pleno PPK Kecamatan {region.name}"), _STYLES["h1"]),
        Paragraph(_t(f"{election.name} · disiapkan {format_wib(timezone.now())}"), p),
        Paragraph(
            _t("Angka salinan C.Hasil saksi kami di samping angka Sirekap; baris yang berbeda ditandai BEDA."), p
        ),
        Spacer(1, 0.3 * cm),
    ]
    rows = [["TPS", "Kelurahan", *[f"Paslon {n:02d} saksi / Sirekap" for n in nums], "Tanda", "Foto salinan"]]
    for r in data["tps"]:
        rows.append([
            f"{r['number']:03d}", r["kelurahan"],
            *[f"{_v(r['ours'], n)} / {_v(r['sirekap'], n)}" for n in nums],
            "BEDA" if r["differs"] else ("belum ada salinan" if not r["ours"] else ""),
            "; ".join(r["photos"]) or EMPTY,
        ])  # fmt: skip
    story.append(_table(rows))
    story.append(Paragraph("Jumlah menurut salinan C.Hasil saksi kami", _STYLES["h2"]))
    tot = " · ".join(f"Paslon {n:02d}: {format_number(data['ours_total'][n])}" for n in nums)
    note = "" if data["complete"] else " (belum semua TPS memiliki salinan kami)"
    story.append(Paragraph(_t(tot + note), p))
    if data["dhasil"] is not None:
        d = data["dhasil"]
        story.append(Paragraph(_t("D.Hasil Kecamatan yang tercatat: " + " · ".join(
            f"Paslon {n:02d}: {_v(d.votes, n)}" for n in nums)), p))  # fmt: skip
    story.append(Paragraph("Teks keberatan (formulir D.Kejadian Khusus dan/atau Keberatan)", _STYLES["h2"]))
    story.append(Paragraph(_t(objection_text(election, data)), p))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), title=f"Bahan pleno {region.name}",
                      leftMargin=1.5 * cm, rightMargin=1.5 * cm).build(story)  # fmt: skip
    return buf.getvalue()


def build(election: Election, code: str) -> tuple[dict, bytes, bytes]:
    """(data, PDF bytes, XLSX bytes) of the kit of kecamatan ``code``; PlenaryError for a bad code."""
    data = rows_for(election, code)
    return data, pdf(election, data), xlsx(election, data)
