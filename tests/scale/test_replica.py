"""A real streaming replica: dashboards and public reads go there, writes never do.

Starts our own PostgreSQL primary (initdb) and a standby (``pg_basebackup -R``) on free ports of
5440-5449, a gunicorn with ``DATABASE_URL`` = primary and ``DATABASE_REPLICA_URL`` = standby, and
reads both servers' statement logs (``log_statement = all``) to see which server ran what.
PostgreSQL pass only: the SQLite pass has no replica to talk to.
"""

import os
import time
import uuid

import pytest

from kawaltps.core import pgcluster, stack

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="PostgreSQL pass only: a streaming replica needs PostgreSQL"),
    pytest.mark.skipif(pgcluster.binaries() is None, reason="PostgreSQL server binaries are not installed"),
]


@pytest.fixture(scope="module")
def replicated():
    primary_port = stack.free_port(5440, 5449)
    primary = pgcluster.Cluster(primary_port)
    try:
        primary.init(log_statement="'all'").start()
        primary.sql("CREATE DATABASE kawaltps")
        replica = primary.replica(stack.free_port(primary_port + 1, 5449))
        with open(replica.data / "postgresql.conf", "a") as f:
            f.write("log_statement = 'all'\n")
        replica.restart("fast")
        env = stack.env_for(primary.url("kawaltps"), replica.url("kawaltps"))
        seeded = stack.seed(env)
        server = stack.Gunicorn(env, stack.free_port(), workers=1)
        try:
            server.wait()
            yield primary, replica, server, seeded
        finally:
            server.stop()
            replica.stop("immediate")
    finally:
        primary.destroy()


def _log(cluster) -> str:
    return (cluster.root / f"{cluster.data.name}.log").read_text(errors="replace")


def _wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_dashboard_reads_on_replica_writes_on_primary(replicated):
    import httpx

    primary, replica, server, seeded = replicated
    slug, code = seeded["slug"], seeded["codes"][0]
    with httpx.Client(timeout=30) as client:
        stack.login(client, server.url, seeded["username"], seeded["password"])
        # a write: one saksi submission through the API (bearer token)
        cid = f"replica-{uuid.uuid4().hex[:10]}"
        p_mark, r_mark = len(_log(primary)), len(_log(replica))
        r = client.post(f"{server.url}/api/results/submissions", headers={"Authorization": f"Bearer {seeded['key']}"},
                        json={"client_id": cid, "election": slug, "tps": code, "kind": "saksi",
                              "votes": {"1": 120, "2": 30, "3": 150},
                              "numbers": {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310}})
        assert r.status_code == 201, r.text
        written_p, written_r = _log(primary)[p_mark:], _log(replica)[r_mark:]
        assert "INSERT INTO results_submission" in written_p or "results_submission" in written_p
        assert "INSERT" not in written_r and "UPDATE" not in written_r  # no write was sent to the standby

        # the row reaches the replica by streaming replication
        assert _wait_for(lambda: replica.sql(f"SELECT count(*) FROM results_submission WHERE client_id = '{cid}'",
                                             "kawaltps")[0][0] == 1)

        # reads of the dashboard pages: tally rows come from the replica, not the primary
        p_mark, r_mark = len(_log(primary)), len(_log(replica))
        for url in (f"/hasil/wilayah/-/?pemilihan={slug}", f"/hasil/data.json?pemilihan={slug}",
                    f"/hasil/wilayah/{code[:4]}/?pemilihan={slug}"):
            page = client.get(server.url + url)
            assert page.status_code == 200, url
        read_p, read_r = _log(primary)[p_mark:], _log(replica)[r_mark:]
        assert "results_regiontally" in read_r
        assert "FROM results_regiontally t" not in read_p
        # the dashboard folded the pending delta on the primary (a write): never on the replica
        assert "results_tallydelta" not in read_r or "DELETE" not in read_r
        assert primary.sql("SELECT count(*) FROM results_tallydelta", "kawaltps")[0][0] == 0

        # the session and the user are read on the primary (read-your-own-write)
        assert "django_session" in read_p and "django_session" not in read_r

        # a page that is not listed (the TPS's own page after a submission) reads on the primary
        p_mark, r_mark = len(_log(primary)), len(_log(replica))
        assert client.get(f"{server.url}/hasil/tps/{code}/?pemilihan={slug}").status_code == 200
        assert "results_tpsresult" in _log(primary)[p_mark:]
        assert "results_tpsresult" not in _log(replica)[r_mark:]


def test_replica_refuses_writes(replicated):
    """The standby is read-only: a write routed there by mistake would fail, never silently diverge."""
    import psycopg

    _, replica, _, _ = replicated
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        replica.sql("DELETE FROM results_regiontally", "kawaltps")
