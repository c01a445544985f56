"""The Pasal 158 threshold: may a Pilkada result go to the Constitutional Court at all?

UU 10/2016 Pasal 158: a paslon may petition only when the difference between its votes and the
winner's is at most a share of the total valid votes of the final count set by KPU, the share
depending on the region's population (ayat (1) provinsi, ayat (2) kabupaten/kota):

=================  =====================================  =====
level              population                             share
=================  =====================================  =====
provinsi           up to 2,000,000                        2 %
provinsi           over 2,000,000 up to 6,000,000         1.5 %
provinsi           over 6,000,000 up to 12,000,000        1 %
provinsi           over 12,000,000                        0.5 %
kabupaten/kota     up to 250,000                          2 %
kabupaten/kota     over 250,000 up to 500,000             1.5 %
kabupaten/kota     over 500,000 up to 1,000,000           1 %
kabupaten/kota     over 1,000,000                         0.5 %
=================  =====================================  =====

(../shared/DOMAIN.md does not state these bands; they are the statute's text as given in issue 11.)
Shares are kept in per mille so the comparison is exact: eligible when
``margin × 1000 ≤ permille × valid``.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINSI, KABKOTA = "provinsi", "kabkota"
#: (population upper bound inclusive, share in per mille); None = no upper bound.
BANDS: dict[str, tuple[tuple[int | None, int], ...]] = {
    PROVINSI: ((2_000_000, 20), (6_000_000, 15), (12_000_000, 10), (None, 5)),
    KABKOTA: ((250_000, 20), (500_000, 15), (1_000_000, 10), (None, 5)),
}
BASIS = {PROVINSI: "UU 10/2016 Pasal 158 ayat (1)", KABKOTA: "UU 10/2016 Pasal 158 ayat (2)"}


@dataclass(frozen=True)
class Threshold:
    level: str
    population: int
    permille: int
    valid: int
    margin: int

    @property
    def votes(self) -> float:
        """The largest difference allowed, in votes (may have a fraction)."""
        return self.permille * self.valid / 1000

    @property
    def eligible(self) -> bool:
        return self.margin * 1000 <= self.permille * self.valid

    def as_dict(self) -> dict:
        return {"level": self.level, "population": self.population, "permille": self.permille,
                "percent": self.permille / 10, "valid": self.valid, "margin": self.margin,
                "threshold_votes": self.votes, "eligible": self.eligible, "basis": BASIS[self.level]}


def permille(level: str, population: int) -> int:
    """The share (per mille) of Pasal 158 for a region of ``level`` with ``population`` people."""
    if level not in BANDS:
        raise ValueError(f"tingkat wilayah tidak dikenal: {level}")
    if population < 0:
        raise ValueError("jumlah penduduk tidak boleh negatif")
    for upper, share in BANDS[level]:
        if upper is None or population <= upper:
            return share
    raise AssertionError("unreachable")


def level_of(region_code: str) -> str:
    """A 2-digit code is a provinsi; a 4-digit one a kabupaten/kota."""
    return PROVINSI if len(region_code) == 2 else KABKOTA


def threshold(level: str, population: int, valid: int, margin: int) -> Threshold:
    return Threshold(level, population, permille(level, population), valid, margin)
