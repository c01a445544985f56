"""No inline script in any template (issue 14 item 7): the CSP (``script-src 'self'``) would block it.

The browser test (``test_csp.py``) catches violations on the pages it opens; this one reads every
template, so a page that no browser test opens cannot carry one either.
"""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "kawaltps"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*") if p.suffix in (".html", ".txt", ".svg") and p.is_file())


def test_templates_exist():
    assert len(_templates()) > 30


def test_no_inline_script_handler_or_style_block():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for rule, name in ((INLINE_SCRIPT, "inline <script>"), (HANDLER, "on…= handler"),
                           (JS_URL, "javascript: URL"), (STYLE_BLOCK, "<style> block")):
            for m in rule.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(SRC)}:{line}: {name}: {m.group(0)[:60]}")
    assert not found, ("Move these to a static file under core/static (see docs/security.md, Headers):\n"
                       + "\n".join(found))


def test_the_scanner_sees_an_inline_script():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert HANDLER.search('<a onclick="x()">') and not HANDLER.search('<a data-on="x">')
