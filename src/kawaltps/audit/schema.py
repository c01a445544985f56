"""The database's refusal to change history: triggers on ``audit_changerecord`` per vendor.

PostgreSQL: a ``BEFORE UPDATE OR DELETE`` row trigger and a ``BEFORE TRUNCATE`` statement trigger
that raise. SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT)``. Both
are created by migration ``0003_audit_hash_chain``. Anyone who may drop a trigger can still change
rows; that is what the hash chain (``audit.chain``) and the published anchor are for.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_changerecord"
MESSAGE = "riwayat audit hanya bisa ditambah: UPDATE/DELETE ditolak"

_PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    f"CREATE TRIGGER audit_append_only_row BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    f"CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
]
_PG_DROP = [f"DROP TRIGGER IF EXISTS audit_append_only_row ON {TABLE}",
            f"DROP TRIGGER IF EXISTS audit_append_only_truncate ON {TABLE}"]
_SQLITE_CREATE = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]


def create_sql(vendor: str) -> list[str]:
    """The statements that install the append-only triggers on ``vendor``."""
    return {"postgresql": _PG_CREATE, "sqlite": _SQLITE_CREATE}.get(vendor, [])


def drop_sql(vendor: str) -> list[str]:
    """The statements that remove them (migration rollback; the test database's flush)."""
    return {"postgresql": _PG_DROP, "sqlite": _SQLITE_DROP}.get(vendor, [])


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cur:
        for sql in drop_sql(connection.vendor) + create_sql(connection.vendor):
            cur.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cur:
        for sql in drop_sql(connection.vendor):
            cur.execute(sql)
