"""One build's metadata: the ``<head>`` of every page, then cards, sitemap.xml and robots.txt.

The Pelican plugin ``fanpage_metadata`` connects signals to the functions at the end of this
module; everything else is plain Python over settings and template contexts.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from fanpage.content.models import Entry
from fanpage.engine.images import ImageSizes
from fanpage.engine.run import build_of
from fanpage.feeds.index import FeedIndex, feed_index
from fanpage.metadata.cards import DEFAULT_FONT, HEIGHT, WIDTH, CardSpec, CardWriter, card_path
from fanpage.metadata.context import page_meta
from fanpage.metadata.head import head_html
from fanpage.metadata.images import MediaLookup, preview, preview_source
from fanpage.metadata.page import PageMeta, ShareImage, SiteInfo
from fanpage.metadata.robots import ROBOTS_FILE, robots_txt
from fanpage.metadata.sitemap import SITEMAP_FILE, SitemapPage, sitemap_xml
from fanpage.metadata.urls import hreflang_alternates, path_of_output
from fanpage.settings import Settings

CACHE_DIR = Path(".cache") / "fanpage" / "cards"
SITE_CARD = "site"
NO_SITEURL_WARNING = (
    "SITEURL is empty, so share previews need it: og:url, og:image, social cards and "
    "sitemap.xml are left out and canonical links are root-relative (publish builds set SITEURL)"
)


def share_image(
    src: str, alt: str, sizes: ImageSizes, media: MediaLookup | None = None
) -> ShareImage:
    """``src`` (under content/, or a URL) as a preview shows it: its derived JPEG with that
    file's size when the build derives it, else the file as written with its header's size."""
    chosen = preview(media, src)
    if chosen.width and chosen.height:
        return ShareImage(chosen.src, alt, chosen.width, chosen.height)
    width, height = sizes.size(src) or (None, None)
    return ShareImage(src, alt, width, height)


def site_info(settings: Settings, sizes: ImageSizes, media: MediaLookup | None = None) -> SiteInfo:
    artist_image = None
    if settings.artist_image:
        alt = settings.artist_image_alt or settings.artist_name
        artist_image = share_image(settings.artist_image, alt, sizes, media)
    return SiteInfo(
        name=settings.sitename,
        url=settings.siteurl,
        artist_name=settings.artist_name,
        artist_type=settings.artist_type,
        artist_bio=settings.artist_bio,
        artist_image=artist_image,
        x_handle=settings.x_handle,
        profiles=tuple(settings.social_profiles.values()),
        default_lang=settings.default_lang,
        about_slug=settings.about_page,
        show_minutes=settings.show_duration_minutes,
    )


class MetadataRun:
    """What one build needs to remember: image sizes, cards to draw, pages for the sitemap.

    ``media`` is the build's plan of derived images (``Build.media``): previews name those
    files, never the unpublished originals.
    """

    def __init__(
        self, settings: Settings, feeds: FeedIndex, media: MediaLookup | None = None
    ) -> None:
        self.settings = settings
        self.output_dir = settings.output_dir
        self.media = media
        self.sizes = ImageSizes(settings.content_dir)
        self.site = site_info(settings, self.sizes, media)
        self.feeds = feeds
        self.languages = settings.languages
        background, foreground = settings.card_colors
        font = settings.card_font
        self.card_style = {
            "background": background,
            "foreground": foreground,
            "font": str(settings.site_dir / font) if font else str(DEFAULT_FONT),
        }
        # Cards are only seen through og:image, which needs SITEURL: none in development.
        self.draw_cards = settings.social_cards and bool(self.site.url)
        self.cards: dict[str, CardSpec] = {}
        self.card_writer = (
            CardWriter(settings.site_dir / CACHE_DIR, self.output_dir) if self.draw_cards else None
        )
        self.pages: dict[str, PageMeta] = {}
        self.sitemap: dict[str, SitemapPage] = {}
        self.about_known = False
        self.site_image: ShareImage | None = self.site.artist_image
        self.share_images: dict[str, ShareImage | None] = {}  # entry uid -> its og:image
        self.card_seconds = 0.0  # waiting for cards after the pages were written

    # -- rendering -------------------------------------------------------------------------

    def head(self, ctx: Mapping[str, Any], item: Any = None) -> Markup:
        """The ``<head>`` metadata of the page ``ctx`` renders."""
        if not self.about_known:
            self._find_about(ctx)
        page = page_meta(
            ctx,
            self.site,
            self.languages,
            self.entry_image,
            self._site_image(),
            self.feeds,
            item=item,
            media=self.media,
        )
        output_file = ctx.get("output_file")
        if output_file:
            self.pages[str(output_file)] = page
        return head_html(page, self.site)

    def entry_image(self, entry: Entry) -> ShareImage | None:
        """The image an entry's preview shows: its own, its cover or poster, a gallery's first
        photo, a video's poster, else a card."""
        if entry.uid not in self.share_images:
            self.share_images[entry.uid] = self._choose_image(entry)
        return self.share_images[entry.uid]

    def share_image_of(self, entry: Entry) -> tuple[str, str] | None:
        """(src, alt) of the image the entry's page previews with, as :meth:`entry_image`
        chose it while the page was written."""
        image = self.share_images.get(entry.uid)
        return (image.src, image.alt) if image is not None else None

    def _choose_image(self, entry: Entry) -> ShareImage | None:
        chosen = preview_source(entry)
        if chosen is not None:
            return share_image(*chosen, self.sizes, self.media)
        if not self.draw_cards:
            return self.site.artist_image
        path = card_path(entry.uid)
        self._want_card(
            path,
            CardSpec(entry.title, self.site.artist_name, entry.lang, entry.kind, **self.card_style),
        )
        return _card_image(path, f"{entry.title} — {self.site.artist_name}")

    def _site_image(self) -> ShareImage | None:
        if self.site_image is None and self.draw_cards:
            path = card_path(SITE_CARD)
            spec = CardSpec(
                self.site.artist_bio or self.site.name,
                self.site.artist_name,
                self.site.default_lang,
                "site",
                **self.card_style,
            )
            self._want_card(path, spec)
            self.site_image = _card_image(path, self.site.name)
        return self.site_image

    def _want_card(self, path: str, spec: CardSpec) -> None:
        if path not in self.cards and self.card_writer is not None:
            self.cards[path] = spec
            self.card_writer.request(path, spec)

    def _find_about(self, ctx: Mapping[str, Any]) -> None:
        """The about page's URL (for music:musician and the artist's ``url``)."""
        for page in ctx.get("pages") or ():
            if page.slug == self.site.about_slug and page.lang == self.site.default_lang:
                self.site = replace(self.site, about_path=page.url)
                break
        self.about_known = True

    # -- after each file and at the end --------------------------------------------------

    def written(self, path: str, ctx: Mapping[str, Any]) -> None:
        """Remember a written HTML page for the sitemap (not 404, drafts, hidden entries)."""
        output_file = str(ctx.get("output_file") or _relative(path, self.output_dir))
        page = self.pages.pop(output_file, None)  # needed until its file is written, no longer
        if not output_file.endswith(".html") or output_file == "404.html":
            return
        item = ctx.get("article") or ctx.get("page")
        entry = getattr(item, "entry", None)
        if output_file.startswith("drafts/") or (entry is not None and entry.status != "published"):
            return
        alternates = hreflang_alternates(page.versions, self.site.default_lang) if page else []
        self.sitemap[output_file] = SitemapPage(
            path_of_output(output_file), _lastmod(ctx, entry), tuple(alternates)
        )

    def finish(self) -> None:
        if self.card_writer is not None:
            started = time.perf_counter()
            self.card_writer.finish()
            self.card_seconds = time.perf_counter() - started
        written = {page.path for page in self.sitemap.values()}
        if self.site.url:
            pages = [_only_written(page, written) for page in self.sitemap.values()]
            _write(self.output_dir / SITEMAP_FILE, sitemap_xml(pages, self.site.url))
        _write(self.output_dir / ROBOTS_FILE, robots_txt(self.site.url))


def _card_image(path: str, alt: str) -> ShareImage:
    return ShareImage(path, alt, WIDTH, HEIGHT, generated=True)


def _only_written(page: SitemapPage, written: set[str]) -> SitemapPage:
    """Alternates only to pages this build wrote."""
    kept = tuple(pair for pair in page.alternates if pair[1] in written)
    if len(kept) < 3:  # a lone language version plus x-default says nothing
        kept = ()
    return SitemapPage(page.path, page.lastmod, kept)


def _lastmod(ctx: Mapping[str, Any], entry: Entry | None) -> datetime | None:
    if entry is not None:
        return entry.modified or entry.date
    listed = getattr(ctx.get("articles_page"), "object_list", None) or ctx.get("articles") or ()
    moments = [
        item.entry.modified or item.entry.date
        for item in listed
        if isinstance(getattr(item, "entry", None), Entry)
    ]
    return max(moments) if moments else None


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).name


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- signal handlers (connected by plugins/fanpage_metadata) -----------------------------------


def start(pelican: Any) -> None:
    build = build_of(pelican.settings)
    if build is None:
        return
    build.metadata = MetadataRun(
        build.settings, feed_index(build.settings, build.content), build.media
    )
    if not build.settings.siteurl:
        build.problems.warning(*build.settings.where("SITEURL"), NO_SITEURL_WARNING)


def install(generator: Any) -> None:
    """Give templates ``fp_head_meta()``: the page's metadata as safe Markup."""
    env = getattr(generator, "env", None)
    build = build_of(generator.settings)
    run = build.metadata if build is not None else None
    if env is None or run is None:
        return

    @pass_context
    def fp_head_meta(ctx: Any, item: Any = None, *_ignored: Any) -> Markup:
        return run.head(ctx, item or None)

    env.globals["fp_head_meta"] = fp_head_meta


def content_written(path: str, context: Mapping[str, Any] | None = None) -> None:
    build = build_of(context or {})
    if build is not None and build.metadata is not None:
        build.metadata.written(path, context or {})


def finish(pelican: Any) -> None:
    build = build_of(pelican.settings)
    if build is not None and build.metadata is not None:
        build.metadata.finish()
