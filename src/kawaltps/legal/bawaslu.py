"""A report to Bawaslu made from recap findings and/or election-day incidents.

What the report form asks (../shared/DOMAIN.md "Filing with Bawaslu", Perbawaslu 7/2022): the
reporter's identity, the reported party, place and time, what happened, the witnesses and the
evidence, within 7 days of the violation becoming known (:mod:`legal.deadlines`). Defaults:

- reported party: who made the number at the place (:func:`legal.places.responsible`: KPPS of the
  TPS, PPK of the kecamatan, KPU of the kota/provinsi);
- time: the earliest incident's time, else when the first finding was found; known on: the
  earliest of the incidents' days and the findings' first-found days (WIB);
- narrative: one paragraph per finding and per incident, in words (editable afterwards);
- witnesses: the saksi who reported the incidents and who sent the TPS's C.Hasil;
- evidence: the incidents' files, the C.Hasil and D.Hasil photos and Sirekap versions behind the
  findings, each with its SHA-256 as stored when it entered the system;
- violation type: the first legal track of the first incident's category (fieldday.taxonomy),
  else administratif; desk: Sentra Gakkumdu for pidana, DKPP for etik, else Bawaslu of the
  kabupaten/kota (provinsi for a provincial finding).

Every refusal is a ``ValidationError`` in Indonesian and nothing is stored.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.core.formatting import long_when, number, paslon
from kawaltps.elections.models import Election
from kawaltps.fieldday import taxonomy
from kawaltps.fieldday.models import Incident
from kawaltps.fieldday.workflow import FILED_WITH
from kawaltps.recap.labels import label
from kawaltps.recap.models import DHasil, Discrepancy, SirekapSnapshot

from . import places
from .deadlines import bawaslu_deadline
from .models import BawasluReport

MAX_NARRATIVE = 20_000
#: What each recap step compared, as a sentence part ("Dalam ... ditemukan"); others use the step's label.
STEP_PHRASE = {
    "tps_sirekap": "perbandingan C.Hasil yang dipegang saksi dengan angka KPU (Sirekap)",
    "tps_kecamatan": "penjumlahan angka KPU per TPS dibandingkan dengan D.Hasil Kecamatan",
    "tps_kecamatan_saksi": "penjumlahan C.Hasil saksi dibandingkan dengan D.Hasil Kecamatan",
    "kecamatan_kabkota": "penjumlahan D.Hasil Kecamatan dibandingkan dengan D.Hasil Kabupaten/Kota",
    "kabkota_provinsi": "penjumlahan D.Hasil Kabupaten/Kota dibandingkan dengan D.Hasil Provinsi",
    "sirekap_changed": "pemantauan angka Sirekap, yang berubah setelah diterbitkan,",
    "dhasil_kelurahan": "penjumlahan angka KPU per TPS dibandingkan dengan baris kelurahan D.Hasil Kecamatan",
    "dhasil_kecamatan_row": "perbandingan D.Hasil Kecamatan dengan barisnya di D.Hasil Kabupaten/Kota",
    "dhasil_kabkota_row": "perbandingan D.Hasil Kabupaten/Kota dengan barisnya di D.Hasil Provinsi",
}


def _ids(values, what: str) -> list[int]:
    out = []
    for v in values or []:
        text = str(v).strip().lstrip("#")
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            raise ValidationError(f"Nomor {what} tidak sah: {str(v)[:20]!r}.")
        out.append(int(text))
    return out


def load_sources(election: Election, finding_ids, incident_ids) -> tuple[list[Discrepancy], list[Incident]]:
    """The findings and incidents asked for, in the order given; an unknown id is refused by number."""
    f_ids, i_ids = _ids(finding_ids, "temuan"), _ids(incident_ids, "laporan kejadian")
    if not f_ids and not i_ids:
        raise ValidationError("Pilih sedikitnya satu temuan selisih atau laporan kejadian.")
    found = {d.pk: d for d in Discrepancy.objects.filter(election=election, pk__in=f_ids)}
    missing = [str(i) for i in f_ids if i not in found]
    if missing:
        raise ValidationError(f"Temuan tidak ada pada pemilihan ini: #{', #'.join(missing)}.")
    incs = {i.pk: i for i in Incident.objects.filter(election=election, pk__in=i_ids).select_related("user")}
    missing = [str(i) for i in i_ids if i not in incs]
    if missing:
        raise ValidationError(f"Laporan kejadian tidak ada pada pemilihan ini: #{', #'.join(missing)}.")
    return [found[i] for i in dict.fromkeys(f_ids)], [incs[i] for i in dict.fromkeys(i_ids)]


def common_code(codes: list[str]) -> str:
    """The narrowest TPS or region (13/10/6/4/2 digits) containing every code ('' if none)."""
    if not codes:
        return ""
    prefix = codes[0]
    for c in codes[1:]:
        while not c.startswith(prefix):
            prefix = prefix[:-1]
    for n in (13, 10, 6, 4, 2):
        if len(prefix) >= n:
            return prefix[:n]
    return ""


def _change_text(d: Discrepancy) -> str:
    parts = []
    for key in sorted(d.deltas, key=lambda k: int(k) if str(k).isdigit() else 0):
        delta = d.deltas[key]
        if not delta:
            continue
        parts.append(f"{paslon(key)} dari {number(d.ours.get(key))} menjadi {number(d.official.get(key))} suara "
                     f"(selisih {'+' if delta > 0 else ''}{number(delta)})")
    return "; ".join(parts)


def finding_paragraph(d: Discrepancy, names: dict | None = None) -> str:
    where = places.place(d.code, names=names)
    phrase = STEP_PHRASE.get(d.step) or f"pemeriksaan {label(d.step).replace('→', 'dengan')}"
    return (f"Dalam {phrase} di {where} ditemukan perbedaan angka: {_change_text(d)}. "
            f"Sebanyak {number(d.votes_moved)} suara berpindah"
            + (f", menguntungkan {paslon(d.gained)}." if d.gained else "."))


def incident_paragraph(i: Incident, names: dict | None = None) -> str:
    cat = taxonomy.category(i.category_key)
    what = str(cat.label) if cat else "kejadian"
    basis = f" ({cat.basis})" if cat and cat.basis else ""
    return (f"Pada {long_when(i.occurred_at)} di {places.place(i.tps_code, names=names)} terjadi: {what}{basis}. "
            f"Uraian saksi: {i.description.strip()}")


def narrative(findings: list[Discrepancy], incidents: list[Incident]) -> str:
    """The generated narrative: one paragraph per incident, then per finding."""
    paras = [incident_paragraph(i) for i in incidents] + [finding_paragraph(d) for d in findings]
    return "\n\n".join(paras)


def _person(user) -> str:
    if user is None:
        return ""
    from kawaltps.volunteers.models import Volunteer

    v = Volunteer.objects.filter(user=user).only("name").first()
    return (v.name if v else "") or user.get_full_name() or user.get_username()


def witnesses(election: Election, findings: list[Discrepancy], incidents: list[Incident]) -> list[dict]:
    """The saksi behind the sources, each once, with what they can state."""
    from kawaltps.results.models import Submission

    out: dict[str, dict] = {}
    for i in incidents:
        name = _person(i.user)
        if name:
            out.setdefault(name, {"name": name, "statement": f"Melihat langsung kejadian di "
                                  f"{places.place(i.tps_code, up_to=10)} pada {long_when(i.occurred_at)}."})
    tps_codes = [d.code for d in findings if d.is_tps]
    for s in (Submission.objects.filter(result__election=election, result__code__in=tps_codes, result__source="witness",
                                        kind="saksi").select_related("entered_by", "result").order_by("created_at")):
        name = _person(s.entered_by)
        if name:
            out.setdefault(name, {"name": name, "statement": "Menyaksikan penghitungan suara dan menerima salinan "
                                  f"C.Hasil di {places.place(s.result.code, up_to=10)}."})
    return list(out.values())


def evidence(election: Election, findings: list[Discrepancy], incidents: list[Incident]) -> list[dict]:
    """Every file behind the sources with its stored SHA-256, named ``bukti-NN.ext`` as attached."""
    from kawaltps.results.models import Photo

    items: list[tuple[str, str, str, int]] = []  # (label, ext, sha256, size)
    seen: set[str] = set()

    def add(text: str, name: str, sha: str, size: int) -> None:
        if sha in seen:
            return
        seen.add(sha)
        items.append((text, name.rsplit(".", 1)[-1].lower() if "." in name else "bin", sha, size))

    for i in incidents:
        for f in i.evidence.all().order_by("pk"):
            add(f"{'Video' if f.kind == 'video' else 'Foto'} kejadian di {places.place(i.tps_code, up_to=10)}",
                f.original.name, f.sha256, f.size)
    tps = [d.code for d in findings if d.is_tps]
    for p in Photo.objects.filter(result__election=election, result__code__in=tps).select_related("result").order_by(
            "result__code", "result__source", "page"):
        who = "saksi" if p.result.source == "witness" else "resmi"
        add(f"Foto salinan C.Hasil {places.place(p.result.code, up_to=10)}, halaman {p.page} ({who})",
            p.file.name, p.sha256, p.size)
    snaps = SirekapSnapshot.objects.filter(election=election, code__in=tps).defer("raw")
    for s in snaps.order_by("code", "fetched_at"):
        add(f"Halaman Sirekap {places.place(s.code, up_to=10)} diambil {long_when(s.fetched_at)}", "x.json",
            s.sha256, len(bytes(s.raw_bytes)) if s.raw_bytes else 0)
    regions = [d.code for d in findings if not d.is_tps]
    regions += [c[:6] for c in regions if len(c) == 10]
    for dh in DHasil.objects.filter(election=election, code__in=regions).prefetch_related("photos").order_by("code"):
        for p in dh.photos.all():
            add(f"Foto {places.TIER_DOC.get(dh.tier, dh.tier)}, {places.region_label(dh.code)}", p.file.name,
                p.sha256, p.size)
    return [{"label": text, "file": f"bukti-{n:02d}.{ext}", "sha256": sha, "size": size}
            for n, (text, ext, sha, size) in enumerate(items, start=1)]


def _source_copy(findings: list[Discrepancy], incidents: list[Incident]) -> dict:
    return {"findings": [{"id": d.pk, "key": d.key, "step": d.step, "code": d.code, "deltas": d.deltas,
                          "ours": d.ours, "official": d.official, "votes_moved": d.votes_moved} for d in findings],
            "incidents": [{"id": i.pk, "tps": i.tps_code, "category": i.category_key,
                           "occurred_at": i.occurred_at.isoformat()} for i in incidents]}


def _clean(value, limit: int, what: str, required: bool = False) -> str:
    text = " ".join(str(value or "").split()) if limit <= 300 else str(value or "").strip()
    if required and not text:
        raise ValidationError(f"{what} wajib diisi.")
    if len(text) > limit:
        raise ValidationError(f"{what} paling panjang {number(limit)} karakter.")
    return text


def default_desk(violation: str, code: str) -> str:
    if violation == taxonomy.PIDANA:
        return "gakkumdu"
    if violation == taxonomy.ETIK:
        return "dkpp"
    return "bawaslu_prov" if len(code) == 2 else "bawaslu_kota"


@transaction.atomic
def create_report(user, election: Election, *, finding_ids=(), incident_ids=(), reporter_name: str = "",
                  reporter_address: str = "", reporter_phone: str = "", reported_party: str = "",
                  violation: str = "", desk: str = "", known_on: datetime.date | None = None) -> BawasluReport:
    """Make and store a report (``user`` None: the server's operator, from the CLI); audited."""
    if user is not None:
        require(user, Action.FILE_LEGAL)
    findings, incidents = load_sources(election, finding_ids, incident_ids)
    codes = [d.code for d in findings] + [i.tps_code for i in incidents]
    if user is not None:
        for c in codes:
            require(user, Action.FILE_LEGAL, c)
    code = common_code(codes)
    if violation and violation not in taxonomy.TRACKS:
        raise ValidationError("Jenis pelanggaran tidak dikenal: pilih administratif, pidana, atau etik.")
    if not violation:
        cat = taxonomy.category(incidents[0].category_key) if incidents else None
        violation = cat.tracks[0] if cat else taxonomy.ADMINISTRATIF
    desk = desk or default_desk(violation, code)
    if desk not in FILED_WITH:
        raise ValidationError("Lembaga tujuan laporan tidak dikenal.")
    times = [i.occurred_at for i in incidents] or [d.first_found_at for d in findings]
    days = [timezone.localdate(i.occurred_at) for i in incidents] + [timezone.localdate(d.first_found_at)
                                                                     for d in findings]
    known = known_on or min(days)
    if known > timezone.localdate():
        raise ValidationError("Tanggal diketahui tidak boleh di masa depan.")
    place = places.place(code) if code else places.UNKNOWN
    address = places.tps_address(election, code)
    name = _clean(reporter_name, 120, "Nama pelapor") or (_person(user) if user is not None else "")
    if not name:
        raise ValidationError("Nama pelapor wajib diisi.")
    report = BawasluReport.objects.create(
        election=election, code=code, reporter_name=name,
        reporter_address=_clean(reporter_address, 255, "Alamat pelapor"),
        reporter_phone=_clean(reporter_phone, 20, "Telepon pelapor"),
        reported_party=_clean(reported_party, 200, "Terlapor") or places.responsible(code),
        event_at=min(times), event_place=(f"{place} ({address})" if address else place)[:300],
        known_on=known, deadline=bawaslu_deadline(known), narrative=narrative(findings, incidents),
        witnesses=witnesses(election, findings, incidents), evidence=evidence(election, findings, incidents),
        violation=violation, desk=desk, sources=_source_copy(findings, incidents), created_by=user)
    report.findings.set(findings)
    report.incidents.set(incidents)
    record_change(user=user, actor="" if user is not None else "cli", obj=report, code=code,
                  election_slug=election.slug, action="legal.bawaslu_create",
                  after={"findings": [d.pk for d in findings], "incidents": [i.pk for i in incidents],
                         "deadline": report.deadline.isoformat(), "violation": violation, "desk": desk})
    return report


@transaction.atomic
def update_narrative(user, report: BawasluReport, text: str) -> BawasluReport:
    """Replace the narrative (edited by the legal team); audited with the text before and after."""
    report = BawasluReport.objects.select_for_update().select_related("election").get(pk=report.pk)
    require(user, Action.FILE_LEGAL, report.code or None)
    text = _clean(str(text or "").replace("\r\n", "\n").replace("\r", "\n"), MAX_NARRATIVE, "Uraian kejadian",
                  required=True)
    before = report.narrative
    if text == before:
        return report
    report.narrative = text
    report.save(update_fields=["narrative", "updated_at"])
    record_change(user=user, obj=report, code=report.code, election_slug=report.election.slug,
                  action="legal.bawaslu_narrative", before={"narrative": before}, after={"narrative": text})
    return report


def days_left(report: BawasluReport) -> int | None:
    return taxonomy.days_until(report.deadline)
