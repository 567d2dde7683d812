"""X (Twitter) card tags; title, description and image come from Open Graph, which X reads."""

from __future__ import annotations

from fanpage.metadata.page import PageMeta, SiteInfo

Tag = tuple[str, str]


def x_tags(page: PageMeta, site: SiteInfo) -> list[Tag]:
    tags: list[Tag] = [("twitter:card", "summary_large_image")]
    image = page.image
    if image is not None and image.alt and site.absolute(image.src):
        tags.append(("twitter:image:alt", image.alt))
    handle = site.x_site
    if handle:
        tags += [("twitter:site", handle), ("twitter:creator", handle)]
    return tags
