"""Screenshots of a right-to-left page and a CJK page, for docs/languages.md.

Sets up a fresh home (`civicshield setup`), serves it, and has Debian's chromium (Playwright) take the
Texas voter-information page in Arabic and the Transparency Center in Traditional Chinese. Writes docs/img/language-*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CIVICSHIELD_CHROMIUM", "/usr/bin/chromium")
SHOTS = {"language-ar-rtl.png": "/elections/us/tx/?lang=ar", "language-zh-hant.png": "/transparency/?lang=zh-hant"}


def main() -> int:
    from playwright.sync_api import sync_playwright

    binary = Path(sys.executable).with_name("civicshield")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CIVICSHIELD_HOME": home}
        env.pop("DATABASE_URL", None)
        subprocess.run([str(binary), "setup", "--quiet"], env=env, check=True)
        server = subprocess.Popen([str(binary), "serve", "--host", "127.0.0.1", "--port", "8765"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen("http://127.0.0.1:8765/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            OUT.mkdir(parents=True, exist_ok=True)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                for name, path in SHOTS.items():
                    page.goto(f"http://127.0.0.1:8765{path}")
                    page.screenshot(path=str(OUT / name), full_page=False)
                    print(OUT / name)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
