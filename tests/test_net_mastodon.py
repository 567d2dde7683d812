"""Mastodon: the network module through Mastodon.py against the local Mastodon server."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image as PILImage

from fanpage.content.problems import FieldError
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Posted,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.mastodon import (
    Mastodon,
    alt_text,
    map_error,
    mastodon_language,
    normal_url,
    retry_after,
    status_urls,
)
from fanpage.crosspost.options import network_config
from tests.conftest import ROOT
from tests.servers.mastodon import (
    IDEMPOTENCY_TTL,
    TOKEN,
    MastodonServer,
    format_content,
    status_length,
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
VARIABLE = "FANPAGE_MASTODON_TOKEN"
WRONG_TOKEN = "wrong-mastodon-token-0a1b2c3d4e5f60718293"


# -- factories --------------------------------------------------------------------------------


def make_draft(
    text: str | None = None,
    *,
    key: str = "suarasenja:news/a-new-song:mastodon",
    url: str = URL,
    lang: str = "en",
    images: tuple[Image, ...] = (),
    card: LinkCard | None = None,
) -> Draft:
    if text is None:
        text = f"A new song: Senja di Kota\n\nOut today everywhere.\n\n{url}\n\n#dreampop"
    return Draft(
        network="mastodon",
        keys=("news/a-new-song",),
        text=text,
        length=0,
        limit=500,
        url=url,
        lang=lang,
        created_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        idempotency_key=key,
        card=card,
        images=images,
        hashtags=("dreampop",),
        source="content/news/a-new-song.md:1",
    )


@pytest.fixture
def server() -> Iterator[MastodonServer]:
    with MastodonServer() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def make_network() -> Iterator[Callable[..., Mastodon]]:
    made: list[Mastodon] = []

    def make(
        target: MastodonServer | str,
        *,
        token: str | None = TOKEN,
        timeout: float = 5.0,
        remembered: dict[str, Any] | None = None,
        **options: Any,
    ) -> Mastodon:
        instance = target if isinstance(target, str) else target.base_url
        config = network_config("mastodon", {"instance": instance, **options})
        secrets = {VARIABLE: token} if token else {}
        network = Mastodon(config, secrets, timeout, remembered)
        network.sleeps = []  # type: ignore[attr-defined]
        network._sleep = network.sleeps.append  # type: ignore[attr-defined,method-assign]
        made.append(network)
        return network

    yield make
    for network in made:
        network.close()


def png(path: Path, size: tuple[int, int] = (8, 8), noise: bool = False) -> Path:
    if noise:
        picture = PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        picture = PILImage.new("RGB", size, (200, 120, 40))
    picture.save(path, format="PNG")
    return path


def hits(server: MastodonServer, method: str, path: str) -> list[Any]:
    """Requests for ``method path`` (Mastodon.py writes some paths with a trailing slash)."""
    return [r for r in server.requests if r.method == method and r.path.rstrip("/") == path]


def statuses_posts(server: MastodonServer) -> list[Any]:
    return hits(server, "POST", "/api/v1/statuses")


# -- the plain success ------------------------------------------------------------------------


def test_post_sends_text_language_visibility_image_alt_and_key(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    cover = Image(png(tmp_path / "cover.png"), "The band on a rooftop at dusk", "image/png")
    card = LinkCard(URL, "Senja di Kota", "Our new single", None)
    draft = make_draft(lang="id", images=(cover,), card=card)
    network = make_network(server, visibility="unlisted")
    network.prepare()

    posted = network.post(draft)

    [record] = server.posts
    assert record["text"] == draft.text
    assert record["language"] == "id"
    assert record["visibility"] == "unlisted"
    assert record["idempotency_key"] == draft.idempotency_key
    assert [(m["description"], m["mime"], m["file_name"]) for m in record["media"]] == [
        ("The band on a rooftop at dusk", "image/jpeg", "cover.jpg")  # re-encoded, clean
    ]
    # Mastodon makes the link card itself: nothing beyond these parameters goes out.
    assert record["fields"] == ["language", "media_ids[]", "sensitive", "status", "visibility"]
    assert statuses_posts(server)[0].headers["idempotency-key"] == draft.idempotency_key
    assert statuses_posts(server)[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert posted == Posted(
        record["id"],
        f"https://musician.social/@band/{record['id']}",
        {"uri": f"https://musician.social/users/band/statuses/{record['id']}"},
    )


def test_default_visibility_is_public_and_language_is_the_primary_subtag(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server)
    network.post(make_draft(lang="pt-BR"))
    [record] = server.posts
    assert (record["visibility"], record["language"]) == ("public", "pt")
    assert record["media"] == []
    assert "media_ids[]" not in record["fields"]


@pytest.mark.parametrize(
    ("tag", "code"), [("en", "en"), ("id", "id"), ("pt-BR", "pt"), ("zh_Hant", "zh"), ("", None)]
)
def test_mastodon_language(tag: str, code: str | None) -> None:
    assert mastodon_language(tag) == code


def test_visibility_option_is_checked() -> None:
    with pytest.raises(FieldError, match="visibility"):
        network_config("mastodon", {"instance": "https://musician.social", "visibility": "all"})
    config = network_config("mastodon", {"instance": "https://musician.social/"})
    assert config.api_base == "https://musician.social"


def test_one_client_per_run_and_limits_read_once(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server)
    network.prepare()
    client = network._api
    network.post(make_draft(key="one"))
    network.post(make_draft("Second post " + URL, key="two"))
    assert network._api is client
    assert len(hits(server, "GET", "/api/v2/instance")) == 1
    assert len(hits(server, "GET", "/api/v1/accounts/verify_credentials")) == 1
    assert len(server.posts) == 2


def test_module_does_not_load_the_client_library() -> None:
    code = (
        "import sys\n"
        "from fanpage.crosspost.options import network_config\n"
        "network_config('mastodon', {'instance': 'https://musician.social'})\n"
        "print('mastodon' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- limits and counting ----------------------------------------------------------------------


def test_prepare_reads_the_instance_limits(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.max_characters = 1000
    server.characters_reserved_per_url = 30
    network = make_network(server)
    assert network.rules().limit == 500  # nothing known yet
    network.prepare()
    assert network.remembered["max_characters"] == 1000
    assert network.remembered["characters_reserved_per_url"] == 30
    rules = network.rules()
    assert rules.limit == 1000
    assert rules.length(URL) == 30
    # The next run (a dry run, say) starts from what this one learnt.
    later = make_network(server, remembered=network.remembered)
    assert later.rules().limit == 1000


def test_rules_default_to_stock_mastodon(make_network: Callable[..., Mastodon]) -> None:
    rules = make_network("https://musician.social").rules()
    assert rules.limit == 500
    assert rules.length(f"Hi {URL}") == 3 + 23


def test_older_server_without_instance_v2_keeps_the_defaults(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.instance_v2_available = False
    network = make_network(server)
    network.prepare()
    assert network.rules().limit == 500
    assert "max_characters" not in network.remembered


FILLERS = {
    "ascii": "a",
    "combining accent": "e\u0301",
    "cjk": "日",
    "zwj family emoji": "👩\u200d👩\u200d👧",
    "flag": "🇮🇩",
    "skin tone": "👍🏽",
}


@pytest.mark.parametrize("limit", [500, 640])
@pytest.mark.parametrize("filler", list(FILLERS.values()), ids=list(FILLERS))
def test_text_at_the_limit_is_accepted_and_one_more_is_refused(
    server: MastodonServer, make_network: Callable[..., Mastodon], filler: str, limit: int
) -> None:
    server.max_characters = limit
    network = make_network(server)
    network.prepare()
    rules = network.rules()
    head = (
        f"Lagu baru untuk @fan@musician.social dan @teman\n{URL}\n"
        "https://open.example-music.com/album/senja?utm_source=fanpage (stream) "
        "http://localhost:8000/counts-in-full\n"
    )
    text = head + filler * (rules.limit - rules.length(head))
    assert rules.length(text) == limit
    assert status_length(text) == limit  # the server's own count agrees

    network.post(make_draft(text, key="at-limit"))
    with pytest.raises(Rejected) as refused:
        network.post(make_draft(text + filler, key="over-limit"))

    assert f"character limit of {limit} exceeded" in refused.value.message
    assert [p["text"] for p in server.posts] == [text]


@pytest.mark.parametrize(
    ("text", "length"),
    [
        (URL, 23),
        ("https://suarasenja.band", 23),
        ("see https://suarasenja.band/a.", 4 + 23 + 1),
        ("(https://suarasenja.band/a)", 1 + 23 + 1),
        ("http://localhost:8000/x", 23),  # 23 characters written out: counted in full
        ("http://localhost:8000/xy", 24),
        ("https://band.invalidtld/x", 25),
        ("xhttps://suarasenja.band/", 1 + 24),  # not a URL after a letter
        ("@alice@musician.social", 6),
        ("@alice", 6),
        ("日本語", 3),
        ("👩\u200d👩\u200d👧🇮🇩", 2),
        ("   ", 0),
    ],
)
def test_server_counts_as_mastodon(text: str, length: int) -> None:
    assert status_length(text) == length


# -- images -----------------------------------------------------------------------------------


def test_small_image_is_not_polled(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    network = make_network(server)
    image = Image(png(tmp_path / "small.png"), "A small picture")
    network.post(make_draft(images=(image,)))
    assert not any(r.path.startswith("/api/v1/media/") for r in server.requests)
    assert len(hits(server, "POST", "/api/v2/media")) == 1
    assert network.sleeps == []  # type: ignore[attr-defined]
    assert server.posts[0]["media"][0]["description"] == "A small picture"


def test_large_image_is_polled_until_processed(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    server.large_file_bytes = 10_000
    server.processing_polls = 2
    big = Image(png(tmp_path / "big.png", (200, 200), noise=True), "Noise, loudly")
    assert big.path.stat().st_size > server.large_file_bytes
    network = make_network(server)

    network.post(make_draft(images=(big,)))

    uploads = hits(server, "POST", "/api/v2/media")
    assert len(uploads) == 1
    polls = [r for r in server.requests if r.path.startswith("/api/v1/media/")]
    assert len(polls) == 3  # 206, 206, then 200
    assert network.sleeps == list(network.media_poll_delays[:3])  # type: ignore[attr-defined]
    [record] = server.posts
    assert [m["description"] for m in record["media"]] == ["Noise, loudly"]


def test_image_never_processed_is_transient_and_posts_nothing(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    server.large_file_bytes = 10_000
    server.processing_polls = 1000
    big = Image(png(tmp_path / "big.png", (200, 200), noise=True), "Noise")
    network = make_network(server)
    with pytest.raises(Transient) as failure:
        network.post(make_draft(images=(big,)))
    assert failure.value.maybe_sent is False
    assert failure.value.retry_after and failure.value.retry_after > 0
    assert len([r for r in server.requests if r.path.startswith("/api/v1/media/")]) == len(
        network.media_poll_delays
    )
    assert server.posts == [] and statuses_posts(server) == []


def test_server_refuses_an_unprocessed_attachment_and_the_network_calls_it_transient(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    server.large_file_bytes = 10_000
    path = png(tmp_path / "big.png", (200, 200), noise=True)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with path.open("rb") as handle:
        upload = requests.post(
            f"{server.base_url}/api/v2/media",
            headers=headers,
            files={"file": ("big.png", handle, "image/png")},
            timeout=5,
        )
    assert upload.status_code == 202 and upload.json()["url"] is None
    media_id = upload.json()["id"]
    answer = requests.post(
        f"{server.base_url}/api/v1/statuses",
        headers=headers,
        data={"status": "hi", "media_ids[]": [media_id]},
        timeout=5,
    )
    assert answer.status_code == 422
    assert "not finished processing" in answer.json()["error"]

    network = make_network(server)
    with pytest.raises(Transient) as failure:
        network._call(
            "posting", network._client().status_post, "hi", media_ids=[media_id], creating=True
        )
    assert failure.value.maybe_sent is False
    assert server.posts == []


def test_long_alt_text_is_cut_to_the_description_limit(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    alt = " ".join(["a picture of the band"] * 80)  # 1759 characters
    image = Image(png(tmp_path / "cover.png"), alt)
    make_network(server).post(make_draft(images=(image,)))
    description = server.posts[0]["media"][0]["description"]
    assert len(description) <= 1500
    assert description.endswith("…")
    assert alt.startswith(description[:-1])


def test_server_refuses_a_description_over_1500_characters(
    server: MastodonServer, tmp_path: Path
) -> None:
    path = png(tmp_path / "cover.png")
    answers = []
    for length in (1500, 1501):
        with path.open("rb") as handle:
            answers.append(
                requests.post(
                    f"{server.base_url}/api/v2/media",
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    data={"description": "x" * length},
                    files={"file": ("cover.png", handle, "image/png")},
                    timeout=5,
                )
            )
    assert [a.status_code for a in answers] == [200, 422]
    assert "Description is too long" in answers[1].json()["error"]


@pytest.mark.parametrize(
    ("alt", "cut"),
    [("short", "short"), ("x" * 1500, "x" * 1500), ("x" * 1501, "x" * 1499 + "…")],
)
def test_alt_text(alt: str, cut: str) -> None:
    assert alt_text(alt) == cut


def test_at_most_four_images(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    images = tuple(Image(png(tmp_path / f"{n}.png"), f"picture {n}") for n in range(5))
    make_network(server).post(make_draft(images=images))
    assert [m["description"] for m in server.posts[0]["media"]] == [
        f"picture {n}" for n in range(4)
    ]
    assert len(hits(server, "POST", "/api/v2/media")) == 4


def test_unsupported_image_is_rejected_and_nothing_is_posted(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    with pytest.raises(Rejected, match="not an image"):
        make_network(server).post(make_draft(images=(Image(notes, "notes", "text/plain"),)))
    assert server.posts == [] and statuses_posts(server) == []


def test_missing_image_file_is_rejected(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    with pytest.raises(Rejected, match=r"gone\.png: no such file"):
        make_network(server).post(make_draft(images=(Image(tmp_path / "gone.png", "gone"),)))
    assert server.requests == []


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "maybe_sent", "created"),
    [
        ("unavailable", False, 0),
        ("server_error", True, 0),
        ("drop", True, 0),
        ("accept_then_drop", True, 1),
        ("accept_then_timeout", True, 1),
        ("rate_limit", False, 0),
    ],
)
def test_faults_are_transient_with_maybe_sent(
    server: MastodonServer,
    make_network: Callable[..., Mastodon],
    fault: str,
    maybe_sent: bool,
    created: int,
) -> None:
    network = make_network(server, timeout=1.0)
    server.inject(fault)
    with pytest.raises(Transient) as failure:
        network.post(make_draft())
    assert failure.value.maybe_sent is maybe_sent
    assert len(server.posts) == created
    assert TOKEN not in failure.value.message


def test_retry_after_a_timeout_answers_the_earlier_status(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server, timeout=1.0)
    draft = make_draft()
    server.inject("accept_then_timeout")
    with pytest.raises(Transient) as failure:
        network.post(draft)
    assert failure.value.maybe_sent is True
    assert Mastodon.idempotent is True

    again = network.post(draft)

    [record] = server.posts
    assert again.id == record["id"]
    assert len(statuses_posts(server)) == 2


def test_idempotency_key_is_kept_for_the_window_only(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    assert Mastodon.idempotency_window == IDEMPOTENCY_TTL == 3600.0
    network = make_network(server)
    draft = make_draft()
    first = network.post(draft)
    server.advance(Mastodon.idempotency_window - 60)
    assert network.post(draft) == first
    server.advance(120)
    later = network.post(draft)
    assert later.id != first.id
    assert len(server.posts) == 2


def test_rate_limit_waits_until_the_reset_time(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.rate_limit_reset_after = 90.0
    server.inject("rate_limit")
    with pytest.raises(Transient) as failure:
        make_network(server).post(make_draft())
    assert failure.value.retry_after is not None
    # The reset is read against the answer's Date (whole seconds): at most a second late.
    assert 89.0 <= failure.value.retry_after <= 91.5
    assert failure.value.maybe_sent is False


def test_rate_limit_honours_a_proxy_retry_after(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.rate_limit_reset_after = 90.0
    server.proxy_retry_after = 7
    server.inject("rate_limit")
    with pytest.raises(Transient) as failure:
        make_network(server).post(make_draft())
    assert failure.value.retry_after == 7.0


def test_the_request_window_runs_out(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.requests_per_window = 2
    network = make_network(server)
    network.post(make_draft(key="a"))
    network.post(make_draft(key="b"))
    with pytest.raises(Transient) as failure:
        network.post(make_draft(key="c"))
    assert failure.value.retry_after is not None and 0 < failure.value.retry_after <= 301
    assert len(server.posts) == 2


def test_connection_refused_never_sent(make_network: Callable[..., Mastodon]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Transient) as failure:
        make_network(f"http://127.0.0.1:{port}").post(make_draft())
    assert failure.value.maybe_sent is False


def _wrapped(cause: Exception) -> Exception:
    """A MastodonNetworkError as Mastodon.py raises it: inside ``except`` of the cause."""
    from mastodon.errors import MastodonNetworkError

    try:
        raise cause
    except Exception as exc:
        try:
            raise MastodonNetworkError(f"Could not complete request: {exc}") from None
        except MastodonNetworkError as wrapped:
            wrapped.__context__ = exc
            return wrapped
    raise AssertionError


@pytest.mark.parametrize(
    ("cause", "creating", "maybe_sent"),
    [
        (requests.ConnectTimeout("connect timed out"), True, False),
        (requests.ReadTimeout("read timed out"), True, True),
        (requests.ReadTimeout("read timed out"), False, False),  # an upload, not the post
        (requests.ConnectionError("Connection aborted: RemoteDisconnected"), True, True),
        (requests.ConnectionError("NewConnectionError: Connection refused"), True, False),
    ],
)
def test_network_errors_mapped_by_their_cause(
    cause: Exception, creating: bool, maybe_sent: bool
) -> None:
    mapped = map_error(_wrapped(cause), action="posting", creating=creating)
    assert isinstance(mapped, Transient)
    assert mapped.maybe_sent is maybe_sent


def test_gateway_errors_and_retry_after_headers() -> None:
    from mastodon.errors import MastodonBadGatewayError, MastodonGatewayTimeoutError

    bad = map_error(
        MastodonBadGatewayError("Mastodon API returned error", 502, "Bad Gateway", None),
        action="posting",
        creating=True,
    )
    late = map_error(
        MastodonGatewayTimeoutError("Mastodon API returned error", 504, "Gateway Timeout", None),
        action="posting",
        creating=True,
    )
    assert isinstance(bad, Transient) and bad.maybe_sent is False
    assert isinstance(late, Transient) and late.maybe_sent is True


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "12"}, 12.0),
        ({"Retry-After": "Fri, 20 Nov 2026 12:00:30 GMT"}, 30.0),
        ({"X-RateLimit-Reset": "2026-11-20T12:05:00.000000Z"}, 300.0),
        (
            {
                "X-RateLimit-Reset": "2026-11-20T12:05:00.000000Z",
                "Date": "Fri, 20 Nov 2026 12:04:00 GMT",  # the server's clock is 60 s ahead
            },
            60.0,
        ),
        ({"X-RateLimit-Reset": "2026-11-20T11:00:00Z"}, 0.0),
        ({}, None),
    ],
)
def test_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp()
    assert retry_after(headers, now) == seconds


# -- credentials and secrets -----------------------------------------------------------------


def test_wrong_token_names_the_variable(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server, token=WRONG_TOKEN)
    with pytest.raises(CredentialsError) as failure:
        network.prepare()
    assert failure.value.variable == VARIABLE
    assert VARIABLE in failure.value.message
    assert "The access token is invalid" in failure.value.message
    assert WRONG_TOKEN not in failure.value.message


def test_expired_token_names_the_variable(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server)
    network.prepare()
    server.expire_tokens()
    with pytest.raises(CredentialsError) as failure:
        network.post(make_draft())
    assert failure.value.variable == VARIABLE
    assert "expired" in failure.value.message
    assert TOKEN not in failure.value.message
    assert server.posts == []


def test_token_without_write_scope(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.token_scopes = {"read"}
    network = make_network(server)
    network.prepare()
    with pytest.raises(CredentialsError) as failure:
        network.post(make_draft())
    assert failure.value.variable == VARIABLE
    assert "write:statuses" in failure.value.message


def test_missing_token(make_network: Callable[..., Mastodon]) -> None:
    with pytest.raises(CredentialsError) as failure:
        make_network("https://musician.social", token=None).post(make_draft())
    assert failure.value.variable == VARIABLE


def test_a_token_echoed_in_an_error_body_is_redacted(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.echo_token_in_errors = True
    with pytest.raises(CredentialsError) as failure:
        make_network(server, token=WRONG_TOKEN).post(make_draft())
    assert WRONG_TOKEN not in failure.value.message
    assert "[secret]" in failure.value.message


def test_no_secret_in_logs_or_output(
    server: MastodonServer,
    make_network: Callable[..., Mastodon],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    server.large_file_bytes = 10_000
    big = Image(png(tmp_path / "big.png", (200, 200), noise=True), "Noise")
    network = make_network(server, timeout=1.0)
    network.prepare()
    network.post(make_draft(images=(big,)))
    messages = []
    for fault in ("server_error", "rate_limit", "accept_then_drop"):
        server.inject(fault)
        with pytest.raises(Transient) as failure:
            network.post(make_draft(key=fault))
        messages.append(failure.value.message)
    server.expire_tokens()
    with pytest.raises(CredentialsError) as refused:
        network.post(make_draft(key="expired"))
    messages.append(refused.value.message)
    output = capsys.readouterr()
    assert "posted" in caplog.text  # the module did log
    for text in (caplog.text, output.out, output.err, *messages):
        assert TOKEN not in text


# -- finding an earlier post ------------------------------------------------------------------


def test_find_earlier_finds_the_post_in_a_later_run(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    assert Mastodon.can_find_earlier is True
    posted = make_network(server).post(make_draft())
    later = make_network(server)
    assert later.find_earlier(make_draft()) == posted
    listing = server.posts_requests("GET", f"/{server.account['id']}/statuses")
    assert listing[0].query["limit"] == ["40"]


def test_find_earlier_reads_the_link_not_the_shortened_text() -> None:
    content = format_content(f"New song\n{URL}", "musician.social")
    assert 'class="ellipsis"' in content  # Mastodon shows the link shortened
    assert normal_url(URL) in status_urls({"content": content})
    assert normal_url(URL) in status_urls({"content": "<p>New</p>", "card": {"url": URL}})
    assert status_urls({"content": f"<p>{URL}live/</p>"}) == {normal_url(URL + "live/")}


def test_find_earlier_does_not_take_a_longer_url_for_the_entry(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    network = make_network(server)
    network.post(make_draft(f"Live video {URL}live/", key="other", url=URL + "live/"))
    network.post(make_draft(f"Lyrics {URL}?lang=id", key="lyrics"))
    assert network.find_earlier(make_draft()) is None
    network.post(make_draft(f"It is out. {URL}.", key="this"))
    found = network.find_earlier(make_draft())
    assert found is not None and found.id == server.posts[-1]["id"]


def test_find_earlier_when_the_listing_fails(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.listing_fails = True
    with pytest.raises(CannotTell):
        make_network(server).find_earlier(make_draft())


def test_find_earlier_with_an_expired_token(
    server: MastodonServer, make_network: Callable[..., Mastodon]
) -> None:
    server.expire_tokens()
    with pytest.raises(CredentialsError) as failure:
        make_network(server).find_earlier(make_draft())
    assert failure.value.variable == VARIABLE


def test_statuses_come_back_in_mastodons_shape(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    image = Image(png(tmp_path / "cover.png"), "Cover art")
    posted = make_network(server).post(make_draft(images=(image,), lang="id"))
    answer = requests.get(
        f"{server.base_url}/api/v1/accounts/{server.account['id']}/statuses",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    [status] = answer.json()
    assert status["id"] == posted.id and status["url"] == posted.url
    assert status["uri"] == posted.data["uri"]
    assert f'<a href="{URL}"' in status["content"]
    assert 'class="mention hashtag"' in status["content"]
    assert (status["language"], status["visibility"]) == ("id", "public")
    assert status["media_attachments"][0]["description"] == "Cover art"
    assert datetime.fromisoformat(status["created_at"]).tzinfo is not None
    assert answer.headers["X-RateLimit-Limit"] == "300"


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt(
    server: MastodonServer, make_network: Callable[..., Mastodon], tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path)
    network = make_network(server)
    network.prepare()
    assert network.remembered["image_size_limit"] == 16 * 1024 * 1024  # the instance's own
    network.post(gallery_draft("mastodon", photos))
    [record] = server.posts
    assert [m["description"] for m in record["media"]] == list(ALTS)
    for media, photo in zip(record["media"], photos, strict=True):
        assert media["mime"] == "image/jpeg" and media["size"] < 16 * 1024 * 1024
        assert private_metadata(media["data"]) == []
        assert jpeg_size(media["data"]) == upright_size(photo)  # turned upright, not resized
