"""import-results --format sirekap-dki2024 on a slice of the real Sirekap table (official numbers)."""

import polars as pl
import pytest

from kawaltps.regions.models import Region
from kawaltps.results.models import TpsResult
from tests.conftest import shared_file

from .importing import run_json

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def test_sirekap_slice_loads_official_numbers_and_jakarta_regions(tmp_path):
    src = shared_file("id", "pilpres2024_dki_tps.csv")
    path = tmp_path / "dki.csv"
    df = pl.read_csv(src, infer_schema=False).head(1500)
    df.write_csv(path)
    assert not Region.objects.exists()
    out = run_json("import-results", "--election", "pilpres-2024-dki", "--format", "sirekap-dki2024", str(path))
    assert Region.objects.filter(code="31").exists()  # loaded from the fixture
    with_votes = df.filter(pl.col("p01").is_not_null() & pl.col("p02").is_not_null() & pl.col("p03").is_not_null())
    assert out["loaded"] == {"witness": 0, "official": with_votes.height}
    national = run_json("tabulate", "--election", "pilpres-2024-dki", "--level", "provinsi",
                        "--source", "official")["national"]
    assert national["votes"] == {str(i): with_votes[f"p0{i}"].cast(pl.Int64).sum() for i in (1, 2, 3)}
    assert national["coverage"]["total"] == 1500 - len(out["rejected"])
    r = TpsResult.objects.get(code=with_votes["kode_tps"][0])
    assert r.numbers["pengguna_total_j"] == int(with_votes["pengguna_total"][0])
