"""The content room: entry models and the front-matter reader."""

from fanpage.content.models import Album, Entry, NewsPost, Page, Show, Tour, Track
from fanpage.content.problems import ContentError, Problem, ProblemList
from fanpage.content.site import ContentSettings, SiteContent, load_content

__all__ = [
    "Album",
    "ContentError",
    "ContentSettings",
    "Entry",
    "NewsPost",
    "Page",
    "Problem",
    "ProblemList",
    "Show",
    "SiteContent",
    "Tour",
    "Track",
    "load_content",
]
