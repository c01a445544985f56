"""Kill the server in the middle of a load, restart, resend everything: no acknowledged submission is
lost and none is duplicated (the database decides by client_id)."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from kawaltps.people.models import ApiToken
from kawaltps.results.models import Submission

from .helpers import good_form
from .server import Server
from .test_tally import folded_rows, orm_recomputation

TPS = ["3175081001001", "3175081001002", "3175081002001", "3175081002002", "3171011001001", "3171011001002"]


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_stream_then_resend_everything(small_election, users):
    _, key = ApiToken.issue(users["admin"])
    headers = {"Authorization": f"Bearer {key}"}
    items = []
    for i in range(60):
        votes, numbers = good_form(votes=(100 + i % 7, 30, 150))
        items.append({"client_id": str(uuid.uuid4()), "election": "uji", "tps": TPS[i % 6], "kind": "saksi",
                      "votes": votes, "numbers": numbers})
    acked: set[str] = set()
    lock = threading.Lock()
    killed = threading.Event()
    server = Server().start()

    def send(item, base):
        try:
            r = httpx.post(f"{base}/api/results/submissions", json=item, headers=headers, timeout=10)
        except httpx.HTTPError:
            return None
        if r.status_code in (200, 201):
            with lock:
                acked.add(item["client_id"])
        return r.status_code

    try:
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(send, item, server.url) for item in items]
            while not killed.is_set():
                with lock:
                    if len(acked) >= 15:
                        server.kill()
                        killed.set()
                if all(f.done() for f in futures):
                    break
            [f.result() for f in futures]
        assert killed.is_set(), "the load finished before the kill"
        first_round = set(acked)
        assert 15 <= len(first_round) < len(items)
        assert Submission.objects.filter(client_id__in=first_round).count() == len(first_round)
        server = Server().start()
        statuses = [send(item, server.url) for item in items]  # everything again, same client ids
        assert all(s in (200, 201) for s in statuses), statuses
    finally:
        server.kill()
    ids = list(Submission.objects.values_list("client_id", flat=True))
    assert sorted(ids) == sorted(i["client_id"] for i in items)  # every one exactly once
    assert first_round <= set(ids)
    incremental = folded_rows(small_election)
    for code, row in orm_recomputation(small_election).items():
        assert incremental[code] == row, code
