"""``s3://bucket/prefix``: AWS S3 or any S3 API (Cloudflare R2, Backblaze B2, MinIO), via boto3.

Options (the setting ``DEPLOY_S3``): ``endpoint_url`` (leave out for AWS), ``region``, and
``addressing_style`` (``"path"`` for MinIO behind a bare host name). Credentials come from
boto3's usual chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``,
``AWS_PROFILE``, ...) and are never printed.

What changed: every file is uploaded with one ``PutObject`` (never multipart), so the object's
ETag is the MD5 of its bytes; one ``ListObjectsV2`` page per 1000 objects gives every ETag,
and a file is uploaded only when its MD5 differs. The file's SHA-256 is also stored as
metadata (``x-amz-meta-fanpage-sha256``) and is what decides for an object whose ETag is not
a plain MD5 (``…-N``: uploaded in parts by another tool), at the price of one ``HeadObject``.
Buckets with SSE-KMS or SSE-C encryption have ETags that are not the MD5: there every file
is uploaded on every deploy (correct, only slower).

Order: assets first (images, CSS, scripts, audio, calendars), then HTML (so a page never links
to something not there yet), then feeds and sitemaps (so they never list a page not there
yet); objects under the prefix that the build no longer has are deleted only after all that.
A failed upload stops the deploy there: nothing is deleted, later groups are not uploaded.

Headers: ``Content-Type`` by extension (feeds and sitemaps by their root element, JSON Feed by
its ``version``), text types with ``charset=utf-8``; ``Cache-Control`` is
``public, max-age=31536000, immutable`` for fingerprinted files (a name carrying a content
hash: ``site.3f9a1c2b.css``, ``app-3f9a1c2b7d.js``; or under a folder given as
``immutable``) and ``public, max-age=300`` for everything else: HTML, feeds, calendars,
sitemap, and also the theme's CSS/JS and images, which this build links under fixed names
(``/theme/css/site.css``), so a long cache would keep serving an old stylesheet with new
pages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from fanpage.publish.target import (
    CHUNK,
    PublishError,
    PublishPlan,
    PublishResult,
    Target,
    check_output,
    walk_files,
)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
SHA_KEY = "fanpage-sha256"
MAX_PUT = 5 * 1024**3  # PutObject's limit
OPTION_KEYS = ("endpoint_url", "region", "addressing_style")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-_]{1,254}$")
UTF8 = "; charset=utf-8"

TYPES = {
    ".html": "text/html" + UTF8,
    ".htm": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,  # RFC 9239
    ".mjs": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".map": "application/json" + UTF8,
    ".webmanifest": "application/manifest+json" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".xsl": "application/xslt+xml" + UTF8,
    ".ics": "text/calendar" + UTF8,
    ".vcf": "text/vcard" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/markdown" + UTF8,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".wasm": "application/wasm",
}
FEED_TYPES = {
    "feed": "application/atom+xml" + UTF8,
    "rss": "application/rss+xml" + UTF8,
}
SITEMAP_ROOTS = ("urlset", "sitemapindex")
ROOT_ELEMENT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")
# name.3f9a1c2b.css, name-3f9a1c2b7d.min.js: 8 to 64 hex digits with a letter and a digit in them
# A content hash in a file name (``site.3f9a1c2b.css``; a derived image's
# ``band-2a143b7f-960.webp`` and ``-thumb.jpg``): the file never changes under that name.
FINGERPRINT = re.compile(
    r"[.\-](?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}(?:-(?:\d+|thumb))?\.[^/]+$"
)

ASSETS, PAGES, LISTINGS = "assets", "pages", "listings"
GROUPS = (ASSETS, PAGES, LISTINGS)


@dataclass(frozen=True)
class LocalFile:
    """One file of the build, with what it will be uploaded as."""

    rel: str
    path: Path
    size: int
    md5: str
    sha256: str
    content_type: str
    cache_control: str
    group: str


def _root_element(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(4096)
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!.*?>", b"", head, flags=re.DOTALL)
    match = ROOT_ELEMENT.search(head)
    return match[2].decode() if match else None


def _is_json_feed(path: Path) -> bool:
    if path.stat().st_size > 50 * 1024**2:
        return False
    try:
        data = json.loads(path.read_bytes())
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    )


def content_type(path: Path) -> tuple[str, str]:
    """(Content-Type, upload group) for a file of the build."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return TYPES[suffix], PAGES
    if suffix == ".xml":
        root = _root_element(path)
        if root in FEED_TYPES:
            return FEED_TYPES[root], LISTINGS
        return TYPES[".xml"], LISTINGS if root in SITEMAP_ROOTS else ASSETS
    if suffix == ".json" and _is_json_feed(path):
        return "application/feed+json" + UTF8, LISTINGS
    if suffix in TYPES:
        return TYPES[suffix], ASSETS
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed and guessed.startswith("text/"):
        guessed += UTF8
    return guessed or "application/octet-stream", ASSETS


def cache_control(rel: str, immutable: Iterable[str] = ()) -> str:
    """Long and immutable for fingerprinted files, short for everything else."""
    name = PurePosixPath(rel).name
    folders = tuple(folder.strip("/") + "/" for folder in immutable if folder.strip("/"))
    if FINGERPRINT.search(name) or rel.startswith(folders):
        return IMMUTABLE
    return SHORT


def _digests(path: Path) -> tuple[str, str]:
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            md5.update(block)
            sha.update(block)
    return md5.hexdigest(), sha.hexdigest()


def local_files(output: Path, immutable: Iterable[str] = ()) -> dict[str, LocalFile]:
    files = {}
    for rel, path in walk_files(output):
        if path.is_symlink() and not path.is_file():
            continue
        md5, sha = _digests(path)
        kind, group = content_type(path)
        files[rel] = LocalFile(
            rel, path, path.stat().st_size, md5, sha, kind, cache_control(rel, immutable), group
        )
    return files


@dataclass(frozen=True)
class Remote:
    etag: str
    size: int


class S3Target(Target):
    """A bucket (and prefix) of an S3 API."""

    kind: ClassVar[str] = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        addressing_style: str | None = None,
        immutable: Iterable[str] = (),
        force: bool = False,
        workers: int = 8,
        client: Any = None,
    ) -> None:
        if not BUCKET.match(bucket):
            raise PublishError(f'"{bucket}" is not an S3 bucket name')
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.region = region
        self.addressing_style = addressing_style
        self.immutable = tuple(immutable)
        self.force = force
        self.workers = workers
        self._client = client

    @classmethod
    def from_options(cls, bucket: str, prefix: str, options: Mapping[str, Any]) -> S3Target:
        unknown = sorted(set(options) - set(OPTION_KEYS))
        if unknown:
            raise PublishError(
                f"DEPLOY_S3 has {', '.join(unknown)}; it takes {', '.join(OPTION_KEYS)}"
            )
        return cls(bucket, prefix, **{key: options[key] for key in options})

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                retries={"mode": "standard", "max_attempts": 5},
                # MD5 is sent as Content-MD5; the newer default checksums break some S3 APIs
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                s3={"addressing_style": self.addressing_style} if self.addressing_style else {},
                max_pool_connections=max(10, self.workers),
            )
            self._client = boto3.session.Session().client(
                "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
            )
        return self._client

    # -- the interface ----------------------------------------------------------------------

    def plan(self, output_dir: Path) -> PublishPlan:
        output = check_output(output_dir)
        files = local_files(output, self.immutable)
        added, changed, deleted, unchanged = self._compare(files)
        return PublishPlan(
            self.describe(),
            tuple(item.rel for item in added),
            tuple(item.rel for item in changed),
            deleted,
            unchanged,
        )

    def publish(self, output_dir: Path) -> PublishResult:
        output = check_output(output_dir)
        files = local_files(output, self.immutable)
        too_big = [item.rel for item in files.values() if item.size > MAX_PUT]
        if too_big:
            raise PublishError(f"{self.describe()}: {too_big[0]} is larger than 5 GiB")
        added, changed, deleted, unchanged = self._compare(files)
        sending = [*added, *changed]
        for group in GROUPS:
            self._upload_all([item for item in sending if item.group == group])
        self._delete_all(deleted)
        return PublishResult(
            self.describe(),
            bool(sending or deleted),
            added=tuple(item.rel for item in added),
            updated=tuple(item.rel for item in changed),
            deleted=deleted,
            unchanged=unchanged,
            location=f"s3://{self.bucket}/{self.prefix}",
        )

    # -- steps ------------------------------------------------------------------------------

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        """Run one API call; its failure becomes a one-line PublishError."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            return call()
        except NoCredentialsError:
            raise PublishError(
                f"{self.describe()}: no credentials; set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)"
            ) from None
        except ClientError as error:
            info = error.response.get("Error", {})
            code = info.get("Code") or error.response.get("ResponseMetadata", {}).get(
                "HTTPStatusCode"
            )
            message = info.get("Message") or ""
            raise PublishError(f"{self.describe()}: {what} failed: {code} {message}") from None
        except BotoCoreError as error:
            raise PublishError(f"{self.describe()}: {what} failed: {error}") from None

    def remote_objects(self) -> dict[str, Remote]:
        """Relative path -> ETag and size of every object under the prefix."""

        def listing() -> dict[str, Remote]:
            found = {}
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    rel = item["Key"][len(self.prefix) :]
                    if rel and not rel.endswith("/"):
                        found[rel] = Remote(item.get("ETag", "").strip('"'), item.get("Size", -1))
            return found

        return self._call(f"listing s3://{self.bucket}/{self.prefix}", listing)

    def _same(self, item: LocalFile, remote: Remote) -> bool:
        if self.force or remote.size != item.size:
            return False
        if "-" not in remote.etag:
            return remote.etag == item.md5
        head = self._call(
            f"reading {item.rel}",
            lambda: self.client.head_object(Bucket=self.bucket, Key=self.prefix + item.rel),
        )
        return head.get("Metadata", {}).get(SHA_KEY) == item.sha256

    def _compare(
        self, files: dict[str, LocalFile]
    ) -> tuple[list[LocalFile], list[LocalFile], tuple[str, ...], int]:
        remote = self.remote_objects()
        added = [item for rel, item in files.items() if rel not in remote]
        changed, unchanged = [], 0
        for rel, item in files.items():
            if rel in remote:
                if self._same(item, remote[rel]):
                    unchanged += 1
                else:
                    changed.append(item)
        deleted = tuple(sorted(set(remote) - set(files)))
        return added, changed, deleted, unchanged

    def _upload(self, item: LocalFile) -> None:
        md5 = base64.b64encode(bytes.fromhex(item.md5)).decode()

        def put() -> None:
            with item.path.open("rb") as body:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.prefix + item.rel,
                    Body=body,
                    ContentType=item.content_type,
                    CacheControl=item.cache_control,
                    ContentMD5=md5,
                    Metadata={SHA_KEY: item.sha256},
                )

        self._call(f"uploading {item.rel}", put)

    def _upload_all(self, items: list[LocalFile]) -> None:
        """Upload one group in parallel; the first failure stops the rest and is raised."""
        if not items:
            return
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(self._upload, item) for item in items]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [future for future in futures if future in done and future.exception()]
            if failed:
                for future in futures:
                    future.cancel()
                raise failed[0].exception()  # type: ignore[misc]

    def _delete_all(self, rels: tuple[str, ...]) -> None:
        for start in range(0, len(rels), 1000):
            batch = [{"Key": self.prefix + rel} for rel in rels[start : start + 1000]]
            answer = self._call(
                "deleting stale objects",
                lambda batch=batch: self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                ),
            )
            errors = answer.get("Errors") or []
            if errors:
                first = errors[0]
                raise PublishError(
                    f"{self.describe()}: deleting {first.get('Key')} failed: "
                    f"{first.get('Code')} {first.get('Message', '')}"
                )
