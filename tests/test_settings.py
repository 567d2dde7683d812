"""Settings: one typed object from the declarations, every bad value reported as
``pelicanconf.py:LINE: message`` by ``check``, before a build could fail on it."""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path

import pytest
from factories import settings as make_settings

from fanpage import settings as declared
from fanpage.config import load_config
from fanpage.content.problems import ContentError
from fanpage.crosspost.network import NetworkConfig
from fanpage.engine.build import build_site, check_site
from fanpage.settings import SETTINGS, Settings

HEAD = 'SITENAME = "T"\n'  # line 1; each case's setting is on line 2
PAGE = {"pages/a.md": "---\ntitle: A\n---\n"}


def problems_of(site: Path) -> list[str]:
    return [str(problem) for problem in check_site(site).problems.sorted()]


# (setting line, the message it gets on line 2)
BAD_VALUES: list[tuple[str, str]] = [
    ('TIMEZONE = "Asia/Jakrta"', 'TIMEZONE "Asia/Jakrta" is not a known IANA time zone'),
    ('SITEURL = "band.example"', 'SITEURL "band.example" must be empty or start with https://'),
    ('WEBSUB_HUB = "hub.example"', 'WEBSUB_HUB "hub.example" must start with https://'),
    (
        'SOCIAL_PROFILES = {"x": "x.com/band"}',
        'SOCIAL_PROFILES["x"] "x.com/band" must start with https://',
    ),
    ("LANGUAGES = []", "LANGUAGES must be a non-empty list of language codes"),
    ('LANGUAGES = ["en", ""]', "LANGUAGES must be a non-empty list of language codes"),
    ("FEED_MAX_ITEMS = 0", "FEED_MAX_ITEMS must be a positive number, not 0"),
    ("SHOW_DURATION_MINUTES = -5", "SHOW_DURATION_MINUTES must be a positive number, not -5"),
    ("CALENDAR_REFRESH_HOURS = 0", "CALENDAR_REFRESH_HOURS must be a positive number, not 0"),
    ("NEWS_PER_PAGE = 0", "NEWS_PER_PAGE must be a positive number, not 0"),
    ('ARTIST_TYPE = "band"', 'ARTIST_TYPE "band" must be "group" or "person"'),
    ("CROSSPOST_TIMEOUT = 0", "CROSSPOST_TIMEOUT must be a positive number of seconds, not 0"),
    (
        "CROSSPOST_TIMEOUT = True",
        "CROSSPOST_TIMEOUT must be a positive number of seconds, not True",
    ),
    (
        "CROSSPOST_RETRY_SECONDS = -1",
        "CROSSPOST_RETRY_SECONDS must be a positive number of seconds, not -1",
    ),
    ('CARD_COLORS = ("#fff", "#000")', 'CARD_COLORS must be two colours "#rrggbb"'),
    ('CARD_COLORS = ["#16324a"]', 'CARD_COLORS must be two colours "#rrggbb"'),
    ("SITENAME = 3", "SITENAME must be a str, not 3"),
    ('WRITE_FEEDS = "yes"', "WRITE_FEEDS must be a bool, not 'yes'"),
    ('DEFAULT_LANG = "fr"', 'DEFAULT_LANG "fr" is not in LANGUAGES'),
    ('CARD_FONT = "fonts/none.ttf"', 'CARD_FONT "fonts/none.ttf" does not exist'),
    ('CARD_FONT = "pelicanconf.py"', 'CARD_FONT "pelicanconf.py" is not a font file'),
    ('THEME = "no-theme"', 'THEME "no-theme" is not a folder'),
    (
        'PLUGINS = ["no_such_plugin"]',
        'PLUGINS: "no_such_plugin" is neither in PLUGIN_PATHS nor an installed Pelican plugin',
    ),
]


@pytest.mark.parametrize(("line", "message"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_each_bad_setting_is_reported_at_its_line(
    make_site: Callable[..., Path], line: str, message: str
) -> None:
    site = make_site(PAGE, conf=HEAD + line + "\n")
    found = problems_of(site)
    assert any(f"pelicanconf.py:2: {message}" in problem for problem in found), found


def test_a_problem_inside_crosspost_names_the_line_of_its_network(
    make_site: Callable[..., Path],
) -> None:
    conf = HEAD + "CROSSPOST = {\n" + '    "myspace": {},\n' + "}\n"
    found = problems_of(make_site(PAGE, conf=conf))
    assert any('pelicanconf.py:3: CROSSPOST: "myspace" is not a network' in p for p in found)


def test_check_catches_a_card_font_the_build_would_fail_on(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """A missing CARD_FONT used to pass ``check`` and fail the build with "cannot open
    resource"; now the build refuses at the setting's line and writes nothing."""
    conf = HEAD + 'CARD_FONT = "fonts/Missing.ttf"\n'
    site = make_site(PAGE, conf=conf, siteurl="https://band.example")
    with pytest.raises(ContentError, match=r"pelicanconf\.py:2: CARD_FONT"):
        build_site(site, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("{bad", "syndication.json:1:", "cannot read the syndication ledger"),
        ('{\n  "version": 2,\n  "records": [\n', "syndication.json:4:", "cannot read"),
        ('{"version": 9}', "syndication.json:1:", "not a syndication ledger"),
    ],
)
def test_an_unreadable_ledger_is_reported_by_check(
    make_site: Callable[..., Path], text: str, where: str, message: str
) -> None:
    site = make_site(PAGE, conf=HEAD)
    (site / "syndication.json").write_text(text)
    found = problems_of(site)
    assert [p for p in found if p.startswith(f"{where} {message}")], found
    assert not any(str(site) in p for p in found)  # the file is named once, site-relative


def test_a_good_ledger_and_no_ledger_pass(make_site: Callable[..., Path]) -> None:
    site = make_site(PAGE, conf=HEAD)
    assert problems_of(site) == []
    (site / "syndication.json").write_text(json.dumps({"version": 2, "records": {}}))
    assert problems_of(site) == []


def test_build_strict_fails_on_the_siteurl_warning(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site(PAGE, conf=HEAD + 'SITEURL = ""\nWRITE_FEEDS = False\n')
    checked = build_site(site, output=tmp_path / "dev")
    [warning] = checked.problems.warnings
    assert "pelicanconf.py:2: warning: SITEURL is empty" in str(warning)
    with pytest.raises(ContentError, match="SITEURL is empty"):
        build_site(site, output=tmp_path / "strict", strict=True)


def test_pelicans_own_warnings_keep_the_file_pelican_names(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n![](images/c.jpg)\n",
            "images/c.jpg": b"\xff\xd8\xff",
        },
        conf=HEAD + "WRITE_FEEDS = False\n",
        siteurl="https://band.example",
    )
    checked = build_site(site, publish=True, output=tmp_path / "out")
    found = [str(p) for p in checked.problems.warnings if "pelican:" in p.message]
    assert any(
        p.startswith("content/news/a.md: warning: pelican: Empty alt attribute") for p in found
    ), found


# -- the typed object ------------------------------------------------------------------------


def test_every_declaration_is_one_typed_attribute() -> None:
    declared_names = [setting.name.lower() for setting in SETTINGS]
    attributes = [f.name for f in fields(Settings)]
    assert attributes[: len(declared_names)] == declared_names
    assert attributes[len(declared_names) :] == [
        "site_dir",
        "content_dir",
        "output_dir",
        "publish",
        "source",
        "lines",
    ]
    hints = typing.get_type_hints(Settings, {**vars(declared), "NetworkConfig": NetworkConfig})
    defaults = make_settings()
    for name in declared_names:
        assert _conforms(getattr(defaults, name), hints[name]), (name, hints[name])


def _conforms(value: object, hint: object) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is not None:
        return isinstance(value, Mapping if origin is Mapping else origin)
    return isinstance(value, hint) if isinstance(hint, type) else True


def test_the_demo_settings_as_typed_attributes() -> None:
    root = Path(__file__).resolve().parent.parent
    config = load_config(root, publish=True)
    settings = config.settings
    assert settings.sitename == settings.artist_name == "Suara Senja"
    assert settings.siteurl == "https://suarasenja.band"
    assert settings.languages == ("en", "id") and settings.default_lang == "en"
    assert settings.write_feeds is True  # publish builds always write feeds
    assert settings.publish is True and settings.site_dir == root
    assert settings.content_dir == root / "content"
    assert all(isinstance(c, NetworkConfig) for c in settings.crosspost.values())
    assert settings.crosspost_timeout == 20.0 and settings.ledger_path == "syndication.json"
    with pytest.raises(TypeError):
        settings.social_profiles["x"] = "https://x.com/band"  # type: ignore[index]
    text = (root / "publishconf.py").read_text().splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("SITEURL ="))
    assert settings.where("SITEURL") == ("publishconf.py", line)
    with pytest.raises(AttributeError):
        settings.sitename = "Other"  # type: ignore[misc]
    assert load_config(root).settings.write_feeds is False  # as pelicanconf.py says


def test_a_city_written_as_the_site_time_zone_gets_its_zone_suggested(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "pelicanconf.py").write_text('SITENAME = "Band"\nTIMEZONE = "Melbourne"\n')
    messages = [str(p) for p in load_config(tmp_path).problems.errors]
    assert len(messages) == 1 and messages[0].endswith(
        'pelicanconf.py:2: TIMEZONE "Melbourne" is not a known IANA time zone '
        "(did you mean Australia/Melbourne?)"
    )


# -- image sizes (fanpage.media) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("IMAGE_WIDTHS = ()", "IMAGE_WIDTHS must be a non-empty list of widths in pixels"),
        ("IMAGE_WIDTHS = (480, 8001)", "IMAGE_WIDTHS must be a non-empty list of widths"),
        ("IMAGE_WIDTHS = [15, 960]", "IMAGE_WIDTHS must be a non-empty list of widths"),
        ('IMAGE_WIDTHS = ["960"]', "IMAGE_WIDTHS must be a non-empty list of widths"),
        ("IMAGE_WIDTHS = (True, 960)", "IMAGE_WIDTHS must be a non-empty list of widths"),
        ("IMAGE_WIDTHS = 960", "IMAGE_WIDTHS must be a list, not 960"),
        ("IMAGE_THUMBNAIL_SIZE = 0", "IMAGE_THUMBNAIL_SIZE must be a side in pixels from 16"),
        ("IMAGE_THUMBNAIL_SIZE = 9000", "IMAGE_THUMBNAIL_SIZE must be a side in pixels"),
        ("IMAGE_THUMBNAIL_SIZE = True", "IMAGE_THUMBNAIL_SIZE must be a side in pixels"),
        ('IMAGE_THUMBNAIL_SIZE = "400"', "IMAGE_THUMBNAIL_SIZE must be a int, not '400'"),
    ],
)
def test_a_bad_image_size_is_reported_at_its_line(
    make_site: Callable[..., Path], line: str, message: str
) -> None:
    found = problems_of(make_site(PAGE, conf=HEAD + line + "\n"))
    assert any(f"pelicanconf.py:2: {message}" in problem for problem in found), found


def test_image_sizes_default_and_are_normalised(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "pelicanconf.py").write_text('SITENAME = "Band"\n')
    settings = load_config(tmp_path).settings
    assert settings.image_widths == (480, 960, 1600)
    assert settings.image_thumbnail_size == 400
    conf = 'SITENAME = "Band"\nIMAGE_WIDTHS = [1200, 320, 1200, 640]\nIMAGE_THUMBNAIL_SIZE = 256\n'
    (tmp_path / "pelicanconf.py").write_text(conf)
    config = load_config(tmp_path)
    assert not config.problems.errors
    assert config.settings.image_widths == (320, 640, 1200)  # sorted, each once
    assert config.settings.image_thumbnail_size == 256
