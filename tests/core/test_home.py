"""Home page per role, login, language switch, region browsing through the pages."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(users):
    r = Client().get("/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


@pytest.mark.django_db
def test_login_with_wrong_password_shows_indonesian_error(users):
    r = Client().post("/masuk/", {"username": "admin", "password": "salah"})
    assert r.status_code == 200 and "Nama pengguna atau kata sandi salah" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username,expected,absent", [
    ("admin", "Kelola pengguna dan peran", None),
    ("koord", "Telusuri wilayah Anda", "Kelola pengguna"),
    ("saksi", "TPS Anda", "Kelola pemilihan"),
])
def test_home_shows_what_the_role_does_next(users, username, expected, absent):
    html = client_for(username).get("/").content.decode()
    assert expected in html
    if absent:
        assert absent not in html


@pytest.mark.django_db
def test_english_is_available(users):
    c = client_for("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get("/").content.decode()
    assert "What to do next" in html and "Manage users and roles" in html


@pytest.mark.django_db
def test_region_pages_follow_scope(users, small_election):
    k = client_for("koordkec")
    r = k.get("/wilayah/")
    assert r.status_code == 302 and r["Location"] == "/wilayah/317508/"
    html = k.get("/wilayah/317508/").content.decode()
    assert "Pinangranti" in html and "Makasar" in html
    assert k.get("/wilayah/3171/").status_code == 403
    assert k.get("/wilayah/tps/uji/3171011001001/").status_code == 403
    s = client_for("saksi")
    assert s.get("/wilayah/")["Location"] == "/wilayah/tps/uji/3175081001001/"
    assert "510" in s.get("/wilayah/tps/uji/3175081001001/").content.decode()


@pytest.mark.django_db
def test_menu_shows_each_role_only_what_it_may_open(users, small_election):
    """The saksi's menu leads to their election-day page and has no Analitik (a TPS is no area to
    analyse: that page answers 403); a koordinator's menu has the board and Analitik, not the saksi's page."""
    import re

    def menu(username):
        html = client_for(username).get("/").content.decode()
        return re.search(r'<nav class="menu">(.*?)</nav>', html, re.S).group(1)

    saksi = menu("saksi")
    assert 'href="/hari-h/"' in saksi and "/analitik/" not in saksi
    assert client_for("saksi").get("/analitik/forensik/?pemilihan=uji").status_code == 403  # why not offered
    koord = menu("koord")
    assert 'href="/hari-h/papan/"' in koord and "/analitik/forensik/" in koord and 'href="/hari-h/"' not in koord
