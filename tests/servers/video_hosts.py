"""The three video hosts' poster endpoints on one loopback server, counting every request.

Paths as the hosts publish them:

- YouTube's image host (``i.ytimg.com``): ``/vi/<id>/maxresdefault.jpg`` (1280x720) and
  ``/vi/<id>/hqdefault.jpg`` (480x360). A video without the large poster answers 404 with
  YouTube's 120x90 placeholder as the body, as the real host does; one listed in
  ``placeholder_maxres`` answers that placeholder with 200 (the case a client must catch by
  the image's width).
- Vimeo: ``/api/oembed.json?url=https://vimeo.com/<id>&width=...`` answers the oEmbed JSON whose
  ``thumbnail_url`` points at ``/video/<n>-d_1280`` on this server, served as WebP (as Vimeo's
  image host serves browsers).
- PeerTube: ``/api/v1/videos/<id>`` answers the video's JSON with ``previewPath`` and
  ``thumbnailPath`` under ``/lazy-static/``; the preview is a PNG.

Anything else is a 404. Every served JPEG carries EXIF (a GPS position, an owner's name), so a
test can check that the saved poster carries none of it. ``server.count(path)`` says how
often a path was asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import urlsplit

from PIL import Image

from tests.servers.base import Hold, PlatformServer, Request, Response

# Colours of each host's posters, so a test can tell which file was saved where.
MAXRES_COLOUR = (200, 40, 40)
HQ_COLOUR = (40, 160, 40)
VIMEO_COLOUR = (30, 90, 220)
PEERTUBE_COLOUR = (240, 140, 0)
OWNER = "Private Photographer"


def image_bytes(
    size: tuple[int, int], colour: tuple[int, int, int], fmt: str = "JPEG", exif: bool = True
) -> bytes:
    """An image of one colour; a JPEG with EXIF (owner, GPS) unless ``exif`` is False."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, colour + ((255,) if mode == "RGBA" else ()))
    out = io.BytesIO()
    if fmt == "JPEG" and exif:
        tags = Image.Exif()
        tags[0x013B] = OWNER  # Artist
        tags[0xA430] = OWNER  # CameraOwnerName
        gps = tags.get_ifd(0x8825)
        gps[1], gps[2] = "S", (6.0, 10.0, 30.0)  # latitude of Jakarta
        gps[3], gps[4] = "E", (106.0, 49.0, 36.0)
        image.save(out, fmt, exif=tags, comment=b"shot by " + OWNER.encode())
    else:
        image.save(out, fmt)
    return out.getvalue()


class VideoHostsServer(PlatformServer):
    """YouTube's image host, Vimeo's oEmbed and a PeerTube instance, on 127.0.0.1."""

    label = "video hosts"

    def __init__(
        self,
        youtube_maxres: Iterable[str] = (),
        youtube_hq: Iterable[str] = (),
        placeholder_maxres: Iterable[str] = (),
        vimeo: Iterable[str] = (),
        peertube: Iterable[str] = (),
        not_images: Iterable[str] = (),
        slow: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.youtube_maxres = set(youtube_maxres)  # ids with a 1280-pixel poster
        self.youtube_hq = set(youtube_hq) | self.youtube_maxres  # every video has hqdefault
        self.placeholder_maxres = set(placeholder_maxres)
        self.vimeo = set(vimeo)
        self.peertube = set(peertube)
        self.not_images = set(not_images)  # ids whose poster is an HTML page with 200
        self.slow = set(slow)  # ids whose poster never comes (the client's timeout)

    def count(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path == path)

    def route(self, request: Request) -> Response:
        if request.method != "GET":
            return Response(405, {"error": "only GET"})
        parts = request.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "vi":
            return self._youtube(parts[1], parts[2])
        if request.path == "/api/oembed.json":
            return self._oembed(request)
        if request.path.startswith("/video/"):
            return self._vimeo_image(request.path.removeprefix("/video/"))
        if len(parts) == 4 and parts[:3] == ["api", "v1", "videos"]:
            return self._peertube_video(parts[3])
        if len(parts) == 3 and parts[0] == "lazy-static":
            return self._peertube_image(parts[1], parts[2])
        return _not_found()

    def _image(self, video_id: str, data: bytes, mime: str) -> Response:
        if video_id in self.slow:
            raise Hold
        if video_id in self.not_images:
            return Response(200, "<!doctype html><title>Sign in</title>", _html())
        return Response(200, data, {"Content-Type": mime})

    def _youtube(self, video_id: str, name: str) -> Response:
        placeholder = image_bytes((120, 90), (128, 128, 128), exif=False)
        if name == "maxresdefault.jpg":
            if video_id in self.placeholder_maxres:
                return Response(200, placeholder, {"Content-Type": "image/jpeg"})
            if video_id in self.youtube_maxres:
                return self._image(video_id, image_bytes((1280, 720), MAXRES_COLOUR), "image/jpeg")
        elif name == "hqdefault.jpg" and video_id in self.youtube_hq | self.placeholder_maxres:
            return self._image(video_id, image_bytes((480, 360), HQ_COLOUR), "image/jpeg")
        # YouTube answers a missing poster with 404 and its placeholder as the body.
        return Response(404, placeholder, {"Content-Type": "image/jpeg"})

    def _oembed(self, request: Request) -> Response:
        page = request.param("url") or ""
        video_id = urlsplit(page).path.strip("/")
        if video_id not in self.vimeo:
            return Response(404, "404 Not Found", {"Content-Type": "text/plain"})
        width = int(request.param("width") or 640)
        return Response(
            200,
            {
                "type": "video",
                "version": "1.0",
                "provider_name": "Vimeo",
                "provider_url": "https://vimeo.com/",
                "title": "A music video",
                "video_id": int(video_id),
                "thumbnail_url": f"{self.base_url}/video/{video_id}-d_{width}",
                "thumbnail_width": width,
                "thumbnail_height": width * 9 // 16,
                "html": f'<iframe src="https://player.vimeo.com/video/{video_id}"></iframe>',
            },
        )

    def _vimeo_image(self, name: str) -> Response:
        video_id, _, size = name.partition("-d_")
        if video_id not in self.vimeo or not size.isdigit():
            return _not_found()
        width = int(size)
        data = image_bytes((width, width * 9 // 16), VIMEO_COLOUR, "WEBP")
        return self._image(video_id, data, "image/webp")

    def _peertube_video(self, video_id: str) -> Response:
        if video_id not in self.peertube:
            return Response(
                404,
                {"type": "about:blank", "title": "Not Found", "status": 404,
                 "detail": "Video not found"},
                {"Content-Type": "application/problem+json"},
            )  # fmt: skip
        return Response(
            200,
            {
                "uuid": video_id,
                "name": "A music video",
                "previewPath": f"/lazy-static/previews/{video_id}.png",
                "thumbnailPath": f"/lazy-static/thumbnails/{video_id}.jpg",
            },
        )

    def _peertube_image(self, kind: str, name: str) -> Response:
        video_id, _, suffix = name.rpartition(".")
        if video_id not in self.peertube:
            return _not_found()
        if kind == "previews" and suffix == "png":
            return self._image(
                video_id, image_bytes((850, 480), PEERTUBE_COLOUR, "PNG"), "image/png"
            )
        if kind == "thumbnails" and suffix == "jpg":
            return self._image(video_id, image_bytes((280, 157), PEERTUBE_COLOUR), "image/jpeg")
        return _not_found()


def _not_found() -> Response:
    return Response(404, "Not Found", {"Content-Type": "text/plain"})


def _html() -> dict[str, str]:
    return {"Content-Type": "text/html; charset=utf-8"}
