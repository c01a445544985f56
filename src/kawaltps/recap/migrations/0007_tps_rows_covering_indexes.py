"""Covering indexes for ``recap.tps_rows`` (issue 11.9), on PostgreSQL only.

The one read of ``kawaltps discrepancies`` merges the register with both sources in TPS order. With
these, each of the three is an index-only scan of a compact index (the 2019 register: 38 + 72 + 80 MB)
instead of the 522 MB results table (its ``numbers``, ``flags``, ``attestation``): ≈ 1.1 s instead of
≈ 2–2.6 s in the database. Keyed by ``tps_id`` alone (partial per source), so the planner sees their
order and merges them without hints. The database maintains them in every write's transaction, so the
read can never see other numbers than the table's; the price is one more index entry per result
write (and votes changes are no longer HOT updates). SQLite (the laptop default) has no ``INCLUDE``
and keeps its plan.
"""

from django.db import migrations

INDEXES = {
    "recap_tps_register_cover": "regions_tps (election_id, id) INCLUDE (code)",
    "recap_tps_witness_cover": "results_tpsresult (tps_id) INCLUDE (election_id, state, votes) "
    "WHERE source = 'witness'",
    "recap_tps_official_cover": "results_tpsresult (tps_id) INCLUDE (election_id, id, voters, invalid, votes) "
    "WHERE source = 'official'",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("recap", "0006_hrsnapshot"),
        ("results", "0008_merge_photohash_official_state"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
