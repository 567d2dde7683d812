"""X through tweepy, against the local X server (tests/servers/x.py): OAuth 1.0a signatures
checked for the original X URL, twitter-text counting by the server's own code, v1.1 media
upload with alt text, duplicate refusals, faults, and no secret in any message or log."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from requests_oauthlib import OAuth1

from fanpage.content.problems import FieldError
from fanpage.crosspost.counting import x_length
from fanpage.crosspost.network import (
    AlreadyPosted,
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.x import X, is_x_itself, repoint, tweet_links_to
from fanpage.crosspost.options import network_config
from tests.conftest import ROOT
from tests.servers.photos import ALTS, gallery_draft, gallery_photos, private_metadata
from tests.servers.x import XServer, weighted_length

URL = "https://suarasenja.band/news/a-new-song/"
VARIABLES = (
    "FANPAGE_X_API_KEY",
    "FANPAGE_X_API_SECRET",
    "FANPAGE_X_ACCESS_TOKEN",
    "FANPAGE_X_ACCESS_TOKEN_SECRET",
)


# -- helpers ---------------------------------------------------------------------------------


def make_draft(
    text: str | None = None,
    *,
    url: str = URL,
    images: tuple[Image, ...] = (),
    card: LinkCard | None = None,
    lang: str = "en",
) -> Draft:
    text = f"A new song: Senja di Jakarta {url} #dreampop" if text is None else text
    return Draft(
        network="x",
        keys=("news/a-new-song",),
        text=text,
        length=x_length(text),
        limit=280,
        url=url,
        lang=lang,
        created_at=datetime(2026, 11, 20, 12, 0, tzinfo=timezone(timedelta(hours=7))),
        idempotency_key="x:news/a-new-song",
        card=card,
        images=images,
        hashtags=("dreampop",),
        source="content/news/a-new-song.md:1",
    )


def png(folder: Path, name: str, size: tuple[int, int] = (64, 48)) -> Path:
    path = folder / name
    PILImage.new("RGB", size, (200, 80, 40)).save(path, "PNG")
    return path


def make_x(server: XServer, timeout: float = 5.0, **secrets: str) -> X:
    values = server.secrets()
    values.update(secrets)
    return X(network_config("x", {"api_base": server.base_url}), values, timeout)


def fill(prefix: str, filler: str, target: int) -> str:
    """``prefix`` plus ``filler`` repeated, topped up with "a", weighing exactly ``target``."""
    text = prefix
    while x_length(text + filler) <= target:
        text += filler
    while x_length(text) < target:
        text += "a"
    assert x_length(text) == target
    return text


def assert_no_secret(text: str, server: XServer) -> None:
    for value in server.secrets().values():
        assert value not in text


@pytest.fixture
def server() -> Iterator[XServer]:
    with XServer() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def x(server: XServer) -> Iterator[X]:
    network = make_x(server)
    yield network
    network.close()


# -- posting ---------------------------------------------------------------------------------


def test_post_sends_text_and_images_with_alt_but_not_the_card(
    server: XServer, x: X, tmp_path: Path
) -> None:
    card = LinkCard(URL, "A new song", "Our new single", Image(png(tmp_path, "card.png"), "Cover"))
    images = (
        Image(png(tmp_path, "stage.png", (120, 90)), "The band on stage in Jakarta"),
        Image(png(tmp_path, "cover.png"), "Cover art: a sunset over the sea"),
    )
    draft = make_draft(images=images, card=card, lang="id")
    x.prepare()
    posted = x.post(draft)

    [post] = server.posts
    assert post["text"] == draft.text
    assert [m["alt"] for m in post["media"]] == [
        "The band on stage in Jakarta",
        "Cover art: a sunset over the sea",
    ]
    assert [(m["width"], m["height"], m["type"]) for m in post["media"]] == [
        (120, 90, "image/jpeg"),  # re-encoded: upright, no metadata
        (64, 48, "image/jpeg"),
    ]
    assert {m["media_category"] for m in post["media"]} == {"tweet_image"}
    assert len(server.media) == 2  # X builds the card from the page's tags: no card image
    assert set(post["body"]) == {"text", "media"}  # no language or card field exists in v2
    assert posted.id == post["id"]
    assert posted.url == f"https://x.com/suarasenja/status/{post['id']}"
    signed = [r for r in server.requests if r.headers.get("authorization", "").startswith("OAuth")]
    assert len(signed) == len(server.requests) == 6  # me, 2 uploads, 2 alt texts, the tweet


def test_a_text_only_post_sends_only_the_text(server: XServer, x: X) -> None:
    posted = x.post(make_draft())
    [post] = server.posts
    assert post["body"] == {"text": make_draft().text}
    assert post["media"] == []
    assert posted.url == f"https://x.com/suarasenja/status/{posted.id}"


def test_the_username_is_asked_once_per_run(server: XServer, x: X) -> None:
    x.prepare()
    first = x.post(make_draft("First news https://suarasenja.band/news/one/"))
    second = x.post(make_draft("Second news https://suarasenja.band/news/two/"))
    assert first.id != second.id
    assert len(server.posts_requests("GET", "/2/users/me")) == 1


def test_more_than_four_images_attaches_the_first_four(
    server: XServer, x: X, tmp_path: Path
) -> None:
    images = tuple(Image(png(tmp_path, f"{n}.png"), f"Photo {n}") for n in range(5))
    x.post(make_draft(images=images))
    assert [m["alt"] for m in server.posts[0]["media"]] == [f"Photo {n}" for n in range(4)]


def test_alt_text_is_cut_to_what_x_keeps(server: XServer, x: X, tmp_path: Path) -> None:
    x.post(make_draft(images=(Image(png(tmp_path, "a.png"), "word " * 300),)))
    assert len(server.posts[0]["media"][0]["alt"]) == 1000


def test_an_unreadable_image_is_rejected_before_anything_is_sent(
    server: XServer, x: X, tmp_path: Path
) -> None:
    with pytest.raises(Rejected, match=r"missing\.png: no such file"):
        x.post(make_draft(images=(Image(tmp_path / "missing.png", "gone"),)))
    assert server.posts == []


# -- counting: the server's twitter-text against rules() ---------------------------------------


@pytest.mark.parametrize(
    "prefix, filler",
    [
        (f"Lagu baru! {URL} ", "a"),
        (f"新曲「夕暮れ」 {URL} ", "夕"),
        (f"🎸👨‍👩‍👧 🇮🇩 1️⃣ {URL} ", "🎶"),
        (f"Tour: suarasenja.band/tour and {URL} “quoted” – ", "é"),
    ],
    ids=["latin", "cjk", "emoji", "bare-url-and-punctuation"],
)
def test_exactly_the_limit_is_accepted_and_one_more_refused(
    server: XServer, x: X, prefix: str, filler: str
) -> None:
    at_limit = fill(prefix, filler, 280)
    assert x.rules().count(at_limit) == 280 and x.rules().limit == 280
    x.post(make_draft(at_limit))
    assert server.posts[-1]["text"] == at_limit

    over = at_limit + "a"
    assert x.rules().count(over) == 281
    with pytest.raises(Rejected, match="too long"):
        x.post(make_draft(over))
    assert len(server.posts) == 1


def test_too_long_refused_with_a_403_is_rejected_too(server: XServer, x: X) -> None:
    server.too_long_status = 403
    with pytest.raises(Rejected, match="too long") as caught:
        x.post(make_draft(fill(f"{URL} ", "夕", 281)))
    assert "403" in caught.value.message
    assert server.posts == []


def test_the_server_counts_twitter_text_v3() -> None:
    """The server's own counter on cases from twitter-text's rules (not fanpage's code)."""
    assert weighted_length("🙋🏽👨‍🎤") == 4  # a modifier sequence and a ZWJ sequence
    assert weighted_length("1⃣") == 2
    assert weighted_length("🏴󠁧󠁢󠁥󠁮󠁧󠁿") == 2  # a tag sequence flag
    assert weighted_length("©") == 1 and weighted_length("©️") == 2  # only with VS16
    assert weighted_length("日本語") == 6
    assert weighted_length("‘’“”–—…") == 8  # U+2026 is past the light U+2010-U+201F
    assert weighted_length(f"see {URL}.") == 4 + 23 + 1  # trailing period is not the URL's
    assert weighted_length("see suarasenja.band/news") == 4 + 23  # no scheme: still a URL
    assert weighted_length("例example.com例") == 2 + 23 + 2  # a URL without spaces around
    assert weighted_length("see http://localhost/x") == len("see http://localhost/x")
    assert weighted_length("$suarasenja.band #suarasenja.band") == 33  # cashtag, hashtag
    assert weighted_length("e\u0301") == 1  # NFC: é


_WORDS = st.sampled_from(
    [
        "Senja",
        "lagu",
        "baru",
        "café",
        "naïve",
        "新曲",
        "夕暮れ",
        "노래",
        "🎸",
        "👨‍👩‍👧",
        "👍🏽",
        "🇮🇩",
        "1️⃣",
        "❤️",
        "—",
        "“Senja”",
        "#dreampop",
        "@suarasenja",
        URL,
        "https://suarasenja.band/tour/2026/?city=jakarta",
        "suarasenja.band/tour",
    ]
)
_GLUE = st.sampled_from([" ", "\n", ". ", ", ", "! ", ": ", " — "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_WORDS, _GLUE), min_size=1, max_size=40))
def test_rules_count_posts_as_the_server_counts_them(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + glue for word, glue in pieces).strip()
    assert x_length(text) == weighted_length(text)


# -- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault, maybe_sent, posted",
    [
        ("unavailable", False, False),
        ("server_error", True, False),
        ("drop", True, False),
        ("accept_then_drop", True, True),
        ("accept_then_timeout", True, True),
    ],
)
def test_faults_are_transient_and_say_whether_the_post_may_be_out(
    server: XServer, fault: str, maybe_sent: bool, posted: bool
) -> None:
    network = make_x(server, timeout=0.5)
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        network.post(make_draft())
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == (1 if posted else 0)
    if fault == "accept_then_timeout":  # tweepy's Client has no timeout: the adapter's counts
        assert "no answer in time" in caught.value.message
    assert_no_secret(caught.value.message, server)
    network.close()


def test_rate_limit_says_when_to_retry(server: XServer, x: X) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        x.post(make_draft())
    assert caught.value.maybe_sent is False
    assert caught.value.retry_after is not None
    assert server.window_reset_in - 2 <= caught.value.retry_after <= server.window_reset_in
    assert server.posts == []


def test_a_used_up_window_is_a_429_with_the_reset_time(server: XServer, x: X) -> None:
    server.window_remaining = 1
    server.window_reset_in = 42
    x.post(make_draft("One https://suarasenja.band/news/one/"))
    with pytest.raises(Transient) as caught:
        x.post(make_draft("Two https://suarasenja.band/news/two/"))
    assert caught.value.retry_after is not None and 40 <= caught.value.retry_after <= 42
    assert len(server.posts) == 1


@pytest.mark.parametrize("with_image", [False, True], ids=["tweet", "upload"])
def test_an_unreachable_api_is_transient_and_not_sent(tmp_path: Path, with_image: bool) -> None:
    with XServer() as stopped:
        config = network_config("x", {"api_base": stopped.base_url})
        secrets = stopped.secrets()
    network = X(config, secrets, timeout=2.0)
    images = (Image(png(tmp_path, "a.png"), "alt"),) if with_image else ()
    with pytest.raises(Transient, match="cannot connect") as caught:
        network.post(make_draft(images=images))
    assert caught.value.maybe_sent is False
    assert ("uploading an image" in caught.value.message) is with_image


# -- duplicates and earlier posts ------------------------------------------------------------


def test_a_retry_after_a_timeout_is_already_posted_with_the_earlier_tweet(server: XServer) -> None:
    network = make_x(server, timeout=0.5)
    server.inject("accept_then_timeout")
    with pytest.raises(Transient) as first:
        network.post(make_draft())
    assert first.value.maybe_sent
    with pytest.raises(AlreadyPosted) as again:
        network.post(make_draft())
    [post] = server.posts
    assert again.value.posted is not None
    assert again.value.posted.id == post["id"]
    assert again.value.posted.url == f"https://x.com/suarasenja/status/{post['id']}"
    assert X.idempotent and X.can_find_earlier
    network.close()


def test_a_duplicate_whose_earlier_tweet_cannot_be_listed_is_already_posted_without_it(
    server: XServer, x: X
) -> None:
    x.post(make_draft())
    server.timeline_forbidden = True  # an API tier that cannot read timelines
    with pytest.raises(AlreadyPosted) as caught:
        x.post(make_draft())
    assert caught.value.posted is None
    assert len(server.posts) == 1


def test_find_earlier_finds_the_post_behind_its_tco_link(server: XServer, x: X) -> None:
    posted = x.post(make_draft())
    server.add_tweet("Something else entirely https://suarasenja.band/tour/")
    assert URL not in server.posts[0]["returned_text"]  # X shows t.co links only
    found = x.find_earlier(make_draft())
    assert found is not None
    assert (found.id, found.url) == (posted.id, posted.url)


def test_find_earlier_ignores_a_final_slash(server: XServer, x: X) -> None:
    tweet = server.add_tweet("Posted by hand: https://suarasenja.band/news/a-new-song")
    found = x.find_earlier(make_draft())
    assert found is not None and found.id == tweet["id"]


def test_find_earlier_returns_none_when_absent(server: XServer, x: X) -> None:
    server.add_tweet("An older announcement https://suarasenja.band/news/old-song/")
    server.add_tweet("No link at all")
    assert x.find_earlier(make_draft()) is None
    [listing] = server.posts_requests("GET", "/tweets")
    assert listing.query["tweet.fields"] == ["entities"]


def test_find_earlier_cannot_tell_when_the_listing_fails(server: XServer, x: X) -> None:
    server.timeline_forbidden = True
    with pytest.raises(CannotTell):
        x.find_earlier(make_draft())


def test_tweet_links_to_compares_expanded_urls() -> None:
    tweet = {
        "text": "New https://t.co/abc",
        "entities": {
            "urls": [{"url": "https://t.co/abc", "expanded_url": URL.upper()[:8] + URL[8:]}]
        },
    }
    assert tweet_links_to(tweet, URL)
    assert not tweet_links_to(tweet, "https://suarasenja.band/news/another/")
    assert not tweet_links_to({"text": "New https://t.co/abc"}, URL)


# -- credentials and secrets -----------------------------------------------------------------


@pytest.mark.parametrize("variable", VARIABLES)
def test_a_wrong_credential_names_the_access_token_and_all_four(
    server: XServer, variable: str
) -> None:
    wrong = server.secrets()[variable][:-4] + "XXXX"
    network = make_x(server, **{variable: wrong})
    with pytest.raises(CredentialsError) as caught:
        network.prepare()
    assert caught.value.variable == "FANPAGE_X_ACCESS_TOKEN"
    for name in VARIABLES:
        assert name in caught.value.message
    assert_no_secret(caught.value.message, server)
    assert wrong not in caught.value.message


def test_revoked_tokens_are_credentials_errors_on_every_endpoint(
    server: XServer, x: X, tmp_path: Path
) -> None:
    server.expire_tokens()
    with pytest.raises(CredentialsError) as on_tweets:
        x.post(make_draft())
    with pytest.raises(CredentialsError) as on_upload:
        x.post(make_draft(images=(Image(png(tmp_path, "a.png"), "alt"),)))
    assert on_upload.value.variable == on_tweets.value.variable == "FANPAGE_X_ACCESS_TOKEN"
    assert "Invalid or expired token" in on_upload.value.message  # v1.1's own words
    assert server.posts == []


def test_a_read_only_app_is_a_credentials_error(server: XServer, x: X) -> None:
    server.read_only_app = True
    with pytest.raises(CredentialsError, match="Read and Write") as caught:
        x.post(make_draft())
    assert caught.value.variable == "FANPAGE_X_ACCESS_TOKEN"


def test_a_token_echoed_in_an_error_body_is_redacted(server: XServer) -> None:
    server.echo_auth = True
    network = make_x(server, FANPAGE_X_ACCESS_TOKEN_SECRET="not-the-right-secret-at-all")
    with pytest.raises(CredentialsError) as caught:
        network.post(make_draft())
    assert "oauth_token" in caught.value.message  # the body did echo the header
    assert_no_secret(caught.value.message, server)


def test_nothing_logged_holds_a_secret(
    server: XServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    network = make_x(server)
    network.prepare()
    network.post(make_draft(images=(Image(png(tmp_path, "a.png"), "alt"),)))
    with pytest.raises(AlreadyPosted):
        network.post(make_draft())
    assert any(r.name.startswith(("oauthlib", "requests_oauthlib")) for r in caplog.records)
    assert "[secret]" in caplog.text  # the access token was in the signing logs, masked
    assert_no_secret(caplog.text, server)


def test_a_signature_made_for_another_url_is_refused(server: XServer) -> None:
    """The server checks signatures against X's own https URL, as the adapter keeps them."""
    auth = OAuth1(
        server.consumer_key,
        client_secret=server.consumer_secret,
        resource_owner_key=server.access_token,
        resource_owner_secret=server.token_secret,
    )

    def send(signed_for: str, sent_to: str) -> int:
        request = requests.Request("GET", signed_for, auth=auth).prepare()
        request.url = sent_to
        with requests.Session() as session:
            return session.send(request, timeout=5).status_code

    me = "/2/users/me?user.fields=id"
    assert send(f"https://api.twitter.com{me}", server.base_url + me) == 200
    assert send(f"https://api.x.com{me}", server.base_url + me) == 200
    assert send(server.base_url + me, server.base_url + me) == 401
    assert send(f"https://api.x.com{me}", server.base_url + "/2/users/me?user.fields=name") == 401


# -- configuration and plumbing --------------------------------------------------------------


def test_options_and_defaults() -> None:
    config = network_config("x", {})
    assert config.api_base == "https://api.x.com" == X.default_api_base
    assert X.secrets == VARIABLES
    with pytest.raises(FieldError, match="unknown option"):
        network_config("x", {"instance": "https://x.com"})


def test_repoint_keeps_path_and_query_and_leaves_other_hosts() -> None:
    base = "http://127.0.0.1:8123"
    assert (
        repoint("https://api.twitter.com/2/users/1/tweets?max_results=100", base)
        == "http://127.0.0.1:8123/2/users/1/tweets?max_results=100"
    )
    assert (
        repoint("https://upload.twitter.com/1.1/media/upload.json", base + "/x/")
        == "http://127.0.0.1:8123/x/1.1/media/upload.json"
    )
    assert repoint("https://api.x.com/2/tweets", base) == base + "/2/tweets"
    assert repoint("https://example.com/2/tweets", base) == "https://example.com/2/tweets"
    assert is_x_itself("https://api.x.com") and is_x_itself("https://api.twitter.com/")
    assert not is_x_itself(base) and not is_x_itself("https://proxy.example/x")


def test_importing_the_module_does_not_load_tweepy() -> None:
    code = (
        "import sys, fanpage.crosspost.networks.x as m; "
        "assert 'tweepy' not in sys.modules and 'requests' not in sys.modules, m"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_module_never_waits_on_its_own(server: XServer) -> None:
    """tweepy's rate-limit sleeping is off: a 429 comes back at once, for the runner."""
    network = make_x(server)
    server.window_remaining = 0
    server.window_reset_in = 600
    started = time.monotonic()
    with pytest.raises(Transient):
        network.post(make_draft())
    assert time.monotonic() - started < 5
    assert len(server.posts_requests("POST", "/2/tweets")) == 1


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt(
    server: XServer, x: X, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path, big_first=True)
    assert photos[0].path.stat().st_size > 5 * 1024 * 1024  # over X's limit as it is
    x.post(gallery_draft("x", photos, limit=280))
    [post] = server.posts
    assert [m["alt"] for m in post["media"]] == list(ALTS)
    for media in post["media"]:
        assert media["type"] == "image/jpeg" and media["size"] <= 5 * 1024 * 1024
        assert private_metadata(media["data"]) == []
    assert (post["media"][0]["width"], post["media"][0]["height"]) == (2000, 3000)  # upright
