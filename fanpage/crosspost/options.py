"""``CROSSPOST`` checked: one :class:`NetworkConfig` per network, every option validated.

The networks a site uses are the keys of ``CROSSPOST``; each network class declares the
options it needs beyond the common ones (``api_base``, ``hashtags``, ``template``,
``enabled``). Network modules import their client libraries lazily, so checking settings
never loads Mastodon.py, tweepy or the atproto SDK.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from fanpage.content.problems import FieldError
from fanpage.crosspost.compose import TEMPLATE_FIELDS, TEMPLATE_KINDS
from fanpage.crosspost.network import NetworkConfig
from fanpage.crosspost.registry import NETWORKS, network_class

COMMON_OPTIONS: tuple[str, ...] = ("api_base", "hashtags", "template", "enabled")
# Where each network's API answers is named after what the artist knows it by.
BASE_OPTION: dict[str, str] = {"mastodon": "instance", "bluesky": "service"}
_HASHTAG = re.compile(r"^#?[\w]+$")
_FIELD = re.compile(r"\{([^{}]*)\}")


def _suggest(name: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise FieldError(f'{where} "{value}" must be a URL starting with https://')
    return value.rstrip("/")


def _template(value: Any, where: str) -> str | dict[str, str]:
    if isinstance(value, str):
        _check_fields(value, where)
        return value
    if isinstance(value, Mapping):
        result = {}
        for kind, text in value.items():
            if kind not in TEMPLATE_KINDS:
                raise FieldError(
                    f'{where}: "{kind}" is not one of: {", ".join(TEMPLATE_KINDS)}'
                    + _suggest(str(kind), TEMPLATE_KINDS)
                )
            if not isinstance(text, str):
                raise FieldError(f"{where}[{kind!r}] must be text")
            _check_fields(text, f"{where}[{kind!r}]")
            result[kind] = text
        return result
    raise FieldError(f"{where} must be text, or a mapping of entry type to text")


def _check_fields(template: str, where: str) -> None:
    for name in _FIELD.findall(template):
        if name not in TEMPLATE_FIELDS:
            raise FieldError(
                f'{where}: unknown placeholder "{{{name}}}"; use '
                + ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
            )


def network_config(name: str, raw: Any, key: str = "CROSSPOST") -> NetworkConfig:
    """Check one network's options; FieldError names the option."""
    where = f'{key}["{name}"]'
    if name not in NETWORKS:
        raise FieldError(
            f'{key}: "{name}" is not a network fanpage can post to; one of: '
            + ", ".join(NETWORKS)
            + _suggest(name, NETWORKS)
        )
    if not isinstance(raw, Mapping):
        raise FieldError(f"{where} must be a dict of options, e.g. {{}}")
    cls = network_class(name)
    base_option = BASE_OPTION.get(name, "api_base")
    allowed = (
        *(o for o in COMMON_OPTIONS if o != "api_base"),
        base_option,
        *cls.required_options,
        *cls.optional_options,
    )
    for option in raw:
        if option not in allowed:
            raise FieldError(
                f'{where}: unknown option "{option}"{_suggest(str(option), allowed)}; '
                f"{cls.label} takes: {', '.join(sorted(set(allowed)))}"
            )
    for option in cls.required_options:
        if option not in raw or raw[option] in (None, ""):
            raise FieldError(f'{where}: "{option}" is required for {cls.label}')
    if name == "mastodon" and "instance" not in raw:
        raise FieldError(f'{where}: "instance" is required (e.g. "https://mastodon.social")')
    api_base = _url(raw.get(base_option, cls.default_api_base), f"{where}[{base_option!r}]")
    hashtags_raw = raw.get("hashtags", ())
    if isinstance(hashtags_raw, str) or not all(
        isinstance(t, str) and _HASHTAG.match(t) for t in hashtags_raw
    ):
        raise FieldError(f'{where}["hashtags"] must be a list of words, e.g. ["dreampop"]')
    hashtags = tuple(t.lstrip("#") for t in hashtags_raw)
    template = raw.get("template")
    if template is not None:
        template = _template(template, f'{where}["template"]')
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise FieldError(f'{where}["enabled"] must be True or False')
    try:
        cls.check_options(raw)
    except ValueError as exc:
        raise FieldError(f"{where}: {exc}") from None
    return NetworkConfig(name, api_base, dict(raw), hashtags, template, enabled)


def check_crosspost(value: Mapping[str, Any]) -> dict[str, NetworkConfig]:
    """The whole ``CROSSPOST`` setting, in the order written.

    A FieldError carries ``key``, the network it is about, so that the message can name the
    line of that key in the settings file.
    """
    configs: dict[str, NetworkConfig] = {}
    for name, raw in value.items():
        try:
            configs[str(name)] = network_config(str(name), raw)
        except FieldError as exc:
            exc.key = str(name)  # type: ignore[attr-defined]
            raise
    return configs
