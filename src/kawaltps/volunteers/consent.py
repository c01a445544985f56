"""The consent text (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi) and the consent records.

One text, versioned: :data:`VERSION` names the text below; a change of wording gets a new version
(keep the old one in :data:`TEXTS`, people agreed to it). Each person's ``Consent`` row stores the
version *and* the rendered text (with the controller's name and contact from the settings), so what
they agreed to is provable even after the wording or the controller changes.

What the text must say (and does; the test reads it): the controller and how to reach them
(Pasal 21(1)), every purpose including the disclosures that follow from it (KPPS sees the saksi's
name and NIK on the surat mandat; Bawaslu, the police or the court when the saksi reports an
irregularity or testifies), the data processed, the retention period, the legal basis (Pasal 20(2)
huruf a: explicit consent), and the rights to access, correct, withdraw and erase (Pasal 5–9).
A person under 18 (by the NIK's birth date) needs a parent's or guardian's consent (Pasal 25).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import Consent, Volunteer

VERSION = "2026-12-v1"
ADULT_AGE = 18

TEXTS = {
    # The text shown before this version (no controller, contact, retention or disclosures): the
    # consent of volunteers registered under it (migration 0002_consent_erasure).
    "v0": (
        "Saya menyetujui pemrosesan data pribadi saya (nama, NIK, nomor telepon/WhatsApp, alamat, kelurahan) "
        "oleh Kawal TPS untuk: (1) memeriksa identitas saya sebagai relawan dan saksi, (2) menghubungi saya "
        "untuk Bimtek dan penugasan di TPS, (3) menerbitkan surat mandat dan sertifikat saksi. Data ini hanya "
        "dilihat koordinator wilayah saya dan admin, tidak dibagikan kepada pihak lain, dan dapat saya minta "
        "untuk dihapus (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)."
    ),
    "2026-12-v1": (
        "Pengendali data pribadi: {controller} (kontak petugas pelindungan data: {contact}). "
        "Data yang diproses: nama, NIK, nomor telepon/WhatsApp, alamat, kelurahan, organisasi, kehadiran dan "
        "nilai Bimtek, penugasan TPS, dan laporan yang Anda kirim. "
        "Tujuan: (1) memeriksa identitas Anda sebagai relawan dan saksi; (2) menghubungi Anda untuk Bimtek "
        "dan penugasan di TPS; (3) menerbitkan surat mandat dan sertifikat saksi; surat mandat memuat nama "
        "dan NIK Anda dan ditunjukkan kepada KPPS di TPS; (4) jika Anda melaporkan kecurangan atau menjadi "
        "saksi dalam perkara, identitas dan laporan Anda diserahkan kepada Bawaslu/Panwaslu, kepolisian, "
        "atau Mahkamah Konstitusi/pengadilan. Selain itu data tidak dibagikan kepada pihak lain dan hanya "
        "dilihat koordinator wilayah Anda dan admin. "
        "Dasar hukum: persetujuan Anda yang sah secara eksplisit (UU No. 27 Tahun 2022 tentang Pelindungan "
        "Data Pribadi, Pasal 20 ayat (2) huruf a). "
        "Masa simpan: sampai {retention_months} bulan setelah hari pemungutan suara, atau sampai perkara "
        "yang memakai data Anda sebagai bukti selesai; sesudah itu data dihapus (dianonimkan). "
        "Hak Anda: melihat data Anda dan memperoleh salinannya, membetulkannya, menarik persetujuan kapan "
        "saja, dan meminta data dihapus (Pasal 5–9), lewat halaman Data saya atau kontak di atas; "
        "penghapusan ditunda selama data Anda menjadi bukti dalam perkara yang masih berjalan. "
        "Pendaftar di bawah 18 tahun memerlukan persetujuan orang tua/wali."
    ),
}


def current_text(version: str = VERSION) -> str:
    """The consent text of ``version`` with this installation's controller, contact and retention."""
    return TEXTS[version].format(controller=settings.KAWALTPS_DATA_CONTROLLER,
                                 contact=settings.KAWALTPS_DATA_CONTACT,
                                 retention_months=settings.KAWALTPS_RETENTION_MONTHS)


def is_minor(birth_date: datetime.date, today: datetime.date | None = None) -> bool:
    """Under 18 on ``today`` (UU 27/2022 Pasal 25, with UU 35/2014's age of a child)."""
    today = today or timezone.localdate()
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return age < ADULT_AGE


def record(volunteer: Volunteer, *, method: str = Consent.Method.ONLINE, given_at=None, collected_by: str = "",
           paper_location: str = "", guardian_name: str = "", guardian_relation: str = "") -> Consent:
    """Store the consent ``volunteer`` just gave to the current text (call in the registration's transaction)."""
    return Consent.objects.create(volunteer=volunteer, version=VERSION, text=current_text(), method=method,
                                  given_at=given_at or timezone.now(), collected_by=collected_by,
                                  paper_location=paper_location, guardian_name=guardian_name,
                                  guardian_relation=guardian_relation)


@dataclass(frozen=True)
class PaperConsent:
    """Consent on paper gathered by a coordinator for a bulk import: who collected the signed forms,
    on which day, and where the paper is kept (e.g. "map Bimtek Makasar, sekretariat Pokja")."""

    collected_by: str
    collected_on: datetime.date | None
    paper_location: str


def paper_records(volunteers: list[Volunteer], paper: PaperConsent | None, *, actor: str) -> list[Consent]:
    """The consent rows of newly imported volunteers (bulk). Without ``paper`` (an import from the
    command line without ``--consent-*``) the record names only who imported them and when, with no
    paper location: the volunteer list shows it as incomplete."""
    now = timezone.now()
    if paper and paper.collected_on:
        at = timezone.make_aware(datetime.datetime.combine(paper.collected_on, datetime.time(12)))
    else:
        at = now
    text = current_text()
    rows = [Consent(volunteer=v, version=VERSION, text=text, method=Consent.Method.PAPER, given_at=at,
                    collected_by=(paper.collected_by if paper else "") or actor,
                    paper_location=paper.paper_location if paper else "") for v in volunteers]
    return Consent.objects.bulk_create(rows, batch_size=2000)


def withdraw(volunteer: Volunteer, *, by=None) -> int:
    """Withdraw every standing consent of ``volunteer`` (UU 27/2022 Pasal 9), with its audit record.
    Processing for the purposes stops: the volunteer is marked unavailable; erasure is a separate
    request (``erasure.erase``). Returns how many consents were withdrawn."""
    from django.db import transaction

    from kawaltps.audit.services import record_change

    with transaction.atomic():
        n = Consent.objects.filter(volunteer=volunteer, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        if n:
            Volunteer.objects.filter(pk=volunteer.pk).update(available_on_election_day=False,
                                                             updated_at=timezone.now())
            record_change(user=by, subject="volunteers.Volunteer", object_id=str(volunteer.pk),
                          code=volunteer.kelurahan_id, action="volunteer_consent_withdraw",
                          after={"consents_withdrawn": n}, reason="UU PDP Pasal 9")
    return n
