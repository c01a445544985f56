"""English catalogues: every msgid under src/kawaltps is translated, and the apps' main pages are English
when the user picked English (the ``django_language`` cookie, see core/middleware.py)."""

import ast
import gettext
import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "kawaltps"
CATALOGS = sorted(SRC.rglob("locale/*/LC_MESSAGES/django.po"))


def untranslated_and_fuzzy(po: Path) -> tuple[list[str], list[str]]:
    """(msgids with an empty msgstr / msgstr[n], msgids marked fuzzy), the header entry excluded.

    An empty ``msgstr ""`` is untranslated unless continued by a string line (a wrapped msgstr)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    untranslated, fuzzy = [], []
    msgid, pending_fuzzy = None, False
    for i, line in enumerate(lines):
        if line.startswith("#,") and "fuzzy" in line:
            pending_fuzzy = True
        elif line.startswith("msgid "):
            msgid = line[len("msgid "):]
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):  # a wrapped msgid
                msgid += lines[j]
                j += 1
            if pending_fuzzy and msgid != '""':
                fuzzy.append(msgid)
            pending_fuzzy = False
        elif re.match(r'msgstr(\[\d+\])? ""$', line) and msgid != '""':
            continued = i + 1 < len(lines) and lines[i + 1].startswith('"')
            if not continued:
                untranslated.append(msgid)
        elif not line.strip():
            pending_fuzzy = False
    return untranslated, fuzzy


def test_catalogs_found():
    apps = {po.relative_to(SRC).parts[0] for po in CATALOGS}
    assert {"locale", "results", "recap", "volunteers", "training"} <= apps, apps


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(SRC)))
def test_catalog_complete(po):
    untranslated, fuzzy = untranslated_and_fuzzy(po)
    assert not untranslated, f"{len(untranslated)} untranslated in {po}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy entries in {po}: {fuzzy[:10]}"
    # "#| msgid" = msgmerge guessed the msgstr from a similar old msgid; if its fuzzy flag was dropped
    # (scripts/fill_po.py removes the first "#, fuzzy"), the guess would pass for a translation.
    guessed = [line for line in po.read_text(encoding="utf-8").splitlines() if line.startswith("#| msgid")]
    assert not guessed, f"msgmerge guesses left in {po}: {guessed[:5]}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(SRC)))
def test_catalog_compiled(po):
    """The committed .mo holds exactly the .po's msgids (run ``kawaltps compilemessages -l en`` after editing)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{po} is not compiled"
    with mo.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    # keys are msgid, (msgid, n) for plurals, "context\x04msgid" for pgettext
    compiled = {(k[0] if isinstance(k, tuple) else k).split("\x04")[-1] for k in catalog} - {""}
    text = po.read_text(encoding="utf-8")

    def unquote(block: str) -> str:
        return ast.literal_eval(" ".join(re.findall(r'"(?:[^"\\]|\\.)*"', block)))

    msgids = {unquote(m) for m in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M)} - {""}
    assert compiled == msgids, f"{mo} is stale: {sorted(compiled ^ msgids)[:5]}"
    pairs = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text, flags=re.M)
    singular = {unquote(i): unquote(s) for i, s in pairs}
    plain = {k.split("\x04")[-1]: v for k, v in catalog.items() if isinstance(k, str)}
    stale = [i for i, s in singular.items() if i and plain.get(i) != s]
    assert not stale, f"{mo} has old translations for {stale[:5]}"


def test_parser_catches_gaps(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#, fuzzy\nmsgid "a"\nmsgstr "A"\n\n'
                  'msgid "b"\nmsgstr ""\n\nmsgid "c"\nmsgstr ""\n"C wrapped"\n\n'
                  'msgid "d"\nmsgid_plural "ds"\nmsgstr[0] "D"\nmsgstr[1] ""\n', encoding="utf-8")
    assert untranslated_and_fuzzy(po) == (['"b"', '"d"'], ['"a"'])


PAGES = [  # (url, user, English heading, Indonesian heading)
    ("/hasil/", "admin", "<h1>Results ·", "Rekap hasil"),
    ("/rekap/", "admin", "<h1>Recapitulation discrepancies</h1>", "Selisih rekapitulasi"),
    ("/relawan/", "koord", "<h1>Volunteers", "<h1>Relawan"),
    ("/bimtek/", "trainer", "<h1>Bimtek sessions</h1>", "Sesi Bimtek"),
]


@pytest.mark.parametrize("url,username,english,indonesian", PAGES)
def test_main_page_in_english(client, users, small_election, url, username, english, indonesian):
    client.login(username=username, password=PASSWORD)
    resp = client.get(url)
    assert resp.status_code == 200
    assert indonesian in resp.content.decode()  # the default language is Indonesian
    client.cookies["django_language"] = "en"
    resp = client.get(url)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert english in page
    assert indonesian not in page
