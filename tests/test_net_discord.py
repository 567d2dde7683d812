"""Discord through its real client code against the local webhook server."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from fanpage.crosspost.counting import utf16_length
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.discord import (
    WEBHOOK_VARIABLE,
    Discord,
    embed,
    webhook_url,
    with_query,
)
from fanpage.crosspost.options import network_config
from tests.conftest import ROOT
from tests.servers.discord import (
    CHANNEL_ID,
    GUILD_ID,
    WEBHOOK_ID,
    WEBHOOK_TOKEN,
    DiscordServer,
)
from tests.servers.photos import (
    ALTS,
    gallery_draft,
    gallery_photos,
    jpeg_size,
    private_metadata,
    upright_size,
)

URL = "https://suarasenja.band/news/a-new-song/"
TEXT = "A new song: Senja Biru 🎶 https://suarasenja.band/news/a-new-song/ @everyone #dreampop"
WEBHOOK = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"


@pytest.fixture
def server() -> Iterator[DiscordServer]:
    with DiscordServer() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "cover.png"
    PILImage.new("RGB", (20, 10), (10, 160, 90)).save(path)
    return path


def network(server: DiscordServer, webhook: str = WEBHOOK, timeout: float = 5.0) -> Discord:
    config = network_config("discord", {"api_base": server.base_url})
    return Discord(config, {WEBHOOK_VARIABLE: webhook}, timeout=timeout)


def make_draft(
    text: str = TEXT,
    card_image: Path | None = None,
    images: tuple[Path, ...] = (),
    card: bool = True,
    title: str = "A new song",
    description: str = "Senja Biru, the first single from the album.",
) -> Draft:
    picture = Image(card_image, "Two guitars by a window at dusk") if card_image else None
    return Draft(
        network="discord",
        keys=("news/a-new-song",),
        text=text,
        length=0,
        limit=2000,
        url=URL,
        lang="en",
        created_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        idempotency_key="news/a-new-song@discord",
        card=LinkCard(URL, title, description, picture) if card else None,
        images=tuple(Image(p, f"Photo {n}") for n, p in enumerate(images, start=1)),
        hashtags=("dreampop",),
        source="content/news/a-new-song.md:1",
    )


def secrets_absent(text: str) -> None:
    assert WEBHOOK not in text
    assert WEBHOOK_TOKEN not in text
    assert f"/webhooks/{WEBHOOK_ID}" not in text


# -- posting -----------------------------------------------------------------------------------


def test_message_with_embed_as_json(server: DiscordServer) -> None:
    discord = network(server)
    discord.prepare()
    first = discord.post(make_draft())
    second = discord.post(make_draft("Second"))

    post = server.posts[0]
    assert post["content"] == TEXT
    assert post["embeds"] == [
        {
            "title": "A new song",
            "url": URL,
            "description": "Senja Biru, the first single from the album.",
        }
    ]
    assert post["allowed_mentions"] == {"parse": []}  # "@everyone" in the text pings no one
    assert post["files"] == []
    assert post["wait"] == "true"
    assert first.id == post["id"]
    assert first.url == f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{post['id']}"
    assert first.data == {"channel_id": CHANNEL_ID, "guild_id": GUILD_ID}
    assert second.id == server.posts[1]["id"] != first.id
    # The webhook is read once per run; messages go to the webhook's own path on api_base.
    assert [r.method for r in server.requests] == ["GET", "POST", "POST"]
    assert server.requests[1].path == f"/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
    assert server.requests[1].headers["content-type"] == "application/json"


def test_card_image_and_images_go_as_files_with_alt(
    server: DiscordServer, png: Path, tmp_path: Path
) -> None:
    other = tmp_path / "band.png"
    PILImage.new("RGB", (4, 4), (255, 255, 255)).save(other)
    network(server).post(make_draft(card_image=png))
    network(server).post(make_draft(card_image=png, images=(png, other), text="Second"))

    alone, with_images = server.posts
    assert server.requests[-1].headers["content-type"].startswith("multipart/form-data")
    # Without images the card's picture is the embed's, sent as a clean JPEG with its alt.
    assert alone["embeds"][0]["image"] == {"url": "attachment://card.jpg"}
    [card_file] = alone["files"]
    assert card_file["field"] == "files[0]" and card_file["filename"] == "card.jpg"
    assert card_file["data"][:3] == b"\xff\xd8\xff"
    assert card_file["content_type"] == "image/jpeg"
    assert card_file["description"] == "Two guitars by a window at dusk"
    # With images (a gallery) they are the files, each with its alt; the embed has no picture.
    assert "image" not in with_images["embeds"][0]
    assert with_images["embeds"][0]["title"] == "A new song"
    files = with_images["files"]
    assert [f["field"] for f in files] == ["files[0]", "files[1]"]
    assert [f["filename"] for f in files] == ["image1.jpg", "image2.jpg"]
    assert [f["description"] for f in files] == ["Photo 1", "Photo 2"]
    with PILImage.open(io.BytesIO(files[1]["data"])) as opened:
        assert (opened.format, opened.size) == ("JPEG", (4, 4))


def test_no_card_no_embed(server: DiscordServer) -> None:
    network(server).post(make_draft(card=False))
    assert server.posts[0]["embeds"] == []


def test_long_card_is_shortened_to_discords_limits(server: DiscordServer) -> None:
    title = "Senja " * 60
    description = "Biru 🎶 " * 1000
    network(server).post(make_draft(title=title, description=description))
    sent = server.posts[0]["embeds"][0]
    assert 200 < utf16_length(sent["title"]) <= 256
    assert sent["title"].endswith("…")
    assert utf16_length(sent["description"]) <= 4096
    assert utf16_length(sent["title"]) + utf16_length(sent["description"]) <= 6000


def test_embed_room_is_shared_within_6000() -> None:
    card = LinkCard(URL, "t" * 256, "d" * 9000)
    built = embed(card, None)
    assert len(built["title"]) == 256
    assert len(built["description"]) <= 4096


# -- limits ------------------------------------------------------------------------------------


def test_content_at_the_limit_is_taken_and_one_more_is_refused(server: DiscordServer) -> None:
    discord = network(server)
    rules = discord.rules()
    assert rules.limit == 2000
    text = f"Lagu baru 🎶 新しい歌 {URL} "
    while rules.length(text) < 2000:
        text += "🌅" if rules.length(text) + 2 <= 2000 else "a"
    assert rules.length(text) == 2000
    discord.post(make_draft(text))
    assert server.posts[-1]["content"] == text

    with pytest.raises(Rejected) as refused:
        discord.post(make_draft(text + "a"))
    assert "Must be 2000 or fewer in length." in refused.value.message
    with pytest.raises(Rejected):
        discord.post(make_draft(text[:-1] + "🌅"))
    assert len(server.posts) == 1


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
    server: DiscordServer, fault: str, maybe_sent: bool, created: int, png: Path
) -> None:
    discord = network(server, timeout=0.5)
    discord.prepare()
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        discord.post(make_draft(card_image=png))
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == created
    secrets_absent(caught.value.message)


def test_rate_limit_uses_the_precise_retry_after(server: DiscordServer) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network(server).post(make_draft())
    assert caught.value.retry_after == 1.5  # the body's; Retry-After says 2
    assert caught.value.maybe_sent is False
    assert server.requests[-1].method == "POST"


def test_wrong_token_is_a_credentials_error_without_the_url() -> None:
    wrong = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/wrong-token-wrong-token-wrong-token"
    with DiscordServer(echo_token=True) as server, pytest.raises(CredentialsError) as caught:
        network(server, webhook=wrong).prepare()
    error = caught.value
    assert error.variable == WEBHOOK_VARIABLE
    assert "Invalid Webhook Token" in error.message
    assert WEBHOOK_VARIABLE in error.message
    assert "wrong-token-wrong-token-wrong-token" not in error.message
    assert wrong not in str(error)
    assert not server.posts


def test_deleted_webhook_is_a_credentials_error_without_the_url() -> None:
    with DiscordServer(echo_token=True) as server:
        discord = network(server)
        discord.prepare()
        server.expire_tokens()  # the webhook was deleted
        with pytest.raises(CredentialsError) as caught:
            discord.post(make_draft())
    error = caught.value
    assert error.variable == WEBHOOK_VARIABLE
    assert "Unknown Webhook" in error.message
    assert "create a new one" in error.message
    secrets_absent(error.message)
    secrets_absent(str(error))
    assert "[secret]" in error.message  # the server echoed the path, and it was taken out


def test_not_a_webhook_url_is_refused_without_echoing_it(server: DiscordServer) -> None:
    secret = "https://discord.com/channels/123/456?token=hunter2hunter2"
    with pytest.raises(CredentialsError) as caught:
        network(server, webhook=secret).post(make_draft())
    assert caught.value.variable == WEBHOOK_VARIABLE
    assert "hunter2hunter2" not in caught.value.message
    assert not server.requests


def test_empty_message_is_rejected(server: DiscordServer) -> None:
    with pytest.raises(Rejected) as refused:
        network(server).post(make_draft("", card=False))
    assert "empty message" in refused.value.message


def test_cannot_find_earlier(server: DiscordServer) -> None:
    assert Discord.can_find_earlier is False
    assert Discord.idempotent is False
    with pytest.raises(CannotTell):
        network(server).find_earlier(make_draft())


# -- the webhook URL ---------------------------------------------------------------------------


def test_api_base_replaces_scheme_and_host_only() -> None:
    assert webhook_url(WEBHOOK, "https://discord.com", "https://discord.com") == WEBHOOK
    canary = f"https://canary.discord.com/api/v10/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
    assert webhook_url(canary, "https://discord.com", "https://discord.com") == canary
    assert webhook_url(WEBHOOK, "http://127.0.0.1:8080", "https://discord.com") == (
        f"http://127.0.0.1:8080/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
    )
    threaded = WEBHOOK + "?thread_id=42"
    assert webhook_url(threaded, "http://127.0.0.1:1", "https://discord.com").endswith(
        "?thread_id=42"
    )
    assert with_query(threaded, wait="true") == WEBHOOK + "?thread_id=42&wait=true"


def test_thread_id_is_kept(server: DiscordServer) -> None:
    network(server, webhook=WEBHOOK + "?thread_id=42").post(make_draft())
    assert server.requests[-1].query == {"thread_id": ["42"], "wait": ["true"]}


def test_options_take_nothing_beyond_the_common_ones() -> None:
    config = network_config("discord", {})
    assert config.api_base == "https://discord.com"
    with pytest.raises(Exception, match="unknown option"):
        network_config("discord", {"channel": "news"})


# -- secrets and imports -----------------------------------------------------------------------


def test_webhook_never_in_logs(
    server: DiscordServer, png: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    discord = network(server)
    discord.prepare()
    discord.post(make_draft(card_image=png))
    server.expire_tokens()
    with pytest.raises(PostError):
        discord.post(make_draft())
    assert "POST" in caplog.text  # urllib3 logged the request lines
    assert "[secret]" in caplog.text
    secrets_absent(caplog.text)


def test_webhook_answer_token_is_not_kept(server: DiscordServer) -> None:
    discord = network(server)
    discord.prepare()
    assert WEBHOOK_TOKEN not in json.dumps(discord._webhook)


def test_checking_options_does_not_load_requests() -> None:
    code = (
        "import sys\n"
        "from fanpage.crosspost.options import network_config\n"
        "network_config('discord', {})\n"
        "print('requests' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt(
    server: DiscordServer, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    network(server).post(gallery_draft("discord", photos, limit=2000))
    [post] = server.posts
    assert [f["description"] for f in post["files"]] == list(ALTS)
    assert "image" not in post["embeds"][0]  # the photos are the pictures
    for received, photo in zip(post["files"], photos, strict=True):
        assert len(received["data"]) <= 10 * 1024 * 1024
        assert private_metadata(received["data"]) == []
        assert jpeg_size(received["data"]) == upright_size(photo)
