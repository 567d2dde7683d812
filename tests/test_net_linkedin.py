"""LinkedIn through its real client code against the local LinkedIn server."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from fanpage.content.problems import FieldError
from fanpage.crosspost.counting import linkedin_length
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.linkedin import (
    DEFAULT_VERSION,
    TOKEN_VARIABLE,
    LinkedIn,
    commentary,
    last_month,
    seconds_to_midnight_utc,
)
from fanpage.crosspost.options import network_config
from tests.conftest import ROOT
from tests.servers.linkedin import ACTIVE_VERSIONS, TOKEN, LinkedInServer
from tests.servers.photos import ALTS, gallery_draft, gallery_photos, private_metadata

URL = "https://suarasenja.band/news/a-new-song/"
TEXT = (
    "A new song (at last): Senja_Biru, out now! https://suarasenja.band/news/a-new-song/ #dreampop"
)


@pytest.fixture
def server() -> Iterator[LinkedInServer]:
    with LinkedInServer() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "cover.png"
    PILImage.new("RGB", (12, 8), (200, 90, 40)).save(path)
    return path


def network(
    server: LinkedInServer, token: str = TOKEN, timeout: float = 5.0, **options: object
) -> LinkedIn:
    config = network_config(
        "linkedin", {"organization": "5515715", "api_base": server.base_url, **options}
    )
    return LinkedIn(config, {TOKEN_VARIABLE: token}, timeout=timeout)


def make_draft(text: str = TEXT, image: Path | None = None, card: bool = True) -> Draft:
    link = None
    if card:
        picture = Image(image, "Two guitars by a window at dusk") if image else None
        link = LinkCard(URL, "A new song", "Senja Biru, the first single from the album.", picture)
    return Draft(
        network="linkedin",
        keys=("news/a-new-song",),
        text=text,
        length=0,
        limit=3000,
        url=URL,
        lang="en",
        created_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        idempotency_key="news/a-new-song@linkedin",
        card=link,
        hashtags=("dreampop",),
        source="content/news/a-new-song.md:1",
    )


def offline() -> LinkedIn:
    config = network_config("linkedin", {"organization": "5515715"})
    return LinkedIn(config, {TOKEN_VARIABLE: TOKEN}, timeout=5)


def fitted(total: int, start: str) -> str:
    """``start`` padded with words until its LinkedIn commentary is ``total`` long."""
    rules = offline().rules()
    text = start
    while rules.length(text) < total:
        text += " senja" if rules.length(text) + 6 <= total else "x"
    assert rules.length(text) == total
    return text


# -- posting -----------------------------------------------------------------------------------


def test_post_sends_little_text_and_article_card_with_uploaded_thumbnail(
    server: LinkedInServer, png: Path
) -> None:
    posted = network(server).post(make_draft(image=png))

    assert len(server.posts) == 1
    post = server.posts[0]
    assert post["commentary"] == (
        "A new song \\(at last\\): Senja\\_Biru, out now! "
        "https://suarasenja.band/news/a-new-song/ {hashtag|\\#|dreampop}"
    )
    assert post["text"] == TEXT  # what the page shows: nothing cut, nothing escaped
    assert post["hashtags"] == ["dreampop"]
    assert post["cut"] is False
    assert post["card"]["source"] == URL
    assert post["card"]["title"] == "A new song"
    assert post["card"]["description"] == "Senja Biru, the first single from the album."
    assert post["card"]["thumbnail"].startswith("urn:li:image:")
    assert post["image"][:3] == b"\xff\xd8\xff"  # re-encoded as a JPEG without metadata
    assert post["image_type"] == "image/jpeg"
    assert post["alt"] == "Two guitars by a window at dusk"
    assert post["version"] == DEFAULT_VERSION
    body = post["body"]
    assert body["author"] == "urn:li:organization:5515715"
    assert body["visibility"] == "PUBLIC"
    assert body["lifecycleState"] == "PUBLISHED"
    assert body["isReshareDisabledByAuthor"] is False
    assert body["distribution"] == {
        "feedDistribution": "MAIN_FEED",
        "targetEntities": [],
        "thirdPartyDistributionChannels": [],
    }
    assert posted.id == post["id"]
    assert posted.url == f"https://www.linkedin.com/feed/update/{post['id']}/"

    create = server.posts_requests("POST", "/rest/posts")[0]
    assert create.headers["x-restli-protocol-version"] == "2.0.0"
    assert create.headers["linkedin-version"] == DEFAULT_VERSION
    init = server.posts_requests("POST", "/rest/images")[0]
    assert init.query == {"action": ["initializeUpload"]}
    assert init.json() == {"initializeUploadRequest": {"owner": "urn:li:organization:5515715"}}


def test_post_without_card_has_no_content(server: LinkedInServer) -> None:
    network(server).post(make_draft(card=False))
    assert "content" not in server.posts[0]["body"]
    assert not server.posts_requests("POST", "/rest/images")


def test_card_without_image_uploads_nothing(server: LinkedInServer) -> None:
    network(server).post(make_draft())
    assert "thumbnail" not in server.posts[0]["card"]
    assert not server.posts_requests("POST", "/rest/images")


def test_version_option_is_sent(server: LinkedInServer) -> None:
    network(server, version="202601").post(make_draft())
    assert server.posts[0]["version"] == "202601"


def test_default_version_is_served() -> None:
    assert DEFAULT_VERSION in ACTIVE_VERSIONS


# -- counting ----------------------------------------------------------------------------------


def test_commentary_escapes_reserved_characters_and_templates_hashtags() -> None:
    assert commentary("C# is (not) *bold* @me") == "C\\# is \\(not\\) \\*bold\\* \\@me"
    assert commentary("#dreampop #1 #dream_pop") == (
        "{hashtag|\\#|dreampop} \\#1 {hashtag|\\#|dream}\\_pop"
    )
    assert commentary("https://suarasenja.band/#tour") == "https://suarasenja.band/\\#tour"
    assert commentary("a\\b|c{d}e[f]g<h>i~j") == "a\\\\b\\|c\\{d\\}e\\[f\\]g\\<h\\>i\\~j"


def test_text_at_the_limit_is_taken_and_one_more_is_refused(server: LinkedInServer) -> None:
    linkedin = network(server)
    start = f"Lagu baru 🎶 新しい歌 (live) #dreampop {URL}"
    text = fitted(3000, start)
    # The hashtag template and escapes count: counting.linkedin_length would say less.
    assert linkedin_length(text) < 3000
    linkedin.post(make_draft(text))
    assert server.posts[-1]["text"] == text

    with pytest.raises(Rejected) as refused:
        linkedin.post(make_draft(text + "x"))
    assert "3001" in refused.value.message
    # An emoji is two UTF-16 units: one in place of the last letter is over as well.
    with pytest.raises(Rejected):
        linkedin.post(make_draft(text[:-1] + "🎶"))
    assert len(server.posts) == 1


def test_rules_limit_is_3000() -> None:
    rules = offline().rules()
    assert rules.limit == 3000
    assert rules.length("(#dreampop)") == len("\\(\\#dreampop\\)")
    assert rules.length("#dreampop") == len("{hashtag|\\#|dreampop}")


# -- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "maybe_sent", "created"),
    [
        ("unavailable", False, 0),
        ("server_error", True, 0),
        ("accept_then_timeout", True, 1),
        ("accept_then_drop", True, 1),
        ("drop", True, 0),
    ],
)
def test_faults_are_transient(
    server: LinkedInServer, fault: str, maybe_sent: bool, created: int
) -> None:
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        network(server, timeout=0.5).post(make_draft())
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == created
    assert TOKEN not in caught.value.message


def test_daily_throttle_waits_until_midnight_utc(server: LinkedInServer) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network(server).post(make_draft())
    assert caught.value.maybe_sent is False
    assert caught.value.retry_after is not None
    assert abs(caught.value.retry_after - seconds_to_midnight_utc()) < 5
    assert "DAY limit" in caught.value.message
    assert not server.posts


def test_retry_after_header_wins(server: LinkedInServer) -> None:
    server.retry_after_header = "7"
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network(server).post(make_draft())
    assert caught.value.retry_after == 7.0


def test_failed_image_upload_is_never_maybe_sent(server: LinkedInServer, png: Path) -> None:
    server.upload_status = 500
    with pytest.raises(Transient) as caught:
        network(server).post(make_draft(image=png))
    assert caught.value.maybe_sent is False
    assert not server.posts_requests("POST", "/rest/posts")


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        ("expire_tokens", "has expired"),
        ("revoke_tokens", "was revoked"),
        (None, "is not valid"),
    ],
)
def test_token_problems_name_the_variable_and_60_days(
    spoil: str | None, words: str, png: Path
) -> None:
    with LinkedInServer(echo_token=True) as server:
        token = TOKEN
        if spoil:
            getattr(server, spoil)()
        else:
            token = "AQVwrong-token-that-linkedin-never-issued-0123456789"
        with pytest.raises(CredentialsError) as caught:
            network(server, token=token).post(make_draft(image=png))
    error = caught.value
    assert error.variable == TOKEN_VARIABLE
    assert TOKEN_VARIABLE in error.message
    assert words in error.message
    assert "60 days" in error.message
    # The server echoed the token back; the message must not carry it.
    assert token not in error.message
    assert token not in str(error)
    assert "[secret]" in error.message


def test_wrong_organization_is_a_credentials_problem(server: LinkedInServer) -> None:
    config = network_config("linkedin", {"organization": "99", "api_base": server.base_url})
    with pytest.raises(CredentialsError) as caught:
        LinkedIn(config, {TOKEN_VARIABLE: TOKEN}, timeout=5).post(make_draft())
    assert "w_organization_social" in caught.value.message
    assert caught.value.variable == TOKEN_VARIABLE


def test_retired_version_is_rejected_naming_the_option(server: LinkedInServer) -> None:
    with pytest.raises(Rejected) as caught:
        network(server, version="202401").post(make_draft())
    assert 'CROSSPOST["linkedin"]["version"]' in caught.value.message
    assert last_month() in caught.value.message
    assert not server.posts


def test_unreadable_image_is_rejected(server: LinkedInServer, tmp_path: Path) -> None:
    with pytest.raises(Rejected):
        network(server).post(make_draft(image=tmp_path / "missing.png"))


def test_upload_token_only_goes_to_linkedin_hosts(server: LinkedInServer) -> None:
    linkedin = network(server)
    assert linkedin._trusted_upload(f"{server.base_url}/dms-uploads/x")
    official = offline()
    assert official._trusted_upload("https://www.linkedin.com/dms-uploads/C4E/uploaded-image/0")
    assert not official._trusted_upload("https://uploads.example.com/put")
    assert not official._trusted_upload("http://www.linkedin.com/dms-uploads/x")
    assert not official._trusted_upload("https://linkedin.com.evil.example/x")


# -- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({}, '"organization" is required'),
        ({"organization": "urn:li:organization:5515715"}, 'write "5515715"'),
        ({"organization": "suara-senja"}, "page's number"),
        ({"organization": "5515715", "version": "2026-10"}, '"version"'),
        ({"organization": "5515715", "version": "202613"}, '"version"'),
        ({"organization": "5515715", "version": "201912"}, '"version"'),
    ],
)
def test_options_are_checked(options: dict[str, object], words: str) -> None:
    with pytest.raises(FieldError) as caught:
        network_config("linkedin", options)
    assert words in str(caught.value)


def test_numeric_options_are_accepted() -> None:
    config = network_config("linkedin", {"organization": 5515715, "version": 202610})
    assert config.api_base == "https://api.linkedin.com"
    linkedin = LinkedIn(config, {TOKEN_VARIABLE: TOKEN}, 5)
    assert linkedin.author == "urn:li:organization:5515715"
    assert linkedin.version == "202610"


# -- finding an earlier post -------------------------------------------------------------------


def test_find_earlier_finds_the_post_a_timeout_left_behind(server: LinkedInServer) -> None:
    server.add_post("Unrelated news")
    server.inject("accept_then_timeout")
    linkedin = network(server, timeout=0.5)
    with pytest.raises(Transient):
        linkedin.post(make_draft())
    server.add_post("Later news")
    found = linkedin.find_earlier(make_draft())
    assert found is not None
    assert found.id == server.posts[1]["id"]
    assert found.url == f"https://www.linkedin.com/feed/update/{found.id}/"
    listing = server.posts_requests("GET", "/rest/posts")[0]
    assert listing.query["author"] == ["urn:li:organization:5515715"]
    assert listing.query["q"] == ["author"]
    assert listing.query["count"] == ["20"]


def test_find_earlier_reads_urls_in_escaped_commentary(server: LinkedInServer) -> None:
    url = "https://suarasenja.band/news/senja_biru/"
    urn = server.add_post(commentary(f"Out now: {url} #dreampop"))
    found = network(server).find_earlier(replace(make_draft(), url=url))
    assert found is not None and found.id == urn


def test_find_earlier_none_when_absent(server: LinkedInServer) -> None:
    server.add_post("Tour dates", source="https://suarasenja.band/tour/")
    assert network(server).find_earlier(make_draft()) is None


def test_find_earlier_cannot_tell_when_listing_fails(server: LinkedInServer) -> None:
    server.expire_tokens()
    with pytest.raises(CannotTell) as caught:
        network(server).find_earlier(make_draft())
    assert TOKEN not in caught.value.message


# -- secrets and imports -----------------------------------------------------------------------


def test_no_secret_in_logs(
    server: LinkedInServer, png: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    linkedin = network(server)
    linkedin.post(make_draft(image=png))
    server.expire_tokens()
    with pytest.raises(CredentialsError):
        linkedin.post(make_draft())
    assert "/rest/posts" in caplog.text  # urllib3 logged the requests
    assert TOKEN not in caplog.text


def test_checking_options_does_not_load_requests() -> None:
    code = (
        "import sys\n"
        "from fanpage.crosspost.options import network_config\n"
        "network_config('linkedin', {'organization': '5515715'})\n"
        "print('requests' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt(
    server: LinkedInServer, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path, big_first=True)
    assert LinkedIn.takes_images is True
    network(server).post(gallery_draft("linkedin", photos, limit=3000))
    [post] = server.posts
    assert set(post["body"]["content"]) == {"multiImage"}  # images instead of the card
    assert [i["alt"] for i in post["images"]] == list(ALTS)
    for image in post["images"]:
        assert image["content_type"] == "image/jpeg" and len(image["data"]) < 5 * 1024 * 1024
        assert private_metadata(image["data"]) == []


def test_one_photo_is_a_single_image_post_and_a_long_alt_is_clipped_not_dropped(
    server: LinkedInServer, tmp_path: Path
) -> None:
    [photo, *_] = gallery_photos(tmp_path)
    long_alt = replace(photo, alt="word " * 1000)  # 5000 characters: over LinkedIn's 4086
    network(server).post(gallery_draft("linkedin", [long_alt], limit=3000))
    [post] = server.posts
    media = post["body"]["content"]["media"]
    assert media["id"].startswith("urn:li:image:")
    assert len(media["altText"]) <= 4086 and media["altText"].endswith("word…")
