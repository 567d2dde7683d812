"""``fanpage init``: copy the example site, filling in the name and today's dates, with the
GitHub Actions workflow that deploys it (``.github/workflows/deploy.yml``)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template

from fanpage import __version__

TEMPLATE_DIR = Path(__file__).resolve().parent / "site"
_FILLED = {".tmpl", ".md"}
_RENAMED = {
    "gitignore": ".gitignore",
    "pelicanconf.py.tmpl": "pelicanconf.py",
    "publishconf.py.tmpl": "publishconf.py",
    "requirements.txt.tmpl": "requirements.txt",
}
# Files written somewhere else than their name says (a dot folder is awkward in a package).
_MOVED = {"github-deploy.yml": Path(".github/workflows/deploy.yml")}


class InitError(Exception):
    pass


@dataclass(frozen=True)
class InitResult:
    site_dir: Path
    files: list[Path]


def init_site(target: Path, name: str, timezone: str, today: date) -> InitResult:
    """Write a new site into ``target``, refusing to overwrite an existing site."""
    if (target / "pelicanconf.py").exists() or (target / "content").exists():
        raise InitError(f"{target}: a site is already there (pelicanconf.py or content/ exists)")
    values = {
        "name": name.replace("\\", "\\\\").replace('"', '\\"'),
        "timezone": timezone,
        "today": today.isoformat(),
        "show_date": (today + timedelta(days=60)).isoformat(),
        "version": __version__,
    }
    written = []
    for source in sorted(TEMPLATE_DIR.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(TEMPLATE_DIR)
        moved = _MOVED.get(relative.as_posix())
        renamed = relative.with_name(_RENAMED.get(relative.name, relative.name))
        destination = target / (moved or renamed)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in _FILLED:
            text = Template(source.read_text(encoding="utf-8")).safe_substitute(values)
            destination.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, destination)
        written.append(destination)
    return InitResult(target, written)
