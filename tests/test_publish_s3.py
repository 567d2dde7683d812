"""The s3:// target through boto3 against moto's S3 in server mode on 127.0.0.1.

Requests are counted where the server receives them (publish_support.start_moto), not in
the client under test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from publish_support import (
    SITE_V1,
    SITE_V2,
    Moto,
    aws_environment,
    read_tree,
    start_moto,
    write_site,
)

from fanpage.engine.build import build_site
from fanpage.publish import PublishError, TargetError, parse_target
from fanpage.publish.s3 import IMMUTABLE, SHORT, S3Target, cache_control
from tests.conftest import copy_demo

BUCKETS = (f"fanpage-test-{number}" for number in itertools.count())


@pytest.fixture(scope="module")
def moto() -> Iterator[Moto]:
    with start_moto() as server:
        yield server


@pytest.fixture
def s3(moto: Moto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A boto3 client for looking at the bucket, and a fresh bucket."""
    aws_environment(monkeypatch, tmp_path)
    client = boto3.client("s3", endpoint_url=moto.endpoint, region_name="us-east-1")
    bucket = next(BUCKETS)
    client.create_bucket(Bucket=bucket)
    moto.forget()
    return client, bucket


def target(moto: Moto, bucket: str, prefix: str = "site") -> S3Target:
    options = {"s3": {"endpoint_url": moto.endpoint, "region": "us-east-1"}}
    made = parse_target(f"s3://{bucket}/{prefix}", options=options)
    assert isinstance(made, S3Target)
    return made


def objects(client, bucket: str, prefix: str = "") -> dict[str, bytes]:
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The demo built, rebuilt unchanged, and rebuilt with one news entry edited."""
    tmp_path = tmp_path_factory.mktemp("demo-builds")
    site = tmp_path / "demo"
    site.mkdir()
    copy_demo(site)
    first, same, edited = tmp_path / "b1", tmp_path / "b2", tmp_path / "b3"
    build_site(site, publish=True, output=first)
    build_site(site, publish=True, output=same)
    entry = site / "content" / "news" / "2025-09-02-studio-diary.md"
    text = entry.read_text()
    text = text.replace("summary: Notes from six weeks", "summary: Notes from seven weeks")
    text = text.replace("For six weeks we rented", "For seven weeks we rented")
    entry.write_text(text)
    build_site(site, publish=True, output=edited)
    return first, same, edited


def test_first_deploy_uploads_everything_with_the_right_headers(
    moto: Moto, s3, demo_builds
) -> None:
    client, bucket = s3
    first, _, _ = demo_builds
    result = target(moto, bucket).publish(first)

    files = read_tree(first)
    assert set(result.added) == set(files) and result.changed
    assert objects(client, bucket, "site/") == {f"site/{rel}": body for rel, body in files.items()}
    want = {
        "index.html": "text/html; charset=utf-8",
        "news/studio-diary/index.html": "text/html; charset=utf-8",
        "feeds/all.atom.xml": "application/atom+xml; charset=utf-8",
        "feeds/news.rss.xml": "application/rss+xml; charset=utf-8",
        "feed.json": "application/feed+json; charset=utf-8",
        "tours.ics": "text/calendar; charset=utf-8",
        "sitemap.xml": "application/xml; charset=utf-8",
        "robots.txt": "text/plain; charset=utf-8",
        "theme/css/site.css": "text/css; charset=utf-8",
        "theme/js/share.js": "text/javascript; charset=utf-8",
        "theme/favicon.svg": "image/svg+xml",
        "images/cards/pages-contact.png": "image/png",
        "audio/pulang-01-pulang.wav": "audio/wav",
    }
    for rel, kind in want.items():
        head = client.head_object(Bucket=bucket, Key=f"site/{rel}")
        assert head["ContentType"] == kind, rel
        assert head["CacheControl"] == SHORT, rel  # these keep their names when they change
        assert len(head["Metadata"]["fanpage-sha256"]) == 64
    # The derived images carry their photo's digest in their names: cached for good.
    derived = {"jpg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
    for suffix, kind in derived.items():
        rel = next(r for r in files if r.startswith("images/band-") and r.endswith(suffix))
        head = client.head_object(Bucket=bucket, Key=f"site/{rel}")
        assert (head["ContentType"], head["CacheControl"]) == (kind, IMMUTABLE), rel
    assert "images/band.jpg" not in files  # never the original

    puts = moto.count("PUT", bucket)
    assert sorted(puts) == sorted(f"site/{rel}" for rel in files)  # each file once

    def group(key: str) -> int:  # 0 assets, 1 HTML, 2 feeds and sitemap
        rel = key.removeprefix("site/")
        if rel.endswith(".html"):
            return 1
        return 2 if rel.startswith(("feeds/", "feed")) or rel == "sitemap.xml" else 0

    groups = [group(key) for key in puts]
    assert groups == sorted(groups)  # assets, then HTML, then what lists the pages
    assert groups.count(2) == len([rel for rel in files if group(rel) == 2]) > 10


def test_a_changed_page_uploads_that_page_and_the_files_that_list_it(
    moto: Moto, s3, demo_builds
) -> None:
    client, bucket = s3
    first, same, edited = demo_builds
    deploy = target(moto, bucket)
    deploy.publish(first)

    moto.forget()
    again = deploy.publish(same)  # an identical rebuild: nothing to send
    assert not again.changed
    assert moto.count("PUT", bucket) == [] and moto.count("POST", bucket) == []

    before, after = read_tree(first), read_tree(edited)
    differ = {rel for rel in after if before.get(rel) != after[rel]}
    # the page, the listings it is on (its tag, page 2 of the news) and the feeds
    assert {"news/studio-diary/index.html", "tags/studio/index.html"} <= differ
    assert {"news/page/2/index.html", "feeds/news.atom.xml", "feed.json"} <= differ
    assert len(differ) < len(after) / 4  # most of the site stays as it is
    moto.forget()
    result = deploy.publish(edited)
    assert sorted(moto.count("PUT", bucket)) == sorted(f"site/{rel}" for rel in differ)
    assert set(result.updated) == differ and not result.added and not result.deleted
    assert result.unchanged == len(after) - len(differ)
    assert "images/news/studio.jpg" not in differ  # the page's image is not sent again
    body = client.get_object(Bucket=bucket, Key="site/news/studio-diary/index.html")["Body"]
    assert b"For seven weeks" in body.read()


def test_a_removed_page_is_deleted_after_the_new_ones_are_in(
    moto: Moto, s3, tmp_path: Path
) -> None:
    client, bucket = s3
    client.put_object(Bucket=bucket, Key="other/keep.txt", Body=b"not the site's")
    client.put_object(Bucket=bucket, Key="site2/index.html", Body=b"another site")
    deploy = target(moto, bucket)
    deploy.publish(write_site(tmp_path / "v1", SITE_V1))
    moto.forget()

    plan = deploy.plan(write_site(tmp_path / "v2", SITE_V2))
    assert plan.added == ("news/second/index.html",)
    assert set(plan.changed) == {"index.html", "feeds/all.atom.xml"}
    assert plan.deleted == ("news/old/index.html",)
    assert moto.count("PUT", bucket) == [] and moto.count("POST", bucket) == []

    result = deploy.publish(tmp_path / "v2")
    assert result.deleted == ("news/old/index.html",)
    stored = objects(client, bucket)
    assert "site/news/old/index.html" not in stored
    assert stored["other/keep.txt"] == b"not the site's"
    assert stored["site2/index.html"] == b"another site"
    assert {key: body for key, body in stored.items() if key.startswith("site/")} == {
        f"site/{rel}": body for rel, body in read_tree(tmp_path / "v2").items()
    }
    requests = [(method, path) for method, path in moto.requests if method in ("PUT", "POST")]
    assert [method for method, _ in requests] == ["PUT", "PUT", "PUT", "POST"]
    assert {path for _, path in requests[:2]} == {  # the pages first (in parallel),
        f"/{bucket}/site/index.html",
        f"/{bucket}/site/news/second/index.html",
    }
    assert requests[2][1] == f"/{bucket}/site/feeds/all.atom.xml"  # then the feed listing them
    assert requests[3][1] == f"/{bucket}"  # and DeleteObjects (POST /bucket?delete) at the end


def test_a_failed_upload_leaves_the_old_objects(moto: Moto, s3, tmp_path: Path) -> None:
    client, bucket = s3
    deploy = target(moto, bucket)
    deploy.publish(write_site(tmp_path / "v1", SITE_V1))
    old = objects(client, bucket)
    moto.refuse.add(f"/{bucket}/site/index.html")
    try:
        with pytest.raises(PublishError) as caught:
            deploy.publish(write_site(tmp_path / "v2", SITE_V2))
    finally:
        moto.refuse.clear()
    message = str(caught.value)
    assert "index.html" in message and "AccessDenied" in message and "\n" not in message
    now = objects(client, bucket)
    assert now["site/index.html"] == old["site/index.html"]
    assert now["site/news/old/index.html"] == old["site/news/old/index.html"]  # not deleted
    assert now["site/feeds/all.atom.xml"] == old["site/feeds/all.atom.xml"]  # feeds wait
    assert moto.count("POST", bucket) == []


def test_fingerprinted_assets_are_immutable(moto: Moto, s3, tmp_path: Path) -> None:
    client, bucket = s3
    build = write_site(
        tmp_path / "fp",
        {
            **SITE_V1,
            "theme/css/site.3f9a1c2b.css": "body{}",
            "assets/app-9c1e22d0ab.min.js": "0",
            "static/logo.png": b"\x89PNG",
        },
    )
    S3Target(bucket, "", endpoint_url=moto.endpoint, immutable=["static"]).publish(build)
    for key, cache in {
        "theme/css/site.3f9a1c2b.css": IMMUTABLE,
        "assets/app-9c1e22d0ab.min.js": IMMUTABLE,
        "static/logo.png": IMMUTABLE,
        "theme/css/site.css": SHORT,
        "index.html": SHORT,
        "feeds/all.atom.xml": SHORT,
    }.items():
        assert client.head_object(Bucket=bucket, Key=key)["CacheControl"] == cache, key


def test_cache_rules_do_not_mistake_dates_and_words_for_hashes() -> None:
    assert cache_control("images/cards/news-2025-01-10-lampu-jalan-tour.png") == SHORT
    assert cache_control("calendar/tour-20261114.ics") == SHORT
    assert cache_control("images/deadbeefcafe.jpg") == SHORT  # no dot or dash before it
    assert cache_control("news/defacedcafe/index.html") == SHORT
    assert cache_control("theme/css/style.3f9a1c2b.css") == IMMUTABLE
    assert cache_control("images/shows/01-hall-df0e1a70-960.webp") == IMMUTABLE
    assert cache_control("images/band-2a143b7f-thumb.jpg") == IMMUTABLE
    assert cache_control("images/cover-1200.jpg") == SHORT  # a width alone is no digest


def test_credentials_are_never_shown(
    moto: Moto, s3, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = target(moto, "no-such-bucket-here")
    with pytest.raises(PublishError) as caught:
        missing.publish(write_site(tmp_path / "v1", SITE_V1))
    assert "NoSuchBucket" in str(caught.value)
    shown = str(caught.value) + missing.describe() + "".join(capsys.readouterr())
    assert "fanpage-test-secret-never-printed" not in shown and "fanpage-test-key" not in shown


def test_s3_target_strings() -> None:
    made = parse_target(
        "s3://band-site/www/",
        options={"s3": {"endpoint_url": "https://r2.example.org", "region": "auto"}},
    )
    assert isinstance(made, S3Target)
    assert (made.bucket, made.prefix, made.endpoint_url, made.region) == (
        "band-site",
        "www/",
        "https://r2.example.org",
        "auto",
    )
    assert parse_target("s3://band-site").prefix == ""
    assert parse_target("s3://band-site/a/b").prefix == "a/b/"
    with pytest.raises(TargetError, match="endpoint_url"):
        parse_target("s3://band-site", options={"s3": {"endpoint": "x"}})
    for bad in ("s3://", "s3://Bad_Bucket!/x", "s3:/band-site"):
        with pytest.raises(TargetError):
            parse_target(bad)
