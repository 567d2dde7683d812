"""Turn a site folder's ``pelicanconf.py`` (or ``publishconf.py``) into checked Pelican settings.

fanpage's own defaults sit under the site's settings, which sit under the few settings fanpage
must control (its reader, its feeds).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fanpage import settings as declared
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.site import ContentSettings, display_path
from fanpage.paths import PLUGINS_DIR, THEME_DIR
from fanpage.settings import Settings

LEDGER_VARIABLE = "FANPAGE_LEDGER_PATH"
PLUGINS: list[str] = [
    "fanpage_content",
    "fanpage_theme",
    "fanpage_metadata",
    "fanpage_feeds",
    "fanpage_crosspost",
]

# Defaults a site may override in pelicanconf.py.
FANPAGE_DEFAULTS: dict[str, Any] = {
    "PATH": "content",
    "OUTPUT_PATH": "output",
    "THEME": str(THEME_DIR),
    "ARTICLE_PATHS": ["news", "albums", "tours", "galleries"],
    "PAGE_PATHS": ["pages"],
    # content/images/ is published by fanpage.media (derived sizes, no camera metadata).
    "STATIC_PATHS": ["audio", "videos", "files", "extra"],
    "ARTICLE_EXCLUDES": [],
    "ARTICLE_URL": "{category}/{slug}/",
    "ARTICLE_SAVE_AS": "{category}/{slug}/index.html",
    "ARTICLE_LANG_URL": "{lang}/{category}/{slug}/",
    "ARTICLE_LANG_SAVE_AS": "{lang}/{category}/{slug}/index.html",
    "DRAFT_URL": "drafts/{category}/{slug}/",
    "DRAFT_SAVE_AS": "drafts/{category}/{slug}/index.html",
    "DRAFT_LANG_URL": "drafts/{lang}/{category}/{slug}/",
    "DRAFT_LANG_SAVE_AS": "drafts/{lang}/{category}/{slug}/index.html",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "PAGE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
    "CATEGORY_URL": "{slug}/",
    "TAG_URL": "tags/{slug}/",
    "TAG_SAVE_AS": "tags/{slug}/index.html",
    "TAGS_URL": "tags/",
    "TAGS_SAVE_AS": "tags/index.html",
    "AUTHOR_SAVE_AS": "",
    "AUTHORS_SAVE_AS": "",
    "CATEGORIES_SAVE_AS": "",
    "ARCHIVES_SAVE_AS": "",
    "YEAR_ARCHIVE_SAVE_AS": "",
    "MONTH_ARCHIVE_SAVE_AS": "",
    "DAY_ARCHIVE_SAVE_AS": "",
    "DIRECT_TEMPLATES": ["index", "tags", "404"],
    "TEMPLATE_PAGES": {},
    "INDEX_SAVE_AS": "index.html",
    "PAGINATION_PATTERNS": [
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
    ],
    "PAGINATED_TEMPLATES": {"category": None, "tag": None},
    "DEFAULT_PAGINATION": False,
    "SLUGIFY_SOURCE": "basename",
    "DEFAULT_DATE_FORMAT": "%d %B %Y",
    "TYPOGRIFY": False,
    "RELATIVE_URLS": False,
    "DELETE_OUTPUT_DIRECTORY": False,
    "LOAD_CONTENT_CACHE": False,
    "MARKDOWN": {
        "extension_configs": {
            "markdown.extensions.extra": {},
            "markdown.extensions.sane_lists": {},
            "fanpage.engine.typography": {},  # smarty's quotes and dashes, in one pass
        },
        "output_format": "html5",
    },
}

# Settings fanpage must own: its own feeds, and its list pages (news, discography, tours),
# which fanpage.i18n.lists writes once per language: Pelican would paginate the discography
# and the tour dates, rendering every album and show again on each page.
FANPAGE_FORCED: dict[str, Any] = {
    "CATEGORY_SAVE_AS": "",
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "FEED_ATOM": None,
    "FEED_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "CATEGORY_FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
}

# Folders of content/ never copied as they are, whatever STATIC_PATHS says: the originals under
# content/images/ (with their GPS positions and camera serials) are published only as what
# fanpage.media derives from them.
NEVER_STATIC: tuple[str, ...] = ("images",)


def _never_static(path: str) -> bool:
    parts = Path(str(path).strip("/")).parts
    return bool(parts) and parts[0] in NEVER_STATIC


@dataclass(frozen=True)
class SiteConfig:
    """A site's settings, checked: fanpage's typed settings, what Pelican needs, what reading
    content needs, and every problem found in the settings file."""

    settings: Settings  # what every room reads
    settings_file: Path
    content: ContentSettings
    problems: ProblemList
    # What Pelican is given: the site's settings over fanpage's defaults, checked values in.
    merged: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def pelican(self) -> dict[str, Any]:
        """Pelican's own settings, fanpage's checked values included. Made when a build asks
        for them: Pelican (and all it imports) is not loaded to check a site."""
        from pelican.settings import read_settings

        return read_settings(None, override=dict(self.merged))

    @property
    def site_dir(self) -> Path:
        return self.settings.site_dir

    @property
    def output_dir(self) -> Path:
        return self.settings.output_dir


def settings_file_for(site_dir: Path, publish: bool) -> Path:
    return site_dir / ("publishconf.py" if publish else "pelicanconf.py")


class NoSiteError(ContentError):
    """The folder a command was pointed at holds no site (no ``pelicanconf.py``).

    A ContentError, so that whatever reports content problems (``serve`` between rebuilds,
    ``deploy``) reports this one too; the command line prints it as one ``error:``.
    """

    def __init__(self, message: str) -> None:
        problems = ProblemList()
        problems.error("", 0, message)
        super().__init__(problems)
        self.message = message

    def __str__(self) -> str:
        return self.message


def require_site(site_dir: Path) -> None:
    """Raise NoSiteError, saying how to point at a site, unless ``site_dir`` has one."""
    if (site_dir / "pelicanconf.py").is_file():
        return
    given = str(site_dir)
    where = f"the current folder ({Path.cwd()})" if given in (".", "") else given
    if site_dir.is_dir():
        first = f"there is no pelicanconf.py in {where}, so it is not a fanpage site"
    else:
        first = f"there is no pelicanconf.py in {where}: the folder does not exist"
    near = _site_nearby(site_dir)
    if near is not None:
        hint = f"a site is in {near}: add --site {near}"
    else:
        hint = (
            "point at your site with --site DIR (the folder with pelicanconf.py), or run "
            "fanpage there;\n  to make a new site: fanpage init DIR"
        )
    raise NoSiteError(f"{first}\n  {hint}")


def _site_nearby(site_dir: Path) -> str | None:
    """A site folder just below ``site_dir`` or above it (run from ``content/``), as a path
    relative to the current folder."""
    if not site_dir.is_dir():
        return None
    resolved = site_dir.resolve()
    below = sorted(p.parent for p in resolved.glob("*/pelicanconf.py"))
    above = [p for p in resolved.parents if (p / "pelicanconf.py").is_file()]
    found = below or above
    return os.path.relpath(found[0], Path.cwd()) if found else None


def load_config(site_dir: Path, publish: bool = False, output: Path | None = None) -> SiteConfig:
    """Read, merge and check the settings of the site in ``site_dir``.

    Raises NoSiteError when ``site_dir`` is not a site at all.
    """
    require_site(site_dir)
    site_dir = site_dir.resolve()
    problems = ProblemList()
    settings_file = settings_file_for(site_dir, publish)
    shown = (
        display_path(settings_file, Path.cwd()) if settings_file.exists() else settings_file.name
    )
    user: dict[str, Any] = {}
    if not settings_file.is_file():
        problems.error(shown, 1, "settings file not found (run `fanpage init` to make a site)")
    else:
        user = _read_user_settings(settings_file, shown, problems)

    merged = {**FANPAGE_DEFAULTS, **user, **FANPAGE_FORCED}
    # Pelican excludes a folder only below a STATIC_PATHS entry, never the entry itself.
    merged["STATIC_PATHS"] = [p for p in merged["STATIC_PATHS"] if not _never_static(p)]
    merged["STATIC_EXCLUDES"] = [*user.get("STATIC_EXCLUDES", ()), *NEVER_STATIC]
    if os.environ.get(LEDGER_VARIABLE):  # a self-hosted deploy keeps it in its state folder
        merged["LEDGER_PATH"] = os.environ[LEDGER_VARIABLE]
    fanpage_values = declared.validate(merged, settings_file, shown, problems)
    if publish:
        fanpage_values["WRITE_FEEDS"] = True
        _check_public_address(fanpage_values["SITEURL"], shown, settings_file, problems)
    merged.update(fanpage_values)
    lines = declared.assignment_lines(settings_file)
    merged["PLUGIN_PATHS"] = [str(PLUGINS_DIR), *user.get("PLUGIN_PATHS", [])]
    merged["PLUGINS"] = [*PLUGINS, *[p for p in user.get("PLUGINS", []) if p not in PLUGINS]]
    _check_plugins(merged, shown, lines.get("PLUGINS", 1), problems)
    merged["DEFAULT_PAGINATION"] = fanpage_values["NEWS_PER_PAGE"]
    if publish:
        merged["DRAFT_SAVE_AS"] = merged["DRAFT_LANG_SAVE_AS"] = ""
    merged["PATH"] = str((site_dir / merged["PATH"]).resolve())
    content_dir = Path(merged["PATH"])
    if not content_dir.is_dir():  # Pelican refuses to start without one: say it first
        problems.error(
            shown,
            lines.get("PATH", 1),
            f'the content folder "{display_path(content_dir, Path.cwd())}" does not exist '
            '(PATH, default "content": the folder with news/, albums/, tours/ and pages/)',
        )
        merged["PATH"] = str(site_dir)
    out = output if output is not None else site_dir / merged["OUTPUT_PATH"]
    merged["OUTPUT_PATH"] = str(Path(out).resolve())
    if not Path(merged["THEME"]).is_absolute():
        merged["THEME"] = str((site_dir / merged["THEME"]).resolve())
    if not Path(merged["THEME"]).is_dir():
        problems.error(
            shown,
            lines.get("THEME", 1),
            f'THEME "{user.get("THEME", merged["THEME"])}" is not a folder (looked for '
            f"{merged['THEME']})",
        )
        merged["THEME"] = str(THEME_DIR)  # Pelican refuses to start without one

    settings = declared.settings_from(
        fanpage_values,
        site_dir=site_dir,
        content_dir=content_dir,
        output_dir=Path(merged["OUTPUT_PATH"]),
        publish=publish,
        source=shown,
        lines=lines,
    )
    return SiteConfig(settings, settings_file, content_settings(settings), problems, merged)


def content_settings(settings: Settings) -> ContentSettings:
    """The few settings reading content depends on."""
    return ContentSettings(
        site_dir=settings.site_dir,
        content_dir=settings.content_dir,
        timezone=settings.timezone,
        default_lang=settings.default_lang,
        languages=settings.languages,
    )


def _check_plugins(merged: dict[str, Any], shown: str, line: int, problems: ProblemList) -> None:
    """A plugin Pelican cannot find fails the build (Pelican only logs it): say so first."""
    paths = [str(p) for p in merged["PLUGIN_PATHS"]]
    for name in merged["PLUGINS"]:
        if isinstance(name, str) and not _plugin_exists(name, paths):
            problems.error(
                shown,
                line,
                f'PLUGINS: "{name}" is neither in PLUGIN_PATHS nor an installed Pelican plugin',
            )


def _plugin_exists(name: str, paths: list[str]) -> bool:
    """Where Pelican looks (``pelican.plugins._utils.load_plugins``), without importing it."""
    if "." not in name and importlib.machinery.PathFinder.find_spec(name, paths) is not None:
        return True
    for candidate in (f"pelican.plugins.{name}", name):
        try:
            if importlib.util.find_spec(candidate) is not None:
                return True
        except (ImportError, ValueError):  # a parent package that is not there
            continue
    return False


# Addresses left from an example: publishing with them would link every page, feed and post
# to somebody else's site.
PLACEHOLDER_HOSTS = frozenset({"example.com", "example.org", "example.net", "localhost"})


def _check_public_address(site_url: str, shown: str, source: Path, problems: ProblemList) -> None:
    """A publish build needs the site's real public address."""
    line = declared.assignment_lines(source).get("SITEURL", 1)
    if not site_url:
        problems.error(
            shown,
            line,
            "SITEURL is empty: publishing needs your site's public address, "
            'e.g. SITEURL = "https://yourband.com"',
        )
        return
    host = (urlsplit(site_url).hostname or "").lower()
    if host in PLACEHOLDER_HOSTS or host.startswith("www.example."):
        problems.error(
            shown,
            line,
            f'SITEURL "{site_url}" is a placeholder: set it to your site\'s public address '
            'before publishing, e.g. SITEURL = "https://yourband.com"',
        )


def _read_user_settings(path: Path, shown: str, problems: ProblemList) -> dict[str, Any]:
    """Run the settings file with the site folder importable (publishconf imports pelicanconf)."""
    site = str(path.parent)
    sys.path.insert(0, site)
    sys.modules.pop("pelicanconf", None)
    try:
        return _settings_in(path)
    except Exception as exc:  # a settings file is Python: any error is the artist's to fix
        line = _error_line(exc, path)
        problems.error(shown, line, f"cannot load settings: {type(exc).__name__}: {exc}")
        return {}
    finally:
        sys.path.remove(site)


def _settings_in(path: Path) -> dict[str, Any]:
    """The upper-case names a settings file defines, run as Pelican runs it (a module named
    after the file, so ``from pelicanconf import *`` in publishconf.py finds the same one)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return {name: value for name, value in vars(module).items() if name.isupper()}


def _error_line(exc: BaseException, path: Path) -> int:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    tb = exc.__traceback__
    line = 1
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == path.resolve():
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
