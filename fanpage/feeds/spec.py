"""Which feed is which: section, language, title, home page and where it is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fanpage.feeds import ids
from fanpage.feeds.locations import feed_path
from fanpage.feeds.options import FeedSite
from fanpage.i18n import translate
from fanpage.i18n.dates import locale_for

# The message id of each section's name (fanpage.i18n translates it).
# (A gallery's feed is called as its list page is: "Photos".)
SECTION_TITLES: dict[str, str] = {
    "news": "News",
    "albums": "Releases",
    "tours": "Tours",
    "galleries": "Photos",
}
# When a feed has no item (never written, but a valid date is still needed).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedSpec:
    section: str  # "all" or a section
    lang: str
    title: str
    home: str  # absolute URL of the page the feed follows
    path_lang: str | None  # None for the default language

    def path(self, fmt: str) -> str:
        return feed_path(self.section, fmt, self.path_lang)

    @property
    def id(self) -> str:
        return ids.feed_id(self.section, self.lang)


def feed_spec(section: str, lang: str, site: FeedSite) -> FeedSpec:
    title = site.site_name
    if section != "all":
        title = f"{site.site_name} — {translate(SECTION_TITLES[section], lang)}"
    if lang != site.default_lang:
        title = f"{title} ({locale_for(lang).get_display_name(lang)})"
    home = site.url(f"{section}/" if section != "all" else "")
    return FeedSpec(section, lang, title, home, site.lang_suffix(lang))


def description(site: FeedSite, lang: str) -> str:
    return site.description or translate(
        "News, releases and tour dates from {artist}.", lang, artist=site.artist
    )
