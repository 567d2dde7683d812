"""`fanpage --help` and `fanpage check` start fast because they load only what they use: the
libraries a build, a deploy or cross-posting needs are imported when those commands run.
Counted by the modules a fresh process loads, never by timing it."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fanpage.cli import ROOM_COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
# Loaded by a build, a deploy or cross-posting; not needed to list commands or check a site.
HEAVY = (
    "pelican",
    "markdown",
    "jinja2",
    "babel",
    "feedgen",
    "icalendar",
    "lxml",
    "requests",
    "httpx",
    "atproto",
    "tweepy",
    "mastodon",
    "boto3",
    "bs4",
)

PROBE = """
import json, sys
from fanpage.cli import main
try:
    main(sys.argv[1:], prog_name="fanpage")
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def loaded_by(*args: str) -> set[str]:
    """The top-level packages a fresh ``fanpage ARGS`` process has imported when it ends."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("check",), ("check", "--strict")])
def test_listing_commands_and_checking_load_no_build_library(args: tuple[str, ...]) -> None:
    loaded = loaded_by(*args)
    assert "fanpage" in loaded and "click" in loaded
    assert sorted(loaded & set(HEAVY)) == []


def test_help_loads_no_image_library_either() -> None:
    assert "PIL" not in loaded_by("--help")


def test_a_build_does_load_what_it_needs(tmp_path: Path) -> None:
    # The probe is honest: a command that needs Pelican shows it among the modules.
    assert {"pelican", "markdown", "jinja2"} <= loaded_by("build", "--output", str(tmp_path))


@pytest.mark.parametrize("name", sorted(ROOM_COMMANDS))
def test_the_listed_help_of_each_rooms_command_is_its_own(name: str) -> None:
    module, attribute, line = ROOM_COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert command.name == name
    assert (command.help or "").split("\n\n")[0] == line


def test_every_command_is_listed_and_runs_its_help() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["--help"]).output
    for name in main.list_commands(click.Context(main)):
        assert f"  {name} " in listing, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage: " in result.output, name
