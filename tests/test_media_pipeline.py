"""The image pipeline, from test photos holding GPS, a serial number, an owner's name, XMP,
IPTC and a rotated orientation: nothing private is published, everything is upright and as
large as declared, and a rebuild with unchanged photos does no image work (counted)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import settings as make_settings
from photos import BLUE, GREEN, RED, colour_at, is_upright, make_photo, metadata_in, near
from PIL import Image, ImageCms

from fanpage.forking import ChildFailed
from fanpage.media import pipeline
from fanpage.media.cache import HashMemo
from fanpage.media.derive import decode, derive, derive_into
from fanpage.media.pipeline import MediaFailed, MediaPlan, MediaStats, recipe_from
from fanpage.media.plan import AVIF, JPEG, WEBP, NotAnImage, Recipe, Rendition, Variant

SOURCES = ("images/shows/band.jpg", "images/shows/side.jpg", "images/logo.png")
RECIPE = Recipe(widths=(480, 960, 1600), thumbnail=400)
# The cache and process tests count work and compare bytes: smaller photos do (27 files).
SMALL = Recipe(widths=(120, 240), thumbnail=100)


@dataclass
class Published:
    content: Path
    cache: Path
    output: Path
    plan: MediaPlan
    stats: MediaStats


def _content(root: Path, divide: int = 1) -> Path:
    content = root / "content"
    make_photo(content / SOURCES[0], size=(2000 // divide, 1500 // divide), orientation=6)
    make_photo(content / SOURCES[1], size=(1200 // divide, 1600 // divide), orientation=8)
    make_photo(
        content / SOURCES[2], (1000 // divide, 800 // divide), orientation=3, fmt="PNG", alpha=True
    )
    return content


def _small(root: Path) -> Path:
    return _content(root, divide=4)


def _publish(
    content: Path, cache: Path, output: Path, workers: int = 2, recipe: Recipe = SMALL
) -> Published:
    plan = MediaPlan(content, cache, recipe)
    for source in SOURCES:
        plan.add(source)
    return Published(content, cache, output, plan, plan.publish(output, workers))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The three test photos published once, cold, on two workers."""
    root = tmp_path_factory.mktemp("media")
    return _publish(_content(root), root / "cache", root / "output", recipe=RECIPE)


def _files(rendition: Rendition) -> list[Variant]:
    return [*rendition.variants, *rendition.thumbnails]


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of every file in ``folder``'s subfolders (derived files, not the
    hash memo beside them, which learns settled files on a later run)."""
    return {
        str(f.relative_to(folder)): (f.stat().st_ino, f.stat().st_mtime_ns)
        for f in sorted(folder.glob("*/**/*"))
        if f.is_file()
    }


def _sha(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


# -- privacy and pixels --------------------------------------------------------------------


def test_the_test_photos_hold_everything_the_pipeline_must_strip(published: Published) -> None:
    """The probe finds GPS, serial, owner, XMP and IPTC in the originals, so finding nothing
    in the derived files means something."""
    found = metadata_in(published.content / SOURCES[0])
    assert {"gps", "serial", "owner", "orientation", "info:xmp", "info:photoshop"} <= set(found)
    for marker in ("Exif", "http://ns.adobe.com/xap", "Photoshop 3.0", "SN-123456", "Jane Doe"):
        assert found[f"bytes:{marker}"]
    assert {"gps", "serial", "owner", "info:xmp"} <= set(
        metadata_in(published.content / SOURCES[2])
    )


def test_no_published_file_carries_any_metadata(published: Published) -> None:
    checked = 0
    for rendition in published.plan:
        for variant in _files(rendition):
            file = published.output / variant.path
            assert metadata_in(file) == {}, variant.path
            checked += 1
    assert checked == published.stats.files == 3 * 4 * len(RECIPE.formats)


def test_every_derived_image_is_upright_and_exactly_its_declared_size(
    published: Published,
) -> None:
    for rendition in published.plan:
        for variant in _files(rendition):
            with Image.open(published.output / variant.path) as image:
                assert image.size == (variant.width, variant.height), variant.path
                assert image.format == {JPEG: "JPEG", WEBP: "WEBP", AVIF: "AVIF"}[variant.mime]
                if variant not in rendition.thumbnails:
                    assert is_upright(image), variant.path
                else:  # the centred square: red above, blue below
                    assert near(colour_at(image, 0.5, 0.02), RED), variant.path
                    assert near(colour_at(image, 0.5, 0.98), BLUE), variant.path
    band = published.plan.get(SOURCES[0])
    assert band is not None and (band.width, band.height) == (2000, 1500)  # turned upright
    side = published.plan.get(SOURCES[1])
    assert side is not None and (side.width, side.height) == (1200, 1600)


def test_the_thumbnail_is_the_centred_square_of_the_upright_picture(published: Published) -> None:
    band = published.plan.get(SOURCES[0])
    assert band is not None
    with Image.open(published.output / band.thumbnail(JPEG).path) as thumb:
        # 2000x1500 -> the middle 1500x1500: the green band (left third of 2000) fills the
        # left 0..(667-250)/1500 of the square; red on top, blue at the bottom.
        assert near(colour_at(thumb, 0.1, 0.5), GREEN)
        assert not near(colour_at(thumb, 0.9, 0.5), GREEN)
        assert near(colour_at(thumb, 0.5, 0.05), RED) and near(colour_at(thumb, 0.5, 0.95), BLUE)


def test_every_srcset_file_exists_with_its_declared_width(published: Published) -> None:
    for rendition in published.plan:
        for mime in RECIPE.formats:
            entries = rendition.srcset(mime).split(", ")
            assert len(entries) == len(rendition.of(mime)) > 0
            for entry in entries:
                path, width = re.fullmatch(r"(\S+) (\d+)w", entry).groups()  # type: ignore[union-attr]
                with Image.open(published.output / path) as image:
                    assert image.width == int(width)
                    declared = next(v for v in rendition.of(mime) if v.path == path)
                    assert image.height == declared.height
        assert rendition.srcset(JPEG, base="https://band.example").startswith(
            "https://band.example/images/"
        )


def test_a_png_keeps_its_transparency_except_in_jpeg(published: Published) -> None:
    logo = published.plan.get(SOURCES[2])
    assert logo is not None
    for mime in (WEBP, AVIF):
        with Image.open(published.output / logo.widest(mime).path) as image:
            assert image.mode == "RGBA"
            # Stored turned by 180 degrees: the clear corner is top-left once upright.
            assert image.getpixel((2, 2))[3] < 16
            assert image.getpixel((image.width - 3, 2))[3] > 240
    with Image.open(published.output / logo.fallback.path) as image:
        assert image.mode == "RGB"
        assert near(image.getpixel((2, 2)), (255, 255, 255), 20)  # flattened onto white


def test_a_small_image_is_never_enlarged(tmp_path: Path) -> None:
    make_photo(tmp_path / "content/images/tiny.jpg", size=(300, 200), orientation=6)
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    tiny = plan.add("images/tiny.jpg")
    assert {v.width for v in tiny.variants} == {300}
    assert tiny.thumbnail().width == tiny.thumbnail().height == 200
    plan.publish(tmp_path / "out", workers=0)
    for variant in _files(tiny):
        with Image.open(tmp_path / "out" / variant.path) as image:
            assert image.size == (variant.width, variant.height)
            assert image.width <= 300 and image.height <= 200


def test_a_size_between_two_widths_is_kept_as_the_widest(tmp_path: Path) -> None:
    make_photo(tmp_path / "content/images/mid.jpg", size=(1200, 900), orientation=1)
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    mid = plan.add("images/mid.jpg")
    assert [v.width for v in mid.of(JPEG)] == [480, 960, 1200]
    plan.publish(tmp_path / "out", workers=0)
    with Image.open(tmp_path / "out" / mid.fallback.path) as image:
        assert image.size == (1200, 900) and is_upright(image)


# -- the cache ------------------------------------------------------------------------------


def test_a_second_publish_with_the_same_photos_does_no_image_work(tmp_path: Path) -> None:
    first = _publish(_small(tmp_path), tmp_path / "cache", tmp_path / "out")
    assert first.stats == MediaStats(derived=3, reused=0, files=27)
    cached = _stamps(first.cache)
    output = _stamps(first.output)
    assert len(cached) == 27 and len(output) == 27

    again = _publish(first.content, first.cache, first.output)  # a new build, same photos
    assert again.stats == MediaStats(derived=0, reused=3, files=27)
    assert _stamps(first.cache) == cached  # no cache file rewritten
    assert _stamps(first.output) == output  # nor any output file
    elsewhere = _publish(first.content, first.cache, tmp_path / "fresh")
    assert elsewhere.stats.derived == 0
    for rendition in elsewhere.plan:  # the output files are the cached ones, hard-linked
        for variant in _files(rendition):
            assert (tmp_path / "fresh" / variant.path).samefile(first.output / variant.path)
    assert [r.variants for r in again.plan] == [r.variants for r in first.plan]


def test_a_changed_photo_gets_new_names_and_only_it_is_derived(tmp_path: Path) -> None:
    first = _publish(_small(tmp_path), tmp_path / "cache", tmp_path / "out")
    before = {r.source: r for r in first.plan}
    make_photo(first.content / SOURCES[1], size=(300, 400), orientation=8, owner="Someone")
    again = _publish(first.content, first.cache, first.output)
    assert again.stats == MediaStats(derived=1, reused=2, files=27)
    changed = again.plan.get(SOURCES[1])
    assert changed is not None and changed.digest != before[SOURCES[1]].digest
    old_names = {v.path for v in _files(before[SOURCES[1]])}
    assert not old_names & {v.path for v in _files(changed)}
    for variant in _files(changed):
        assert (again.output / variant.path).is_file()
    assert again.plan.get(SOURCES[0]) == before[SOURCES[0]]


def test_a_changed_recipe_gets_new_names(tmp_path: Path) -> None:
    content = _small(tmp_path)
    plan = MediaPlan(content, tmp_path / "cache", SMALL)
    other = MediaPlan(content, tmp_path / "cache", Recipe(widths=(320, 640), thumbnail=200))
    a, b = plan.add(SOURCES[0]), other.add(SOURCES[0])
    assert a.digest != b.digest and a.fallback.path != b.fallback.path
    assert [v.width for v in b.of(JPEG)] == [320, 500]  # 500: the photo itself, not enlarged


def test_the_originals_are_never_modified_nor_published(published: Published) -> None:
    root = published.content.parent / "again"
    content = _small(root)
    before = {s: (_sha(content / s), (content / s).stat().st_mtime_ns) for s in SOURCES}
    result = _publish(content, root / "cache", root / "out")
    assert {s: (_sha(content / s), (content / s).stat().st_mtime_ns) for s in SOURCES} == before
    published_hashes = {_sha(f) for f in (root / "out").rglob("*") if f.is_file()}
    assert not published_hashes & {sha for sha, _ in before.values()}
    assert result.stats.files == len(published_hashes)


def test_the_hash_memo_spares_a_warm_build_reading_the_photos(tmp_path: Path) -> None:
    content = _small(tmp_path)
    hour_ago = os.stat(content / SOURCES[0]).st_mtime - 2700
    for source in SOURCES:
        os.utime(content / source, (hour_ago, hour_ago))  # settled files, as on a real site
    first = _publish(content, tmp_path / "cache", tmp_path / "out")
    assert first.plan._memo.hashed == 3
    again = _publish(content, tmp_path / "cache", tmp_path / "out")
    assert again.plan._memo.hashed == 0 and again.stats.derived == 0
    assert [r.digest for r in again.plan] == [r.digest for r in first.plan]
    make_photo(content / SOURCES[0], size=(500, 375), serial="SN-999")
    os.utime(content / SOURCES[0], (hour_ago + 60, hour_ago + 60))
    third = _publish(content, tmp_path / "cache", tmp_path / "out")
    assert third.plan._memo.hashed == 1 and third.stats.derived == 1


def test_a_file_just_written_is_hashed_again_next_time(tmp_path: Path) -> None:
    """Within the timestamp granularity a rewrite can keep size and mtime: not memoised."""
    photo = make_photo(tmp_path / "p.jpg", size=(64, 48))
    memo = HashMemo(tmp_path / "cache")
    assert memo.digest(photo) == _sha(photo)
    memo.save()
    again = HashMemo(tmp_path / "cache")
    again.digest(photo)
    assert again.hashed == 1


# -- work on every core ------------------------------------------------------------------------

_PIDS: list[Path] = []


def _recording_derive(cache_dir: Path, file: Path, rendition: Rendition) -> Path:
    """The real derive, noting which process ran it (in a file: workers are other processes)."""
    with _PIDS[0].open("a") as log:
        log.write(f"{os.getpid()}\n")
    return derive_into(cache_dir, file, rendition)


# The two-worker publish runs in a fresh process: the pipeline (rightly) does its work in
# the calling process when other threads are running, as they are in a long test session.
TESTS = Path(__file__).resolve().parent
_PARALLEL = """
import os, sys
from pathlib import Path
import tests.test_media_pipeline as t
from fanpage.media import pipeline
t._PIDS[:] = [Path(sys.argv[3])]
pipeline.derive_into = t._recording_derive
t._publish(Path(sys.argv[1]), Path(sys.argv[2]) / "cache2", Path(sys.argv[2]) / "out2", 2)
print(os.getpid())
"""


def test_parallel_and_serial_publishes_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _small(tmp_path)
    pid_log = tmp_path / "pids"
    pid_log.write_text("")
    done = subprocess.run(
        [sys.executable, "-c", _PARALLEL, str(content), str(tmp_path), str(pid_log)],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(map(str, (TESTS.parent, TESTS)))},
        capture_output=True,
        text=True,
        check=True,
    )
    parent = done.stdout.strip()
    workers_seen = set(pid_log.read_text().split())
    assert workers_seen and parent not in workers_seen  # derived in worker processes
    _PIDS[:] = [pid_log]
    monkeypatch.setattr(pipeline, "derive_into", _recording_derive)
    for workers in (1, 0):
        pid_log.write_text("")
        _publish(content, tmp_path / f"cache{workers}", tmp_path / f"out{workers}", workers)
        assert set(pid_log.read_text().split()) == {str(os.getpid())}  # done here
    plan = _publish(content, tmp_path / "cache0", tmp_path / "again", 0).plan
    results = {
        workers: {
            v.path: (tmp_path / f"out{workers}" / v.path).read_bytes()
            for r in plan
            for v in _files(r)
        }
        for workers in (2, 1, 0)
    }
    assert results[2] == results[1] == results[0]
    assert len(results[2]) == 27


def test_start_works_beside_the_caller_and_wait_gives_the_stats(tmp_path: Path) -> None:
    content = _small(tmp_path)
    plan = MediaPlan(content, tmp_path / "cache", SMALL)
    for source in SOURCES:
        plan.add(source)
    job = plan.start(tmp_path / "out", workers=2)
    stats = job.wait()
    assert stats == MediaStats(derived=3, reused=0, files=27)
    for rendition in plan:
        for variant in _files(rendition):
            assert (tmp_path / "out" / variant.path).is_file()
    warm = MediaPlan(content, tmp_path / "cache", SMALL)
    for source in SOURCES:
        warm.add(source)
    assert warm.start(tmp_path / "out2", workers=2).wait() == MediaStats(0, 3, 27)
    assert (tmp_path / "out2" / warm.get(SOURCES[0]).fallback.path).is_file()  # type: ignore[union-attr]


# -- the plan's interface and its errors ---------------------------------------------------------


def test_adding_twice_gives_the_same_rendition_and_get_finds_it(tmp_path: Path) -> None:
    content = _content(tmp_path)
    plan = MediaPlan(content, tmp_path / "cache", RECIPE)
    first = plan.add(SOURCES[0])
    assert plan.add(SOURCES[0]) is first and plan.add("/" + SOURCES[0]) is first
    assert plan.get(SOURCES[0]) is first and plan.get(SOURCES[1]) is None
    assert len(plan) == 1 and list(plan) == [first]
    assert first.fallback.path == f"images/shows/band-{first.digest[:8]}-1600.jpg"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"not a photo at all", r"notes\.jpg: not an image Pillow can read"),
        ("empty.png", b"", r"empty\.png: not an image"),
        ("gone.jpg", None, r"gone\.jpg: no such file"),
    ],
)
def test_an_unreadable_file_is_not_an_image_naming_the_file(
    tmp_path: Path, name: str, data: bytes | None, message: str
) -> None:
    if data is not None:
        (tmp_path / "content/images").mkdir(parents=True)
        (tmp_path / "content/images" / name).write_bytes(data)
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    with pytest.raises(NotAnImage, match=message):
        plan.add(f"images/{name}")
    assert len(plan) == 0


def test_a_path_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    make_photo(tmp_path / "secret.jpg", size=(64, 48))
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    with pytest.raises(NotAnImage, match="no such file"):
        plan.add("../secret.jpg")


def _truncated(tmp_path: Path) -> MediaPlan:
    photo = make_photo(tmp_path / "content/images/cut.jpg", size=(800, 600), orientation=1)
    photo.write_bytes(photo.read_bytes()[:4000])  # the header is whole, the pixels are not
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    plan.add("images/cut.jpg")  # sizes come from the header: planning still works
    return plan


def test_a_damaged_photo_fails_the_publish_naming_the_file(tmp_path: Path) -> None:
    plan = _truncated(tmp_path)
    with pytest.raises(NotAnImage, match=r"^images/cut\.jpg: cannot decode the image"):
        plan.publish(tmp_path / "out", workers=0)
    assert not any((tmp_path / "cache").glob("*/*"))  # nothing half-made is cached


def test_a_damaged_photo_fails_the_job_beside_in_one_line(tmp_path: Path) -> None:
    plan = _truncated(tmp_path)
    job = plan.start(tmp_path / "out", workers=2)
    with pytest.raises(MediaFailed) as failure:
        job.wait()
    assert isinstance(failure.value, ChildFailed)
    message = str(failure.value)
    assert "images/cut.jpg: cannot decode the image" in message and "\n" not in message


def test_the_recipe_comes_from_the_settings() -> None:
    recipe = recipe_from(make_settings(image_widths=(320, 640), image_thumbnail_size=200))
    assert recipe.widths == (320, 640) and recipe.thumbnail == 200
    assert recipe.formats[-1] == JPEG and WEBP in recipe.formats
    assert recipe_from(make_settings()) == Recipe()


def test_no_colour_profile_or_comment_reaches_a_published_file(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = make_photo(
        tmp_path / "content/images/p.jpg", size=(800, 600), icc=srgb, comment=b"Jane Doe's"
    )
    assert {"info:icc_profile", "info:comment"} <= set(metadata_in(photo))
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", Recipe(widths=(320,)))
    rendition = plan.add("images/p.jpg")
    plan.publish(tmp_path / "out", workers=0)
    for variant in _files(rendition):
        assert metadata_in(tmp_path / "out" / variant.path) == {}, variant.path


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_without_visible_loss(tmp_path: Path) -> None:
    """Widths far below the photo's let the JPEG decoder scale by 1/2 (still 3x the need)."""
    photo = make_photo(tmp_path / "content/big.jpg", size=(2400, 1800), orientation=6)
    recipe = Recipe(widths=(160, 320), thumbnail=100)
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", recipe)
    rendition = plan.add("big.jpg")
    assert (rendition.width, rendition.height) == (2400, 1800)
    decoded = decode(photo, rendition)
    assert decoded.size == (1200, 900) and is_upright(decoded)  # 1/2 scale, then turned
    with Image.open(photo) as full:  # the same width from the whole picture, for comparison
        upright = full.transpose(Image.Transpose.ROTATE_270)
        direct = upright.resize((320, 240), Image.Resampling.LANCZOS)
    derived = Image.open(io.BytesIO(derive(photo, rendition)["320.jpg"]))
    assert derived.size == (320, 240) and is_upright(derived)
    difference = [abs(a - b) for a, b in zip(derived.tobytes(), direct.tobytes(), strict=True)]
    assert sum(difference) / len(difference) < 2  # JPEG noise alone, not a softer image


def test_a_photo_with_more_pixels_than_pillow_allows_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/huge.png").write_bytes(_png_header(16000, 12000))  # 192 MP
    plan = MediaPlan(tmp_path / "content", tmp_path / "cache", RECIPE)
    with pytest.raises(NotAnImage, match=r"huge\.png: too large to publish"):
        plan.add("huge.png")


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` grey pixels (its data is cut short)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


def test_cache_entries_unused_for_a_month_are_forgotten_and_used_ones_kept(
    tmp_path: Path,
) -> None:
    content = _small(tmp_path)
    cache = tmp_path / "cache"
    first = _publish(content, cache, tmp_path / "out")
    month_ago = time.time() - 31 * 86400
    used = [cache / r.digest for r in first.plan]
    for folder in used:  # last used long ago, but this build uses them again
        os.utime(folder, (month_ago, month_ago))
    stale = cache / ("ab" * 8)  # the sizes of a photo since changed
    recent = cache / ("cd" * 8)  # another site's entry in a shared cache, used last week
    notes = cache / "notes"
    for folder, when in ((stale, month_ago), (recent, time.time() - 7 * 86400), (notes, month_ago)):
        folder.mkdir()
        (folder / "480.jpg").write_bytes(b"old")
        os.utime(folder, (when, when))
    again = _publish(content, cache, tmp_path / "out")
    assert again.stats.derived == 0
    # Used now: their time says so, for any other build sharing the cache.
    assert all(folder.stat().st_mtime > month_ago + 86400 for folder in used)
    assert again.plan.forget_unused() == 1
    assert not stale.exists()
    assert recent.is_dir() and all(folder.is_dir() for folder in used)
    assert (cache / "notes").is_dir()  # not a derived folder's name: not the cache's to remove
