"""The Threads network against a local Threads API (tests/servers/threads.py)."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fanpage.content.problems import FieldError
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.graph import DEFAULT_THROTTLE_WAIT
from fanpage.crosspost.networks.threads import (
    PUBLISHING_LIMIT_WAIT,
    TOKEN_VARIABLE,
    Threads,
    container_body,
)
from fanpage.crosspost.options import network_config
from tests.servers.photos import ALTS, gallery_draft, gallery_photos, private_metadata, write_photo
from tests.servers.threads import MAX_TEXT, TOKEN, USER_ID, ThreadsServer, threads_count

URL = "https://suarasenja.band/news/a-new-song/"
ENTRY_DATE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
COVER_URL = "https://suarasenja.band/images/senja-di-kota.jpg"


@dataclass(frozen=True)
class PublishedImage(Image):
    """An image with the public URL it has on the live site (what Threads needs)."""

    url: str = ""


@pytest.fixture(scope="module")
def running() -> Iterator[ThreadsServer]:
    with ThreadsServer() as started:
        yield started  # type: ignore[misc]


@pytest.fixture
def server(running: ThreadsServer) -> ThreadsServer:
    running.reset()  # one server for the module: each stop costs half a second
    return running


def make_draft(
    text: str = f"A new song: Senja di Kota. {URL}",
    url: str = URL,
    images: tuple[Image, ...] = (),
) -> Draft:
    return Draft(
        network="threads",
        keys=("news/a-new-song",),
        text=text,
        length=threads_count(text),
        limit=MAX_TEXT,
        url=url,
        lang="en",
        created_at=ENTRY_DATE,
        idempotency_key="news/a-new-song:threads",
        card=LinkCard(url, "A new song", "Senja di Kota is out"),
        images=images,
    )


Factory = Callable[..., Threads]


@pytest.fixture
def network(server: ThreadsServer) -> Iterator[Factory]:
    made: list[Threads] = []

    def make(token: str = TOKEN, timeout: float = 5.0, **options: Any) -> Threads:
        raw = {"user_id": USER_ID, "api_base": server.base_url, **options}
        net = Threads(network_config("threads", raw), {TOKEN_VARIABLE: token}, timeout)
        net.poll_interval = 0.0
        made.append(net)
        return net

    yield make
    for net in made:
        net.close()


def assert_no_secret(exc: BaseException, *secrets: str) -> None:
    text = f"{exc} {getattr(exc, 'message', '')} {exc!r}"
    for secret in secrets:
        assert secret not in text


# -- posting --------------------------------------------------------------------------------


def test_text_post_in_two_steps_with_link_attachment(
    server: ThreadsServer, network: Factory
) -> None:
    net = network()
    net.prepare()
    draft = make_draft()
    posted = net.post(draft)

    [post] = server.posts
    assert post["media_type"] == "TEXT"
    assert post["text"] == draft.text
    assert post["link"] == URL  # the preview card
    assert posted == Posted(post["id"], post["permalink"])
    steps = [r.path for r in server.requests if r.method == "POST"]
    assert steps == [f"/v1.0/{USER_ID}/threads", f"/v1.0/{USER_ID}/threads_publish"]
    publish = server.posts_requests("POST", "/threads_publish")[0]
    assert publish.form()["creation_id"] == [post["container"]]
    assert publish.form()["access_token"] == [TOKEN]
    assert server.tokens_in_urls() == []
    [permalink] = server.posts_requests("GET", f"/v1.0/{posted.id}")
    assert permalink.query["fields"] == ["permalink"]
    assert permalink.headers["authorization"] == f"Bearer {TOKEN}"


def test_images_without_a_public_url_post_text_with_the_link(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    local = Image(tmp_path / "cover.png", "Album cover")
    network().post(make_draft(images=(local,)))
    [post] = server.posts
    assert post["media_type"] == "TEXT" and post["link"] == URL
    assert Threads.takes_images is True  # by URL: a gallery's photos carry theirs


def test_an_image_with_a_public_url_becomes_an_image_post_with_alt_text(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    server.image_polls = 2  # IN_PROGRESS twice, then FINISHED
    image = PublishedImage(
        write_photo(tmp_path / "cover.jpg"), "Album cover: dusk over Jakarta", url=COVER_URL
    )
    posted = network().post(make_draft(images=(image,)))
    [post] = server.posts
    assert post["id"] == posted.id
    assert post["media_type"] == "IMAGE"
    assert post["image_url"] == COVER_URL
    assert post["alt_text"] == image.alt
    assert post["link"] is None  # link_attachment is for TEXT posts only
    assert len(server.posts_requests("GET", f"/v1.0/{post['container']}")) == 3


def test_an_image_threads_cannot_process_is_rejected(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    server.fail_images = True
    image = PublishedImage(write_photo(tmp_path / "cover.jpg"), "alt", url=COVER_URL)
    with pytest.raises(Rejected, match="could not process"):
        network().post(make_draft(images=(image,)))
    assert server.posts == []


def test_an_image_still_processing_is_transient_and_unsent(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    server.image_polls = 10
    net = network()
    net.poll_attempts = 2
    image = PublishedImage(write_photo(tmp_path / "cover.jpg"), "alt", url=COVER_URL)
    with pytest.raises(Transient) as caught:
        net.post(make_draft(images=(image,)))
    assert caught.value.maybe_sent is False
    assert server.posts == []


def test_container_body_is_pure(tmp_path: Path) -> None:
    draft = make_draft()
    assert container_body(draft) == {
        "media_type": "TEXT",
        "text": draft.text,
        "link_attachment": URL,
    }
    image = PublishedImage(tmp_path / "a.jpg", "alt", url=COVER_URL)
    body = container_body(make_draft(images=(image,)))
    assert body == {
        "media_type": "IMAGE",
        "image_url": COVER_URL,
        "alt_text": "alt",
        "text": draft.text,
    }


# -- the limit, counted as the server counts --------------------------------------------------


def limit_text(count: int) -> str:
    """Text with a URL (in full), CJK and emoji (their UTF-8 bytes) counting exactly ``count``."""
    head = f"Lagu baru 新しい歌 {URL} "
    text = head + "🎸" * ((count - threads_count(head)) // 4)  # 4 bytes each
    return text + "あ" * (count - threads_count(text))


def test_text_at_the_limit_is_accepted_and_one_over_is_refused(
    server: ThreadsServer, network: Factory
) -> None:
    net = network()
    at_limit = limit_text(MAX_TEXT)
    assert net.rules().length(at_limit) == MAX_TEXT
    assert len(at_limit) < 200  # characters alone would let far too much through
    net.post(make_draft(text=at_limit))
    assert server.posts[-1]["text"] == at_limit

    over = at_limit + "x"
    assert not net.rules().fits(over)
    with pytest.raises(Rejected, match="at most 500"):
        net.post(make_draft(text=over))
    assert len(server.posts) == 1


def test_emoji_sequences_count_their_bytes(network: Factory) -> None:
    rules = network().rules()
    for text in ("👍🏽", "🇮🇩", "👨‍👩‍👧", "1️⃣"):
        assert rules.length(text) == threads_count(text) == len(text.encode("utf-8"))
    assert rules.length("新しい歌") == threads_count("新しい歌") == 4


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "maybe_sent", "created"),
    [
        ("unavailable", False, False),
        ("server_error", True, False),
        ("drop", True, False),
        ("accept_then_drop", True, True),
        ("accept_then_timeout", True, True),
    ],
)
def test_publish_faults_are_transient_with_maybe_sent(
    server: ThreadsServer, network: Factory, fault: str, maybe_sent: bool, created: bool
) -> None:
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        network(timeout=0.5).post(make_draft())
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == (1 if created else 0)


@pytest.mark.parametrize("fault", ["server_error", "accept_then_timeout", "accept_then_drop"])
def test_container_faults_never_maybe_sent(
    server: ThreadsServer, network: Factory, fault: str
) -> None:
    server.inject_container_fault(fault)
    with pytest.raises(Transient) as caught:
        network(timeout=0.5).post(make_draft())
    assert caught.value.maybe_sent is False  # a container is invisible until published
    assert server.posts == []
    assert server.posts_requests("POST", "/threads_publish") == []


def test_rate_limit_waits_as_the_usage_header_says(server: ThreadsServer, network: Factory) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network().post(make_draft())
    assert caught.value.retry_after == 60.0
    assert caught.value.maybe_sent is False


@pytest.mark.parametrize("code", [4, 17, 613])
def test_throttling_codes_are_transient(server: ThreadsServer, network: Factory, code: int) -> None:
    server.inject_error(code)
    with pytest.raises(Transient) as caught:
        network().post(make_draft())
    assert caught.value.retry_after == DEFAULT_THROTTLE_WAIT
    assert server.posts == []


def test_publishing_limit_is_transient_with_a_long_wait(
    server: ThreadsServer, network: Factory
) -> None:
    server.quota_total = 1  # reset() puts back 250
    server.add_post("Earlier today", None)
    net = network()
    with pytest.raises(Transient) as in_prepare:
        net.prepare()
    assert in_prepare.value.retry_after == PUBLISHING_LIMIT_WAIT
    with pytest.raises(Transient) as in_post:
        net.post(make_draft())
    assert in_post.value.retry_after == PUBLISHING_LIMIT_WAIT
    assert in_post.value.maybe_sent is False
    assert "250 posts in 24 hours" in in_post.value.message
    assert len(server.posts) == 1


def test_expired_token_says_tokens_last_60_days(server: ThreadsServer, network: Factory) -> None:
    server.expire_tokens()
    for call in (lambda net: net.prepare(), lambda net: net.post(make_draft())):
        with pytest.raises(CredentialsError) as caught:
            call(network())
        assert caught.value.variable == TOKEN_VARIABLE
        assert "60 days" in caught.value.message and "refresh" in caught.value.message
        assert "expired" in caught.value.message
        assert_no_secret(caught.value, TOKEN)
    assert server.posts == []


def test_wrong_token_echoed_by_the_api_is_redacted(network: Factory) -> None:
    wrong = "THAAwrongtoken9876543210zyxwvuFANPAGE"
    with pytest.raises(CredentialsError) as caught:
        network(token=wrong).post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "Malformed access token" in caught.value.message
    assert_no_secret(caught.value, wrong)


def test_unknown_user_names_the_option(server: ThreadsServer, network: Factory) -> None:
    with pytest.raises(CredentialsError) as caught:
        network(user_id="17841400000000999").post(make_draft())
    assert 'CROSSPOST["threads"]["user_id"]' in caught.value.message


def test_prepare_reads_the_quota_with_the_token_in_a_header(
    server: ThreadsServer, network: Factory
) -> None:
    network().prepare()
    [limit] = server.posts_requests("GET", "/threads_publishing_limit")
    assert limit.headers["authorization"] == f"Bearer {TOKEN}"
    assert server.tokens_in_urls() == []


# -- finding an earlier post -----------------------------------------------------------------


def test_find_earlier_after_a_timeout_finds_the_post(
    server: ThreadsServer, network: Factory
) -> None:
    server.inject("accept_then_timeout")
    net = network(timeout=0.5)
    with pytest.raises(Transient) as caught:
        net.post(make_draft())
    assert caught.value.maybe_sent is True
    [post] = server.posts
    assert net.find_earlier(make_draft()) == Posted(post["id"], post["permalink"])
    [listing] = server.posts_requests("GET", f"/{USER_ID}/threads")
    assert listing.query["limit"] == ["25"]
    assert "link_attachment_url" in listing.query["fields"][0]


def test_find_earlier_by_link_attachment_when_the_text_has_no_url(
    server: ThreadsServer, network: Factory
) -> None:
    server.add_post("An older one", "https://suarasenja.band/news/older/")
    post = server.add_post("Our new song is out", URL)
    server.add_post("Tour photos", None)
    found = network().find_earlier(make_draft())
    assert found is not None and found.id == post["id"]


def test_find_earlier_none_when_absent(server: ThreadsServer, network: Factory) -> None:
    server.add_post("Remix: https://suarasenja.band/news/a-new-song-remix/", None)
    assert network().find_earlier(make_draft()) is None


def test_find_earlier_pages_with_the_cursor(server: ThreadsServer, network: Factory) -> None:
    post = server.add_post(f"The one {URL}", None)
    for n in range(26):
        server.add_post(f"Later {n}", None)
    found = network().find_earlier(make_draft())
    assert found is not None and found.id == post["id"]
    assert len(server.posts_requests("GET", f"/{USER_ID}/threads")) == 2
    assert server.tokens_in_urls() == []


def test_find_earlier_cannot_tell_when_the_listing_fails(network: Factory) -> None:
    with pytest.raises(CannotTell):
        network(api_base="http://127.0.0.1:9").find_earlier(make_draft())


# -- options, secrets, logs, imports -----------------------------------------------------------


def test_options_are_checked() -> None:
    config = network_config("threads", {"user_id": USER_ID})
    assert config.api_base == "https://graph.threads.net"
    with pytest.raises(FieldError, match="user_id"):
        network_config("threads", {"user_id": "me"})
    with pytest.raises(FieldError, match="user_id"):
        network_config("threads", {})


def test_class_contract() -> None:
    assert Threads.secrets == ("FANPAGE_THREADS_TOKEN",)
    assert Threads.limit == MAX_TEXT == 500
    assert Threads.idempotent is False
    assert Threads.can_find_earlier is True


def test_no_secret_in_logs_or_errors(
    server: ThreadsServer, network: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    net = network()
    net.prepare()
    net.post(make_draft())
    errors: list[PostError] = []
    for fault in ("server_error", "rate_limit"):
        server.inject(fault)
        try:
            net.post(make_draft())
        except PostError as exc:
            errors.append(exc)
    server.expire_tokens()
    try:
        net.find_earlier(make_draft())
    except PostError as exc:
        errors.append(exc)
    assert len(errors) == 3
    assert caplog.records
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    for exc in errors:
        assert_no_secret(exc, TOKEN)


def test_importing_the_module_does_not_load_requests() -> None:
    code = (
        "import sys, fanpage.crosspost.networks.threads;"
        "sys.exit(1 if 'requests' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def site_files(photos: tuple[Image, ...]) -> Callable[[str], bytes | None]:
    """The live site as Threads fetches it: each photo's URL serves its file."""
    by_url = {image.url: image.path for image in photos}

    def fetch(url: str) -> bytes | None:
        path = by_url.get(url)
        return path.read_bytes() if path is not None and path.exists() else None

    return fetch


def test_a_gallery_becomes_a_carousel_of_its_four_photos_in_order_each_with_its_alt(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    server.fetch = site_files(photos)
    posted = network().post(gallery_draft("threads", photos))
    [post] = server.posts
    assert post["id"] == posted.id and post["media_type"] == "CAROUSEL"
    assert [i["url"] for i in post["images"]] == [p.url for p in photos]
    assert [i["alt"] for i in post["images"]] == list(ALTS)
    assert all(
        i["data"] == p.path.read_bytes() for i, p in zip(post["images"], photos, strict=True)
    )
    # Items first (no text, is_carousel_item), then the carousel with the text, then publish.
    creates = [r.form() for r in server.posts_requests("POST", "/threads")]
    assert [c["media_type"][0] for c in creates] == ["IMAGE"] * 4 + ["CAROUSEL"]
    assert all(c["is_carousel_item"] == ["true"] and "text" not in c for c in creates[:4])
    assert creates[4]["text"] == [post["text"]] and len(creates[4]["children"][0].split(",")) == 4


def test_a_published_photo_over_8_mb_is_refused_before_anything_is_sent(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    big = tmp_path / "big.jpg"
    big.write_bytes(photos[0].path.read_bytes() + b"\0" * (8 * 1024 * 1024))
    oversized = (Image(big, ALTS[0], "image/jpeg", photos[0].url), *photos[1:])
    with pytest.raises(Rejected, match="8 MB"):
        network().post(gallery_draft("threads", oversized))
    assert server.requests == [] and server.posts == []


def test_an_image_the_site_does_not_serve_fails_its_container(
    server: ThreadsServer, network: Factory, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    server.fetch = lambda url: None  # the page went live, its photos did not
    with pytest.raises(Rejected, match="could not process"):
        network().post(gallery_draft("threads", photos))
    assert server.posts == []
    assert private_metadata(photos[0].path.read_bytes())  # the originals are left as they are
