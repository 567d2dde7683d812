"""Split a Markdown file into YAML front matter and body, keeping the line of every key.

The loader is PyYAML's safe loader with YAML 1.1's surprises removed: ``NO`` (Norway) stays a
string, ``3:45`` (a track duration) is not read as the number 225, and dates stay strings so that
the content model can report ``2026-13-01`` with a clear message instead of a Python error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from fanpage.content.problems import FieldError
from fanpage.content.yaml_errors import explain, quote_line


class YamlMap(dict):
    """A mapping that remembers the line of each key (1-based, in the file)."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A sequence that remembers the line of each item (1-based, in the file)."""

    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# LibYAML's parser when PyYAML was built with it (about 7x faster); the same rules either way.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 core scalars and line tracking."""

    line_offset = 0


# YAML 1.2 core schema: only these become non-strings.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    return int(loader.construct_scalar(node))


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, str):
            raise _at(FieldError(f"key {key!r} must be text", line), key_node)
        if key in result:
            raise _at(
                FieldError(
                    f'key "{key}" appears twice (first on line {result.key_lines[key]}): '
                    "delete one of them",
                    line,
                ),
                key_node,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _at(error: FieldError, node: yaml.Node) -> FieldError:
    """``error`` with the column of ``node``, for the caret under the quoted line."""
    error.column = node.start_mark.column  # type: ignore[attr-defined]
    return error


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


@dataclass(frozen=True)
class SplitFile:
    """A content file cut in two: front matter (parsed) and the Markdown body."""

    meta: YamlMap
    body: str
    body_line: int  # line of the first body line in the file


_FENCE = "---"


def split_front_matter(text: str, top_keys: frozenset[str] = frozenset()) -> SplitFile:
    """Parse ``---``-fenced YAML front matter at the top of ``text``.

    Raises FieldError with the file line of the problem. ``top_keys``, the keys the front
    matter may have, help place an indentation mistake.
    """
    lines, end = _fences(text)
    yaml_text = "\n".join(lines[1:end])
    meta = load_yaml(yaml_text, line_offset=1, top_keys=top_keys)
    if meta is None:
        meta = YamlMap()
        meta.key_lines = {}
    if not isinstance(meta, YamlMap):
        raise FieldError("the front matter must be a mapping of keys to values", 2)
    body = "\n".join(lines[end + 1 :])
    return SplitFile(meta=meta, body=body, body_line=end + 2)


def body_of(text: str) -> str | None:
    """The Markdown body alone, without parsing the front matter; None when there is none.

    Lets Markdown rendering start while the front matter of every file is still being read.
    """
    try:
        lines, end = _fences(text)
    except FieldError:
        return None
    return "\n".join(lines[end + 1 :])


def _fences(text: str) -> tuple[list[str], int]:
    """The file's lines and the index of the line closing the front matter."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise FieldError('the file must start with a "---" line opening the front matter', 1)
    end = next((i for i, line in enumerate(lines) if i and line.rstrip() in (_FENCE, "...")), 0)
    if not end:
        raise FieldError('the front matter opened on line 1 is never closed with a "---" line', 1)
    return lines, end


def load_yaml(yaml_text: str, line_offset: int = 0, top_keys: frozenset[str] = frozenset()) -> Any:
    """Load YAML text; errors become FieldError with a file line, the line quoted.

    ``line_offset``: how many file lines come before the YAML text (the ``---`` line).
    """

    class Loader(_Loader):
        pass

    Loader.line_offset = line_offset
    loader = Loader(yaml_text)
    try:
        return loader.get_single_data()
    except FieldError as exc:
        column = getattr(exc, "column", None)
        if column is not None and exc.line and not exc.excerpt:
            exc.excerpt = _excerpt(yaml_text, exc.line - 1 - line_offset, column, line_offset)
        raise
    except yaml.YAMLError as exc:
        # Where LibYAML stopped is often lines after the mistake; find the mistake itself.
        mistake = explain(yaml_text, exc, top_keys)
        line = mistake.index + 1 + line_offset
        raise FieldError(
            f"malformed YAML: {mistake.message}",
            line,
            _excerpt(yaml_text, mistake.index, mistake.column, line_offset),
        ) from None
    finally:
        loader.dispose()


def _excerpt(yaml_text: str, index: int, column: int, line_offset: int) -> str:
    lines = yaml_text.split("\n")
    if not 0 <= index < len(lines):
        return ""
    return quote_line(lines[index], index + 1 + line_offset, column)
