"""core.frames.query_frame: the same frame through COPY (PostgreSQL) as through the cursor (SQLite)."""

import polars as pl
import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q

from kawaltps.core.frames import query_frame
from kawaltps.regions.models import Region

pytestmark = pytest.mark.django_db

SCHEMA = {"code": pl.Utf8, "name": pl.Utf8, "parent": pl.Utf8, "level": pl.Int64, "kota": pl.Boolean}


def _query(**filters):
    kota = ExpressionWrapper(Q(level=2), output_field=BooleanField())
    return (
        Region.objects.filter(**filters).annotate(kota=kota).order_by("code")
        .values_list("code", "name", "parent_id", "level", "kota")
    )


def test_rows_names_with_commas_quotes_and_nulls_come_back_as_they_are_stored(jakarta):
    Region.objects.create(code="3175999", name='Kel. "Uji", Timur\tBaru', level=3, parent_id="3175")
    frame = query_frame(_query(code__startswith="31"), SCHEMA)
    expected = list(_query(code__startswith="31"))
    assert frame.schema == pl.Schema(SCHEMA)
    assert frame.rows() == expected  # same values, same order, None where the database has NULL
    assert frame.filter(pl.col("code") == "3175999")["name"].item() == 'Kel. "Uji", Timur\tBaru'
    assert frame.filter(pl.col("code") == "31")["parent"].item() is None
    assert frame["kota"].sum() == sum(1 for r in expected if r[4])
    assert frame["kota"].sum() >= 1


def test_an_empty_query_gives_an_empty_frame_with_the_schema(jakarta):
    frame = query_frame(_query(code="tidak-ada"), SCHEMA)
    assert frame.height == 0
    assert frame.schema == pl.Schema(SCHEMA)


def test_parameters_are_bound_not_pasted(jakarta):
    """A value with a quote is a parameter, never SQL (COPY takes the query bound by the client)."""
    frame = query_frame(_query(name="x'); DROP TABLE regions_region; --"), SCHEMA)
    assert frame.height == 0
    assert Region.objects.filter(code="31").exists()
