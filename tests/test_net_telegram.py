"""Telegram through its real client code against the local Bot API server."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from fanpage.content.problems import FieldError
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.telegram import TOKEN_VARIABLE, Telegram, message_url
from fanpage.crosspost.options import network_config
from tests.conftest import ROOT
from tests.servers.photos import (
    GALLERY_TEXT,
    gallery_draft,
    gallery_photos,
    jpeg_size,
    private_metadata,
    upright_size,
    write_photo,
)
from tests.servers.telegram import CHANNEL_ID, TOKEN, TelegramServer

URL = "https://suarasenja.band/news/a-new-song/"
TEXT = "A new song: Senja Biru 🎶 https://suarasenja.band/news/a-new-song/ #dreampop"


@pytest.fixture
def server() -> Iterator[TelegramServer]:
    with TelegramServer() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "cover.png"
    PILImage.new("RGB", (16, 9), (30, 60, 200)).save(path)
    return path


def network(
    server: TelegramServer,
    token: str = TOKEN,
    chat: object = "@suarasenja",
    timeout: float = 5.0,
) -> Telegram:
    config = network_config("telegram", {"chat": chat, "api_base": server.base_url})
    return Telegram(config, {TOKEN_VARIABLE: token}, timeout=timeout)


def make_draft(text: str = TEXT, image: Path | None = None) -> Draft:
    images = (Image(image, "Two guitars by a window at dusk"),) if image else ()
    return Draft(
        network="telegram",
        keys=("news/a-new-song",),
        text=text,
        length=0,
        limit=4096,
        url=URL,
        lang="id",
        created_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        idempotency_key="news/a-new-song@telegram",
        images=images,
        hashtags=("dreampop",),
        source="content/news/a-new-song.md:1",
    )


def fitted(total: int) -> str:
    """A text of exactly ``total`` UTF-16 units with a URL, emoji and CJK in it."""
    rules = network_offline().rules()
    text = f"Lagu baru 🎶 新しい歌 {URL} "
    while rules.length(text) < total:
        text += "🌅" if rules.length(text) + 2 <= total else "a"
    assert rules.length(text) == total
    return text


def network_offline() -> Telegram:
    return Telegram(network_config("telegram", {"chat": "@suarasenja"}), {TOKEN_VARIABLE: TOKEN}, 5)


# -- posting -----------------------------------------------------------------------------------


def test_message_with_link_preview(server: TelegramServer) -> None:
    telegram = network(server)
    telegram.prepare()
    posted = telegram.post(make_draft())

    assert [r.path.rsplit("/", 1)[1] for r in server.requests] == ["getMe", "sendMessage"]
    post = server.posts[0]
    assert post["method"] == "sendMessage"
    assert post["chat_id"] == "@suarasenja"
    assert post["text"] == TEXT
    assert post["link_preview_options"] == {"url": URL, "prefer_large_media": True}
    assert posted.id == str(post["message_id"])
    assert posted.url == f"https://t.me/suarasenja/{post['message_id']}"
    assert posted.data == {"chat_id": CHANNEL_ID}


def test_photo_with_caption(server: TelegramServer, png: Path) -> None:
    posted = network(server).post(make_draft(image=png))
    post = server.posts[0]
    assert post["method"] == "sendPhoto"
    assert post["caption"] == TEXT
    assert post["image"][:3] == b"\xff\xd8\xff"  # re-encoded as a JPEG without metadata
    assert post["image_type"] == "image/jpeg"
    assert post["filename"] == "cover.jpg"
    assert posted.url == f"https://t.me/suarasenja/{post['message_id']}"


def test_private_channel_link(png: Path) -> None:
    with TelegramServer(username=None) as server:
        posted = network(server, chat=CHANNEL_ID).post(make_draft())
    assert server.posts[0]["chat_id"] == CHANNEL_ID
    assert posted.url == f"https://t.me/c/1234567890/{posted.id}"


def test_message_url_forms() -> None:
    assert message_url({"id": -100777, "username": "band"}, 5) == "https://t.me/band/5"
    assert message_url({"id": -1009876543210}, 5) == "https://t.me/c/9876543210/5"
    assert message_url({"id": -4242}, 5) is None


# -- limits ------------------------------------------------------------------------------------


def test_rules_tell_the_composer_about_captions() -> None:
    telegram = network_offline()
    assert telegram.rules().limit == 4096
    assert telegram.rules(with_images=True).limit == 1024
    assert Telegram.caption_limit == 1024
    assert telegram.rules().length("🎶") == 2  # UTF-16 units


def test_message_at_the_limit_is_taken_and_one_more_is_refused(server: TelegramServer) -> None:
    telegram = network(server)
    text = fitted(4096)
    telegram.post(make_draft(text))
    assert server.posts[-1]["text"] == text
    with pytest.raises(Rejected) as refused:
        telegram.post(make_draft(text + "a"))
    assert "message is too long" in refused.value.message
    with pytest.raises(Rejected):
        telegram.post(make_draft(text[:-1] + "🌅"))
    assert len(server.posts) == 1


def test_caption_at_the_limit_is_a_photo(server: TelegramServer, png: Path) -> None:
    text = fitted(1024)
    network(server).post(make_draft(text, image=png))
    assert server.posts[-1]["method"] == "sendPhoto"
    assert server.posts[-1]["caption"] == text


def test_text_too_long_for_a_caption_goes_as_a_message(
    server: TelegramServer, png: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="fanpage.crosspost.networks.telegram")
    text = fitted(1025)
    network(server).post(make_draft(text, image=png))
    assert server.posts[-1]["method"] == "sendMessage"
    assert server.posts[-1]["text"] == text
    assert "longer than a photo caption" in caplog.text


def test_server_refuses_a_long_caption(server: TelegramServer, png: Path) -> None:
    telegram = network(server)
    with pytest.raises(Rejected) as refused:
        telegram._call(
            "sendPhoto",
            data={"chat_id": "@suarasenja", "caption": fitted(1025)},
            files={"photo": ("cover.png", png.read_bytes(), "image/png")},
        )
    assert "caption is too long" in refused.value.message
    assert not server.posts


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
    server: TelegramServer, fault: str, maybe_sent: bool, created: int
) -> None:
    server.inject(fault)
    with pytest.raises(Transient) as caught:
        network(server, timeout=0.5).post(make_draft())
    assert caught.value.maybe_sent is maybe_sent
    assert len(server.posts) == created
    assert TOKEN not in caught.value.message
    assert "/bot" not in caught.value.message


def test_rate_limit_retry_after_from_the_body(server: TelegramServer) -> None:
    server.inject("rate_limit")
    with pytest.raises(Transient) as caught:
        network(server).post(make_draft())
    assert caught.value.retry_after == 3.0
    assert caught.value.maybe_sent is False
    assert "retry after 3" in caught.value.message


@pytest.mark.parametrize(
    "token",
    [
        "7012345678:AAwrongwrongwrongwrongwrongwrongwrong",  # 401 Unauthorized
        "7012345678:short",  # 404 Not Found (the server cannot even parse it)
    ],
)
def test_wrong_token_is_a_credentials_error(token: str) -> None:
    with TelegramServer(echo_token=True) as server:
        telegram = network(server, token=token)
        with pytest.raises(CredentialsError) as caught:
            telegram.prepare()
        with pytest.raises(CredentialsError) as again:
            telegram.post(make_draft())
    for error in (caught.value, again.value):
        assert error.variable == TOKEN_VARIABLE
        assert "@BotFather" in error.message
        assert token not in error.message
        assert token not in str(error)
    assert not server.posts


def test_revoked_token(server: TelegramServer) -> None:
    server.expire_tokens()
    with pytest.raises(CredentialsError) as caught:
        network(server).post(make_draft())
    assert "Unauthorized" in caught.value.message


def test_echoed_token_is_redacted() -> None:
    with TelegramServer(echo_token=True) as server:
        server.expire_tokens()
        with pytest.raises(CredentialsError) as caught:
            network(server).post(make_draft())
        server.tokens_expired = False
        server.inject("rate_limit")
        with pytest.raises(Transient) as limited:
            network(server).post(make_draft())
    for error in (caught.value, limited.value):
        assert TOKEN not in error.message
        assert "[secret]" in error.message  # the server did echo it


def test_token_that_is_not_a_token_never_leaves(server: TelegramServer) -> None:
    with pytest.raises(CredentialsError) as caught:
        network(server, token="https://api.telegram.org/bot123:abc/").post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "does not look like a bot token" in caught.value.message
    assert not server.requests


def test_bot_not_admin_says_to_add_it(server: TelegramServer) -> None:
    server.bot_is_admin = False
    with pytest.raises(CredentialsError) as caught:
        network(server).post(make_draft())
    assert caught.value.variable == TOKEN_VARIABLE
    assert "administrator" in caught.value.message
    assert "bot is not a member of the channel chat" in caught.value.message
    assert not server.posts


def test_unknown_chat_names_the_option(server: TelegramServer) -> None:
    with pytest.raises(CredentialsError) as caught:
        network(server, chat="@someotherband").post(make_draft())
    assert 'CROSSPOST["telegram"]["chat"]' in caught.value.message
    assert "chat not found" in caught.value.message


def test_unreadable_image_is_rejected(server: TelegramServer, tmp_path: Path) -> None:
    with pytest.raises(Rejected):
        network(server).post(make_draft(image=tmp_path / "missing.png"))


def test_cannot_find_earlier(server: TelegramServer) -> None:
    assert Telegram.can_find_earlier is False
    assert Telegram.idempotent is False
    with pytest.raises(CannotTell):
        network(server).find_earlier(make_draft())


# -- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chat", "words"),
    [
        ("suarasenja", 'write "@suarasenja"'),
        ("https://t.me/suarasenja", 'write "@suarasenja"'),
        ("@abc", '"chat" must be'),
        ("@has space", '"chat" must be'),
        (True, '"chat" must be'),
    ],
)
def test_chat_option_is_checked(chat: object, words: str) -> None:
    with pytest.raises(FieldError) as caught:
        network_config("telegram", {"chat": chat})
    assert words in str(caught.value)


@pytest.mark.parametrize("chat", ["@suarasenja", "@Suara_Senja_2", -1001234567890, "-100123"])
def test_chat_option_accepts(chat: object) -> None:
    assert network_config("telegram", {"chat": chat}).api_base == "https://api.telegram.org"


def test_self_hosted_bot_api_path(server: TelegramServer) -> None:
    network(server).post(make_draft())
    assert server.requests[0].path == f"/bot{TOKEN}/sendMessage"


# -- secrets and imports -----------------------------------------------------------------------


def test_token_never_in_logs(server: TelegramServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    telegram = network(server)
    telegram.prepare()
    telegram.post(make_draft())
    server.expire_tokens()
    with pytest.raises(PostError):
        telegram.post(make_draft())
    assert "sendMessage" in caplog.text  # urllib3 logged the request lines
    assert "[secret]" in caplog.text  # with the token taken out
    assert TOKEN not in caplog.text


def test_checking_options_does_not_load_requests() -> None:
    code = (
        "import sys\n"
        "from fanpage.crosspost.options import network_config\n"
        "network_config('telegram', {'chat': '@suarasenja'})\n"
        "print('requests' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_gallery_arrives_as_an_album_of_four_photos_in_order(
    server: TelegramServer, tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    posted = network(server).post(gallery_draft("telegram", photos, limit=1024))
    [post] = server.posts
    assert post["method"] == "sendMediaGroup"
    assert [p["caption"] for p in post["photos"]] == [GALLERY_TEXT, "", "", ""]
    for received, photo in zip(post["photos"], photos, strict=True):
        assert len(received["data"]) <= 10 * 1024 * 1024
        assert private_metadata(received["data"]) == []
        assert jpeg_size(received["data"]) == upright_size(photo)
    assert posted.id == str(post["message_id"])  # the album's first message


def test_a_photo_too_narrow_for_telegram_is_refused_before_sending(
    server: TelegramServer, tmp_path: Path
) -> None:
    strip = write_photo(tmp_path / "strip.jpg", (2100, 100), orientation=1)
    photos = (*gallery_photos(tmp_path)[:1], Image(strip, "A panorama of the stage"))
    with pytest.raises(Rejected, match="at most 20 times"):
        network(server).post(gallery_draft("telegram", photos, limit=1024))
    assert server.posts == []
