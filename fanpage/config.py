"""Turn a site folder's ``pelicanconf.py`` (or ``publishconf.py``) into checked Pelican settings.

fanpage's own defaults sit under the site's settings, which sit under the few settings fanpage
must control (its reader, its feeds).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings

from fanpage import settings as declared
from fanpage.content.problems import ProblemList
from fanpage.content.site import ContentSettings, display_path
from fanpage.paths import PLUGINS_DIR, THEME_DIR

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
    "THEME": str(THEME_DIR),
    "ARTICLE_PATHS": ["news", "albums", "tours"],
    "PAGE_PATHS": ["pages"],
    "STATIC_PATHS": ["images", "audio", "files", "extra"],
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


@dataclass
class SiteConfig:
    """A site's settings, checked: what Pelican needs and what reading content needs."""

    site_dir: Path
    settings_file: Path
    pelican: dict[str, Any]
    content: ContentSettings
    problems: ProblemList

    @property
    def output_dir(self) -> Path:
        return Path(self.pelican["OUTPUT_PATH"])


def settings_file_for(site_dir: Path, publish: bool) -> Path:
    return site_dir / ("publishconf.py" if publish else "pelicanconf.py")


def load_config(site_dir: Path, publish: bool = False, output: Path | None = None) -> SiteConfig:
    """Read, merge and check the settings of the site in ``site_dir``."""
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
    fanpage_values = declared.validate(merged, settings_file, shown, problems)
    merged.update(fanpage_values)
    merged["PLUGIN_PATHS"] = [str(PLUGINS_DIR), *user.get("PLUGIN_PATHS", [])]
    merged["PLUGINS"] = [*PLUGINS, *[p for p in user.get("PLUGINS", []) if p not in PLUGINS]]
    merged["DEFAULT_PAGINATION"] = fanpage_values["NEWS_PER_PAGE"]
    merged["FANPAGE_PUBLISH"] = publish
    if publish:
        merged["WRITE_FEEDS"] = True
        merged["DRAFT_SAVE_AS"] = merged["DRAFT_LANG_SAVE_AS"] = ""
    merged["PATH"] = str((site_dir / merged["PATH"]).resolve())
    out = output if output is not None else site_dir / merged.get("OUTPUT_PATH", "output")
    merged["OUTPUT_PATH"] = str(Path(out).resolve())
    if not Path(merged["THEME"]).is_absolute():
        merged["THEME"] = str((site_dir / merged["THEME"]).resolve())

    pelican_settings = read_settings(None, override=_without_none_paths(merged))
    content = ContentSettings(
        site_dir=site_dir,
        content_dir=Path(pelican_settings["PATH"]),
        timezone=fanpage_values["TIMEZONE"],
        default_lang=fanpage_values["DEFAULT_LANG"],
        languages=tuple(fanpage_values["LANGUAGES"]),
    )
    return SiteConfig(site_dir, settings_file, pelican_settings, content, problems)


def _read_user_settings(path: Path, shown: str, problems: ProblemList) -> dict[str, Any]:
    """Run the settings file with the site folder importable (publishconf imports pelicanconf)."""
    site = str(path.parent)
    sys.path.insert(0, site)
    sys.modules.pop("pelicanconf", None)
    try:
        return get_settings_from_file(str(path))
    except Exception as exc:  # a settings file is Python: any error is the artist's to fix
        line = _error_line(exc, path)
        problems.error(shown, line, f"cannot load settings: {type(exc).__name__}: {exc}")
        return {}
    finally:
        sys.path.remove(site)


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


def _without_none_paths(values: dict[str, Any]) -> dict[str, Any]:
    known = set(DEFAULT_CONFIG) | set(values)
    return {k: v for k, v in values.items() if k in known}
