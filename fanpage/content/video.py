"""Video links: which host a video URL points at, its id there, and the player to load on click.

Pages show a local poster until the fan clicks (no request to the host before that), so the
embed URL is worked out here once, from the link the artist pasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from fanpage.content.problems import FieldError

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"})
_YOUTUBE_SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
_YOUTUBE_PATHS = ("/shorts/", "/embed/", "/live/", "/v/")
_VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
_VIMEO_PAGE = re.compile(r"^/(?:channels/[\w-]+/|groups/[\w-]+/videos/)?(\d+)/?$")
_VIMEO_PLAYER = re.compile(r"^/video/(\d+)/?$")
# PeerTube: a short UUID (base58, 22 characters) after /w/, or a full UUID after
# /videos/watch/ (or /videos/embed/ when an embed link was pasted).
_PEERTUBE_SHORT = re.compile(r"^/w/([1-9A-HJ-NP-Za-km-z]{16,26})/?$")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PEERTUBE_LONG = re.compile(rf"^/videos/(?:watch|embed)/({_UUID})/?$")
_PEERTUBE_LONG_SHORT = re.compile(r"^/videos/(?:watch|embed)/([1-9A-HJ-NP-Za-km-z]{16,26})/?$")


@dataclass(frozen=True)
class VideoLink:
    """Where a hosted video lives: ``host`` is one of models.VIDEO_HOSTS."""

    host: str
    video_id: str
    embed_url: str


def fetched_poster_path(host: str, video_id: str) -> str:
    """Where ``fanpage media fetch-posters`` keeps a hosted video's poster, under content/.

    The reader picks the file up as the video's poster when the artist gave none.
    """
    return f"images/videos/{host}-{video_id}.jpg"


def parse_video_url(raw: str) -> VideoLink:
    """The host, id and embed player of a YouTube, Vimeo or PeerTube link; FieldError else."""
    parts = urlsplit(raw.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme in ("http", "https") and host and " " not in raw.strip():
        found = _youtube(host, parts.path, parts.query) or _vimeo(host, parts.path)
        if found is None and parts.scheme == "https":
            found = _peertube(host, parts.path)
        if found is not None:
            return found
    raise FieldError(
        f'unsupported video URL "{raw}": use a YouTube, Vimeo or PeerTube link, '
        "or src: for a file under content/"
    )


def _youtube(host: str, path: str, query: str) -> VideoLink | None:
    video_id = None
    if host in _YOUTUBE_SHORT_HOSTS:
        video_id = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if path.rstrip("/") == "/watch":
            video_id = (parse_qs(query).get("v") or [""])[0]
        else:
            for prefix in _YOUTUBE_PATHS:
                if path.startswith(prefix):
                    video_id = path[len(prefix) :].strip("/").split("/")[0]
    if not video_id or not _YOUTUBE_ID.match(video_id):
        return None
    return VideoLink("youtube", video_id, f"https://www.youtube-nocookie.com/embed/{video_id}")


def _vimeo(host: str, path: str) -> VideoLink | None:
    if host in _VIMEO_HOSTS:
        match = _VIMEO_PAGE.match(path)
    elif host == "player.vimeo.com":
        match = _VIMEO_PLAYER.match(path)
    else:
        return None
    if match is None:
        return None
    video_id = match.group(1)
    return VideoLink("vimeo", video_id, f"https://player.vimeo.com/video/{video_id}")


def _peertube(host: str, path: str) -> VideoLink | None:
    """Any instance: PeerTube is federated, so the link's shape names it, not its host."""
    if "." not in host:
        return None
    patterns = (_PEERTUBE_SHORT, _PEERTUBE_LONG, _PEERTUBE_LONG_SHORT)
    match = next((m for m in (p.match(path) for p in patterns) if m), None)
    if match is None:
        return None
    video_id = match.group(1)
    return VideoLink("peertube", video_id, f"https://{host}/videos/embed/{video_id}")
