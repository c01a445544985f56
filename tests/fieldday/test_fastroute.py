"""The early route of the device reports (``core.fastroutes``, PostgreSQL): registered only at paths
the API has, answered with the operation's own status, body and headers, declining what it does not
own; and two identical sends racing on two connections store one report and one audit record."""

import datetime
import threading
import time
import uuid

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import resolve

from kawaltps.audit import chain
from kawaltps.audit.models import ChangeRecord
from kawaltps.core import fastroutes
from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident
from kawaltps.people.models import ApiToken

from .conftest import SAKSI_TPS
from .test_api_fastpath import answer, bearer, checkin, incident, post

pg_only = pytest.mark.skipif(connection.vendor != "postgresql",
                             reason="the early route serves the PostgreSQL fast path (SQLite: services)")

CASES = [("checkins", checkin, CheckIn), ("checklist", answer, ChecklistAnswer), ("incidents", incident, Incident)]


def test_every_early_route_is_an_api_operation():
    paths = [p for (m, p) in fastroutes.ROUTES if p.startswith("/api/fieldday/")]
    assert sorted(paths) == ["/api/fieldday/checkins", "/api/fieldday/checklist", "/api/fieldday/incidents"]
    for path in paths:
        assert resolve(path).url_name.startswith("post_"), path


def test_the_lazily_registered_paths_are_the_apis_fast_operations():
    """The app registers its early routes without importing its API module: the same paths as ``api.FAST``."""
    from kawaltps.fieldday import api
    from kawaltps.fieldday.apps import EARLY_PATHS

    assert sorted(EARLY_PATHS) == sorted(api.FAST)


@pytest.fixture
def taken(monkeypatch):
    """Which requests the early route answered itself (its handlers, wrapped)."""
    answered = []
    for route, handler in list(fastroutes.ROUTES.items()):
        def wrapped(request, handler=handler, route=route):
            response = handler(request)
            answered.append((route[1], response is not None))
            return response
        monkeypatch.setitem(fastroutes.ROUTES, route, wrapped)
    return answered


def without_early_routes(monkeypatch):
    for route in list(fastroutes.ROUTES):
        monkeypatch.delitem(fastroutes.ROUTES, route)


@pg_only
@pytest.mark.parametrize(("path", "make", "model"), CASES)
def test_the_early_answer_is_the_operations_answer(tps, users, path, make, model, taken, monkeypatch):
    auth = bearer(users["saksi"])
    bodies = [make(), make(), make(tps="3175081001999")]  # stored, replayed (same id), unknown TPS (422)
    bodies[1]["client_id"] = bodies[0]["client_id"]
    early = [post(auth, path, **b) for b in bodies]
    assert [t for _, t in taken] == [True, True, True]
    without_early_routes(monkeypatch)
    again = [post(auth, path, **{**b, "client_id": str(uuid.uuid4())}) for b in bodies[:1]]
    again += [post(auth, path, **{**bodies[1], "client_id": again[0].json()["client_id"]}),
              post(auth, path, **bodies[2])]
    for e, o in zip(early, again, strict=True):
        assert e.status_code == o.status_code
        assert {k: v for k, v in e.json().items() if k not in ("id", "client_id")} == \
               {k: v for k, v in o.json().items() if k not in ("id", "client_id")}
        assert sorted(e.headers.keys()) == sorted(o.headers.keys())
        assert {k: e.headers[k] for k in e.headers if k != "Content-Length"} == \
               {k: o.headers[k] for k in o.headers if k != "Content-Length"}
    assert [r.status_code for r in early] == [201, 200, 422]
    assert early[2].json() == {"detail": "TPS 3175081001999 tidak ada dalam pemilihan ini."}
    assert model.objects.count() == 2 and chain.verify()["ok"]


@pg_only
def test_the_early_route_declines_what_it_does_not_own(tps, users, make_user, taken):
    """Bad tokens, a session cookie, a body the schema refuses: the whole stack answers, as before."""
    neighbour = make_user("tetangga", "saksi", tps_code="3175081001002")
    assert post({"HTTP_AUTHORIZATION": "Bearer ktps_salah"}, "checkins", **checkin()).status_code == 401
    assert post({"HTTP_AUTHORIZATION": "Basic eDp5"}, "checkins", **checkin()).status_code == 401
    bad = post(bearer(users["saksi"]), "checkins", client_id="x", election="uji", tps=SAKSI_TPS, lat="bukan angka")
    assert bad.status_code == 422 and "lat" in bad.json()["detail"][0]["msg"]
    web = Client()
    web.force_login(users["saksi"])
    assert web.post("/api/fieldday/checklist", answer(), content_type="application/json").status_code == 201
    assert [t for _, t in taken] == [False, False, False]  # the cookie's request never reached the handler
    denied = post(bearer(neighbour), "incidents", **incident())  # answered early, as the API's handler does
    assert denied.status_code == 403 and denied.json()["detail"].startswith("Anda tidak berwenang")
    assert post(bearer(users["saksi"]), "checkins", **checkin(election="tidak-ada")).status_code == 404
    assert [t for _, t in taken][3:] == [True, True]
    assert CheckIn.objects.count() == 0 and ChecklistAnswer.objects.count() == 1 and Incident.objects.count() == 0


def _waiting(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock'").fetchone()[0]


@pg_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "make", "model"), CASES)
def test_two_identical_sends_racing_store_one_report(tps, users, path, make, model):
    """Both sends read "not stored" before either commits: the first holds the chain's lock after its
    INSERT (held back here by another connection holding that lock), the twin's INSERT waits on the
    client id, then meets the conflict and answers with the stored report. One row, one record."""
    token, key = ApiToken.issue(users["saksi"])
    body = make()
    dsn = connection.get_connection_params()
    dsn = psycopg.conninfo.make_conninfo(**{k: v for k, v in dsn.items() if k in (
        "dbname", "user", "password", "host", "port")})
    answers, errors = [], []

    def send() -> None:
        try:
            answers.append(post({"HTTP_AUTHORIZATION": f"Bearer {key}"}, path, **body))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    with psycopg.connect(dsn) as holder:  # holds the audit chain's lock until both sends wait
        holder.execute(f"SELECT {chain.LOCK_CALL}")
        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while _waiting(dsn) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        both_waited = _waiting(dsn) >= 2
        holder.commit()
    for t in threads:
        t.join(60)
    assert errors == [] and both_waited
    assert sorted(r.status_code for r in answers) == [200, 201]
    first, twin = sorted(answers, key=lambda r: r.status_code, reverse=True)
    assert twin.json() == {**first.json(), "replayed": True}
    assert model.objects.filter(client_id=uuid.UUID(body["client_id"])).count() == 1
    records = ChangeRecord.objects.filter(subject=model._meta.label)
    assert list(records.values_list("object_id", flat=True)) == [str(first.json()["id"])]
    assert chain.verify()["ok"]


@pg_only
def test_the_token_is_touched_at_most_once_a_minute(tps, users):
    """``last_used_at``: written by the report's own statement, or after a refusal, never twice a minute."""
    token, key = ApiToken.issue(users["saksi"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def used():
        return ApiToken.objects.get(pk=token.pk).last_used_at

    assert used() is None
    assert post(auth, "checkins", **checkin()).status_code == 201
    first = used()
    assert first is not None
    assert post(auth, "checklist", **answer()).status_code == 201 and used() == first
    for body, status in ((checkin(lat=95), 422), (checkin(), 201)):
        long_ago = first - datetime.timedelta(minutes=2)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
        assert post(auth, "checkins", **body).status_code == status
        assert used() > first


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_dead_connection_is_replaced_as_the_health_check_would(tps, users):
    """The read stands in for Django's ``SELECT 1`` health check: a connection PostgreSQL dropped
    between requests is replaced, and the report is stored once."""
    auth = bearer(users["saksi"])
    assert post(auth, "checkins", **checkin()).status_code == 201
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    dsn = psycopg.conninfo.make_conninfo(**{k: v for k, v in connection.get_connection_params().items() if k in (
        "dbname", "user", "password", "host", "port")})
    with psycopg.connect(dsn, autocommit=True) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
    connection.health_check_done = False  # what close_old_connections does at a request's start (the
    body = checkin()                      # test client leaves that signal out)
    r = post(auth, "checkins", **body)
    assert r.status_code == 201, r.content
    assert connection.connection.info.backend_pid != pid
    assert CheckIn.objects.filter(client_id=uuid.UUID(body["client_id"])).count() == 1
    assert CheckIn.objects.count() == 2 and chain.verify()["ok"]
