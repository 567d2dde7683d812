"""Posters of hosted videos, fetched once into ``content/`` so pages never ask the host for one.

A video from YouTube, Vimeo or PeerTube shows as a local poster with a play button until the
fan clicks (no request reaches the host before that). Without a ``poster`` of the artist's,
``fanpage media fetch-posters`` asks the host for its poster once, saves it as a plain JPEG
(no metadata) at ``content/images/videos/<host>-<id>.jpg`` and never replaces a file already
there; the reader then uses that file, and the build (which never goes to the network) derives
its sizes like any other image. A video whose poster could not be fetched gets a drawn card.

Where each host keeps its poster:

- YouTube: ``https://i.ytimg.com/vi/<id>/maxresdefault.jpg``; a video with no 1280-pixel
  poster answers 404 (with a 120x90 placeholder as the body) or, sometimes, that placeholder
  with 200: then ``hqdefault.jpg`` (480x360).
- Vimeo: oEmbed, ``https://vimeo.com/api/oembed.json?url=https://vimeo.com/<id>&width=1280``,
  whose ``thumbnail_url`` is the poster.
- PeerTube: ``https://<instance>/api/v1/videos/<id>``, whose ``previewPath`` (or
  ``thumbnailPath``; PeerTube 8.1 and later: the widest of ``thumbnails``) is joined to the
  instance's address.

``FANPAGE_VIDEO_HOSTS`` (for tests only): a JSON object that points the hosts elsewhere,
``{"youtube_images": "http://127.0.0.1:PORT", "vimeo": "http://127.0.0.1:PORT",
"peertube:videos.example.org": "http://127.0.0.1:PORT"}``; a key left out keeps the real host.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import requests
from PIL import Image, ImageOps, UnidentifiedImageError

from fanpage import __version__
from fanpage.content.models import Entry, Video
from fanpage.content.site import SiteContent, display_path
from fanpage.content.video import fetched_poster_path

HOSTS_VARIABLE = "FANPAGE_VIDEO_HOSTS"
USER_AGENT = f"fanpage/{__version__} (media fetch-posters: one poster per video, once)"
DEFAULT_TIMEOUT = 20.0
MAX_BYTES = 20 * 1024 * 1024  # no poster is this large: a bigger answer is not one
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90
# YouTube's placeholder for a poster it does not have is 120 pixels wide.
YOUTUBE_PLACEHOLDER_WIDTH = 120
# Entries whose pages are on the public site (a hidden one is only left out of the lists).
PUBLIC_STATUSES: frozenset[str] = frozenset({"published", "hidden"})


class PosterError(Exception):
    """A poster could not be fetched: the message says what the host answered."""


class HostsError(ValueError):
    """``FANPAGE_VIDEO_HOSTS`` is not a JSON object of http(s) addresses."""


@dataclass(frozen=True)
class HostURLs:
    """Where each host answers: the real addresses, or a test's (``FANPAGE_VIDEO_HOSTS``)."""

    youtube_images: str = "https://i.ytimg.com"
    vimeo: str = "https://vimeo.com"
    peertube: Mapping[str, str] = field(default_factory=dict)  # instance -> address

    def peertube_base(self, instance: str) -> str:
        return self.peertube.get(instance, f"https://{instance}")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> HostURLs:
        raw = environ.get(HOSTS_VARIABLE, "").strip()
        if not raw:
            return cls()
        try:
            mapping = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise HostsError(f"{HOSTS_VARIABLE} is not JSON: {exc}") from None
        if not isinstance(mapping, dict):
            raise HostsError(f"{HOSTS_VARIABLE} must be a JSON object (name -> address)")
        values: dict[str, Any] = {}
        peertube: dict[str, str] = {}
        for key, value in mapping.items():
            if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
                raise HostsError(f'{HOSTS_VARIABLE}: "{key}" must be an http(s) address')
            base = value.rstrip("/")
            if key in ("youtube_images", "vimeo"):
                values[key] = base
            elif key.startswith("peertube:") and len(key) > len("peertube:"):
                peertube[key.removeprefix("peertube:").lower()] = base
            else:
                raise HostsError(
                    f'{HOSTS_VARIABLE}: unknown key "{key}" (youtube_images, vimeo, '
                    "peertube:<instance>)"
                )
        return cls(**values, peertube=peertube)


@dataclass(frozen=True)
class PosterJob:
    """One hosted video whose poster is still to fetch, and where it was written."""

    source_path: str  # the entry's file, as messages name it (content/news/x.md)
    line: int  # the video's line in it
    title: str
    host: str
    video_id: str
    url: str  # the link the artist wrote (names the PeerTube instance)
    target: str  # where the poster goes, under content/

    @property
    def where(self) -> str:
        return f"{self.source_path}:{self.line}"


def pending_posters(content: SiteContent) -> list[PosterJob]:
    """The hosted videos of public entries with no poster given and none fetched yet, each
    video once (a translation often shows the same video)."""
    jobs: dict[str, PosterJob] = {}
    content_dir = content.settings.content_dir
    for entry in content.entries:
        if entry.status not in PUBLIC_STATUSES:
            continue
        for video in _hosted_without_poster(entry):
            assert video.host is not None and video.video_id is not None
            target = fetched_poster_path(video.host, video.video_id)
            if target in jobs or (content_dir / target).exists():
                continue
            jobs[target] = PosterJob(
                entry.source_path,
                video.line,
                video.title,
                video.host,
                video.video_id,
                video.url or "",
                target,
            )
    return list(jobs.values())


def _hosted_without_poster(entry: Entry) -> Iterator[Video]:
    for video in entry.videos:
        if video.host and video.video_id and not video.is_local and video.poster is None:
            yield video


class PosterClient:
    """Asks the hosts for posters: only GET, over http(s), with fanpage's User-Agent."""

    def __init__(self, hosts: HostURLs, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.hosts = hosts
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def poster(self, job: PosterJob) -> tuple[str, bytes]:
        """(address, bytes) of ``job``'s video's poster as the host sends it (any format)."""
        fetch = {"youtube": self._youtube, "vimeo": self._vimeo, "peertube": self._peertube}
        if job.host not in fetch:
            raise PosterError(f'no way to fetch a poster from "{job.host}"')
        return fetch[job.host](job)

    def _youtube(self, job: PosterJob) -> tuple[str, bytes]:
        base = f"{self.hosts.youtube_images}/vi/{quote(job.video_id, safe='')}"
        largest = f"{base}/maxresdefault.jpg"
        status, data = self._get(largest, missing_ok=True)
        if status == 200 and _width(data) not in (None, YOUTUBE_PLACEHOLDER_WIDTH):
            return largest, data
        fallback = f"{base}/hqdefault.jpg"
        _, data = self._get(fallback)
        if _width(data) == YOUTUBE_PLACEHOLDER_WIDTH:
            raise PosterError(f"{fallback} is YouTube's placeholder: the video has no poster")
        return fallback, data

    def _vimeo(self, job: PosterJob) -> tuple[str, bytes]:
        page = f"https://vimeo.com/{quote(job.video_id, safe='')}"
        api = f"{self.hosts.vimeo}/api/oembed.json?url={quote(page, safe='')}&width=1280"
        answer = self._json(api)
        thumbnail = answer.get("thumbnail_url")
        if not isinstance(thumbnail, str) or not thumbnail:
            raise PosterError(f"{api} answered no thumbnail_url")
        return thumbnail, self._get(thumbnail)[1]

    def _peertube(self, job: PosterJob) -> tuple[str, bytes]:
        instance = (urlsplit(job.url).hostname or "").lower()
        if not instance:
            raise PosterError(f'no PeerTube instance in "{job.url}"')
        base = self.hosts.peertube_base(instance)
        api = f"{base}/api/v1/videos/{quote(job.video_id, safe='')}"
        answer = self._json(api)
        path = _peertube_image(answer)
        if path is None:
            raise PosterError(f"{api} answered no previewPath, thumbnailPath or thumbnails")
        image = urljoin(base + "/", path)
        return image, self._get(image)[1]

    def _json(self, url: str) -> dict[str, Any]:
        _, data = self._get(url)
        try:
            answer = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise PosterError(f"{url} answered something that is not JSON") from None
        if not isinstance(answer, dict):
            raise PosterError(f"{url} answered JSON that is not an object")
        return answer

    def _get(self, url: str, missing_ok: bool = False) -> tuple[int, bytes]:
        """(status, body) of a GET; PosterError for anything but 200 (and 404 when
        ``missing_ok``), a timeout, a refused connection or an oversized answer."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise PosterError(f'"{url}" is not an http(s) address')
        try:
            with self.session.get(url, timeout=self.timeout, stream=True) as response:
                status = response.status_code
                if status == 404 and missing_ok:
                    return status, b""
                if status != 200:
                    reason = f" {response.reason}" if response.reason else ""
                    raise PosterError(f"{url} answered {status}{reason}")
                return status, _read_capped(response.iter_content(64 * 1024), url)
        except requests.Timeout:
            raise PosterError(f"{url} did not answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise PosterError(f"{url} could not be reached: {_reason(exc)}") from None


def _read_capped(chunks: Iterable[bytes], url: str) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            raise PosterError(f"{url} answered more than {MAX_BYTES // (1024 * 1024)} MB")
    return bytes(body)


def _reason(exc: requests.RequestException) -> str:
    """The innermost cause, without the long chain requests wraps around it."""
    cause: BaseException = exc
    seen = {id(cause)}
    while cause.__context__ is not None and id(cause.__context__) not in seen:
        cause = cause.__context__
        seen.add(id(cause))
    return str(cause) or type(cause).__name__


def _peertube_image(answer: Mapping[str, Any]) -> str | None:
    for key in ("previewPath", "thumbnailPath"):
        value = answer.get(key)
        if isinstance(value, str) and value:
            return value
    thumbnails = [
        t
        for t in answer.get("thumbnails") or ()
        if isinstance(t, dict) and isinstance(t.get("fileUrl"), str)
    ]
    if thumbnails:
        widest = max(thumbnails, key=lambda t: t.get("width") or 0)
        return widest["fileUrl"]
    return None


def _width(data: bytes) -> int | None:
    """The image's width from its header, None when it is not an image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def to_jpeg(data: bytes) -> bytes:
    """``data`` (JPEG, WebP, PNG, ...) as a baseline JPEG with no metadata at all: the pixels,
    turned upright, and nothing else (no EXIF, XMP, IPTC, ICC profile or comment)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise PosterError(f"{image.width}x{image.height} is too large for a poster")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise PosterError("the answer is not an image") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PosterError(f"the image could not be read: {exc}") from None
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (0, 0, 0))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    clean = Image.frombytes("RGB", flat.size, flat.tobytes())  # pixels only: no info carried
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def save_new(target: Path, data: bytes) -> bool:
    """Write ``data`` at ``target`` atomically, never replacing a file: False if one is
    already there (a fan's own poster, or another run's)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, target)  # fails when the target exists: no overwrite, no race
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


@dataclass
class FetchReport:
    fetched: list[PosterJob] = field(default_factory=list)
    failed: list[tuple[PosterJob, str]] = field(default_factory=list)
    present: list[PosterJob] = field(default_factory=list)  # appeared meanwhile: left alone


def fetch_posters(
    jobs: Iterable[PosterJob],
    content: SiteContent,
    hosts: HostURLs,
    timeout: float = DEFAULT_TIMEOUT,
    echo: Callable[[str, bool], None] = lambda text, err: None,
) -> FetchReport:
    """Fetch every job's poster into content/, saying one line for each as it goes."""
    report = FetchReport()
    content_dir = content.settings.content_dir
    client = PosterClient(hosts, timeout)
    try:
        for job in jobs:
            target = content_dir / job.target
            shown = display_path(target, content.settings.site_dir)
            try:
                url, data = client.poster(job)
                try:
                    jpeg = to_jpeg(data)
                except PosterError as exc:
                    raise PosterError(f"{url}: {exc}") from None
                saved = save_new(target, jpeg)
            except PosterError as exc:
                report.failed.append((job, str(exc)))
                echo(f'{job.where}: could not fetch the poster for "{job.title}": {exc}', True)
                continue
            if saved:
                report.fetched.append(job)
                echo(f'{job.where}: fetched poster for "{job.title}" -> {shown}', False)
            else:
                report.present.append(job)
                echo(f"{job.where}: {shown} is already there: left as it is", False)
    finally:
        client.close()
    return report
