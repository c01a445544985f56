"""Kecurangan and keberatan as data: category, its legal track, and the PSU/recount triggers.

Sources: Bawaslu's TPS risk variables for the 2024 Pilkada; the re-vote (PSU) triggers of
UU 1/2015 jo. UU 10/2016 Pasal 112 ayat (2) and the recount triggers of Pasal 113 ayat (1)
(../shared/DOMAIN.md "Irregularities and reporting them"). Tracks: ``administratif`` (Bawaslu /
Panwascam, administrative violation), ``pidana`` (criminal, through Sentra Gakkumdu), ``etik``
(officials' ethics, DKPP).

Deadlines (``deadlines``): a report to Bawaslu within ``FILING_DAYS`` (7) days of learning of the
violation (UU 10/2016 Pasal 134 ayat (4)); a PSU is held at most ``PSU_DAYS`` (4) days after voting
day (UU 1/2015 Pasal 112 ayat (3)), so a report matching a PSU trigger is flagged with that date as
the deadline for requesting it through the Pengawas TPS.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ADMINISTRATIF, PIDANA, ETIK = "administratif", "pidana", "etik"
TRACKS = {ADMINISTRATIF: _("administratif (Bawaslu/Panwascam)"), PIDANA: _("pidana (Sentra Gakkumdu)"),
          ETIK: _("etik penyelenggara (DKPP)")}
FILING_DAYS = 7
PSU_DAYS = 4


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    group: str  # Bawaslu risk variable
    tracks: tuple[str, ...]
    psu: bool = False  # Pasal 112: a re-vote trigger
    recount: bool = False  # Pasal 113: a recount trigger
    basis: str = ""


CATEGORIES = (
    Category("kotak_dibuka", _("Kotak suara atau berkas dibuka tidak sesuai prosedur"), _("logistik"),
             (ADMINISTRATIF, PIDANA), psu=True, basis="UU 10/2016 Pasal 112 ayat (2) huruf a"),
    Category("pemilih_diarahkan", _("Petugas KPPS meminta pemilih menandai, menandatangani, atau menulis nama"),
             _("netralitas"), (ADMINISTRATIF, ETIK), psu=True, basis="Pasal 112 ayat (2) huruf b"),
    Category("surat_suara_dirusak", _("Petugas KPPS merusak lebih dari satu surat suara terpakai"), _("logistik"),
             (ADMINISTRATIF, PIDANA, ETIK), psu=True, basis="Pasal 112 ayat (2) huruf c"),
    Category("memilih_dua_kali", _("Lebih dari satu orang memilih lebih dari satu kali"), _("hak pilih"),
             (ADMINISTRATIF, PIDANA), psu=True, basis="Pasal 112 ayat (2) huruf d"),
    Category("tanpa_hak_pilih", _("Lebih dari satu pemilih tanpa hak pilih (tidak terdaftar) memilih"),
             _("hak pilih"), (ADMINISTRATIF, PIDANA), psu=True, basis="Pasal 112 ayat (2) huruf e"),
    Category("kerusuhan", _("Kerusuhan sehingga hasil tidak dapat digunakan"), _("keamanan"),
             (ADMINISTRATIF, PIDANA), psu=True, basis="Pasal 112 ayat (1)"),
    Category("hitung_tertutup", _("Penghitungan tidak dapat dilihat umum atau penerangan kurang"),
             _("penghitungan"), (ADMINISTRATIF,), recount=True, basis="Pasal 113 ayat (1) huruf a–b"),
    Category("bacaan_tidak_jelas", _("Surat suara dibacakan atau dicatat tidak jelas"), _("penghitungan"),
             (ADMINISTRATIF,), recount=True, basis="Pasal 113 ayat (1) huruf c"),
    Category("sah_tidak_konsisten", _("Penentuan sah/tidak sah tidak konsisten"), _("penghitungan"),
             (ADMINISTRATIF,), recount=True, basis="Pasal 113 ayat (1) huruf e"),
    Category("tercoblos", _("Surat suara sudah tercoblos sebelum dipakai"), _("logistik"),
             (ADMINISTRATIF, PIDANA)),
    Category("politik_uang", _("Politik uang (pemberian uang atau barang)"), _("politik uang"), (PIDANA,),
             basis="UU 10/2016 Pasal 187A"),
    Category("intimidasi", _("Intimidasi atau kekerasan terhadap pemilih atau saksi"), _("keamanan"),
             (PIDANA,)),
    Category("saksi_dihalangi", _("Saksi dihalangi masuk atau mengamati"), _("keamanan"), (ADMINISTRATIF, PIDANA)),
    Category("salinan_ditahan", _("Salinan C.Hasil tidak diberikan kepada saksi"), _("penghitungan"),
             (ADMINISTRATIF, PIDANA), basis="UU 10/2016 Pasal 98 dan 193"),
    Category("diwakilkan", _("Memilih atas nama orang lain"), _("hak pilih"), (ADMINISTRATIF, PIDANA)),
    Category("netralitas_asn", _("ASN, TNI/Polri, atau kepala desa tidak netral"), _("netralitas"),
             (ADMINISTRATIF, ETIK)),
    Category("logistik", _("Logistik rusak, kurang, lebih, atau terlambat"), _("logistik"), (ADMINISTRATIF,)),
    Category("listrik_internet", _("Listrik atau internet padam"), _("lokasi TPS"), (ADMINISTRATIF,)),
    Category("sara", _("SARA atau ujaran kebencian"), _("SARA"), (PIDANA,)),
    Category("lainnya", _("Lainnya"), _("lainnya"), (ADMINISTRATIF,)),
)
BY_KEY = {c.key: c for c in CATEGORIES}


def category(key: str) -> Category | None:
    return BY_KEY.get(key)


def psu_deadline(election) -> datetime.date:
    """The last day a PSU can be held, so the deadline for requesting it: voting day + ``PSU_DAYS``."""
    return election.date + datetime.timedelta(days=PSU_DAYS)


def filing_deadline(learned: datetime.date) -> datetime.date:
    """The last day to file with Bawaslu: ``FILING_DAYS`` calendar days after the day the violation
    became known (the day itself not counted). The one copy: incidents and ``legal`` reports use it."""
    return learned + datetime.timedelta(days=FILING_DAYS)


def days_until(deadline: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Whole days from ``today`` (WIB, default now) to ``deadline``: 0 on the day itself, negative past it."""
    if deadline is None:
        return None
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    return (deadline - today).days
