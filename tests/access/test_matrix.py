"""The authorisation matrix (issue 14 item 1): every URL and API operation × role × scope × method.

Expectations: ``tests/access/matrix.py`` (its docstring says how to add an entry). The world (users,
in-scope and out-of-scope objects): ``tests/access/world.py``, built once for the module.
"""

import re
import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.twofactor import verify_session

from . import world as W
from .matrix import ADMIN_PUBLIC, ADMIN_SITE, API, PAGES, Api, Page

pytestmark = pytest.mark.django_db  # the test database; each test runs in a savepoint of the world's
LOGIN_PATHS = ("/masuk/", "/admin/login/")
REFUSALS = {401, 403, 404, 405}


# --- enumeration --------------------------------------------------------------------------------

def url_patterns() -> list[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every named URL, recursively (API operations excluded: see API)."""
    found = []

    def walk(resolver, prefix: str, ns: str | None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = ":".join(x for x in (ns, p.namespace) if x) if p.namespace else ns
                walk(p, prefix + str(p.pattern), sub)
            else:
                name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
                found.append((name, "/" + prefix + str(p.pattern), p))

    walk(get_resolver(), "", None)
    return found


def api_operations() -> dict[str, dict]:
    """``"METHOD /api/path"`` → OpenAPI operation, from the live schema."""
    from kawaltps.api.api import api

    schema = api.get_openapi_schema()
    return {f"{m.upper()} {path}": op for path, ops in schema["paths"].items() for m, op in ops.items()}


def _is_api_operation(route: str, ops: dict) -> bool:
    shape = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return any(key.split(" ", 1)[1] == shape for key in ops)


def _suggest_page(name: str, route: str, pattern: URLPattern) -> str:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    args = "{" + ", ".join(f'"{p}": "KIND"' for p in params) + "}"
    view = f"{pattern.callback.__module__}.{getattr(pattern.callback, '__name__', '')}"
    arg = f"args={args}, " if params else ""
    return f'    "{name}": Page({arg}GET=scoped(ROLE, ...), POST=NOBODY),  # {route} → {view}'


def _suggest_api(key: str, op: dict) -> str:
    params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "path"]
    args = "{" + ", ".join(f'"{p}": "KIND"' for p in params) + "}"
    method = key.split(" ")[0]
    arg = f"args={args}, " if params else ""
    return f'    "{key}": Api({arg}{method}=scoped(ROLE, ...)),  # {op.get("summary", "")}'


def test_every_url_and_api_operation_has_an_entry():
    """A URL or API operation nobody declared fails here, printing the entry to paste."""
    ops = api_operations()
    missing, names = [], set()
    for name, route, pattern in url_patterns():
        if name.startswith("admin:") or route.startswith("/admin/"):
            continue  # the admin site: one rule, ADMIN_SITE
        if not name:
            missing.append(f"    # unnamed URL {route}: give it a name= in its urls.py")
            continue
        names.add(name)
        if name.startswith("api:") and _is_api_operation(route, ops):
            continue
        if name not in PAGES:
            missing.append(_suggest_page(name, route, pattern))
    missing += [_suggest_api(key, op) for key, op in ops.items() if key not in API]
    stale = sorted(set(PAGES) - names) + sorted(set(API) - set(ops))
    assert not missing, ("URLs without an entry in the authorisation matrix. Add these to PAGES / API in "
                         "tests/access/matrix.py (replace KIND with an object kind of tests/access/world.py and "
                         "ROLE with who may use it; the file's docstring explains the format):\n"
                         + "\n".join(missing))
    assert not stale, f"Entries in tests/access/matrix.py for URLs that no longer exist (remove them): {stale}"


# --- the world, once per module -----------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside a transaction that is rolled back after the module's last test."""
    from django.conf import settings

    old = settings.PASSWORD_HASHERS, settings.MEDIA_ROOT, settings.DATA_DIR
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path_factory.mktemp("matrix")
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    with django_db_blocker.unblock():
        with transaction.atomic():
            w = W.build(settings.DATA_DIR / "jobs")
            w.clients = {"anon": Client(raise_request_exception=False)}
            w.tokens = {"anon": None}
            from kawaltps.people.models import ApiToken

            for role, user in w.users.items():
                c = Client(raise_request_exception=False)
                c.force_login(user)
                verify_session(c, user)  # admin, koordinator, legal: past the second factor
                w.clients[role] = c
                w.tokens[role] = ApiToken.issue(user, name="matrix")[1]
            yield w
            transaction.set_rollback(True)
    settings.PASSWORD_HASHERS, settings.MEDIA_ROOT, settings.DATA_DIR = old


@pytest.fixture
def in_world(world, db):
    """The module's world; the test's own changes are rolled back after it (pytest-django's savepoint)."""
    return world


# --- requests and answers -----------------------------------------------------------------------

def _fill(route: str, values: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: str(values[m.group(1) or m.group(2)]), route)


def _sides(w, entry: Page) -> tuple[str, ...]:
    kinds = {**entry.args, **entry.query, **getattr(entry, "body", {})}.values()
    return ("in", "out") if any(w.ids[k]["in"] != w.ids[k]["out"] for k in kinds) else ("in",)


def _values(w, kinds: dict, side: str) -> dict:
    return {k: w.ids[kind][side] for k, kind in kinds.items()}


def _refused(response) -> bool:
    if response.status_code in REFUSALS:
        return True
    return response.status_code in (301, 302) and response.get("Location", "").split("?")[0].endswith(LOGIN_PATHS)


def _check(w, role: str, method: str, side: str, url: str, response, allowed: bool | None, problems: list) -> None:
    """``allowed`` None: an undeclared method of a role that may use the URL otherwise (any answer but 5xx)."""
    status = response.status_code
    if status >= 500:
        problems.append(f"{method} {url} as {role} ({side} scope): server error {status}")
    elif allowed and _refused(response):
        problems.append(f"{method} {url} as {role} ({side} scope): expected to get through, got {status} "
                        f"{response.get('Location', '')}")
    elif allowed is False and not _refused(response):
        problems.append(f"{method} {url} as {role} ({side} scope): expected a refusal, got {status}")
    elif (method == "GET" and role not in W.NATIONWIDE and role != "anon" and not _refused(response)
          and not getattr(response, "streaming", False)):
        body = response.content.decode("utf-8", "replace")
        leaked = [m for m in W.LEAK_MARKERS if m in body]
        if leaked and side == "in":
            problems.append(f"GET {url} as {role}: shows out-of-scope personal data {leaked}")


def _page_requests(w, name: str, route: str, entry: Page, method: str):
    for side in _sides(w, entry):
        url = _fill(route, _values(w, entry.args, side))
        data = {"pemilihan": w.election.slug, **_values(w, entry.query, side)}
        yield side, url, data


def _run_pages(w, method: str) -> list[str]:
    problems, routes = [], {name: route for name, route, _ in url_patterns()}
    for name, entry in PAGES.items():
        if entry.skip:
            continue
        for side, url, data in _page_requests(w, name, routes[name], entry, method):
            for role in W.ROLES:
                expected = entry.expects(method, role, side)
                if expected is None:
                    continue  # an undeclared method of a role let through otherwise: not sent (speed)
                client = w.clients[role]
                sid = transaction.savepoint()
                response = client.get(url, data) if method == "GET" else client.post(url, data)
                transaction.savepoint_rollback(sid)
                _check(w, role, method, side, url, response, expected, problems)
    return problems


def test_pages_get(in_world):
    problems = _run_pages(in_world, "GET")
    assert not problems, "Authorisation matrix (pages, GET):\n" + "\n".join(problems)


def test_pages_post(in_world):
    problems = _run_pages(in_world, "POST")
    assert not problems, "Authorisation matrix (pages, POST):\n" + "\n".join(problems)


def test_admin_site(in_world):
    """Every admin page that needs no object: only staff get through; the login page is public."""
    w, problems = in_world, []
    for name, route, _ in url_patterns():
        if not name.startswith("admin:") or name in ADMIN_PUBLIC:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        if params and not route.endswith(("/change/", "/history/", "/delete/")):
            continue
        url = _fill(route.replace("^", "").replace("$", ""), {"object_id": 1, "app_label": "people"})
        if "(?P" in url:
            continue
        for role in W.ROLES:
            response = w.clients[role].get(url)
            if ADMIN_SITE.GET.allows(role, "in") and response.status_code == 403:
                continue  # a read-only model (no add/delete): refused by design, not by role
            _check(w, role, "GET", "in", url, response, ADMIN_SITE.GET.allows(role, "in"), problems)
    assert not problems, "Authorisation matrix (admin site):\n" + "\n".join(problems)


def _api_body(w, key: str, entry: Api, side: str) -> dict:
    from tests.results.helpers import good_form

    body = _values(w, entry.body, side)
    if key == "POST /api/results/submissions":
        votes, numbers = good_form()
        body.update(election=w.election.slug, votes=votes, numbers=numbers, client_id=str(uuid.uuid4()))
    elif key == "POST /api/training/sessions/{session_id}/scan":
        body.update(token="bukan-kode")
    elif key == "POST /api/auth/token":
        body.update(username="m-observer", password="salah")
    return body


#: API operations that take a multipart form, with the name of their file field.
MULTIPART = {"POST /api/fieldday/checkins/photo": "photo", "POST /api/fieldday/incidents/media": "files"}


def test_api(in_world):
    from .world import _jpeg

    w, problems = in_world, []
    for key, entry in API.items():
        method, path = key.split(" ", 1)
        for side in _sides(w, entry):
            url = _fill(path, _values(w, entry.args, side))
            for role in W.ROLES:
                headers = {"Authorization": f"Bearer {w.tokens[role]}"} if w.tokens[role] else {}
                c = Client(raise_request_exception=False)
                sid = transaction.savepoint()
                if method == "GET":
                    response = c.get(url, {"election": w.election.slug, "pemilihan": w.election.slug},
                                     headers=headers)
                elif key == "POST /api/results/photos":
                    response = c.post(url, {"election": w.election.slug, "tps": w.ids["tps"][side], "page": 1,
                                            "file": _jpeg(9)}, headers=headers)
                elif key in MULTIPART:
                    form = {**_api_body(w, key, entry, side), MULTIPART[key]: _jpeg(9)}
                    response = c.post(url, {k: v for k, v in form.items() if v is not None}, headers=headers)
                else:
                    response = c.generic(method, url, __import__("json").dumps(_api_body(w, key, entry, side)),
                                         content_type="application/json", headers=headers)
                transaction.savepoint_rollback(sid)
                allowed = entry.expects(method, role, side)
                if key == "POST /api/auth/token":  # a wrong password: 401 for everyone, never a 5xx
                    allowed = False
                _check(w, role, method, side, url, response, allowed, problems)
    assert not problems, "Authorisation matrix (API):\n" + "\n".join(problems)


def test_matrix_catches_a_missing_check(in_world, monkeypatch):
    """The matrix is not vacuous: an observer who could suddenly manage volunteers is reported."""
    from kawaltps.access import rules

    monkeypatch.setitem(rules.ROLE_ACTIONS, "observer", rules.ROLE_ACTIONS["admin"])
    problems = _run_pages(in_world, "GET")
    assert any("as observer" in p and "/relawan/" in p for p in problems)

