"""The C.Hasil form types and their fields, as data the UI and the checks read.

Field order follows KPU's Sirekap app (../shared/DOMAIN.md, "The TPS tally form"). Every voter row
has L (men), P (women) and J (total). The candidate rows (page 2) come from the election's
candidates, so they are not listed here. List names differ between elections (2020 Pilkada called
moved voters DPPh), so each form type names its own lists.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    page: int
    section: str
    lpj: bool = False  # True: the row has L, P and J columns (keys key_l, key_p, key_j)


_VOTER_ROWS = [
    FormField("dpt", "A.1 Pemilih terdaftar dalam DPT", 1, "I. Data pemilih", lpj=True),
    FormField("pengguna_dpt", "B.1 Pengguna hak pilih dalam DPT", 1, "I. Data pengguna hak pilih", lpj=True),
    FormField("pengguna_dptb", "B.2 Pengguna hak pilih dalam DPTb", 1, "I. Data pengguna hak pilih", lpj=True),
    FormField("pengguna_dpk", "B.3 Pengguna hak pilih dalam DPK", 1, "I. Data pengguna hak pilih", lpj=True),
    FormField("pengguna_total", "B.4 Jumlah pengguna hak pilih (B.1+B.2+B.3)", 1,
              "I. Data pengguna hak pilih", lpj=True),
]
_BALLOT_ROWS = [
    FormField("surat_diterima", "1. Surat suara diterima (termasuk cadangan)", 1, "II. Data penggunaan surat suara"),
    FormField("surat_digunakan", "2. Surat suara digunakan", 1, "II. Data penggunaan surat suara"),
    FormField("surat_rusak", "3. Surat suara dikembalikan karena rusak/keliru coblos", 1,
              "II. Data penggunaan surat suara"),
    FormField("surat_tidak_digunakan", "4. Surat suara tidak digunakan (termasuk sisa cadangan)", 1,
              "II. Data penggunaan surat suara"),
]
_DISABILITY = [
    FormField("pengguna_disabilitas", "III. Pengguna hak pilih penyandang disabilitas", 1,
              "III. Pemilih disabilitas", lpj=True),
]
_VOTES = [
    FormField("suara_sah", "Jumlah seluruh suara sah", 2, "Perolehan suara"),
    FormField("suara_tidak_sah", "Jumlah suara tidak sah", 2, "Perolehan suara"),
    FormField("suara_total", "Jumlah suara sah dan tidak sah", 2, "Perolehan suara"),
]


@dataclass(frozen=True)
class FormType:
    code: str
    name: str
    fields: tuple[FormField, ...]
    pages: int = 3

    def keys(self) -> list[str]:
        """Every numeric key of the form, L/P/J rows expanded (``dpt_l``, ``dpt_p``, ``dpt_j``…)."""
        out: list[str] = []
        for f in self.fields:
            out += [f"{f.key}_l", f"{f.key}_p", f"{f.key}_j"] if f.lpj else [f.key]
        return out


FORM_TYPES = {
    "C.HASIL-KWK": FormType("C.HASIL-KWK", "C.Hasil-KWK (Pilkada gubernur/bupati/walikota)",
                            tuple(_VOTER_ROWS + _BALLOT_ROWS + _DISABILITY + _VOTES)),
    "C.HASIL-PPWP": FormType("C.HASIL-PPWP", "C.Hasil-PPWP (Pilpres)",
                             tuple(_VOTER_ROWS + _BALLOT_ROWS + _DISABILITY + _VOTES)),
}


def form_type(code: str) -> FormType:
    return FORM_TYPES[code]
