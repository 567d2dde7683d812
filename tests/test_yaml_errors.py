"""YAML mistakes in front matter: reported at the line where the mistake is, that line quoted
with a caret under it, in plain words (issue 15).

LibYAML stops where it can no longer go on, often lines after the mistake, and says so in
parser terms; ``fanpage.content.yaml_errors`` finds the mistake itself. The corpus below is the
mistakes a person makes, each with the line it must be reported on and the whole output of
``fanpage check``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from click.testing import CliRunner

from fanpage.cli import main
from fanpage.content.frontmatter import _fences, load_yaml
from fanpage.content.problems import FieldError
from fanpage.content.yaml_errors import _Reader, explain, quote_line

ROOT = Path(__file__).resolve().parent.parent
# LibYAML's words, which an artist should never have to read.
JARGON = re.compile(r"expected|indicator|token|scalar|context|stream|node|mapping values")

TOUR = """\
---
title: Gelombang Tour
shows:
  - date: 2026-12-05 20:00
    venue: Sabuga
    city: Bandung
    country: ID
  - date: 2026-12-12 20:00
    venue: Corner Hotel
    city: Melbourne
    timezone: Australia/Melbourne
    country: AU
---
"""
ALBUM = """\
---
title: Kota Hujan
release_date: 2026-10-03
tags: [folk, rain]
summary: Eleven songs about rain.
tracks:
  - title: Gerimis
    duration: "3:45"
links:
  spotify: https://open.spotify.com/album/kotahujan
  bandcamp: https://suarasenja.bandcamp.com/album/kota-hujan
---
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


class Case(NamedTuple):
    mistake: str
    path: str  # under content/
    text: str
    line: int  # where the mistake is
    message: str
    excerpt: str  # the line quoted, and the caret


CORPUS: list[Case] = [
    Case(
        "show key indented too deep",
        "tours/t.md",
        edit(TOUR, "    city: Melbourne", "     city: Melbourne"),
        10,
        (
            'malformed YAML: this line is indented 5 spaces; "city" must line up with "venue"'
            " above it (4 spaces)"
        ),
        "    10 |      city: Melbourne\n       |      ^\n",
    ),
    Case(
        "show key indented too shallow",
        "tours/t.md",
        edit(TOUR, "    city: Bandung", "   city: Bandung"),
        6,
        (
            'malformed YAML: this line is indented 3 spaces; "city" must line up with "venue"'
            " above it (4 spaces)"
        ),
        "    6 |    city: Bandung\n      |    ^\n",
    ),
    Case(
        "show key at the dash",
        "tours/t.md",
        edit(TOUR, "    city: Bandung", "  city: Bandung"),
        6,
        (
            'malformed YAML: this line is indented 2 spaces; "city" must line up with "venue"'
            " above it (4 spaces)"
        ),
        "    6 |   city: Bandung\n      |   ^\n",
    ),
    Case(
        "show key dedented to the top",
        "tours/t.md",
        edit(TOUR, "    city: Bandung", "city: Bandung"),
        6,
        (
            'malformed YAML: this line is not indented; "city" must line up with "venue" '
            'above it (4 spaces), like "country" below it'
        ),
        "    6 | city: Bandung\n      | ^\n",
    ),
    Case(
        "tab in the indentation",
        "tours/t.md",
        edit(TOUR, "    venue: Sabuga", "\tvenue: Sabuga"),
        5,
        ("malformed YAML: tabs are not allowed in front matter; use spaces"),
        "    5 | →venue: Sabuga\n      | ^\n",
    ),
    Case(
        "unclosed double quote",
        "albums/a.md",
        edit(ALBUM, "title: Kota Hujan", 'title: "Kota Hujan'),
        2,
        (
            'malformed YAML: the " opened here is never closed: end the value with another ",'
            " or remove it"
        ),
        '    2 | title: "Kota Hujan\n      |        ^\n',
    ),
    Case(
        "unclosed single quote",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: 'Eleven songs about rain."),
        5,
        (
            "malformed YAML: the ' opened here is never closed: end the value with another ',"
            " or remove it"
        ),
        "    5 | summary: 'Eleven songs about rain.\n      |          ^\n",
    ),
    Case(
        "unclosed bracket",
        "albums/a.md",
        edit(ALBUM, "tags: [folk, rain]", "tags: [folk, rain"),
        4,
        ('malformed YAML: the "[" opened here is never closed with "]"'),
        "    4 | tags: [folk, rain\n      |       ^\n",
    ),
    Case(
        "one bracket too many",
        "albums/a.md",
        edit(ALBUM, "tags: [folk, rain]", "tags: [folk, rain]]"),
        4,
        ('malformed YAML: this "]" closes nothing: delete it, or put the value in quotes'),
        "    4 | tags: [folk, rain]]\n      |                   ^\n",
    ),
    Case(
        "no space after the colon",
        "tours/t.md",
        edit(TOUR, "    venue: Sabuga", "    venue:Sabuga"),
        5,
        ('malformed YAML: put a space after the colon: write "venue: Sabuga"'),
        "    5 |     venue:Sabuga\n      |           ^\n",
    ),
    Case(
        "no space after the colon at the top",
        "albums/a.md",
        edit(ALBUM, "release_date: 2026-10-03", "release_date:2026-10-03"),
        3,
        ('malformed YAML: put a space after the colon: write "release_date: 2026-10-03"'),
        "    3 | release_date:2026-10-03\n      |              ^\n",
    ),
    Case(
        "key value without a colon",
        "albums/a.md",
        edit(ALBUM, "release_date: 2026-10-03", "release_date 2026-10-03"),
        3,
        (
            'malformed YAML: "release_date" needs a colon after it to be a key: write '
            '"release_date: 2026-10-03"'
        ),
        "    3 | release_date 2026-10-03\n      |             ^\n",
    ),
    Case(
        "list item at the wrong level",
        "tours/t.md",
        edit(TOUR, "  - date: 2026-12-12 20:00", "    - date: 2026-12-12 20:00"),
        8,
        (
            'malformed YAML: this list item is indented 4 spaces; its "-" must line up with '
            'the "-" of the item above it (2 spaces)'
        ),
        "    8 |     - date: 2026-12-12 20:00\n      |     ^\n",
    ),
    Case(
        "list item outdented",
        "tours/t.md",
        edit(
            TOUR,
            "  - date: 2026-12-12 20:00\n    venue: Corner Hotel",
            "- date: 2026-12-12 20:00\n  venue: Corner Hotel",
        ),
        8,
        (
            'malformed YAML: this list item is not indented; its "-" must line up with the '
            '"-" of the item above it (2 spaces)'
        ),
        "    8 | - date: 2026-12-12 20:00\n      | ^\n",
    ),
    Case(
        "duplicate key",
        "albums/a.md",
        edit(
            ALBUM,
            "summary: Eleven songs about rain.",
            "summary: Eleven songs about rain.\ntitle: Kota Hujan (Deluxe)",
        ),
        6,
        ('key "title" appears twice (first on line 2): delete one of them'),
        "    6 | title: Kota Hujan (Deluxe)\n      | ^\n",
    ),
    Case(
        "a stray dash",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: Eleven songs about rain.\n-"),
        6,
        (
            'malformed YAML: a stray "-": a list item cannot stand among keys; delete it, or '
            'put the list under its key ("tags:", then "  - rock")'
        ),
        "    6 | -\n      | ^\n",
    ),
    Case(
        "a list item where a key belongs",
        "albums/a.md",
        edit(
            ALBUM, "summary: Eleven songs about rain.", "summary: Eleven songs about rain.\n- rain"
        ),
        6,
        (
            'malformed YAML: this line starts a list item ("- "), but no list is open here: '
            'put the list under its key ("tags:", then "  - rock"), or delete the "-"'
        ),
        "    6 | - rain\n      | ^\n",
    ),
    Case(
        "list on the line of its key",
        "albums/a.md",
        edit(ALBUM, "tags: [folk, rain]", "tags: - folk"),
        4,
        (
            "malformed YAML: a list cannot start on the line of its key: put each item on a "
            'line of its own under "tags:", starting with "- "'
        ),
        "    4 | tags: - folk\n      |       ^\n",
    ),
    Case(
        "value starting with @",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: @suarasenja on rain"),
        5,
        (
            'malformed YAML: a value cannot start with "@" unless it is in quotes: write '
            'summary: "@suarasenja on rain"'
        ),
        "    5 | summary: @suarasenja on rain\n      |          ^\n",
    ),
    Case(
        "value starting with a backtick",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: `Hujan` is rain"),
        5,
        (
            'malformed YAML: a value cannot start with "`" unless it is in quotes: write '
            'summary: "`Hujan` is rain"'
        ),
        "    5 | summary: `Hujan` is rain\n      |          ^\n",
    ),
    Case(
        "value starting with %",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: %100 rain"),
        5,
        (
            'malformed YAML: a value cannot start with "%" unless it is in quotes: write '
            'summary: "%100 rain"'
        ),
        "    5 | summary: %100 rain\n      |          ^\n",
    ),
    Case(
        "value starting with *",
        "albums/a.md",
        edit(ALBUM, "summary: Eleven songs about rain.", "summary: *new* songs"),
        5,
        (
            'malformed YAML: a value cannot start with "*" unless it is in quotes: write '
            'summary: "*new* songs"'
        ),
        "    5 | summary: *new* songs\n      |          ^\n",
    ),
    Case(
        "colon and space inside a value",
        "albums/a.md",
        edit(ALBUM, "title: Kota Hujan", "title: Kota Hujan: Live"),
        2,
        (
            'malformed YAML: this value contains ": ", which YAML reads as the start of '
            'another key: put the value in quotes: title: "Kota Hujan: Live"'
        ),
        "    2 | title: Kota Hujan: Live\n      |                  ^\n",
    ),
    Case(
        "text after the closing quote",
        "albums/a.md",
        edit(ALBUM, "title: Kota Hujan", 'title: "Kota" Hujan'),
        2,
        (
            'malformed YAML: text follows the closing ": put the whole value in quotes: '
            "title: '\"Kota\" Hujan'"
        ),
        '    2 | title: "Kota" Hujan\n      |               ^\n',
    ),
    Case(
        "apostrophe inside single quotes",
        "albums/a.md",
        edit(ALBUM, "title: Kota Hujan", "title: 'Don't Go'"),
        2,
        (
            "malformed YAML: this apostrophe ends the text quoted with ': write title: \"Don't"
            " Go\" (or write the apostrophe twice: '')"
        ),
        "    2 | title: 'Don't Go'\n      |            ^\n",
    ),
    Case(
        "first key indented",
        "albums/a.md",
        edit(ALBUM, "title: Kota Hujan", " title: Kota Hujan"),
        2,
        (
            "malformed YAML: this line is indented 1 space; the keys at the top of the front "
            "matter start at the beginning of the line"
        ),
        "    2 |  title: Kota Hujan\n      |  ^\n",
    ),
    Case(
        "nested key indented too shallow",
        "albums/a.md",
        edit(ALBUM, "  bandcamp:", " bandcamp:"),
        11,
        (
            'malformed YAML: this line is indented 1 space; "bandcamp" must line up with '
            '"spotify" above it (2 spaces)'
        ),
        "    11 |  bandcamp: https://suarasenja.bandcamp.com/album/kota-hujan\n       |  ^\n",
    ),
    Case(
        "lyrics line less indented than the first",
        "albums/a.md",
        edit(
            ALBUM,
            '    duration: "3:45"',
            '    duration: "3:45"\n    lyrics: |\n      Gerimis turun\n     pelan-pelan',
        ),
        11,
        (
            'malformed YAML: this line of the "lyrics" text is indented 5 spaces; every line '
            "of it must be indented at least as far as its first line (6 spaces)"
        ),
        "    11 |      pelan-pelan\n       |      ^\n",
    ),
    Case(
        "tab after a list dash",
        "tours/t.md",
        edit(TOUR, "  - date: 2026-12-12 20:00", "  -\tdate: 2026-12-12 20:00"),
        8,
        ("malformed YAML: tabs are not allowed in front matter; use spaces"),
        "    8 |   -→date: 2026-12-12 20:00\n      |    ^\n",
    ),
    Case(
        "track key indented too deep",
        "albums/a.md",
        edit(ALBUM, '    duration: "3:45"', '      duration: "3:45"'),
        8,
        (
            'malformed YAML: this line is indented 6 spaces; "duration" must line up with '
            '"title" above it (4 spaces)'
        ),
        '    8 |       duration: "3:45"\n      |       ^\n',
    ),
]


def test_the_corpus_is_the_files_before_the_mistake_made() -> None:
    """Each file of the corpus is the valid TOUR or ALBUM with one mistake made in it."""
    for valid in (TOUR, ALBUM):
        lines, end = _fences(valid)
        assert isinstance(load_yaml("\n".join(lines[1:end]), 1), dict)
    assert len(CORPUS) >= 10
    assert all(case.text not in (TOUR, ALBUM) for case in CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case.mistake for case in CORPUS])
def test_each_mistake_is_reported_at_its_line_quoted(
    make_site: Callable[..., Path], case: Case
) -> None:
    site = make_site({case.path: case.text})
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 1
    assert result.output == (
        f"content/{case.path}:{case.line}: {case.message}\n"
        f"{case.excerpt}"
        "1 error(s), 0 warning(s): failed\n"
    )
    # The quoted line is the file's own line of that number.
    quoted = case.excerpt.split("\n")[0].split(" | ", 1)[1]
    assert quoted == case.text.split("\n")[case.line - 1].replace("\t", "\u2192")


def test_a_build_reports_the_mistake_the_same_way(make_site: Callable[..., Path]) -> None:
    case = CORPUS[0]
    site = make_site({case.path: case.text})
    out = site / "out"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(out)])
    assert result.exit_code == 1
    assert f"content/{case.path}:{case.line}: {case.message}\n{case.excerpt}" in result.output
    assert not (out / "index.html").exists()


# -- valid YAML is never second-guessed ----------------------------------------------------

VALID = [
    "title: T\ntags:\n- a\n- b\ndate: 2026-01-01\n",  # a list at its key's indentation
    'title: "a quoted title\n  over two lines"\ndate: 2026-01-01\n',
    "title: 'it''s'\n",
    "tags: [a,\n  b, c]\ndate: 2026-01-01\n",
    "links: {spotify: https://x.example,\n  bandcamp: https://y.example}\n",
    "summary: >-\n  folded\n  text\n\n  more\ndate: 2026-01-01\n",
    "# a comment\ntitle: T  # and another\n\nsummary: a long\n  summary going on\n  and on\n",
    "\"quoted key\": v\n'other': w\n",
    "shows:\n  - date: 2026-01-01\n    support:\n      - A\n      - B\n    notes: |\n"
    "      x: y\n        deeper\n  -   date: 2026-01-02\n      city: C\n",
    "tracks:\n  -\n    title: A\n    duration: 3:00\n",
    "crosspost_text:\n  mastodon: New album #band\n  x: 'Hi: there'\n",
    "title: Don't stop\nsummary: 100% live\nlabel: a@b\n",
    "summary:\n  on a line of its own\n  going on\nlang: id\n",
    "title: T\r\ndate: 2026-01-01\r\n",
    "title:\tT\n",  # a tab after the colon is allowed
    "tags: []\nlinks: {}\n",
    "a:\n  b:\n    c: d\n  e: f\ng: h\n",
]


@pytest.mark.parametrize("text", VALID)
def test_the_reader_finds_no_mistake_in_valid_yaml(text: str) -> None:
    yaml.load(text, Loader=yaml.CSafeLoader)  # valid: LibYAML agrees
    assert _Reader(text.split("\n")).first_mistake() is None


def _front_matters() -> list[tuple[str, str]]:
    found = []
    for folder in ("content", "fanpage/scaffold/site"):
        for path in sorted((ROOT / folder).rglob("*.md")):
            lines, end = _fences(path.read_text(encoding="utf-8"))
            found.append((path.relative_to(ROOT).as_posix(), "\n".join(lines[1:end])))
    return found


FRONT_MATTERS = _front_matters()


def test_the_reader_finds_no_mistake_in_the_demo_or_the_new_site() -> None:
    assert len(FRONT_MATTERS) >= 25
    for name, text in FRONT_MATTERS:
        assert _Reader(text.split("\n")).first_mistake() is None, name


def test_any_one_character_slip_is_reported_at_a_line_of_the_file_quoted() -> None:
    """Whatever breaks the YAML, the report is one FieldError at a real line, that line
    quoted with a caret: never a Python error, never a line outside the front matter."""
    rng = random.Random(15)
    broken = 0
    for _ in range(2000):
        _name, text = rng.choice(FRONT_MATTERS)
        at = rng.randrange(len(text))
        slip = rng.choice(" :-\"'[]{}@`%#\t\n")
        mutated = text[:at] + slip + text[at:] if rng.random() < 0.7 else text[:at] + text[at + 1 :]
        try:
            load_yaml(mutated, line_offset=1)
        except FieldError as error:
            broken += 1
            lines = mutated.split("\n")
            assert error.line is not None and 2 <= error.line <= len(lines) + 1
            source = lines[error.line - 2].replace("\t", "\u2192")
            first, caret = error.excerpt.split("\n")
            assert first == f"    {error.line} | {source}"
            assert caret.rstrip().endswith("^")
            assert not JARGON.search(error.message), error.message
    assert broken > 150


def test_libyamls_finding_in_plain_words_when_the_lines_look_right() -> None:
    """A mistake the line reader does not see (inside brackets) is still said plainly, at
    LibYAML's line."""
    text = "title: T\ntags: [tour, `live]\n"
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.load(text, Loader=yaml.CSafeLoader)
    assert _Reader(text.split("\n")).first_mistake() is None
    mistake = explain(text, raised.value)
    assert (mistake.index, mistake.column) == (1, 13)
    assert mistake.message == 'a value cannot start with "`" unless it is in quotes'


def test_the_caret_sits_under_wide_characters_correctly() -> None:
    # "x" is the 10th character; the rain character before it takes two columns.
    assert quote_line("title: \u96e8 x", 2, 9) == (
        "    2 | title: \u96e8 x\n      | " + " " * 10 + "^"
    )
    assert quote_line("\ttitle: x", 12, 0) == "    12 | \u2192title: x\n       | ^"
