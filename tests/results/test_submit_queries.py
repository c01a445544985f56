"""The submission path stays lean: a bounded number of queries, no shared region row written or locked."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kawaltps.people.models import ApiToken
from kawaltps.results.models import RegionTally, Submission, TallyDelta, TpsResult

from .helpers import good_form

# PostgreSQL (results/fastpath.py): one read (token, election, paslon, TPS, result, replay check), one
# write (result row, Submission, TallyDelta), then the audit record through the one writer: the chain's
# lock, its head, the insert; a replay reads the stored submission instead.
# SQLite (services.submit): auth, election, candidates, lock+replay (+insert, re-lock when new), 4 writes,
# the chain's head.
MAX_QUERIES = {"postgresql": 5, "sqlite": 11}


def post(client, headers, client_id, tps="3175081001001", kind="clerk", votes=None):
    v, numbers = good_form()
    data = {"client_id": client_id, "election": "uji", "tps": tps, "kind": kind, "votes": votes or v,
            "numbers": numbers}
    return client.post("/api/results/submissions", data, content_type="application/json", **headers)


def test_api_submission_query_count_and_no_shared_rows(client, small_election, users):
    _, key1 = ApiToken.issue(users["clerk"])
    _, key2 = ApiToken.issue(users["clerk2"])
    h1, h2 = {"HTTP_AUTHORIZATION": f"Bearer {key1}"}, {"HTTP_AUTHORIZATION": f"Bearer {key2}"}
    post(client, h1, "warm-up", tps="3171011001001")  # token last_used_at written once per minute
    post(client, h2, "warm-up-2", tps="3171011001002")
    for headers, cid, status, state in ((h1, "q-first", 201, "entered"),  # new result row
                                        (h2, "q-second", 201, "verified"),  # existing row, blind 2nd
                                        (h2, "q-second", 200, "verified")):  # replay
        with CaptureQueriesContext(connection) as ctx:
            r = post(client, headers, cid)
        assert r.status_code == status and r.json()["state"] == state, r.content
        # the test runs inside a transaction: BEGIN/COMMIT show as SAVEPOINT/RELEASE, not counted
        sqls = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        assert len(sqls) <= MAX_QUERIES[connection.vendor], "\n".join(sqls)
        assert not any("results_regiontally" in s for s in sqls), "a submission must not touch region rows"
        assert not any("FOR UPDATE" in s and "elections_election" in s.split("FOR UPDATE")[1] for s in sqls)
    assert TpsResult.objects.get(code="3175081001001").state == "verified"
    assert Submission.objects.filter(client_id="q-second").count() == 1
    assert not RegionTally.objects.exists()
    assert TallyDelta.objects.filter(code="3175081001001").count() == 2  # entered, then verified


def test_unknown_tps_creates_nothing(client, small_election, users):
    _, key = ApiToken.issue(users["clerk"])
    r = post(client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}, "q-x", tps="3175081009009")
    assert r.status_code == 422 and "tidak ada" in r.json()["detail"]
    assert not TpsResult.objects.exists() and not Submission.objects.exists() and not TallyDelta.objects.exists()
