"""Lighthouse scores of the demo site: home, album, tour and news pages, served on 127.0.0.1.

Run from the repository root after ``npm ci --prefix bench/lighthouse``::

    .venv/bin/python bench/lighthouse/run.py [--json results.json]

The site is built with publish settings and SITEURL set to the local server, so nothing is
fetched from the public host. Chromium is Debian's (/usr/bin/chromium, or $CHROME_PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from fanpage.engine.build import build_site  # noqa: E402
from fanpage.serve import start_server  # noqa: E402

PAGES: dict[str, str] = {
    "home": "/",
    "album": "/albums/gelombang/",
    "tour": "/tours/gelombang-world-tour/",
    "news": "/news/world-tour/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse(url: str, preset: str) -> dict[str, int]:
    cli = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
    command = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed for {url}: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fanpage-lighthouse-") as tmp:
        output = Path(tmp)
        server = start_server(output, 0)
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            build_site(ROOT, publish=True, output=output, site_url=base_url)
            scores = {name: lighthouse(base_url + p, args.preset) for name, p in PAGES.items()}
        finally:
            server.shutdown()
            server.server_close()

    print(f"Lighthouse 12.2.3, {args.preset} preset")
    print(f"{'page':<8}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:<8}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    worst = min(v for row in scores.values() for v in row.values())
    return 0 if worst >= 95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
