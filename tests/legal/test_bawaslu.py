"""A Bawaslu report from findings and incidents: defaults, deadline, evidence hashes, the narrative
edit, refusals (nothing stored), permissions, masking, and the PDF's words."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from kawaltps.audit.models import ChangeRecord
from kawaltps.evidence.models import EvidenceFile
from kawaltps.legal import bawaslu, pdf
from kawaltps.legal.models import BawasluReport
from kawaltps.legal.privacy import reporter_view
from tests.pdftext import INTERNAL, LONG_DATE, text_of

from .conftest import TPS_IN

KEY = f"tps_sirekap:{TPS_IN}"
CODES = ("3175081001001", "3175081001", "317508", "3175", "3171011001001")


def make(user, election, findings, incident, **kw):
    return bawaslu.create_report(user, election, finding_ids=[findings[KEY].pk], incident_ids=[incident.pk],
                                 reporter_name="Budi Santoso", reporter_address="Jl. Melati 5, Jakarta",
                                 reporter_phone="081234565678", **kw)


def test_report_from_a_finding_and_an_incident(users, loaded, findings, incident, witness_photo):
    r = make(users["legal"], loaded, findings, incident)
    assert r.code == TPS_IN
    assert r.reported_party == "KPPS TPS 001 Kelurahan Makasar, Kecamatan Makasar"
    assert r.event_place == ("TPS 001 Kelurahan Makasar, Kecamatan Makasar, Kota Adm. Jakarta Timur, "
                             "Provinsi DKI Jakarta")
    assert r.known_on == datetime.date(2024, 11, 27) and r.deadline == datetime.date(2024, 12, 4)
    assert r.event_at == incident.occurred_at
    assert r.violation == "administratif" and r.desk == "bawaslu_kota"  # kotak_dibuka: first track
    assert "Paslon 01 dari 100 menjadi 110 suara (selisih +10)" in r.narrative
    assert "Paslon 03 dari 200 menjadi 190 suara (selisih -10)" in r.narrative
    assert "Ketua KPPS membuka kotak suara" in r.narrative and "27 November 2024 11.30 WIB" in r.narrative
    assert r.witnesses[0]["name"] == "Siti Rahmawati"
    ev = {e["sha256"]: e for e in r.evidence}
    stored = EvidenceFile.objects.get(election=loaded, purpose="incident")
    assert ev[stored.sha256]["file"] == "bukti-01.jpg"
    assert witness_photo[TPS_IN].sha256 in ev  # the C.Hasil of the finding's TPS
    assert witness_photo["3171011001001"].sha256 not in ev  # not the other TPS
    assert [e["file"].split(".")[0] for e in r.evidence] == [f"bukti-{n:02d}" for n in range(1, len(r.evidence) + 1)]
    rec = ChangeRecord.objects.get(action="legal.bawaslu_create")
    assert rec.object_id == str(r.pk) and rec.after["findings"] == [findings[KEY].pk]
    assert set(r.findings.all()) == {findings[KEY]} and set(r.incidents.all()) == {incident}


def test_pidana_goes_to_gakkumdu_and_region_findings_name_the_ppk(users, loaded, findings):
    kec = findings["tps_kecamatan:317101"]
    r = bawaslu.create_report(users["admin"], loaded, finding_ids=[kec.pk], reporter_name="A", violation="pidana")
    assert r.desk == "gakkumdu" and r.reported_party == "PPK Kecamatan Gambir"


@pytest.mark.parametrize("kwargs,message", [
    ({"finding_ids": ["999999"]}, "Temuan tidak ada pada pemilihan ini: #999999."),
    ({"finding_ids": ["12a"]}, "Nomor temuan tidak sah"),
    ({"incident_ids": ["424242"]}, "Laporan kejadian tidak ada"),
    ({}, "Pilih sedikitnya satu temuan"),
    ({"finding_ids": ["FIRST"], "violation": "perdata"}, "Jenis pelanggaran tidak dikenal"),
    ({"finding_ids": ["FIRST"], "desk": "polsek"}, "Lembaga tujuan laporan tidak dikenal"),
    ({"finding_ids": ["FIRST"], "reporter_phone": "0" * 21}, "Telepon pelapor paling panjang 20"),
])
def test_bad_input_is_refused_in_indonesian_and_nothing_is_stored(users, loaded, findings, kwargs, message):
    kwargs = {k: ([str(next(iter(findings.values())).pk)] if v == ["FIRST"] else v) for k, v in kwargs.items()}
    audit = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        bawaslu.create_report(users["legal"], loaded, reporter_name="Budi", **kwargs)
    assert message in " ".join(exc.value.messages)
    assert BawasluReport.objects.count() == 0 and ChangeRecord.objects.count() == audit


@pytest.mark.parametrize("role", ["saksi", "clerk", "observer", "koordinator", "koordinator_kec", "trainer"])
def test_only_legal_and_admin_file(users, loaded, findings, incident, role):
    with pytest.raises(PermissionDenied):
        make(users[role], loaded, findings, incident)
    assert BawasluReport.objects.count() == 0


def test_narrative_edit_is_audited_and_guarded(users, loaded, findings, incident):
    r = make(users["legal"], loaded, findings, incident)
    bawaslu.update_narrative(users["legal"], r, "Uraian baru dari tim hukum.")
    r.refresh_from_db()
    assert r.narrative == "Uraian baru dari tim hukum."
    rec = ChangeRecord.objects.get(action="legal.bawaslu_narrative")
    assert rec.after == {"narrative": "Uraian baru dari tim hukum."} and "Paslon 01" in rec.before["narrative"]
    bawaslu.update_narrative(users["legal"], r, "Paragraf satu.\r\n\r\nParagraf dua.")  # as a browser sends it
    r.refresh_from_db()
    assert r.narrative == "Paragraf satu.\n\nParagraf dua."
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.bawaslu_pdf(r))).pages)
    assert "Paragraf satu." in raw and "Paragraf satu. Paragraf dua." not in raw  # two paragraphs, not one
    bawaslu.update_narrative(users["legal"], r, "Uraian baru dari tim hukum.")
    with pytest.raises(ValidationError, match="Uraian kejadian wajib diisi"):
        bawaslu.update_narrative(users["legal"], r, "   ")
    for role in ("koordinator", "saksi", "observer"):
        with pytest.raises(PermissionDenied):
            bawaslu.update_narrative(users[role], r, "Diubah tanpa wewenang")
    r.refresh_from_db()
    assert r.narrative == "Uraian baru dari tim hukum."
    assert ChangeRecord.objects.filter(action="legal.bawaslu_narrative").count() == 3


def test_reporter_data_masked_for_those_who_need_not_see_it(users, loaded, findings, incident, make_user):
    r = make(users["legal"], loaded, findings, incident)
    assert reporter_view(users["legal"], r)["phone"] == "081234565678"
    assert reporter_view(users["koordinator"], r)["masked"] is False  # VIEW_PERSONAL_DATA in Jakarta Timur
    observer = reporter_view(users["observer"], r)
    assert observer["masked"] and observer["phone"] == "0812••••5678" and observer["address"] == "••••"


def test_pdf_reads_as_a_legal_document(users, loaded, findings, incident, witness_photo):
    r = make(users["legal"], loaded, findings, incident)
    text = text_of(pdf.bawaslu_pdf(r, now=datetime.datetime(2024, 11, 28, 2, 5, tzinfo=datetime.UTC)))
    assert "LAPORAN DUGAAN PELANGGARAN PEMILIHAN" in text
    assert "Kepada Yth. Bawaslu kabupaten/kota" in text
    assert "Budi Santoso" in text and "081234565678" in text
    assert "Batas akhir pelaporan 4 Desember 2024 (7 hari sejak diketahui; tersisa 6 hari)" in text
    assert "Dibuat pada 28 November 2024 09.05 WIB" in text and "27 November 2024 11.30 WIB" in text
    assert LONG_DATE.search(text) and "Paslon 01" in text
    assert witness_photo[TPS_IN].sha256 in text and "bukti-01.jpg" in text
    assert not INTERNAL.search(text), INTERNAL.search(text)
    for code in CODES:
        assert not re.search(rf"\b{code}\b", text), code
    for word in ("administratif (Bawaslu/Panwascam)", "TPS 001 Kelurahan Makasar"):
        assert word in text
