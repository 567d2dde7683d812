"""ISO 3166-1 countries and ISO 4217 currencies, read from pycountry's own data files.

Checking a site looks up a country or currency code for every show; importing pycountry for
that costs more than the check (its package metadata lookup at import), so the codes and
names come straight from the JSON files it ships, read once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path


@functools.cache
def _database(name: str) -> list[dict[str, str]]:
    spec = importlib.util.find_spec("pycountry")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pycountry is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "databases"
    with (folder / f"iso{name}.json").open(encoding="utf-8") as file:
        return next(iter(json.load(file).values()))


@functools.cache
def countries() -> dict[str, dict[str, str]]:
    """Alpha-2 code -> the country's record (name, common_name when it has one...)."""
    return {record["alpha_2"]: record for record in _database("3166-1")}


@functools.cache
def currencies() -> frozenset[str]:
    return frozenset(record["alpha_3"] for record in _database("4217"))


def country_name(code: str) -> str:
    """The name a fan knows a country by (``common_name`` where ISO's is formal)."""
    found = countries().get(code)
    return (found.get("common_name") or found["name"]) if found else code
