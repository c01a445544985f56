"""Schemathesis over the OpenAPI document of ``/api/`` (issue 14 item 2): generated requests to every
operation, as a nationwide admin device (bearer token), must never get a 5xx and every documented
answer must match its schema.

Bounded for CI: ``MAX_EXAMPLES`` per operation (env ``KAWALTPS_FUZZ_EXAMPLES``), in-process through
the WSGI app (no server), and only in the SQLite pass: the PostgreSQL pass skips it (the API code is
the same; the database differences are covered by the rest of the suite).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kawaltps.wsgi import application

MAX_EXAMPLES = int(os.environ.get("KAWALTPS_FUZZ_EXAMPLES", "5"))
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def device_token(small_election, users, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("fuzzing runs in the SQLite pass only (CI time budget); the API code is the same")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core import signals
    from django.db import close_old_connections

    from kawaltps.people.models import ApiToken

    # In-process WSGI calls end with request_finished: keep the test's transaction open, as Django's
    # test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield ApiToken.issue(users["admin"], "fuzz")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case, device_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {device_token}"},
                           checks=[not_a_server_error, response_schema_conformance])
