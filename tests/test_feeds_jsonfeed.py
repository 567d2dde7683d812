"""Every JSON Feed the demo writes, against the JSON Feed 1.1 schema with formats checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from fanpage.config import load_config
from fanpage.content.models import section_of
from fanpage.content.site import load_content
from fanpage.feeds import ids

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "jsonfeed-1.1.schema.json"
SITEURL = "https://suarasenja.band"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    checker = jsonschema.FormatChecker()
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def test_the_format_checker_really_checks_dates_and_uris(validator) -> None:
    assert {"date-time", "uri"} <= set(validator.format_checker.checkers)
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "home_page_url": "not a uri"})
    assert not validator.is_valid({**good, "feed_url": "/feed.json"})  # relative: not a URI
    item = {"id": "1", "content_html": "<p>x</p>", "date_published": "2026-03-02T10:00:00+07:00"}
    assert validator.is_valid({**good, "items": [item]})
    assert not validator.is_valid({**good, "items": [{**item, "date_published": "2026-03-02"}]})
    assert not validator.is_valid({**good, "items": [{**item, "date_published": "yesterday"}]})


def test_every_json_feed_of_the_demo_is_valid(demo_publish: Path, validator) -> None:
    feeds = sorted(demo_publish.glob("feed*.json"))
    assert [p.name for p in feeds] == ["feed-id.json", "feed.json"]
    for path in feeds:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_bytes()))]
        assert errors == [], f"{path.name}: {errors}"


def test_json_feed_contents_follow_the_model(demo_publish: Path) -> None:
    config = load_config(ROOT, publish=True)
    content = load_content(config.content)
    feed = json.loads((demo_publish / "feed.json").read_bytes())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITEURL}/feed.json"
    assert feed["home_page_url"] == f"{SITEURL}/"
    assert feed["language"] == "en"
    assert "hubs" not in feed  # the demo configures no WebSub hub
    wanted = sorted(
        (e for e in content.published() if section_of(e) and e.lang == "en"),
        key=lambda e: (-e.date.timestamp(), e.uid),
    )[: config.pelican["FEED_MAX_ITEMS"]]
    assert [item["id"] for item in feed["items"]] == [ids.entry_id(e.uid) for e in wanted]
    for item, entry in zip(feed["items"], wanted, strict=True):
        assert item["title"] == entry.title
        assert item["date_published"] == entry.date.isoformat()
        assert ("date_modified" in item) == (entry.modified is not None)
        assert item["url"].startswith(f"{SITEURL}/")
        assert item["content_html"] and item["summary"]
        assert item.get("tags", []) == list(entry.tags)
        if entry.share_image:  # its derived JPEG (the original is not published)
            image = item["image"].removeprefix(f"{SITEURL}/")
            stem = entry.share_image.rsplit(".", 1)[0]
            assert re.fullmatch(rf"{re.escape(stem)}-[0-9a-f]{{8}}-\d+\.jpg", image), image
            assert (demo_publish / image).is_file()
        previews = [t for t in getattr(entry, "tracks", ()) if t.preview]
        attachments = item.get("attachments", [])
        audio = [a for a in attachments if a["mime_type"].startswith("audio/")]
        assert [a["url"] for a in audio] == [f"{SITEURL}/{t.preview}" for t in previews]
        for attachment in audio:
            assert attachment["size_in_bytes"] > 0
        photos = [a for a in attachments if a["mime_type"].startswith("image/")]
        assert len(audio) + len(photos) == len(attachments)
        assert [a["title"] for a in photos] == [p.alt for p in getattr(entry, "photos", ())]
        for attachment in photos:
            assert (demo_publish / attachment["url"].removeprefix(f"{SITEURL}/")).is_file()
