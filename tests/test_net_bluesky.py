"""Bluesky against a real PDS (``@atproto/pds`` on loopback, ``tests/pds_server.py``).

Everything the network sends is read back from the PDS with plain XRPC calls
(``com.atproto.repo.getRecord``/``listRecords``, ``com.atproto.sync.getBlob``), not through
the SDK the module uses, and the limits are the PDS's own lexicon validation.
"""

from __future__ import annotations

import io
import itertools
import logging
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from atproto_client.models.string_formats import TID_RE
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image as PillowImage

from fanpage.content.problems import FieldError
from fanpage.crosspost.counting import bluesky_length, graphemes, utf8_length
from fanpage.crosspost.network import (
    AlreadyPosted,
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Posted,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks import bluesky as bsky
from fanpage.crosspost.networks.bluesky import PASSWORD_VARIABLE, Bluesky, draft_rkey
from fanpage.crosspost.options import network_config
from tests.pds_server import Account, PdsServer, free_port
from tests.servers.photos import ALTS, gallery_draft, gallery_photos, private_metadata

URL = "https://suarasenja.band/news/a-new-song/"
WIB = timezone(timedelta(hours=7))
BASE_TIME = datetime(2026, 11, 20, 19, 30, 0, 123456, tzinfo=WIB)
TID_SYNTAX = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# Multi-byte text before the link and the tags: emoji (a ZWJ sequence, a flag), Indonesian,
# Japanese.
MIXED = "Lagu baru 🎸👩‍🎤🇮🇩 dari Suara Senja — 夜の歌, «Senja di Jakarta»"
_serial = itertools.count(1)


# -- the server and the accounts ----------------------------------------------------------------


@pytest.fixture(scope="session")
def band(pds: PdsServer) -> Account:
    return pds.create_account("band")


@pytest.fixture
def connect(pds: PdsServer) -> Iterator[Callable[..., Bluesky]]:
    """``connect(account)`` -> a Bluesky network for it (closed after the test)."""
    made: list[Bluesky] = []

    def make(
        account: Account,
        password: str | None = None,
        timeout: float = 10.0,
        service: str | None = None,
    ) -> Bluesky:
        config = network_config(
            "bluesky", {"handle": account.handle, "service": service or pds.base_url}
        )
        secret = account.app_password if password is None else password
        network = Bluesky(config, {PASSWORD_VARIABLE: secret}, timeout=timeout)
        made.append(network)
        return network

    yield make
    for network in made:
        network.close()


def make_draft(
    text: str | None = None,
    *,
    url: str = URL,
    created_at: datetime | None = None,
    key: str | None = None,
    card: LinkCard | None = None,
    images: tuple[Image, ...] = (),
    lang: str = "id",
) -> Draft:
    """A draft as the composer makes one; every call a new post unless told otherwise."""
    serial = next(_serial)
    text = text if text is not None else f"{MIXED} {url} #dreampop #musikindonesia"
    return Draft(
        network="bluesky",
        keys=(f"news/post-{serial}",),
        text=text,
        length=bluesky_length(text),
        limit=300,
        url=url,
        lang=lang,
        created_at=created_at or BASE_TIME + timedelta(minutes=serial),
        idempotency_key=key or f"bluesky:news/post-{serial}",
        card=card,
        images=images,
        hashtags=("dreampop", "musikindonesia"),
    )


def noise_png(path: Path, size: tuple[int, int], seed: int = 1, alpha: bool = False) -> Path:
    """A PNG that does not compress: random pixels (about 3 bytes a pixel)."""
    mode = "RGBA" if alpha else "RGB"
    data = random.Random(seed).randbytes(size[0] * size[1] * len(mode))
    PillowImage.frombytes(mode, size, data).save(path, "PNG")
    return path


# -- reading back, as any client of the PDS would ------------------------------------------------


def xrpc(pds: PdsServer, method: str, **params: Any) -> requests.Response:
    return requests.get(f"{pds.base_url}/xrpc/{method}", params=params, timeout=10)


def get_record(pds: PdsServer, did: str, rkey: str) -> dict[str, Any]:
    response = xrpc(
        pds, "com.atproto.repo.getRecord", repo=did, collection="app.bsky.feed.post", rkey=rkey
    )
    assert response.status_code == 200, response.text
    return response.json()


def all_posts(pds: PdsServer, did: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = xrpc(pds, "com.atproto.repo.listRecords", **params).json()
        records += page["records"]
        cursor = page.get("cursor")
        if not cursor or not page["records"]:
            return records


def rkey_of(posted: Posted) -> str:
    return posted.id.rsplit("/", 1)[-1]


def byte_span(text: str, part: str) -> tuple[int, int]:
    """(byteStart, byteEnd) of ``part`` in ``text``: UTF-8 bytes, computed independently."""
    start = text.index(part)
    before = len(text[:start].encode("utf-8"))
    return before, before + len(part.encode("utf-8"))


# -- record keys (pure) -----------------------------------------------------------------------


def test_tid_encodes_the_spec_layout() -> None:
    assert bsky.tid(0, 0) == "2222222222222"
    assert bsky.tid(0, 1) == "2222222222223"
    assert bsky.tid((1 << 53) - 1, 1023) == "bzzzzzzzzzzzz"  # 63 bits: "2".."b" first
    # A TID from the AT Protocol specification decodes and encodes back to itself.
    assert bsky.tid(*bsky.tid_parts("3jzfcijpj2z2a")) == "3jzfcijpj2z2a"
    with pytest.raises(ValueError):
        bsky.tid(1 << 53, 0)
    with pytest.raises(ValueError):
        bsky.tid(0, 1024)
    with pytest.raises(ValueError):
        bsky.tid_parts("kzzzzzzzzzzzz")  # top bit set


def test_draft_rkey_is_a_pure_function_of_time_and_key() -> None:
    rkey = draft_rkey(BASE_TIME, "bluesky:news/a-new-song")
    assert rkey == draft_rkey(BASE_TIME, "bluesky:news/a-new-song")
    assert TID_SYNTAX.match(rkey)
    assert rkey[0] in "234567"
    # The same moment in another time zone is the same key.
    assert rkey == draft_rkey(BASE_TIME.astimezone(UTC), "bluesky:news/a-new-song")
    micros, clock = bsky.tid_parts(rkey)
    assert micros == int(BASE_TIME.timestamp()) * 1_000_000 + 123456
    assert clock == bsky.clock_id("bluesky:news/a-new-song")
    assert draft_rkey(BASE_TIME, "bluesky:news/another-song") != rkey
    assert draft_rkey(BASE_TIME, "bluesky:tour/senja-2027") != rkey
    assert draft_rkey(BASE_TIME + timedelta(microseconds=1), "bluesky:news/a-new-song") != rkey
    assert draft_rkey(BASE_TIME, "bluesky:news/a-new-song", candidate=1) == bsky.tid(
        micros + 1, clock
    )
    with pytest.raises(ValueError):
        draft_rkey(BASE_TIME.replace(tzinfo=None), "naive")


@given(
    moment=st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    ),
    key=st.text(min_size=1, max_size=40),
)
def test_draft_rkey_round_trips_and_matches_the_sdk(moment: datetime, key: str) -> None:
    rkey = draft_rkey(moment, key)
    assert TID_RE.match(rkey) and TID_SYNTAX.match(rkey)
    assert bsky.tid_parts(rkey) == (bsky.microseconds_since_epoch(moment), bsky.clock_id(key))


@given(
    first=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    gap=st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3650)),
    keys=st.tuples(st.text(max_size=20), st.text(max_size=20)),
)
def test_later_posts_have_later_keys(first: datetime, gap: timedelta, keys: tuple) -> None:
    first = first.replace(tzinfo=UTC)
    assert draft_rkey(first, keys[0]) < draft_rkey(first + gap, keys[1])


# -- rich text, images, options (pure) --------------------------------------------------------


def test_rich_text_keeps_the_text_and_puts_facets_on_utf8_bytes() -> None:
    text = f"{MIXED}\n{URL} #dreampop #musikindonesia $SENJA (suarasenja.band/tour)."
    builder = bsky.rich_text(text)
    assert builder.build_text() == text
    spans = [
        (f.index.byte_start, f.index.byte_end, f.features[0].py_type, f.features[0])
        for f in builder.build_facets()
    ]
    link, tag1, tag2, bare = spans
    assert link[:3] == (*byte_span(text, URL), "app.bsky.richtext.facet#link")
    assert link[3].uri == URL
    assert tag1[:3] == (*byte_span(text, "#dreampop"), "app.bsky.richtext.facet#tag")
    assert tag1[3].tag == "dreampop"
    assert tag2[3].tag == "musikindonesia"
    # A bare domain is a link too (with https://), without the closing ")" and ".".
    assert bare[:2] == byte_span(text, "suarasenja.band/tour")
    assert bare[3].uri == "https://suarasenja.band/tour"
    # The text before the link holds multi-byte characters: bytes and code points differ.
    assert link[0] > text.index(URL)


def test_jpeg_under_shrinks_a_large_png_below_the_limit(tmp_path: Path) -> None:
    png = noise_png(tmp_path / "big.png", (1400, 1000))
    assert png.stat().st_size > 1_000_000
    jpeg = bsky.jpeg_under(png)
    assert len(jpeg.data) < 1_000_000
    assert jpeg.data[:3] == b"\xff\xd8\xff"
    small = bsky.jpeg_under(png, limit=100_000)
    assert len(small.data) < 100_000
    assert small.width < 1400 and small.width / small.height == pytest.approx(1.4, rel=0.01)
    with PillowImage.open(io.BytesIO(small.data)) as opened:
        assert opened.format == "JPEG" and opened.size == (small.width, small.height)


def test_jpeg_under_flattens_transparency(tmp_path: Path) -> None:
    png = tmp_path / "clear.png"
    PillowImage.new("RGBA", (40, 20), (0, 0, 0, 0)).save(png)
    jpeg = bsky.jpeg_under(png)
    with PillowImage.open(io.BytesIO(jpeg.data)) as opened:
        assert opened.mode == "RGB"
        assert opened.getpixel((10, 10)) >= (250, 250, 250)  # white, not black


def test_options_need_a_handle_and_default_to_bsky_social() -> None:
    config = network_config("bluesky", {"handle": "suarasenja.band"})
    assert config.api_base == "https://bsky.social"
    config = network_config(
        "bluesky", {"handle": "suarasenja.band", "service": "https://pds.example.net/"}
    )
    assert config.api_base == "https://pds.example.net"
    with pytest.raises(FieldError, match='"handle" is required'):
        network_config("bluesky", {})
    with pytest.raises(FieldError, match='without the "@"'):
        network_config("bluesky", {"handle": "@suarasenja.band"})
    with pytest.raises(FieldError, match="domain name"):
        network_config("bluesky", {"handle": "suara senja"})
    rules = Bluesky(config, {PASSWORD_VARIABLE: "x"}, timeout=5).rules()
    assert (rules.limit, rules.byte_limit, rules.count) == (300, 3000, bluesky_length)


def test_status_errors_map_to_outcomes() -> None:
    """Answers the PDS cannot be made to give here (a proxy's 502/503/504, a 413)."""
    from atproto_client import exceptions
    from atproto_client.models.common import XrpcError
    from atproto_client.request import Response

    network = Bluesky(
        network_config("bluesky", {"handle": "band.test"}), {PASSWORD_VARIABLE: "x"}, 5
    )

    def answer(status: int, error: str = "", cls: type = exceptions.RequestException) -> Any:
        content = XrpcError(error=error or "Error", message="m")
        return cls(Response(False, status, content, {"retry-after": "7"}))

    gateway = network._error(answer(502, cls=exceptions.NetworkError), "posting", True)
    assert isinstance(gateway, Transient) and not gateway.maybe_sent
    unavailable = network._error(answer(503), "posting", True)
    assert isinstance(unavailable, Transient) and not unavailable.maybe_sent
    assert unavailable.retry_after == 7
    timeout = network._error(answer(504), "posting", True)
    assert isinstance(timeout, Transient) and timeout.maybe_sent
    too_big = network._error(answer(413, cls=exceptions.NetworkError), "uploading", False)
    assert isinstance(too_big, Rejected)
    expired = network._error(answer(400, "ExpiredToken", exceptions.BadRequestError), "p", True)
    assert isinstance(expired, CredentialsError) and expired.variable == PASSWORD_VARIABLE


# -- against the PDS: what a post is made of -----------------------------------------------------


def test_post_with_link_card_and_thumb(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky], tmp_path: Path
) -> None:
    picture = noise_png(tmp_path / "cover.png", (1500, 1100), seed=7)
    assert picture.stat().st_size > 1_000_000
    card = LinkCard(
        URL,
        "A new song: Senja di Jakarta",
        "Lagu baru kami, direkam di Bandung. 夜の歌 🎸",
        Image(picture, "The band on a rooftop at dusk"),
    )
    draft = make_draft(card=card, created_at=datetime(2026, 11, 19, 8, 15, 42, 987654, tzinfo=WIB))
    network = connect(band)
    network.prepare()
    posted = network.post(draft)

    rkey = draft_rkey(draft.created_at, draft.idempotency_key)
    assert posted.id == f"at://{band.did}/app.bsky.feed.post/{rkey}"
    assert posted.url == f"https://bsky.app/profile/band.test/post/{rkey}"
    record = get_record(pds, band.did, rkey)
    assert posted.data == {"cid": record["cid"]}
    value = record["value"]
    assert value["$type"] == "app.bsky.feed.post"
    assert value["text"] == draft.text
    assert value["langs"] == ["id"]
    assert value["createdAt"] == "2026-11-19T01:15:42.987Z"
    facets = sorted(value["facets"], key=lambda f: f["index"]["byteStart"])
    assert [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in facets] == [
        byte_span(draft.text, URL),
        byte_span(draft.text, "#dreampop"),
        byte_span(draft.text, "#musikindonesia"),
    ]
    assert facets[0]["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": URL}]
    assert facets[1]["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "dreampop"}]
    assert facets[2]["features"][0]["tag"] == "musikindonesia"
    start, end = facets[0]["index"]["byteStart"], facets[0]["index"]["byteEnd"]
    assert draft.text.encode("utf-8")[start:end].decode("utf-8") == URL

    embed = value["embed"]
    assert embed["$type"] == "app.bsky.embed.external"
    external = embed["external"]
    assert (external["uri"], external["title"], external["description"]) == (
        card.url,
        card.title,
        card.description,
    )
    thumb = external["thumb"]
    assert thumb["$type"] == "blob" and thumb["mimeType"] == "image/jpeg"
    assert thumb["size"] < 1_000_000
    blob = xrpc(pds, "com.atproto.sync.getBlob", did=band.did, cid=thumb["ref"]["$link"])
    assert blob.status_code == 200
    assert len(blob.content) == thumb["size"] < 1_000_000
    with PillowImage.open(io.BytesIO(blob.content)) as opened:
        assert opened.format == "JPEG"
        assert opened.size[0] / opened.size[1] == pytest.approx(1500 / 1100, rel=0.01)


def test_post_with_images_and_alt(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky], tmp_path: Path
) -> None:
    first = noise_png(tmp_path / "stage.png", (640, 480), seed=2)
    second = noise_png(tmp_path / "crowd.png", (300, 500), seed=3, alpha=True)
    images = (Image(first, "Ayu singing on stage"), Image(second, "Penonton bernyanyi bersama"))
    card = LinkCard(URL, "Title", "Description", Image(first, "unused"))
    draft = make_draft(images=images, card=card, lang="en")
    posted = connect(band).post(draft)  # prepare() on first use

    value = get_record(pds, band.did, rkey_of(posted))["value"]
    embed = value["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [i["alt"] for i in embed["images"]] == [image.alt for image in images]
    assert [(i["aspectRatio"]["width"], i["aspectRatio"]["height"]) for i in embed["images"]] == [
        (640, 480),
        (300, 500),
    ]
    for image in embed["images"]:
        assert image["image"]["mimeType"] == "image/jpeg"
        blob = xrpc(
            pds, "com.atproto.sync.getBlob", did=band.did, cid=image["image"]["ref"]["$link"]
        )
        assert blob.content[:3] == b"\xff\xd8\xff"
    # The link is still a link, through its facet.
    links = [
        f for f in value["facets"] if f["features"][0]["$type"] == "app.bsky.richtext.facet#link"
    ]
    assert [(lnk["index"]["byteStart"], lnk["index"]["byteEnd"]) for lnk in links] == [
        byte_span(draft.text, URL)
    ]
    assert value["langs"] == ["en"]


def test_an_unreadable_image_is_rejected_before_posting(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    draft = make_draft(card=LinkCard(URL, "T", "D", Image(broken, "alt")))
    with pytest.raises(Rejected, match=r"broken\.png"):
        connect(band).post(draft)
    assert all(
        not r["uri"].endswith(draft_rkey(draft.created_at, draft.idempotency_key))
        for r in all_posts(pds, band.did)
    )


# -- limits, counted by the PDS -----------------------------------------------------------------


def text_of(length: int, extra: str = "") -> str:
    """Text with a URL, emoji, a flag, CJK and Indonesian, exactly ``length`` graphemes long."""
    head = f"Senja 🎸👩‍🎤🇮🇩 夜の歌 {URL} "
    body = head + "".join(itertools.islice(itertools.cycle("lagu baru kami 歌"), 400))
    return "".join(graphemes(body)[:length]) + extra


def test_text_at_the_limit_is_accepted_and_one_over_refused(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band)
    rules = network.rules()
    at_limit = text_of(300)
    assert rules.length(at_limit) == 300 and rules.fits(at_limit)
    posted = network.post(make_draft(at_limit))
    assert get_record(pds, band.did, rkey_of(posted))["value"]["text"] == at_limit

    over = text_of(300, extra="!")
    assert rules.length(over) == 301 and not rules.fits(over)
    with pytest.raises(Rejected, match="grapheme"):
        network.post(make_draft(over))


def test_the_byte_limit_is_counted_as_the_pds_counts_it(
    band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band)
    rules = network.rules()
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
    at_limit = family * 120
    assert utf8_length(at_limit) == 3000 and rules.length(at_limit) == 120
    assert rules.fits(at_limit)
    assert isinstance(network.post(make_draft(at_limit)), Posted)
    over = at_limit + "!"
    assert not rules.fits(over)
    with pytest.raises(Rejected, match=r"too long|3000"):
        network.post(make_draft(over))


# -- idempotency --------------------------------------------------------------------------------


def test_a_retry_of_the_same_draft_makes_no_second_record(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky]
) -> None:
    draft = make_draft()
    posted = connect(band).post(draft)
    before = all_posts(pds, band.did)

    # The run crashed between the post and the ledger write: the next run posts it again.
    with pytest.raises(AlreadyPosted) as raised:
        connect(band).post(draft)
    assert raised.value.posted == posted
    # Even with the text edited in between (a typo fixed), the key says it is the same post.
    with pytest.raises(AlreadyPosted) as again:
        connect(band).post(replace(draft, text=draft.text.replace("baru", "baru!")))
    assert again.value.posted is not None and again.value.posted.id == posted.id

    after = all_posts(pds, band.did)
    assert len(after) == len(before)
    assert [r["uri"] for r in after].count(posted.id) == 1


def test_two_drafts_whose_keys_collide_are_both_posted(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky]
) -> None:
    """Two entries published in the same microsecond, idempotency keys with one clock id."""
    seen: dict[int, str] = {}
    for n in itertools.count():
        key = f"bluesky:tour/show-{n}"
        clock = bsky.clock_id(key)
        if clock in seen:
            first_key, second_key = seen[clock], key
            break
        seen[clock] = key
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    first = make_draft(url="https://suarasenja.band/tour/a/", created_at=moment, key=first_key)
    second = make_draft(url="https://suarasenja.band/tour/b/", created_at=moment, key=second_key)
    assert draft_rkey(moment, first_key) == draft_rkey(moment, second_key)
    network = connect(band)

    one, two = network.post(first), network.post(second)
    assert rkey_of(one) == draft_rkey(moment, first_key)
    assert rkey_of(two) == draft_rkey(moment, second_key, candidate=1)
    assert get_record(pds, band.did, rkey_of(two))["value"]["text"] == second.text
    with pytest.raises(AlreadyPosted) as raised:
        network.post(second)
    assert raised.value.posted == two
    assert network.find_earlier(first) == one
    assert network.find_earlier(second) == two


def test_a_timeout_while_posting_may_have_sent_and_the_retry_is_safe(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band, timeout=3.0)
    network.prepare()
    draft = make_draft()
    rkey = draft_rkey(draft.created_at, draft.idempotency_key)
    pds.pause()
    try:
        with pytest.raises(Transient) as raised:
            network.post(draft)
    finally:
        pds.resume()
    assert raised.value.maybe_sent is True
    assert "no answer in time" in raised.value.message

    # The runner retries: whether or not the PDS went on to write it, there is one post.
    try:
        posted = network.post(draft)
    except AlreadyPosted as exc:
        assert exc.posted is not None
        posted = exc.posted
    assert posted.id == f"at://{band.did}/app.bsky.feed.post/{rkey}"
    assert [r["uri"] for r in all_posts(pds, band.did)].count(posted.id) == 1


# -- sessions and credentials -----------------------------------------------------------------


def test_one_login_for_several_posts(
    pds: PdsServer,
    connect: Callable[..., Bluesky],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = pds.create_account("suara-login")
    monkeypatch.chdir(tmp_path)
    network = connect(account)
    network.prepare()
    network.prepare()
    for _ in range(3):
        network.post(make_draft())
    assert pds.app_password_sessions(account) == 1
    assert len(all_posts(pds, account.did)) == 3
    # The session is kept nowhere but in memory.
    assert list(tmp_path.iterdir()) == []
    assert network.remembered == {}


def test_a_wrong_app_password_names_the_variable_and_hides_the_password(
    band: Account, connect: Callable[..., Bluesky], caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wxyz-abcd-efgh-ijkl"
    caplog.set_level(logging.DEBUG)
    network = connect(band, password=wrong)
    with pytest.raises(CredentialsError) as raised:
        network.prepare()
    assert raised.value.variable == PASSWORD_VARIABLE
    assert "band.test" in raised.value.message
    for text in (raised.value.message, str(raised.value), caplog.text):
        assert wrong not in text
    assert band.app_password not in caplog.text
    # post() without prepare() logs in too, and fails the same way.
    with pytest.raises(CredentialsError):
        network.post(make_draft())


def test_a_missing_app_password_names_the_variable(pds: PdsServer, band: Account) -> None:
    config = network_config("bluesky", {"handle": band.handle, "service": pds.base_url})
    with pytest.raises(CredentialsError) as raised:
        Bluesky(config, {}, timeout=5).prepare()
    assert raised.value.variable == PASSWORD_VARIABLE


def test_a_revoked_app_password_ends_the_session(
    pds: PdsServer,
    connect: Callable[..., Bluesky],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The access token runs out and its refresh is refused: ``ExpiredToken``."""
    account = pds.create_account("suara-revoked")
    network = connect(account)
    network.prepare()
    assert isinstance(network.post(make_draft()), Posted)
    pds.revoke_app_password(account)
    # Two hours on, the SDK refreshes the session before the next call; the PDS refuses.
    later = datetime.now(UTC) + timedelta(hours=2)
    client = network._client
    assert client is not None
    monkeypatch.setattr(client, "get_current_time", lambda: later)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CredentialsError) as raised:
        network.post(make_draft())
    assert raised.value.variable == PASSWORD_VARIABLE
    assert "ExpiredToken" in raised.value.message
    assert account.app_password not in raised.value.message + caplog.text
    # A new run cannot log in with it either.
    with pytest.raises(CredentialsError):
        connect(account).prepare()


def test_too_many_logins_are_transient_with_the_reset_time(
    pds: PdsServer, connect: Callable[..., Bluesky]
) -> None:
    """createSession allows 30 per 5 minutes per account: the 31st is a 429."""
    account = pds.create_account("suara-limited")
    # Use up the 30 logins cheaply (making the app password took one): a password over 512
    # characters is refused before any hashing, but still counts.
    statuses = []
    for _ in range(30):
        answer = requests.post(
            f"{pds.base_url}/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": "x" * 513},
            timeout=10,
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses == [401] * 29 + [429]
    started = time.time()
    with pytest.raises(Transient) as raised:
        connect(account).prepare()
    assert raised.value.maybe_sent is False
    assert raised.value.retry_after is not None
    assert 200 < raised.value.retry_after <= 300 + (time.time() - started) + 1
    assert "rate limited" in raised.value.message
    assert account.app_password not in raised.value.message


def test_a_service_that_does_not_answer_is_transient_and_not_sent(
    band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band, service=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(Transient) as raised:
        network.prepare()
    assert raised.value.maybe_sent is False
    assert "cannot connect" in raised.value.message


# -- after a crash --------------------------------------------------------------------------------


def test_find_earlier_looks_at_the_drafts_own_record_key(
    band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band)
    # An entry published years ago: its key sorts below every recent post, and is found.
    url = "https://suarasenja.band/news/first-demo/"
    old = make_draft(url=url, created_at=datetime(2019, 3, 1, 20, 0, tzinfo=WIB))
    assert network.find_earlier(old) is None
    posted = network.post(old)
    for _ in range(3):
        network.post(make_draft())
    assert network.find_earlier(old) == posted
    assert network.find_earlier(make_draft(url="https://suarasenja.band/news/never/")) is None


def test_find_earlier_cannot_tell_when_the_service_is_down(
    band: Account, connect: Callable[..., Bluesky]
) -> None:
    network = connect(band, service=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(CannotTell, match="cannot connect"):
        network.find_earlier(make_draft())


def test_checking_settings_does_not_load_the_sdk() -> None:
    code = (
        "import sys\n"
        "from fanpage.crosspost.options import network_config\n"
        "network_config('bluesky', {'handle': 'suarasenja.band'})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('atproto', 'atproto_client',"
        " 'httpx', 'PIL')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_gallery_arrives_with_its_four_photos_in_order_each_with_its_alt_under_1_mb(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky], tmp_path: Path
) -> None:
    photos = gallery_photos(tmp_path, big_first=True)
    assert photos[0].path.stat().st_size > 1_000_000  # a noisy 3000x2000: over the limit
    draft = replace(
        gallery_draft("bluesky", photos, limit=300), idempotency_key=f"g{next(_serial)}"
    )
    posted = connect(band).post(draft)

    value = get_record(pds, band.did, rkey_of(posted))["value"]
    embed = value["embed"]
    assert embed["$type"] == "app.bsky.embed.images"  # images win over the card
    assert [i["alt"] for i in embed["images"]] == list(ALTS)
    first = embed["images"][0]["aspectRatio"]
    assert first["height"] / first["width"] == pytest.approx(3000 / 2000, rel=0.01)  # upright
    for image in embed["images"]:
        assert image["image"]["mimeType"] == "image/jpeg"
        assert image["image"]["size"] < 1_000_000
        blob = xrpc(
            pds, "com.atproto.sync.getBlob", did=band.did, cid=image["image"]["ref"]["$link"]
        )
        assert len(blob.content) == image["image"]["size"] < 1_000_000
        assert private_metadata(blob.content) == []


def test_an_alt_text_longer_than_the_app_allows_is_clipped_at_a_word(
    pds: PdsServer, band: Account, connect: Callable[..., Bluesky], tmp_path: Path
) -> None:
    [photo, *_] = gallery_photos(tmp_path)
    long = replace(photo, alt="Lampu panggung jingga " * 120)  # 2640 characters
    draft = replace(gallery_draft("bluesky", [long], limit=300), idempotency_key="long-alt")
    posted = connect(band).post(draft)
    [image] = get_record(pds, band.did, rkey_of(posted))["value"]["embed"]["images"]
    assert len(graphemes(image["alt"])) <= 2000
    head = image["alt"].removesuffix("…")
    assert image["alt"].endswith("…") and long.alt.startswith(head + " ")  # a whole word
