"""The procedure at the TPS in its real order, and the set turnout times, as data per election type.

Source: ../shared/DOMAIN.md "The day at the TPS" (PKPU 17/2024 voting and counting). Each item:
``key`` (stable, used by the message channels), the label the saksi reads, the time it is due
(``due``, WIB, ``None`` = when it happens), whether it is ``required``, the ``answers`` allowed
("ya"/"tidak", plus "tolak" where a refusal is itself the answer) and whether it falls in a
risk window (``risk``, highlighted on the page): the 12.00–13.00 DPK hour, the gap between
closing and counting, counting (light, public view), the box's trip to the PPK.

A "tidak" on a required item is a checklist failure the koordinator sees.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

YES, NO, REFUSED = "ya", "tidak", "tolak"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    due: str | None = None
    required: bool = True
    risk: bool = False
    answers: tuple[str, ...] = (YES, NO)


PILKADA = (
    Item("mandat_diserahkan", _("Surat mandat diserahkan ke KPPS, tanda pengenal dan salinan DPT diterima"), "06:30"),
    Item("dibuka_0700", _("Pemungutan suara dibuka pukul 07.00 dan KPPS mengucapkan sumpah"), "07:00"),
    Item("kotak_kosong", _("Kotak suara dibuka dan diperlihatkan kosong kepada semua yang hadir"), "07:00"),
    Item("surat_suara_dihitung", _("Surat suara yang tersegel dihitung sebelum pemungutan"), "07:15"),
    Item("surat_suara_ditandatangani", _("Setiap surat suara ditandatangani ketua KPPS"), None, required=False),
    Item("dpk_1200", _("Jam DPK 12.00–13.00: hanya pemilih ber-KTP-el setempat, selama surat suara ada"), "12:00",
         risk=True),
    Item("ditutup_1300", _("Pukul 13.00 ditutup; hanya antrean yang sudah ada yang masih memilih"), "13:00", risk=True),
    Item("sisa_dicoret", _("Surat suara tidak terpakai dan rusak dihitung, diumumkan, dan dicoret"), "13:15",
         risk=True),
    Item("dibaca_keras", _("Setiap surat suara dibuka, diperlihatkan, dan dibacakan dengan keras"), "13:30",
         risk=True),
    Item("terang_terbuka", _("Penghitungan di tempat terang dan dapat dilihat umum"), "13:30", risk=True),
    Item("plano_ditulis", _("Perolehan ditulis di C.Hasil plano oleh dua anggota KPPS"), "13:30", risk=True),
    Item("salinan_diterima", _("Salinan C.Hasil diserahkan kepada saksi"), "15:00"),
    Item("ditandatangani", _("C.Hasil ditandatangani KPPS dan saksi (atau saksi menolak menandatangani)"), "15:00",
         answers=(YES, NO, REFUSED)),
    Item("kotak_disegel", _("Dokumen masuk kotak, kotak disegel dan dikawal ke PPS/PPK"), "16:00", risk=True),
)

# The same order for a presidential race (PKPU 25/2023): one ballot per race, same steps.
CHECKLISTS: dict[str, tuple[Item, ...]] = {
    "pilkada_gubernur": PILKADA,
    "pilkada_bupati_walikota": PILKADA,
    "pilpres": PILKADA,
}

TURNOUT_TIMES = ("09:00", "11:00", "13:00")


def items_for(election) -> tuple[Item, ...]:
    """The checklist of ``election``'s type, in procedure order."""
    return CHECKLISTS.get(election.kind, PILKADA)


def item(election, key: str) -> Item | None:
    return next((i for i in items_for(election) if i.key == key), None)
