"""Screenshot the demo's main pages in headless Chromium, for a person to look at.

    KAWALTPS_DATA_DIR=... .venv/bin/kawaltps demo --bind 127.0.0.1:8011 &   # a running demo
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8011 OUTDIR [username:path ...]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "kawal-demo-2024"
DEFAULT = [
    "admin:/", "admin:/wilayah/", "admin:/hasil/", "admin:/rekap/", "admin:/relawan/", "admin:/bimtek/",
    "koord-jaktim:/", "saksi:/", "saksi:/hasil/kirim/", "clerk1:/", "trainer:/", "legal:/", "observer:/",
]


def main(base: str, out: str, specs: list[str]) -> None:
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        pages = {}
        for spec in specs or DEFAULT:
            user, path = spec.split(":", 1)
            phone = user == "saksi"
            if user not in pages:
                page = browser.new_page(viewport={"width": 360 if phone else 1280, "height": 800})
                page.goto(f"{base}/masuk/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button.primary")
                page.wait_for_load_state()
                pages[user] = page
            page = pages[user]
            response = page.goto(base + path)
            name = f"{user}{path.replace('/', '_')}".strip("_") or user
            page.screenshot(path=str(outdir / f"{name}.png"), full_page=True)
            print(response.status if response else "?", user, path, outdir / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
