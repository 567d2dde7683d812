"""The README stays true: every setting, front-matter key and command is documented there."""

from __future__ import annotations

from pathlib import Path

import click

from fanpage.cli import main
from fanpage.content.schema import SCHEMAS, SHOW, TRACK
from fanpage.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README]
    assert not missing


def test_every_front_matter_key_is_in_the_readme() -> None:
    keys = {k.name for schema in (*SCHEMAS.values(), SHOW, TRACK) for k in schema.keys}
    missing = sorted(k for k in keys if f"`{k}`" not in README)
    assert not missing


def test_every_command_is_in_the_readme() -> None:
    names = main.list_commands(click.Context(main))  # the rooms' commands load on demand
    assert {"build", "crosspost", "deploy", "hook", "media"} <= set(names)
    missing = [name for name in names if f"fanpage {name}" not in README]
    assert not missing


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0].split()
    assert first_block == ["make", "demo", "make", "test"]
    ci = (Path(__file__).resolve().parent.parent / ".ci/run").read_text()
    assert "make test" in ci and "make demo" in ci
