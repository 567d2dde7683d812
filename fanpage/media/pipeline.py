"""One build's images: plan every published image, derive what the cache lacks, link it all.

The engine adds every image the site publishes (:meth:`MediaPlan.add` names each derived file
and its size at once, from the file's header), then starts the pixel work beside Pelican
(:meth:`MediaPlan.start`) and waits for it when the pages are written. Derived files are
kept in the cache folder (``<site>/.cache/fanpage/media/<digest>/``) by the source's content
hash and the recipe, and hard-linked into the output like share cards: a rebuild with the same
photos decodes and encodes nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fanpage.cached_files import link_cached
from fanpage.forking import Beside, ChildFailed, fork_pool, run_beside
from fanpage.media.cache import HashMemo
from fanpage.media.derive import cache_names, derive_into, is_complete
from fanpage.media.plan import NotAnImage, Recipe, Rendition, available_formats, plan_rendition
from fanpage.settings import Settings

log = logging.getLogger(__name__)
# A cache entry no build has used for this long is removed (a photo changed or deleted).
UNUSED_DAYS = 30.0
_DIGEST = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class MediaStats:
    """What one publish did: the count of work, never its time."""

    derived: int = 0  # sources whose pixels were decoded and encoded in this run
    reused: int = 0  # sources whose files were all in the cache already
    files: int = 0  # files placed in the output


class MediaFailed(ChildFailed):
    """Deriving an image failed; the message is one line and names the source file."""


def recipe_from(settings: Settings) -> Recipe:
    """The site's recipe: IMAGE_WIDTHS and IMAGE_THUMBNAIL_SIZE in every format Pillow writes."""
    return Recipe(
        widths=tuple(settings.image_widths),
        thumbnail=settings.image_thumbnail_size,
        formats=available_formats(),
    )


@dataclass(frozen=True)
class _Job:
    """One source whose files the cache lacks."""

    file: Path
    rendition: Rendition


class MediaJob:
    """The pixel work running beside the caller: :meth:`wait` returns its MediaStats."""

    def __init__(self, beside: Beside, stats: MediaStats) -> None:
        self._beside = beside
        self._stats = stats

    def wait(self) -> MediaStats:
        """Wait for the work; raise MediaFailed (one line, naming the file) if it failed."""
        try:
            self._beside.wait()
        except ChildFailed as exc:
            raise MediaFailed(str(exc)) from None
        return self._stats


class MediaPlan:
    """Every image one build publishes, by its path under content/."""

    def __init__(self, content_dir: Path, cache_dir: Path, recipe: Recipe) -> None:
        self.content_dir = content_dir
        self.cache_dir = cache_dir
        self.recipe = recipe
        self._renditions: dict[str, Rendition] = {}
        self._files: dict[str, Path] = {}
        self._memo = HashMemo(cache_dir)

    def add(self, source: str) -> Rendition:
        """Plan ``source`` (a path under content/): names and sizes, from its header and hash.

        Adding a source again returns the same Rendition. Raises NotAnImage when the file is
        missing or not an image Pillow reads.
        """
        key = _normal(source)
        known = self._renditions.get(key)
        if known is not None:
            return known
        file = self.content_dir / key
        if not file.resolve().is_relative_to(self.content_dir.resolve()) or not file.is_file():
            raise NotAnImage(f"{PurePosixPath(key).name}: no such file")
        try:
            content_hash = self._memo.digest(file)
        except OSError as exc:
            raise NotAnImage(f"{file.name}: cannot be read ({exc.strerror})") from None
        rendition = plan_rendition(key, file, self.recipe, content_hash)
        self._renditions[key] = rendition
        self._files[key] = file
        return rendition

    def get(self, source: str) -> Rendition | None:
        return self._renditions.get(_normal(source))

    def __iter__(self) -> Iterator[Rendition]:
        return iter(list(self._renditions.values()))

    def __len__(self) -> int:
        return len(self._renditions)

    def publish(self, output_dir: Path, workers: int) -> MediaStats:
        """Derive what the cache lacks (on ``workers`` processes; 0 or 1: here) and place
        every file in ``output_dir``. Raises NotAnImage naming a file that cannot be decoded."""
        jobs, stats = self._prepare()
        started = time.perf_counter()
        _derive_all(self.cache_dir, jobs, workers)
        self._place(output_dir)
        _log(stats, time.perf_counter() - started)
        return stats

    def start(self, output_dir: Path, workers: int) -> MediaJob:
        """:meth:`publish` in a forked child while the caller goes on; ``wait()`` for it.

        With nothing to derive the files are linked now and no child is started.
        """
        jobs, stats = self._prepare()
        if not jobs:
            self._place(output_dir)
            _log(stats, 0.0)
            return MediaJob(Beside(), stats)

        def work() -> None:
            started = time.perf_counter()
            _derive_all(self.cache_dir, jobs, workers)
            self._place(output_dir)
            _log(stats, time.perf_counter() - started)

        return MediaJob(run_beside(work), stats)

    def _prepare(self) -> tuple[list[_Job], MediaStats]:
        """The sources to derive (one per distinct digest, largest file first) and the
        stats the run will have; the hash memo is saved here, in the calling process."""
        self._memo.save()
        jobs: dict[str, _Job] = {}
        for key, rendition in self._renditions.items():
            folder = self.cache_dir / rendition.digest
            if rendition.digest not in jobs and not is_complete(folder, rendition):
                jobs[rendition.digest] = _Job(self._files[key], rendition)
        ordered = sorted(jobs.values(), key=lambda job: -_size(job.file))
        files = sum(len(cache_names(r)) for r in self._renditions.values())
        stats = MediaStats(len(ordered), len(self._renditions) - len(ordered), files)
        return ordered, stats

    def _place(self, output_dir: Path) -> None:
        for rendition in self._renditions.values():
            folder = self.cache_dir / rendition.digest
            for variant, name in cache_names(rendition):
                link_cached(folder / name, output_dir / variant.path)
            _touch(folder)  # its time says when a build last used it (see forget_unused)

    def forget_unused(self, days: float = UNUSED_DAYS) -> int:
        """Remove the cache's derived folders that no build has used for ``days`` days and
        this plan does not use (sizes of photos since changed or removed); how many.

        Age, not this plan alone, decides: a cache may be shared by several sites
        (FANPAGE_MEDIA_CACHE), each using its own entries.
        """
        wanted = {rendition.digest for rendition in self._renditions.values()}
        cutoff = time.time() - days * 86400
        removed = 0
        for folder in self.cache_dir.glob("*"):
            if not folder.is_dir() or folder.name in wanted or not _DIGEST.fullmatch(folder.name):
                continue
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def _derive_all(cache_dir: Path, jobs: list[_Job], workers: int) -> None:
    """Derive every job, on a pool of ``workers`` forked processes when that helps."""
    pool = fork_pool(min(workers, len(jobs))) if workers > 1 and len(jobs) > 1 else None
    if pool is None:
        for job in jobs:
            derive_into(cache_dir, job.file, job.rendition)
        return
    futures: list[Future[Path]] = [
        pool.submit(derive_into, cache_dir, job.file, job.rendition) for job in jobs
    ]
    try:
        for future in futures:
            future.result()
    except BrokenProcessPool:
        raise MediaFailed("a worker died while deriving images (out of memory?)") from None
    finally:
        pool.shutdown(cancel_futures=True)


def _touch(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only shared cache: nothing is forgotten
        os.utime(folder)


def _normal(source: str) -> str:
    return PurePosixPath(source.replace("\\", "/").lstrip("/")).as_posix()


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def _log(stats: MediaStats, seconds: float) -> None:
    log.info(
        "fanpage: images: %d derived, %d from the cache, %d files in %.3f s",
        stats.derived,
        stats.reused,
        stats.files,
        seconds,
    )
