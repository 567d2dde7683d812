"""Social cards: a 1200x630 PNG with the entry's title and the artist's name, for entries
without an image of their own.

Drawn in 8-bit grey and saved with a palette that ramps from the background to the text colour:
antialiased text, a fraction of the work and bytes of RGB. Cards are cached by content hash
(``.cache/fanpage/cards`` in the site folder) and hard-linked into the output, so a rebuild
draws only cards whose title, artist, language or colours changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from fanpage.cached_files import link_cached
from fanpage.content.slugs import slugify
from fanpage.forking import fork_pool
from fanpage.i18n import translate
from fanpage.i18n.catalog import CARD_LABELS
from fanpage.settings import default

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
CARD_DIR = "images/cards"
DEFAULT_FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"
RENDERER_VERSION = "1"  # bump when the drawing changes, to redraw every cached card
TITLE_SIZES: tuple[int, ...] = (84, 72, 62, 54, 46)
ARTIST_SIZE = 44
TITLE_TOP = MARGIN + 90  # below the label and its bar
TITLE_BOTTOM = HEIGHT - MARGIN - ARTIST_SIZE - 36  # above the artist's name
_LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
_NO_GLYPH = "\U0010fffd"  # a private-use code point no font draws: its box is "missing"


@dataclass(frozen=True)
class CardSpec:
    """What a card shows; equal specs give byte-identical cards."""

    title: str
    artist: str
    lang: str = default("DEFAULT_LANG")
    kind: str = "page"  # news, album, tour, page, site: picks the small label
    background: str = default("CARD_COLORS")[0]
    foreground: str = default("CARD_COLORS")[1]
    font: str = str(DEFAULT_FONT)

    @property
    def label(self) -> str:
        """The small label above the title ("NEWS", "MUSIK"); none for pages and the site."""
        message = CARD_LABELS.get(self.kind)
        return translate(message, self.lang).upper() if message else ""

    def digest(self) -> str:
        font = _font_stamp(font_for(self.title, self.font))
        parts = (RENDERER_VERSION, self.title, self.artist, self.label, self.background)
        raw = "\x1f".join((*parts, self.foreground, self.font, font))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def card_path(uid: str) -> str:
    """Where an entry's card is written in the output: from its uid, so it never moves."""
    return f"{CARD_DIR}/{slugify(uid) or 'card'}.png"


def render_card(spec: CardSpec) -> bytes:
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(canvas)
    if spec.label:
        draw.text((MARGIN, MARGIN), spec.label, font=_font(spec.font, 30), fill=150)
    draw.rectangle((MARGIN, MARGIN + 52, MARGIN + 120, MARGIN + 60), fill=130)
    title_font, lines = fit_title(spec.title, spec.font)
    artist_font = _font(spec.font, ARTIST_SIZE)
    artist = _drawable(spec.artist, artist_font) or spec.artist
    if not lines:  # nothing of the title can be drawn: the artist's name takes its place
        title_font, lines = fit_title(artist, spec.font)
        artist = ""
    line_height = _line_height(title_font.size)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - line_height * len(lines)) // 2
    for index, line in enumerate(lines):
        _draw_line(draw, line, title_font, top + index * line_height, 255)
    if artist:
        _draw_line(draw, artist, artist_font, HEIGHT - MARGIN - ARTIST_SIZE, 185)
    canvas.putpalette(_palette(spec.background, spec.foreground))
    buffer = BytesIO()
    canvas.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def fit_title(title: str, font_path: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the whole title fits; at the smallest size it is clipped.

    When the font lacks most of the title's letters (Japanese in a Latin font), a font of the
    system that has them is used; failing that the title is left out rather than shown as boxes.
    """
    text = " ".join(title.split())
    font_path = font_for(text, font_path)
    for size in TITLE_SIZES:
        font = _font(font_path, size)
        drawable = _drawable(text, font)
        if _mostly_missing(text, drawable):
            return font, []
        lines = wrap(drawable, font, WIDTH - 2 * MARGIN)
        if len(lines) <= _max_lines(size):
            return font, lines
    lines = lines[: _max_lines(size)]
    lines[-1] = _ellipsize(lines[-1], font, WIDTH - 2 * MARGIN)
    return font, lines


def font_for(text: str, font_path: str) -> str:
    """``font_path``, or a system font with the title's letters when ``font_path`` lacks them."""
    font = _font(font_path, TITLE_SIZES[-1])
    missing = [c for c in text if c != " " and not _has_glyph(font, c, _missing_mask(font))]
    if not missing or not _mostly_missing(text, _drawable(text, font)):
        return font_path
    return _system_font(missing[0]) or font_path


def _mostly_missing(text: str, drawable: str) -> bool:
    wanted = len(text.replace(" ", ""))
    return wanted > 0 and len(drawable.replace(" ", "")) < 0.75 * wanted


@lru_cache(maxsize=64)
def _system_font(char: str) -> str | None:
    """A font file fontconfig knows that has ``char`` (bold preferred); None without one."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        found = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "file", "style"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    candidates = sorted(
        (line.split(":", 1)[0] for line in found if line.strip()),
        key=lambda path: ("Bold" not in path, path),
    )
    usable = [path for path in candidates if path.lower().endswith((".ttf", ".otf", ".ttc"))]
    return usable[0] if usable else None


def _line_height(size: int) -> int:
    return int(size * 1.16)


def _max_lines(size: int) -> int:
    return max(1, (TITLE_BOTTOM - TITLE_TOP) // _line_height(size))


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap at spaces; words wider than a line (or scripts without spaces) by character."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and font.getlength(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines or [""]


def is_rtl(text: str) -> bool:
    """True when the first strong character is right-to-left (Arabic, Hebrew, ...)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


class CardWriter:
    """Writes cards into the output, drawing each distinct card once across builds.

    ``request`` is called while pages render; once ``PARALLEL_AFTER`` cards wait to be drawn,
    a process pool draws them on the other cores while Pelican keeps rendering. ``finish``
    draws the rest, waits, and links every card into the output.
    """

    PARALLEL_AFTER = 24

    def __init__(self, cache_dir: Path, output_dir: Path, parallel: bool = True) -> None:
        self.cache_dir = cache_dir
        self.output_dir = output_dir
        self.parallel = parallel and (os.cpu_count() or 1) > 1
        self.drawn = 0
        self.reused = 0
        self._wanted: dict[str, Path] = {}  # output path -> cached file
        self._waiting: list[CardSpec] = []
        self._queued: set[Path] = set()
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[str]] = []

    def request(self, path: str, spec: CardSpec) -> None:
        cached = self.cache_dir / f"{spec.digest()}.png"
        self._wanted[path] = cached
        if cached in self._queued:
            return
        self._queued.add(cached)
        if cached.exists():
            self.reused += 1
            return
        self._waiting.append(spec)
        if self.parallel and len(self._waiting) >= self.PARALLEL_AFTER:
            self._submit()

    def write(self, path: str, spec: CardSpec) -> Path:
        """Draw (unless cached) and link one card now."""
        self.request(path, spec)
        self.finish()
        return self.output_dir / path

    def finish(self) -> None:
        if self._waiting and self._pool is None:
            for spec in self._waiting:
                draw_into(self.cache_dir, spec)
            self.drawn += len(self._waiting)
            self._waiting = []
        elif self._waiting:
            self._submit()
        if self._pool is not None:
            for future in self._futures:
                future.result()
            self._pool.shutdown()
            self._pool = None
            self._futures = []
        for path, cached in self._wanted.items():
            link_cached(cached, self.output_dir / path)
        self._wanted = {}

    def _submit(self) -> None:
        if self._pool is None:
            self._pool = fork_pool(os.cpu_count() or 1)
            if self._pool is None:
                self.parallel = False
                return
        self._futures.extend(
            self._pool.submit(draw_into, self.cache_dir, spec) for spec in self._waiting
        )
        self.drawn += len(self._waiting)
        self._waiting = []


def draw_into(cache_dir: Path, spec: CardSpec) -> str:
    """Draw a card into the cache (atomically: a half-written card is never used)."""
    cached = cache_dir / f"{spec.digest()}.png"
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(render_card(spec))
    partial.replace(cached)
    return str(cached)


def _draw_line(
    draw: ImageDraw.ImageDraw, line: str, font: ImageFont.FreeTypeFont, y: int, fill: int
) -> None:
    if is_rtl(line):
        x = WIDTH - MARGIN - font.getlength(line)
        draw.text((x, y), line, font=font, fill=fill, direction="rtl" if _raqm() else None)
    else:
        draw.text((MARGIN, y), line, font=font, fill=fill)


def _ellipsize(line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    while line and font.getlength(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _drawable(text: str, font: ImageFont.FreeTypeFont) -> str:
    """The text without characters the font has no glyph for (emoji in a text font)."""
    missing = _missing_mask(font)
    kept = "".join(c for c in text if c == " " or _has_glyph(font, c, missing))
    return " ".join(kept.split())


def _has_glyph(font: ImageFont.FreeTypeFont, char: str, missing: bytes) -> bool:
    key = (font.path, font.size, char)
    found = _GLYPHS.get(key)
    if found is None:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            found = unicodedata.category(char) != "Cf" or char in "\u200c\u200d"
        else:
            found = _mask_bytes(font, char) != missing
        _GLYPHS[key] = found
    return found


_GLYPHS: dict[tuple[str, int, str], bool] = {}


def _missing_mask(font: ImageFont.FreeTypeFont) -> bytes:
    key = (font.path, font.size)
    if key not in _MISSING:
        _MISSING[key] = _mask_bytes(font, _NO_GLYPH)
    return _MISSING[key]


_MISSING: dict[tuple[str, int], bytes] = {}


def _mask_bytes(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    mask = font.getmask(char)
    return bytes(mask.size[0].to_bytes(2, "big") + mask.size[1].to_bytes(2, "big")) + bytes(mask)


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=_LAYOUT)


@lru_cache(maxsize=8)
def _palette(background: str, foreground: str) -> tuple[int, ...]:
    bg = _rgb(background)
    fg = _rgb(foreground)
    return tuple(
        round(b + (f - b) * level / 255)
        for level in range(256)
        for b, f in zip(bg, fg, strict=True)
    )


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@lru_cache(maxsize=8)
def _font_stamp(path: str) -> str:
    """Changes when the font file does, so a new font redraws the cards."""
    try:
        stat = Path(path).stat()
    except OSError:
        return "missing"
    return f"{path}:{stat.st_size}"


def _raqm() -> bool:
    return _LAYOUT == ImageFont.Layout.RAQM
