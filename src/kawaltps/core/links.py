"""The one rule for rendering a URL that came from outside (Sirekap image links, imported data).

A URL from a file or another site is rendered as a link only when it is an absolute ``http`` or
``https`` URL with a host; anything else (``javascript:``, ``data:``, ``vbscript:``, a relative
path, a scheme hidden behind control characters or spaces) is shown as plain text, never as an
``href``/``src``. Templates use the ``external_url`` filter (``{% load links %}``), Python code
calls :func:`external_url`.
"""

from urllib.parse import urlsplit

MAX_URL = 2048
SCHEMES = ("http", "https")


def external_url(value: object) -> str:
    """``value`` when it is safe to render as a link (see module docstring), else ``""``."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or len(url) > MAX_URL or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SCHEMES or not parts.netloc or parts.netloc.startswith("@"):
        return ""
    return url
