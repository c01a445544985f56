"""Appenders in parallel never fork the chain; the migration chains a log written before the chain."""

import threading

import pytest
from django.db import connection, connections

from kawaltps.audit import chain
from kawaltps.audit.models import ChangeRecord
from kawaltps.audit.services import record_change, record_changes

WRITERS, EACH = 4, 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_on_real_connections_keep_one_chain():
    """Four threads, each its own database connection (one per web process), append at once;
    a barrier makes them start together. The chain stays one line: seq 1..N, every link right."""
    barrier = threading.Barrier(WRITERS)
    errors = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                if i % 5 == 4:
                    record_changes([dict(actor=f"w{n}", subject="x.Bulk", object_id=f"{n}-{i}-{k}", action="bulk")
                                    for k in range(3)])
                else:
                    record_change(actor=f"w{n}", subject="x.One", object_id=f"{n}-{i}", action="one")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = WRITERS * (EACH - EACH // 5 + 3 * (EACH // 5))
    assert list(ChangeRecord.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    report = chain.verify()
    assert report["ok"] and report["checked"] == total
    actors = {a for a, in ChangeRecord.objects.values_list("actor")}
    assert actors == {f"w{n}" for n in range(WRITERS)}


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_existing_rows_and_installs_the_triggers():
    from django.db import DatabaseError
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_initial")])
    try:
        with connection.cursor() as cur:
            for i in range(5):
                cur.execute("INSERT INTO audit_changerecord (occurred_at, actor, subject, object_id, code, "
                            "election_slug, action, before, after, reason) VALUES "
                            "(%s, 'lama', 'results.TpsResult', %s, '', '', 'saksi_submit', NULL, %s, '')",
                            [f"2024-11-27 0{9 - i}:00:00+00:00", str(i), '{"votes": {"1": 3}}'])
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        rows = list(ChangeRecord.objects.order_by("seq").values_list("seq", "object_id"))
        assert rows == [(1, "4"), (2, "3"), (3, "2"), (4, "1"), (5, "0")]  # oldest first
        assert chain.verify()["ok"]
        rec = record_change(actor="baru", subject="x.Y", object_id="1", action="baru")
        assert rec.seq == 6 and chain.verify()["checked"] == 6
        with pytest.raises(DatabaseError):
            ChangeRecord.objects.filter(seq=1).delete()
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
