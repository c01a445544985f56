"""The Redis cache by setting, and the admin screens for elections, regions and people."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def test_redis_cache_when_redis_url_is_set(tmp_path):
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {url}")
    code = ("import os, django; os.environ['DJANGO_SETTINGS_MODULE']='kawaltps.settings'; django.setup();"
            "from django.core.cache import caches; c = caches['default'];"
            "c.set('uji-cache', 42); print(type(c).__name__)")
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path), "REDIS_URL": url, "KAWALTPS_CACHE_PREFIX": "uji"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "RedisCache"
    assert redis.Redis.from_url(url).get("uji:1:uji-cache") is not None  # written to the real server


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/elections/election/", "/admin/elections/election/add/",
                                  "/admin/regions/region/", "/admin/regions/tps/", "/admin/people/user/",
                                  "/admin/people/organisation/"])
def test_admin_screens_open_for_admin_only(users, small_election, path):
    admin = Client()
    admin.login(username="admin", password=PASSWORD)
    assert admin.get(path).status_code == 200
    koord = Client()
    koord.login(username="koord", password=PASSWORD)
    assert koord.get(path).status_code == 302  # not staff: sent to the admin login


@pytest.mark.django_db
def test_election_admin_shows_form_fields(users, small_election):
    admin = Client()
    admin.login(username="admin", password=PASSWORD)
    html = admin.get(f"/admin/elections/election/{small_election.pk}/change/").content.decode()
    assert "B.4 Jumlah pengguna hak pilih" in html and "Satu" in html
