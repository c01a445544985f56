"""Demo step: Jakarta's 1 / 6 / 44 / 267 regions from the project's own fixture."""

from pathlib import Path

from .importer import import_regions

FIXTURES = Path(__file__).parent / "fixtures"
JAKARTA_REGIONS = FIXTURES / "jakarta_wilayah.csv"


def populate(ctx) -> list[str]:
    counts = import_regions(JAKARTA_REGIONS)
    d = counts.as_dict()
    made = sum(d["created"].values())
    return [f"Wilayah DKI Jakarta: {d['total_rows']} wilayah ({made} baru)"]
