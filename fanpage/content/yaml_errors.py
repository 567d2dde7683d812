"""Plain words for a front-matter YAML mistake, at the line where the mistake is.

LibYAML notices a mistake where it can no longer go on, often lines later, and names it in
parser terms ("did not find expected '-' indicator"). When a file does not parse, this module
reads its lines the way a person would (indentation, keys, list items, quotes, brackets) and
names the first line that breaks the pattern of the lines above it, in words an artist can act
on. Only a file that failed to parse is read this way, so valid YAML is never second-guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

# "key:" followed by a space or the end of the line; the key plain or quoted.
_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#"'\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)"""
)
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*[ \t]*(?:#.*)?$")
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Characters that mean something to YAML at the start of a plain value.
_RESERVED_START = "@`%*&!|>]}"
_CLOSING = {"[": "]", "{": "}"}


@dataclass(frozen=True)
class Mistake:
    """Where a mistake is (0-based line and column of the YAML text) and what it is."""

    index: int
    column: int
    message: str


@dataclass
class _Frame:
    """An open block: a mapping (keys at ``indent``) or a list (``-`` at ``indent``)."""

    indent: int
    kind: str  # "map" or "seq"
    last: str = ""  # the last key seen in a mapping
    continues: bool = False  # its last value is plain text that may go on on the next line


@dataclass(frozen=True)
class _Line:
    index: int
    indent: int
    body: str  # the line without its indentation
    kind: str  # "key", "item" or "text"
    key: str = ""  # "key: value", or "- key: value"
    key_column: int = 0
    value: str = ""  # what follows "key:" or "- "
    value_column: int = 0


class _Found(Exception):
    def __init__(self, mistake: Mistake) -> None:
        super().__init__(mistake.message)
        self.mistake = mistake


def explain(
    yaml_text: str, error: yaml.YAMLError, top_keys: frozenset[str] = frozenset()
) -> Mistake:
    """The mistake in ``yaml_text``, which LibYAML refused with ``error``.

    ``top_keys``: the keys the front matter may have at its top level (they tell a key that
    was meant there from one that slipped out of the block above it).
    """
    lines = [line.rstrip("\r") for line in yaml_text.split("\n")]
    mark = getattr(error, "problem_mark", None)
    parser_index = mark.line if mark is not None else len(lines) - 1
    found = _Reader(lines, top_keys).first_mistake()
    if found is not None and found.index <= max(parser_index, 0):
        return found
    return _translate(lines, error)


def spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def quoted(value: str) -> str:
    """``value`` as a YAML quoted string a person would write."""
    inner = value
    if len(value) > 1 and value[0] in "\"'" and value[-1] == value[0]:
        inner = value[1:-1]
    if '"' not in inner and "\\" not in inner:
        return f'"{inner}"'
    return "'" + inner.replace("'", "''") + "'"


def quote_line(text: str, line_number: int, column: int) -> str:
    """The line, numbered, with a caret under ``column`` (tabs shown as arrows)."""
    shown = text.rstrip("\r").replace("\t", "\u2192")
    pad = "".join(_blank_like(char) for char in shown[:column])
    gutter = " " * len(str(line_number))
    return f"    {line_number} | {shown}\n    {gutter} | {pad}^"


def _blank_like(char: str) -> str:
    if unicodedata.combining(char):
        return ""
    return "  " if unicodedata.east_asian_width(char) in "WF" else " "


class _Reader:
    """Reads the lines top to bottom, keeping the blocks that are open."""

    def __init__(self, lines: list[str], top_keys: frozenset[str] = frozenset()) -> None:
        self.lines = lines
        self.top_keys = top_keys
        self.frames: list[_Frame] = []
        self.opener: _Line | None = None  # the line before ended with "key:" or "-"
        self.opener_indent = 0  # the indentation a block under it must exceed
        # The line before closed these blocks by being less indented than they are.
        self.dedent: tuple[_Line, list[_Frame]] | None = None

    def first_mistake(self) -> Mistake | None:
        try:
            index = 0
            while index < len(self.lines):
                index = self._line(index)
        except _Found as found:
            return found.mistake
        return None

    # -- one line --------------------------------------------------------------------------

    def _line(self, index: int) -> int:
        """Check the line at ``index``; the index of the next line to read."""
        raw = self.lines[index]
        stripped = raw.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            return index + 1
        lead = raw[: len(raw) - len(stripped)]
        if "\t" in lead:
            self._fail(index, lead.index("\t"), "tabs are not allowed in front matter; use spaces")
        after_dash = re.match(r"-[ \t]+", stripped)
        if after_dash and "\t" in after_dash.group():
            self._fail(
                index,
                len(lead) + after_dash.group().index("\t"),
                "tabs are not allowed in front matter; use spaces",
            )
        line = _classify(index, len(lead), stripped)
        if not self.frames:
            return self._first(line)
        if self.opener is not None and self._opens_block(line):
            return self._nested(line)
        self.opener = None
        dedent, self.dedent = self.dedent, None
        if line.kind == "text":
            return self._text(line)
        if dedent is not None:
            self._check_dedent(line, *dedent)
        if line.kind == "key":
            self._key(line)
        else:
            self._item(line)
        return self._value(line)

    def _first(self, line: _Line) -> int:
        if line.indent:
            self._fail(
                line.index,
                line.indent,
                f"this line is indented {spaces(line.indent)}; the keys at the top of the "
                "front matter start at the beginning of the line",
            )
        if line.kind == "text":
            self._no_colon(line, None)
        self.frames.append(_Frame(0, "map" if line.kind == "key" else "seq", line.key))
        return self._value(line)

    def _opens_block(self, line: _Line) -> bool:
        """The line is the first of the block that the line before it opened."""
        assert self.opener is not None
        if line.indent > self.opener_indent:
            return True
        # A list may sit at the indentation of its key ("tags:" then "- rock").
        return (
            line.kind == "item" and self.opener.kind == "key" and line.indent == self.opener_indent
        )

    def _nested(self, line: _Line) -> int:
        self.opener = None
        if line.kind == "text":  # the value of the key above, on lines of its own
            self.frames[-1].continues = True
            return line.index + 1
        self.frames.append(_Frame(line.indent, "map" if line.kind == "key" else "seq", line.key))
        return self._value(line)

    # -- a key, a list item, a line of text -------------------------------------------------

    def _key(self, line: _Line) -> None:
        popped = self._close_deeper(line.indent)
        # A list at the indentation of its key ("tags:" then "- rock") ends at the next key.
        while (
            len(self.frames) > 1
            and self.frames[-1].kind == "seq"
            and self.frames[-2].indent == line.indent == self.frames[-1].indent
        ):
            popped.append(self.frames.pop())
        top = self.frames[-1]
        if top.indent == line.indent and top.kind == "map":
            top.last, top.continues = line.key, False
            self.dedent = (line, popped) if popped else None
            return
        maps = [f for f in (*popped, *self.frames) if f.kind == "map" and f.last]
        if not maps:
            self._fail(
                line.index,
                line.indent,
                f'"{line.key}" is indented {spaces(line.indent)}, like the "-" of the list above '
                'it: start a new item with "- ", or indent it under an item',
            )
        best = min(maps, key=lambda f: (abs(f.indent - line.indent), -f.indent))
        self._fail(
            line.index,
            line.indent,
            f'this line {_indented(line.indent)}; "{line.key}" must line up with '
            f'"{best.last}" above it ({_where(best.indent)})',
        )

    def _check_dedent(self, line: _Line, previous: _Line, closed: list[_Frame]) -> None:
        """A key written less indented than its block is valid YAML on its own (a key of the
        block around it); the line after it, which goes on with the block, is where LibYAML
        stops. The mistake is the key before."""
        if line.indent <= self.frames[-1].indent:
            return
        if previous.indent == 0 and previous.key in self.top_keys:
            return  # meant where it is: the line after it is the one out of place
        kind = "map" if line.kind == "key" else "seq"
        if not any(f.indent == line.indent and f.kind == kind for f in closed):
            return
        block = next((f for f in closed if f.kind == "map" and f.last), None)
        if block is None:
            return
        below = f', like "{line.key}" below it' if line.kind == "key" else ""
        self._fail(
            previous.index,
            previous.indent,
            f'this line {_indented(previous.indent)}; "{previous.key}" must line up with '
            f'"{block.last}" above it ({_where(block.indent)}){below}',
        )

    def _item(self, line: _Line) -> None:
        popped = self._close_deeper(line.indent)
        top = self.frames[-1]
        if top.indent == line.indent and top.kind == "seq":
            top.continues = False
            return
        lists = [f for f in (*popped, *self.frames) if f.kind == "seq"]
        if lists:
            best = min(lists, key=lambda f: (abs(f.indent - line.indent), -f.indent))
            self._fail(
                line.index,
                line.indent,
                f'this list item {_indented(line.indent)}; its "-" must line up with '
                f'the "-" of the item above it ({_where(best.indent)})',
            )
        if not line.value and not line.key:
            self._fail(
                line.index,
                line.indent,
                'a stray "-": a list item cannot stand among keys; delete it, or put the list '
                'under its key ("tags:", then "  - rock")',
            )
        self._fail(
            line.index,
            line.indent,
            'this line starts a list item ("- "), but no list is open here: put the list under '
            'its key ("tags:", then "  - rock"), or delete the "-"',
        )

    def _text(self, line: _Line) -> int:
        """A line that is neither ``key: value`` nor ``- item``."""
        top = self._innermost(line.indent)
        if top is not None and top.continues and line.indent > top.indent:
            return line.index + 1  # plain text going on from the line above
        self._no_colon(line, top)
        return line.index + 1

    def _no_colon(self, line: _Line, frame: _Frame | None) -> None:
        body = _plain(line.body)
        colon = re.search(r":(?=\S)", body)
        if colon and _WORD.match(body[: colon.start()]):
            key, rest = body[: colon.start()], body[colon.end() :]
            self._fail(
                line.index,
                line.indent + colon.end(),
                f'put a space after the colon: write "{key}: {rest}"',
            )
        if re.match(r"-[^\s\-]", body):
            self._fail(line.index, line.indent + 1, f'put a space after "-": write "- {body[1:]}"')
        word, _, rest = body.partition(" ")
        if _WORD.match(word):
            shown = f"{word}: {rest.strip()}" if rest.strip() else f"{word}: ..."
            self._fail(
                line.index,
                line.indent + len(word),
                f'"{word}" needs a colon after it to be a key: write "{shown}"',
            )
        above = f'"{frame.last}"' if frame is not None and frame.last else "the line"
        self._fail(
            line.index,
            line.indent,
            f'this line is not "key: value": give it a key, or indent it to continue {above} above',
        )

    # -- the value after "key:" or "- " ----------------------------------------------------

    def _value(self, line: _Line) -> int:
        """Check what follows ``key:`` or ``- ``; the index of the next line to read."""
        if line.kind == "item" and line.key:  # "- key: value": the item's own mapping
            self.frames.append(_Frame(line.key_column, "map", line.key))
        owner = self.frames[-1]
        value, column = line.value, line.value_column
        if not value or value.startswith("#"):
            self.opener, self.opener_indent = line, owner.indent
            return line.index + 1
        first = value[0]
        if _BLOCK_SCALAR.match(value):
            return self._skip_block_scalar(line, owner.indent)
        if first in "\"'":
            return self._quoted(line, owner)
        if first in _CLOSING:
            return self._flow(line, owner)
        name = f"{line.key}: " if line.key else "- "
        if value == "-" or value.startswith("- "):
            if line.kind == "item" and not line.key:
                return line.index + 1  # "- - x": a list in a list, rare in front matter
            self._fail(
                line.index,
                column,
                "a list cannot start on the line of its key: put each item on a line of its "
                f'own under "{line.key}:", starting with "- "',
            )
        if first in _RESERVED_START:
            self._fail(
                line.index,
                column,
                f'a value cannot start with "{first}" unless it is in quotes: write '
                f"{name}{quoted(_plain(value))}",
            )
        inner = re.search(r":(?=\s|$)", _plain(value))
        if inner:
            self._fail(
                line.index,
                column + inner.start(),
                'this value contains ": ", which YAML reads as the start of another key: put '
                f"the value in quotes: {name}{quoted(_plain(value))}",
            )
        owner.continues = True
        return line.index + 1

    def _quoted(self, line: _Line, owner: _Frame) -> int:
        """A quoted value, maybe over several lines."""
        value, column = line.value, line.value_column
        mark = value[0]
        end = _closing_quote(value, 1, mark)
        index = line.index
        while end is None:
            index += 1
            if index >= len(self.lines) or self._looks_like_next_key(index, owner.indent):
                self._fail(
                    line.index,
                    column,
                    f"the {mark} opened here is never closed: end the value with another "
                    f"{mark}, or remove it",
                )
            end = _closing_quote(self.lines[index], 0, mark)
        rest = value[end + 1 :] if index == line.index else ""
        if rest.strip() and not rest.strip().startswith("#"):
            name = f"{line.key}: " if line.key else "- "
            whole = _plain(value)
            if mark == "'" and value[end - 1 : end].isalpha() and rest[:1].isalpha():
                self._fail(
                    line.index,
                    column + end,
                    f"this apostrophe ends the text quoted with ': write {name}"
                    f"{quoted(whole)} (or write the apostrophe twice: '')",
                )
            self._fail(
                line.index,
                column + end + 1 + len(rest) - len(rest.lstrip()),
                f"text follows the closing {mark}: put the whole value in quotes: "
                f"{name}{quoted(whole)}",
            )
        return index + 1

    def _flow(self, line: _Line, owner: _Frame) -> int:
        """A ``[...]`` or ``{...}`` value, maybe over several lines."""
        opening = line.value[0]
        stack: list[str] = []
        index, text, offset, position = line.index, line.value, line.value_column, 0
        while True:
            position, wrong = _scan_flow(text, position, stack)
            if wrong is not None:
                char = text[wrong]
                self._fail(
                    index,
                    offset + wrong,
                    f'this "{char}" closes nothing: delete it, or put the value in quotes'
                    if not stack
                    else f'this "{char}" does not close the "{stack[-1]}" before it: write '
                    f'"{_CLOSING[stack[-1]]}"',
                )
            if not stack:
                rest = text[position:]
                if rest.strip() and not rest.strip().startswith("#"):
                    self._fail(
                        index,
                        offset + position + len(rest) - len(rest.lstrip()),
                        f'text follows the closing "{_CLOSING[opening]}": put the whole value '
                        f"in quotes: {line.key}: {quoted(_plain(line.value))}",
                    )
                return index + 1
            index += 1
            if index >= len(self.lines) or self._looks_like_next_key(index, owner.indent):
                self._fail(
                    line.index,
                    line.value_column,
                    f'the "{opening}" opened here is never closed with "{_CLOSING[opening]}"',
                )
            text, offset, position = self.lines[index], 0, 0

    def _skip_block_scalar(self, line: _Line, owner_indent: int) -> int:
        """Lines of a ``|`` or ``>`` text: blank, or indented deeper than its key, each as
        deep as the first (a shallower one would end the text)."""
        index = line.index + 1
        first = 0
        while index < len(self.lines):
            raw = self.lines[index]
            indent = len(raw) - len(raw.lstrip(" "))
            if raw.strip() and indent <= owner_indent:
                break
            if raw.strip() and not first:
                first = indent
            elif raw.strip() and indent < first:
                self._fail(
                    index,
                    indent,
                    f'this line of the "{line.key or "-"}" text is indented {spaces(indent)}; '
                    f"every line of it must be indented at least as far as its first line "
                    f"({spaces(first)})",
                )
            index += 1
        return index

    # -- helpers -----------------------------------------------------------------------------

    def _looks_like_next_key(self, index: int, owner_indent: int) -> bool:
        raw = self.lines[index]
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        return indent <= owner_indent and bool(_KEY.match(stripped) or stripped.startswith("- "))

    def _close_deeper(self, indent: int) -> list[_Frame]:
        popped = []
        while len(self.frames) > 1 and self.frames[-1].indent > indent:
            popped.append(self.frames.pop())
        return popped

    def _innermost(self, indent: int) -> _Frame | None:
        """The open block a line at ``indent`` belongs to (the deepest not deeper than it)."""
        for frame in reversed(self.frames):
            if frame.indent <= indent:
                return frame
        return self.frames[0] if self.frames else None

    def _fail(self, index: int, column: int, message: str) -> None:
        raise _Found(Mistake(index, column, message))


def _classify(index: int, indent: int, body: str) -> _Line:
    """What a line is: ``key: value``, ``- item`` (maybe ``- key: value``), or text."""
    column, text = indent, body
    item = body == "-" or body.startswith(("- ", "-\t"))
    if item:
        rest = body[1:]
        column = indent + 1 + len(rest) - len(rest.lstrip(" \t"))
        text = rest.strip(" \t")
    key = _KEY.match(text)
    if key is None:
        kind = "item" if item else "text"
        return _Line(index, indent, body, kind, value=text, value_column=column)
    value = text[key.end() :]
    return _Line(
        index,
        indent,
        body,
        "item" if item else "key",
        key=_key_name(key.group("key")),
        key_column=column,
        value=value.strip(" \t"),
        value_column=column + key.end() + len(value) - len(value.lstrip(" \t")),
    )


def _indented(indent: int) -> str:
    return "is not indented" if indent == 0 else f"is indented {spaces(indent)}"


def _where(indent: int) -> str:
    return "at the start of the line" if indent == 0 else spaces(indent)


def _key_name(raw: str) -> str:
    raw = raw.strip()
    if len(raw) > 1 and raw[0] in "\"'" and raw[-1] == raw[0]:
        return raw[1:-1]
    return raw


def _plain(value: str) -> str:
    """A plain value without a trailing comment."""
    return re.split(r"[ \t]#", value, maxsplit=1)[0].rstrip()


def _closing_quote(text: str, start: int, mark: str) -> int | None:
    position = start
    while position < len(text):
        char = text[position]
        if mark == '"' and char == "\\":
            position += 2
            continue
        if char == mark:
            if mark == "'" and text[position + 1 : position + 2] == "'":
                position += 2
                continue
            return position
        position += 1
    return None


def _scan_flow(text: str, position: int, stack: list[str]) -> tuple[int, int | None]:
    """Scan ``text`` from ``position``, keeping the open brackets in ``stack``.

    Returns where the scan stopped (after the bracket that closed the value, or the end of the
    line) and the position of a closing bracket that closes nothing or the wrong bracket.
    """
    while position < len(text):
        char = text[position]
        if char in "\"'":
            end = _closing_quote(text, position + 1, char)
            position = len(text) if end is None else end + 1
            continue
        if char == "#" and (position == 0 or text[position - 1] in " \t"):
            return len(text), None
        if char in _CLOSING:
            stack.append(char)
        elif char in "]}":
            if not stack or _CLOSING[stack[-1]] != char:
                return position, position
            stack.pop()
            if not stack:
                after = text[position + 1 :]
                following = position + 1 + len(after) - len(after.lstrip(" \t"))
                if text[following : following + 1] in ("]", "}"):
                    return following, following
                return position + 1, None
        position += 1
    return position, None


# -- when the lines look right: LibYAML's own finding, in plain words ---------------------


def _translate(lines: list[str], error: yaml.YAMLError) -> Mistake:
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    last = max(len(lines) - 1, 0)
    index = min(mark.line, last) if mark is not None else 0
    column = mark.column if mark is not None and mark.line <= last else 0
    text = lines[index] if lines else ""
    char = text[column : column + 1]
    if "tab" in problem or char == "\t":
        message = "tabs are not allowed in front matter; use spaces"
    elif "cannot start any token" in problem and char:
        message = f'a value cannot start with "{char}" unless it is in quotes'
    elif "unexpected ':'" in problem:
        message = 'this ":" cannot be here: put the value in quotes'
    elif "flow" in context and "expected node content" in problem:
        message = "this is not a valid item of the list in brackets: put the item in quotes"
    elif context_mark is not None and (
        "expected ':'" in problem or "quoted scalar" in context or "flow" in context
    ):
        index, column = min(context_mark.line, last), context_mark.column
        message = (
            'this line is not "key: value": a key needs a colon and a space after it'
            if "expected ':'" in problem
            else "the quote opened here is never closed"
            if "quoted scalar" in context
            else "the bracket opened here is never closed"
        )
    elif "mapping values are not allowed" in problem:
        message = (
            'this ":" would start another key here: put the value in quotes, or check the '
            "indentation of this line"
        )
    elif "expected" in problem:
        message = "this line does not line up with the lines above it: check its indentation"
    else:
        message = f"this is not valid YAML ({problem or error})"
    return Mistake(index, column, message)
