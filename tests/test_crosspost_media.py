"""Photos on their way out: every upload re-encoded under a byte limit, upright and without
metadata (``fanpage.media.fit``); alt texts clipped at a word, never dropped; a gallery's
draft carrying its photos on every network that takes images."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from fanpage.content.models import Gallery, Photo
from fanpage.content.published import PublishedEntry, PublishedPhoto
from fanpage.crosspost.counting import ELLIPSIS
from fanpage.crosspost.ledger import POSTED, Ledger, Record
from fanpage.crosspost.media import clip_alt
from fanpage.crosspost.options import network_config
from fanpage.crosspost.registry import NETWORKS, network_class
from fanpage.crosspost.runner import CrosspostSettings, Runner
from fanpage.media.fit import CannotFit, fit_jpeg, fit_jpeg_sized
from tests.servers.photos import ALTS, private_metadata, write_photo

NOW = datetime(2026, 12, 13, 12, 0, tzinfo=UTC)
SITE = "https://suarasenja.band"


# -- fit_jpeg ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1500x1000 photo of noise (about 1.5 MB), turned sideways, with GPS and a serial."""
    folder = tmp_path_factory.mktemp("fit")
    return write_photo(folder / "noisy.jpg", (1500, 1000), noisy=True, quality=95)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    limit=st.integers(min_value=20_000, max_value=2_000_000),
    side=st.one_of(st.none(), st.integers(min_value=100, max_value=2000)),
)
def test_fit_jpeg_is_always_under_the_limit_upright_and_clean(
    noisy: Path, limit: int, side: int | None
) -> None:
    fitted = fit_jpeg_sized(noisy, limit, side)
    assert len(fitted.data) < limit
    assert private_metadata(fitted.data) == []
    with PILImage.open(io.BytesIO(fitted.data)) as opened:
        assert opened.format == "JPEG" and opened.mode == "RGB"
        assert opened.size == (fitted.width, fitted.height)
        assert opened.height > opened.width  # orientation 6 applied: 1000 wide, 1500 high
        assert side is None or max(opened.size) <= side
        assert not opened.info.get("icc_profile") and "xmp" not in opened.info


def test_fit_jpeg_keeps_the_size_when_the_bytes_already_fit(tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "small.jpg", (640, 480))
    data = fit_jpeg(photo, 1_000_000)
    with PILImage.open(io.BytesIO(data)) as opened:
        assert opened.size == (480, 640)  # upright, not shrunk
    assert data == fit_jpeg(photo, 1_000_000)  # pure: the same bytes every time


def test_fit_jpeg_flattens_transparency_on_white(tmp_path: Path) -> None:
    path = tmp_path / "clear.png"
    PILImage.new("RGBA", (40, 30), (0, 0, 0, 0)).save(path)
    with PILImage.open(io.BytesIO(fit_jpeg(path, 100_000))) as opened:
        assert opened.getpixel((20, 15)) >= (250, 250, 250)


@pytest.mark.parametrize("content", [b"", b"not an image at all"])
def test_fit_jpeg_says_which_file_is_not_an_image(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(content)
    with pytest.raises(CannotFit, match=r"notes\.jpg"):
        fit_jpeg(path, 1_000_000)
    with pytest.raises(CannotFit, match="no such file"):
        fit_jpeg(tmp_path / "gone.jpg", 1_000_000)


def test_a_limit_no_picture_can_meet_is_refused(noisy: Path) -> None:
    with pytest.raises(CannotFit, match="cannot be made smaller"):
        fit_jpeg(noisy, 300)


# -- alt texts --------------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=400), st.integers(min_value=2, max_value=300))
def test_clip_alt_fits_keeps_words_and_never_drops_the_alt(alt: str, limit: int) -> None:
    clipped = clip_alt(alt, limit)
    assert len(clipped) <= limit
    normal = " ".join(alt.split())
    if len(normal) <= limit:
        assert clipped == normal
    else:
        assert clipped.endswith(ELLIPSIS) and len(clipped) > len(ELLIPSIS)
        head = clipped.removesuffix(ELLIPSIS)
        assert normal.startswith(head)


def test_clip_alt_cuts_at_a_word_boundary() -> None:
    assert clip_alt("The crowd in Jakarta with phone lights", 20) == "The crowd in…"
    assert clip_alt("x" * 30, 10) == "x" * 9 + ELLIPSIS  # one long word: cut inside it


# -- a gallery's drafts -----------------------------------------------------------------------


def gallery_entry(tmp_path: Path, photos: int = 5) -> PublishedEntry:
    gallery = Gallery(
        uid="gallery-jakarta",
        title="Jakarta, 12 December",
        slug="jakarta-2026",
        lang="en",
        date=NOW - timedelta(hours=2),
        source_path="content/galleries/jakarta-2026.md",
        summary="The photos from the first night.",
        photos=tuple(Photo(f"images/shows/{n}.jpg", f"Photo {n}") for n in range(photos)),
    )
    published = tuple(
        PublishedPhoto(
            write_photo(tmp_path / f"{n}-1600.jpg", (160, 120), seed=n),
            ALTS[n % 4],
            f"{SITE}/images/shows/{n}-1600.jpg",
        )
        for n in range(4)
    )
    return PublishedEntry(
        gallery,
        "galleries/jakarta-2026/",
        f"{SITE}/galleries/jakarta-2026/",
        "",
        image=None,
        photos=published,
    )


def test_a_gallery_draft_carries_its_photos_on_every_network_that_takes_images(
    tmp_path: Path,
) -> None:
    ledger_path = tmp_path / "syndication.json"
    ledger = Ledger(ledger_path)
    for name in NETWORKS:  # every network known: the gallery is new, hence due
        ledger.set("news/old", name, Record(POSTED, "2026-11-01T00:00:00Z", "1", "https://e/1"))
    ledger.save()
    options = {
        "mastodon": {"instance": "https://musician.social"},
        "bluesky": {"handle": "band.test"},
        "facebook": {"page_id": "1"},
        "linkedin": {"organization": "1"},
        "threads": {"user_id": "1"},
        "telegram": {"chat": "@suarasenja"},
    }
    configs = {n: network_config(n, options.get(n, {})) for n in NETWORKS}
    item = gallery_entry(tmp_path)
    runner = Runner(CrosspostSettings(configs, ledger_path), [item], tmp_path, echo=print)
    runner.clock.now = lambda: NOW
    plan = runner.plan(ledger)
    assert sorted(d.network for d in plan.due) == sorted(NETWORKS)
    for due in plan.due:
        network = runner.network(due.network, ledger, {})
        draft = runner.draft(network, due)
        assert network_class(due.network).takes_images, due.network  # all eight do
        assert [i.alt for i in draft.images] == list(ALTS), due.network
        assert [i.path for i in draft.images] == [p.file for p in item.photos]
        assert all(i.mime == "image/jpeg" and i.url.startswith(SITE) for i in draft.images)
        assert item.url in draft.text and "Jakarta, 12 December" in draft.text
        if due.network == "telegram":  # the text is the album's caption
            assert draft.limit == 1024
    assert {d.announcement.kind for d in plan.due} == {"gallery"}
