"""The Facebook Page network against a local Graph API (tests/servers/facebook.py)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage

from fanpage.content.problems import FieldError
from fanpage.crosspost.network import (
    AlreadyPosted,
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
from fanpage.crosspost.networks.facebook import (
    DEFAULT_VERSION,
    TOKEN_VARIABLE,
    Facebook,
    feed_body,
    is_announcement,
)
from fanpage.crosspost.networks.graph import DEFAULT_THROTTLE_WAIT, POLICY_BLOCK_WAIT
from fanpage.crosspost.options import network_config
from tests.servers.facebook import MAX_MESSAGE, PAGE_ID, TOKEN, FacebookServer, utf16_units
from tests.servers.graph import graph_error
from tests.servers.photos import ALTS, gallery_draft, gallery_photos, private_metadata
from tests.servers.photos import URL as GALLERY_URL

URL = "https://suarasenja.band/news/a-new-song/"
ENTRY_DATE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def running() -> Iterator[FacebookServer]:
    with FacebookServer() as started:
        yield started  # type: ignore[misc]


@pytest.fixture
def server(running: FacebookServer) -> FacebookServer:
    running.reset()  # one server for the module: each stop costs half a second
    return running


def make_draft(
    text: str = f"A new song: Senja di Kota. {URL}",
    url: str = URL,
    images: tuple[Image, ...] = (),
    created_at: datetime = ENTRY_DATE,
) -> Draft:
    return Draft(
        network="facebook",
        keys=("news/a-new-song",),
        text=text,
        length=utf16_units(text),
        limit=MAX_MESSAGE,
        url=url,
        lang="en",
        created_at=created_at,
        idempotency_key="news/a-new-song:facebook",
        card=LinkCard(url, "A new song", "Senja di Kota is out"),
        images=images,
    )


Factory = Callable[..., Facebook]


@pytest.fixture
def network(server: FacebookServer) -> Iterator[Factory]:
    made: list[Facebook] = []

    def make(token: str = TOKEN, timeout: float = 5.0, **options: Any) -> Facebook:
        raw = {"page_id": PAGE_ID, "api_base": server.base_url, **options}
        net = Facebook(network_config("facebook", raw), {TOKEN_VARIABLE: token}, timeout)
        made.append(net)
        return net

    yield make
    for net in made:
        net.close()


def png(path: Path, color: str = "purple") -> Path:
    PILImage.new("RGB", (8, 8), color).save(path, "PNG")
    return path


def assert_no_secret(exc: BaseException, *secrets: str) -> None:
    text = f"{exc} {getattr(exc, 'message', '')} {exc!r}"
    for secret in secrets:
        assert secret not in text


# -- posting --------------------------------------------------------------------------------


def test_post_sends_message_and_link_and_returns_permalink(
    server: FacebookServer, network: Factory
) -> None:
    net = network()
    net.prepare()
    draft = make_draft()
    posted = net.post(draft)

    [post] = server.posts
    assert post["message"] == draft.text
    assert post["link"] == URL  # Facebook builds the card from the page's OG tags
    assert post["images"] == []
    assert posted == Posted(post["id"], post["permalink_url"])
    assert posted.id.startswith(f"{PAGE_ID}_")
    [feed] = server.posts_requests("POST", f"/{PAGE_ID}/feed")
    assert feed.path == f"/{DEFAULT_VERSION}/{PAGE_ID}/feed"
    assert feed.form()["access_token"] == [TOKEN]  # in the body ...
    assert server.tokens_in_urls() == []  # ... never in a URL
    [permalink] = server.posts_requests("GET", posted.id)
    assert permalink.query["fields"] == ["permalink_url"]
    assert permalink.headers["authorization"] == f"Bearer {TOKEN}"


def test_version_option_names_the_path(server: FacebookServer, network: Factory) -> None:
    network(version="v25.0").post(make_draft())
    assert server.versions == {"v25.0"}


def test_images_go_up_unpublished_with_alt_text_then_attach(
    server: FacebookServer, network: Factory, tmp_path: Path
) -> None:
    cover = Image(png(tmp_path / "cover.png"), "Album cover: a dusk skyline in purple")
    poster = Image(png(tmp_path / "poster.png", "orange"), "Tour poster for Jakarta")
    posted = network().post(make_draft(images=(cover, poster)))

    [post] = server.posts
    assert post["id"] == posted.id
    assert [i["alt"] for i in post["images"]] == [cover.alt, poster.alt]
    assert all(i["mime"] == "image/jpeg" and i["size"] > 0 for i in post["images"])
    assert post["link"] is None  # photos replace the preview; the URL stays in the message
    assert URL in post["message"]
    photos = server.posts_requests("POST", "/photos")
    assert len(photos) == 2
    assert all(server.photos[p]["published"] is False for p in post["photo_ids"])


def test_feed_body_is_pure() -> None:
    draft = make_draft()
    assert feed_body(draft) == {"message": draft.text, "link": URL}
    with_photos = feed_body(draft, ["11", "12"])
    assert "link" not in with_photos
    assert json.loads(with_photos["attached_media[1]"]) == {"media_fbid": "12"}


def test_a_failed_photo_upload_leaves_nothing_on_the_page(
    server: FacebookServer, network: Factory, tmp_path: Path
) -> None:
    server.inject_photo_fault("accept_then_timeout")
    image = Image(png(tmp_path / "a.png"), "alt")
    with pytest.raises(Transient) as caught:
        network(timeout=0.5).post(make_draft(images=(image,)))
    assert caught.value.maybe_sent is False  # an unpublished photo is invisible
    assert server.posts == []


def test_an_unreadable_image_is_rejected(network: Factory, tmp_path: Path) -> None:
    with pytest.raises(Rejected, match=r"missing\.png: no such file"):
        network().post(make_draft(images=(Image(tmp_path / "missing.png", "alt"),)))


# -- the limit, counted as the server counts --------------------------------------------------


def limit_text(units: int) -> str:
    """Text with a URL, CJK and emoji (two UTF-16 units each) of exactly ``units`` units."""
    head = f"Lagu baru 新しい歌 🎸🌅 {URL} "
    filler = "🎶" * ((units - utf16_units(head)) // 2)
    text = head + filler
    return text + "x" * (units - utf16_units(text))


def test_text_at_the_limit_is_accepted_and_one_over_is_refused(
    server: FacebookServer, network: Factory
) -> None:
    net = network()
    at_limit = limit_text(MAX_MESSAGE)
    assert net.rules().length(at_limit) == MAX_MESSAGE
    assert len(at_limit) < MAX_MESSAGE  # code points would undercount the emoji
    net.post(make_draft(text=at_limit))
    assert server.posts[-1]["message"] == at_limit

    over = at_limit + "!"
    assert not net.rules().fits(over)
    with pytest.raises(Rejected, match="too long"):
        net.post(make_draft(text=over))
    assert len(server.posts) == 1


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
def test_faults_are_transient_with_maybe_sent(
    server: FacebookServer, network: Factory, fault: str, maybe_sent: bool, created: bool
) -> None:
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        network(timeout=0.5).post(make_draft())
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == (1 if created else 0)


def test_rate_limit_fault_waits_as_the_usage_header_says(
    server: FacebookServer, network: Factory
) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network().post(make_draft())
    assert caught.value.retry_after == 60.0  # estimated_time_to_regain_access: 1 minute
    assert caught.value.maybe_sent is False
    assert "#32" in caught.value.message


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_throttling_codes_are_transient(
    server: FacebookServer, network: Factory, code: int
) -> None:
    server.inject_error(code, regain_minutes=7)
    with pytest.raises(Transient) as with_header:
        network().post(make_draft())
    assert with_header.value.retry_after == 420.0
    assert with_header.value.maybe_sent is False

    server.inject_error(code)
    with pytest.raises(Transient) as without_header:
        network().post(make_draft())
    assert without_header.value.retry_after == DEFAULT_THROTTLE_WAIT
    assert server.posts == []


def test_policy_block_waits_long(server: FacebookServer, network: Factory) -> None:
    server.inject_error(368)
    with pytest.raises(Transient) as caught:
        network().post(make_draft())
    assert caught.value.retry_after == POLICY_BLOCK_WAIT


@pytest.mark.parametrize("code", [1, 2])
def test_meta_trouble_may_have_posted(server: FacebookServer, network: Factory, code: int) -> None:
    server.inject_error(code)
    with pytest.raises(Transient) as caught:
        network().post(make_draft())
    assert caught.value.maybe_sent is True


def test_other_refusals_are_rejected(server: FacebookServer, network: Factory) -> None:
    server.inject_error(1609005)
    with pytest.raises(Rejected, match="Error Posting Link"):
        network().post(make_draft())


def test_expired_token_names_the_variable(server: FacebookServer, network: Factory) -> None:
    server.expire_tokens()
    with pytest.raises(CredentialsError) as caught:
        network().post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "expired" in caught.value.message
    assert TOKEN_VARIABLE in caught.value.message
    assert_no_secret(caught.value, TOKEN)


def test_wrong_token_echoed_by_graph_is_redacted(network: Factory) -> None:
    wrong = "EAAGwrongtoken9876543210zyxwvuFANPAGE"
    with pytest.raises(CredentialsError) as caught:
        network(token=wrong).post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "Malformed access token" in caught.value.message  # the server did echo it
    assert_no_secret(caught.value, wrong)


@pytest.mark.parametrize("code", [10, 200])
def test_missing_permission_is_a_credentials_error(
    server: FacebookServer, network: Factory, code: int
) -> None:
    server.inject_error(code)
    with pytest.raises(CredentialsError) as caught:
        network().post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "pages_manage_posts" in caught.value.message


def test_unknown_page_names_the_option(server: FacebookServer, network: Factory) -> None:
    with pytest.raises(CredentialsError) as caught:
        network(page_id="101000000000999").post(make_draft())
    assert 'CROSSPOST["facebook"]["page_id"]' in caught.value.message
    assert server.posts == []


def test_duplicate_message_is_already_posted_with_the_earlier_post(network: Factory) -> None:
    net = network()
    first = net.post(make_draft())
    with pytest.raises(AlreadyPosted) as caught:
        net.post(make_draft())
    assert caught.value.posted == first


def test_permalink_failure_falls_back_to_the_id_url(network: Factory) -> None:
    class NoPermalinks(FacebookServer):
        def _object(self, object_id: str, params: Any) -> Any:
            return graph_error(400, 100, "(#100) Tried accessing nonexisting field")

    with NoPermalinks() as broken:
        net = network(api_base=broken.base_url)
        posted = net.post(make_draft())
    assert posted.url == f"https://www.facebook.com/{posted.id}"


# -- finding an earlier post -----------------------------------------------------------------


def test_find_earlier_after_a_timeout_finds_the_post(
    server: FacebookServer, network: Factory
) -> None:
    server.inject("accept_then_timeout")
    net = network(timeout=0.5)
    with pytest.raises(Transient):
        net.post(make_draft())
    [post] = server.posts
    found = net.find_earlier(make_draft())
    assert found == Posted(post["id"], post["permalink_url"])
    [listing] = server.posts_requests("GET", f"/{PAGE_ID}/feed")
    assert listing.query["limit"] == ["25"]
    assert "attachments{url,unshimmed_url}" in listing.query["fields"][0]


def test_find_earlier_by_link_attachment_when_the_message_has_no_url(
    server: FacebookServer, network: Factory
) -> None:
    server.add_post("Something else entirely", "https://suarasenja.band/news/older/")
    post = server.add_post("Our new song is out", URL)
    server.add_post("Tour photos", None)
    found = network().find_earlier(make_draft())
    assert found is not None and found.id == post["id"]


def test_find_earlier_none_when_absent(server: FacebookServer, network: Factory) -> None:
    server.add_post("Another entry https://suarasenja.band/news/a-new-song-remix/", None)
    server.add_post("Linked elsewhere", "https://suarasenja.band/news/a-new-song-remix/")
    assert network().find_earlier(make_draft()) is None


def test_find_earlier_pages_with_the_cursor_not_the_token_url(
    server: FacebookServer, network: Factory
) -> None:
    post = server.add_post(f"The one {URL}", None)
    for n in range(30):
        server.add_post(f"Later post {n}", None)
    found = network().find_earlier(make_draft())
    assert found is not None and found.id == post["id"]
    listings = server.posts_requests("GET", f"/{PAGE_ID}/feed")
    assert len(listings) == 2
    assert "after" in listings[1].query
    assert server.tokens_in_urls() == []  # paging.next holds the token; it was not followed


def test_find_earlier_stops_at_posts_older_than_the_entry(
    server: FacebookServer, network: Factory
) -> None:
    for n in range(30):
        server.add_post(f"Old post {n}", None, datetime(2025, 1, 1, tzinfo=UTC))
    for n in range(25):
        server.add_post(f"Recent post {n}", None)
    assert network().find_earlier(make_draft()) is None
    assert len(server.posts_requests("GET", f"/{PAGE_ID}/feed")) == 2


def test_find_earlier_cannot_tell_past_the_pages_it_reads(
    server: FacebookServer, network: Factory
) -> None:
    for n in range(101):
        server.add_post(f"Busy page {n}", None)
    with pytest.raises(CannotTell):
        network().find_earlier(make_draft())


def test_find_earlier_cannot_tell_when_the_listing_fails(network: Factory) -> None:
    net = network(api_base="http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(CannotTell):
        net.find_earlier(make_draft())


def test_find_earlier_with_an_expired_token_is_a_credentials_error(
    server: FacebookServer, network: Factory
) -> None:
    server.expire_tokens()
    with pytest.raises(CredentialsError):
        network().find_earlier(make_draft())


def test_is_announcement_reads_shimmed_links() -> None:
    shim = "https://l.facebook.com/l.php?u=https%3A%2F%2Fsuarasenja.band%2Fnews%2Fa-new-song%2F"
    assert is_announcement({"attachments": {"data": [{"url": shim}]}}, URL)
    assert is_announcement({"message": f"Out now: {URL.rstrip('/')}."}, URL)
    assert not is_announcement({"message": f"{URL}remix"}, URL)


# -- options, secrets, logs, imports -----------------------------------------------------------


def test_options_are_checked() -> None:
    config = network_config("facebook", {"page_id": PAGE_ID, "version": "v24.0"})
    assert config.api_base == "https://graph.facebook.com"
    with pytest.raises(FieldError, match="page_id"):
        network_config("facebook", {"page_id": "suarasenja"})
    with pytest.raises(FieldError, match="version"):
        network_config("facebook", {"page_id": PAGE_ID, "version": "24"})
    with pytest.raises(FieldError, match="page_id"):
        network_config("facebook", {})


def test_class_contract() -> None:
    assert Facebook.secrets == (TOKEN_VARIABLE,) == ("FANPAGE_FACEBOOK_PAGE_TOKEN",)
    assert Facebook.limit == MAX_MESSAGE == 63206
    assert Facebook.idempotent is False
    assert Facebook.can_find_earlier is True


def test_no_secret_in_logs_or_errors(
    server: FacebookServer, network: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    net = network()
    errors: list[PostError] = []
    net.post(make_draft())
    for fault in ("server_error", "rate_limit"):
        server.inject(fault)
        try:
            net.post(make_draft(text=f"again {fault} {URL}"))
        except PostError as exc:
            errors.append(exc)
    server.expire_tokens()
    try:
        net.find_earlier(make_draft())
    except PostError as exc:
        errors.append(exc)
    assert len(errors) == 3
    assert caplog.records  # the module and urllib3 did log
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    for exc in errors:
        assert_no_secret(exc, TOKEN)


def test_importing_the_module_does_not_load_requests() -> None:
    code = (
        "import sys, fanpage.crosspost.networks.facebook;"
        "sys.exit(1 if 'requests' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt(
    server: FacebookServer, network: Factory, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path, big_first=True)
    assert photos[0].path.stat().st_size > 4 * 1024 * 1024  # over Meta's 4 MB as it is
    network().post(gallery_draft("facebook", photos))
    [post] = server.posts
    assert [i["alt"] for i in post["images"]] == list(ALTS)
    for image in post["images"]:
        assert image["mime"] == "image/jpeg" and image["size"] <= 4 * 1024 * 1024
        assert private_metadata(image["data"]) == []
    assert post["link"] is None and GALLERY_URL in post["message"]
