"""``core.prepared.pipelined_transaction`` (PostgreSQL): what the block wrote is committed together,
or nothing is (a statement's error, the commit's, or one raised in the block), in production's
autocommit mode (BEGIN/COMMIT) and inside an atomic block (a savepoint), and the connection is
usable afterwards."""

import pytest
from django.db import IntegrityError, connection, transaction

from kawaltps.audit import chain
from kawaltps.audit.models import ChangeRecord
from kawaltps.audit.services import build, change_sql
from kawaltps.core import prepared

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's pipeline mode: PostgreSQL")


def _record(i: int) -> tuple[str, list]:
    return change_sql(subject="uji.Pipa", object_id=str(i), action="uji.pipa", after={"i": i})


def _write(*, fail: str = "") -> None:
    with prepared.pipelined_transaction() as cur:
        cur.execute(f"SELECT {chain.LOCK_CALL}::text")
        assert cur.fetchone() == ("",)
        cur.execute(*_record(1))
        if fail == "statement":  # a second record with seq 1 from a stale head: the unique seq refuses
            sql, params = chain.append_sql(build(subject="uji.Pipa", object_id="x", action="uji.pipa"))
            cur.execute(sql.replace("(SELECT seq + 1 FROM h)", "1"), params)
        if fail == "python":
            raise RuntimeError("gagal di tengah")


def _check_rollbacks() -> None:
    with pytest.raises(IntegrityError):
        _write(fail="statement")
    with pytest.raises(RuntimeError):
        _write(fail="python")
    assert ChangeRecord.objects.count() == 0
    _write()
    _write()
    assert list(ChangeRecord.objects.values_list("seq", flat=True)) == [1, 2]
    assert chain.verify()["ok"]


@pytest.mark.django_db(transaction=True)
def test_autocommit_commits_all_or_nothing():
    assert connection.get_autocommit()
    _check_rollbacks()
    assert connection.get_autocommit() and not connection.in_atomic_block


@pytest.mark.django_db
def test_inside_an_atomic_block_a_savepoint_stands_for_the_transaction():
    with transaction.atomic():
        ChangeRecord.objects.exists()  # the outer transaction has begun
        _check_rollbacks()
        assert connection.in_atomic_block and not connection.needs_rollback
