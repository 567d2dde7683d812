"""Draw the demo site's show photos and video posters with Pillow: stage light, haze, crowds.

The demo needs pictures nobody owns, so the project makes them. Every picture is drawn from
a fixed seed, so running this again writes the same pixels (with the same Pillow):

    .venv/bin/python tools/demo_media.py            # writes under content/images/
    .venv/bin/python tools/demo_media.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
QUALITY = 85
MAX_BYTES = 400_000

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    """One picture: where it goes, its size, and how it is drawn."""

    path: str  # under content/
    size: tuple[int, int]
    seed: int
    draw: Callable[[Image.Image, random.Random], Image.Image]


# --- building blocks ------------------------------------------------------------------------


def gradient(size: tuple[int, int], stops: list[tuple[float, RGB]]) -> Image.Image:
    """A vertical gradient through ``stops`` (position 0..1 from the top, colour)."""
    width, height = size
    column = Image.new("RGB", (1, height))
    pixels = []
    for y in range(height):
        t = y / max(1, height - 1)
        for (p0, c0), (p1, c1) in itertools.pairwise(stops):
            if p0 <= t <= p1:
                k = (t - p0) / max(1e-9, p1 - p0)
                pixels.append(tuple(round(a + (b - a) * k) for a, b in zip(c0, c1, strict=True)))
                break
        else:
            pixels.append(stops[-1][1])
    column.putdata(pixels)
    return column.resize((width, height), Image.Resampling.BILINEAR)


def beams(
    size: tuple[int, int],
    rng: random.Random,
    sources: list[tuple[float, float]],
    colours: list[RGB],
    spread: float = 0.12,
    reach: float = 1.1,
    blur: float = 18,
) -> Image.Image:
    """Cones of light from each source (fractions of the frame) fanning downwards."""
    width, height = size
    layer = Image.new("RGB", size)
    draw = ImageDraw.Draw(layer)
    for index, (sx, sy) in enumerate(sources):
        colour = colours[index % len(colours)]
        angle = math.radians(rng.uniform(-35, 35))
        half = math.radians(rng.uniform(spread * 0.6, spread) * 45)
        x0, y0 = sx * width, sy * height
        length = reach * height
        points = [(x0, y0)]
        for a in (angle - half, angle + half):
            points.append((x0 + math.sin(a) * length, y0 + math.cos(a) * length))
        dim = tuple(round(c * rng.uniform(0.35, 0.6)) for c in colour)
        draw.polygon(points, fill=dim)
    layer = layer.filter(ImageFilter.GaussianBlur(blur))
    return layer


def glow(size: tuple[int, int], spots: list[tuple[float, float, float, RGB]]) -> Image.Image:
    """Soft round lights: (x, y, radius as a fraction of the width, colour)."""
    width, _ = size
    layer = Image.new("RGB", size)
    draw = ImageDraw.Draw(layer)
    for x, y, r, colour in spots:
        cx, cy, rad = x * width, y * size[1], r * width
        draw.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=colour)
    return layer.filter(ImageFilter.GaussianBlur(max(4, width * 0.012)))


def haze(size: tuple[int, int], rng: random.Random, colour: RGB, strength: float) -> Image.Image:
    """Smoke from the haze machine: low-frequency noise, tinted."""
    small = noise((max(6, size[0] // 160), max(6, size[1] // 160)), rng)
    small = small.filter(ImageFilter.GaussianBlur(1)).point(lambda v: min(255, v * 3 // 2))
    clouds = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(60))
    tint = Image.new("RGB", size, colour)
    black = Image.new("RGB", size)
    mask = clouds.point(lambda v: round(v * strength))
    return Image.composite(tint, black, mask)


def screen(base: Image.Image, *layers: Image.Image) -> Image.Image:
    for layer in layers:
        base = ImageChops.screen(base, layer)
    return base


def noise(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Uniform grey noise from ``rng`` (Pillow's own effect_noise cannot be seeded)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def grain(image: Image.Image, amount: float = 0.04) -> Image.Image:
    """Film grain, soft enough to keep the JPEG small; seeded from the picture's size."""
    rng = random.Random(image.width * 7919 + image.height)
    speckle = noise((image.width // 2, image.height // 2), rng).resize(image.size)
    speckle = speckle.filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(image, Image.merge("RGB", (speckle, speckle, speckle)), amount)


def crowd(
    image: Image.Image,
    rng: random.Random,
    top: float,
    rows: int,
    hands: float = 0.25,
    phones: float = 0.0,
    colour: RGB = (8, 7, 12),
) -> None:
    """Rows of heads and shoulders from ``top`` (fraction of the height) to the bottom, some
    hands raised, some phones lit."""
    width, height = image.size
    lights: list[tuple[float, float]] = []
    far = tuple(
        (c + 2 * a) // 3
        for c, a in zip(colour, image.getpixel((width // 2, int(height * top))), strict=True)
    )
    for row in range(rows):
        mask = Image.new("L", image.size)
        draw = ImageDraw.Draw(mask)
        depth = row / max(1, rows - 1)  # 0: far, 1: near
        y = height * (top + (1 - top) * depth * 0.85)
        head = width * (0.012 + 0.03 * depth**1.6)
        x = rng.uniform(-head, head)
        while x < width + head:
            hy = y + rng.uniform(-head * 0.6, head * 0.6)
            draw.ellipse((x - head * 0.8, hy - head, x + head * 0.8, hy + head), fill=255)
            draw.rounded_rectangle(
                (x - head * 2.1, hy + head * 0.8, x + head * 2.1, height + head),
                radius=int(head * 1.2),
                fill=255,
            )
            if rng.random() < hands:
                side = rng.choice((-1, 1))
                lean = rng.uniform(0.2, 0.9) * side
                sx, sy = x + side * head * 1.6, hy + head * 1.2
                ex, ey = sx + lean * head * 1.5, hy - head * rng.uniform(2.8, 4.2)
                draw.line((sx, sy, ex, ey), fill=255, width=max(2, int(head * 0.55)))
                r = head * 0.42
                draw.ellipse((ex - r, ey - r * 1.3, ex + r, ey + r), fill=255)
                if rng.random() < phones:
                    lights.append((ex, ey - r * 1.6))
            x += head * rng.uniform(2.6, 3.6)
        shade = tuple(
            round(f + (c - f) * min(1, depth * 1.6)) for f, c in zip(far, colour, strict=True)
        )
        image.paste(shade, mask=mask.filter(ImageFilter.GaussianBlur(1 + 2 * (1 - depth))))
    if lights:
        layer = Image.new("RGB", image.size)
        d = ImageDraw.Draw(layer)
        for lx, ly in lights:
            s = width * 0.0035
            d.rectangle((lx - s, ly - s * 1.6, lx + s, ly + s * 1.6), fill=(255, 250, 235))
        soft = layer.filter(ImageFilter.GaussianBlur(width * 0.004))
        image.paste(screen(image, layer, soft, soft))


def figure(
    draw: ImageDraw.ImageDraw,
    x: float,
    floor: float,
    tall: float,
    rng: random.Random,
    guitar: bool = False,
    mic: bool = False,
    arms_up: bool = False,
) -> None:
    """A performer in silhouette standing on ``floor``, ``tall`` pixels high."""
    head = tall * 0.065
    neck = floor - tall + head * 2
    hip = floor - tall * 0.47
    shoulder = neck + head * 0.5
    draw.ellipse((x - head * 0.85, floor - tall, x + head * 0.85, floor - tall + head * 2), 255)
    draw.polygon(
        [
            (x - tall * 0.12, shoulder),
            (x + tall * 0.12, shoulder),
            (x + tall * 0.09, hip),
            (x - tall * 0.09, hip),
        ],
        fill=255,
    )
    stance = tall * rng.uniform(0.08, 0.14)
    leg = max(3, int(tall * 0.055))
    draw.line((x - tall * 0.05, hip, x - stance, floor), fill=255, width=leg)
    draw.line((x + tall * 0.05, hip, x + stance, floor), fill=255, width=leg)
    arm = max(3, int(tall * 0.04))
    if arms_up:
        for side in (-1, 1):
            draw.line(
                (x + side * tall * 0.11, shoulder, x + side * tall * 0.24, shoulder - tall * 0.3),
                fill=255,
                width=arm,
            )
    else:
        draw.line((x - tall * 0.11, shoulder, x - tall * 0.02, hip - tall * 0.05), 255, arm)
        draw.line((x + tall * 0.11, shoulder, x + tall * 0.16, hip - tall * 0.02), 255, arm)
    if guitar:
        body = tall * 0.13
        gx, gy = x + tall * 0.02, hip - tall * 0.02
        draw.ellipse((gx - body, gy - body * 0.8, gx + body, gy + body * 0.8), fill=255)
        draw.line(
            (gx, gy, gx - tall * 0.34, gy - tall * 0.2), fill=255, width=max(3, int(tall * 0.02))
        )
    if mic:
        mx = x + tall * 0.2
        draw.line((mx, floor, mx, shoulder - head * 0.2), fill=255, width=max(2, int(tall * 0.012)))
        draw.line(
            (mx, shoulder - head * 0.2, x + head * 0.9, neck - head * 0.6),
            fill=255,
            width=max(2, int(tall * 0.012)),
        )


def silhouettes(image: Image.Image, paint: Callable[[ImageDraw.ImageDraw], None]) -> None:
    mask = Image.new("L", image.size)
    paint(ImageDraw.Draw(mask))
    image.paste((6, 5, 9), mask=mask.filter(ImageFilter.GaussianBlur(1.5)))


def truss(image: Image.Image, y: float, lamps: int, colour: RGB) -> list[tuple[float, float]]:
    """A lighting bar across the top with ``lamps`` fixtures; returns where they are."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    bar = height * y
    draw.rectangle((0, bar - height * 0.006, width, bar + height * 0.006), fill=(14, 12, 18))
    spots = []
    for i in range(lamps):
        x = width * (i + 0.5) / lamps
        spots.append((x / width, y + 0.012))
        r = height * 0.012
        draw.ellipse((x - r, bar, x + r, bar + r * 2), fill=colour)
    return spots


# --- the scenes -----------------------------------------------------------------------------

CORAL, GOLD, TEAL, VIOLET = (255, 110, 84), (255, 196, 92), (64, 210, 200), (150, 90, 255)
WARM, MAGENTA, ICE = (255, 160, 90), (230, 60, 150), (170, 220, 255)


def jakarta_wide(image: Image.Image, rng: random.Random) -> Image.Image:
    """From the back of the hall: the whole stage, coral and gold, five thousand hands."""
    size = image.size
    base = gradient(
        size, [(0, (12, 6, 22)), (0.45, (70, 22, 40)), (0.75, (30, 10, 24)), (1, (8, 5, 10))]
    )
    spots = truss(base, 0.14, 9, (255, 230, 200))
    base = screen(
        base,
        beams(size, rng, spots, [CORAL, GOLD, CORAL], spread=0.14, reach=0.9),
        glow(size, [(0.5, 0.5, 0.22, (120, 50, 40)), (0.5, 0.46, 0.05, (255, 200, 150))]),
        haze(size, rng, (200, 90, 80), 0.5),
    )
    floor = size[1] * 0.6
    silhouettes(
        base,
        lambda d: (
            d.rectangle((size[0] * 0.2, floor, size[0] * 0.8, floor + size[1] * 0.03), 255),
            figure(d, size[0] * 0.5, floor, size[1] * 0.16, rng, mic=True),
            figure(d, size[0] * 0.36, floor, size[1] * 0.155, rng, guitar=True),
            figure(d, size[0] * 0.64, floor, size[1] * 0.15, rng, guitar=True),
        ),
    )
    crowd(base, rng, top=0.66, rows=9, hands=0.35, phones=0.25)
    return grain(base)


def jakarta_singer(image: Image.Image, rng: random.Random) -> Image.Image:
    """The singer against one white backlight, arms open, haze everywhere."""
    size = image.size
    base = gradient(size, [(0, (10, 20, 30)), (0.5, (20, 70, 80)), (1, (6, 10, 14))])
    base = screen(
        base,
        glow(size, [(0.5, 0.34, 0.28, (60, 150, 150)), (0.5, 0.33, 0.09, (250, 250, 240))]),
        beams(size, rng, [(0.5, 0.32)] * 6, [TEAL, ICE], spread=0.5, reach=1.2, blur=30),
        haze(size, rng, (120, 200, 200), 0.6),
    )
    silhouettes(
        base,
        lambda d: figure(d, size[0] * 0.5, size[1] * 0.98, size[1] * 0.72, rng, arms_up=True),
    )
    return grain(base)


def jakarta_phones(image: Image.Image, rng: random.Random) -> Image.Image:
    """The lights down for "Pasang": a hall full of phone torches."""
    size = image.size
    base = gradient(size, [(0, (6, 8, 26)), (0.5, (18, 20, 60)), (1, (4, 4, 10))])
    base = screen(
        base,
        glow(size, [(0.5, 0.3, 0.18, (40, 50, 130)), (0.5, 0.3, 0.03, (180, 190, 255))]),
        beams(size, rng, [(0.5, 0.28)] * 4, [VIOLET, ICE], spread=0.2, reach=1, blur=25),
    )
    crowd(base, rng, top=0.42, rows=12, hands=0.6, phones=0.85, colour=(5, 5, 12))
    return grain(base)


def jakarta_guitar(image: Image.Image, rng: random.Random) -> Image.Image:
    """The guitarist on the left, teal beams crossing through haze."""
    size = image.size
    base = gradient(size, [(0, (4, 18, 24)), (0.6, (10, 50, 56)), (1, (4, 8, 10))])
    sources = [(0.1, 0.0), (0.3, 0.0), (0.7, 0.0), (0.9, 0.0)]
    base = screen(
        base,
        beams(size, rng, sources, [TEAL, ICE, TEAL, MAGENTA], spread=0.1, reach=1.2, blur=12),
        haze(size, rng, (90, 190, 190), 0.7),
    )
    silhouettes(
        base,
        lambda d: (
            figure(d, size[0] * 0.34, size[1] * 1.02, size[1] * 0.8, rng, guitar=True),
            d.rectangle((size[0] * 0.7, size[1] * 0.8, size[0] * 0.86, size[1]), 255),  # amp
        ),
    )
    return grain(base)


def jakarta_drums(image: Image.Image, rng: random.Random) -> Image.Image:
    """From behind the drum riser: the drummer, cymbals and the crowd beyond, strobes on."""
    size = image.size
    w, h = size
    base = gradient(size, [(0, (30, 24, 20)), (0.4, (120, 90, 60)), (1, (20, 12, 8))])
    base = screen(
        base,
        glow(size, [(x, 0.38, 0.07, (255, 240, 210)) for x in (0.2, 0.5, 0.8)]),
        haze(size, rng, (255, 200, 140), 0.45),
    )
    crowd(base, rng, top=0.46, rows=6, hands=0.45, colour=(40, 28, 20))

    def kit(d: ImageDraw.ImageDraw) -> None:
        for cx, cy, r in ((0.22, 0.55, 0.1), (0.78, 0.5, 0.12)):
            d.ellipse((w * (cx - r), h * cy - h * 0.02, w * (cx + r), h * cy + h * 0.02), 255)
            d.line((w * cx, h * cy, w * cx, h), fill=255, width=max(3, w // 300))
        d.ellipse((w * 0.36, h * 0.72, w * 0.64, h * 1.2), fill=255)  # bass drum
        figure(d, w * 0.5, h * 1.05, h * 0.62, rng, arms_up=True)

    silhouettes(base, kit)
    return grain(base)


def jakarta_bow(image: Image.Image, rng: random.Random) -> Image.Image:
    """The end: four of them in a line at the front of the stage, gold light, confetti."""
    size = image.size
    w, h = size
    base = gradient(size, [(0, (40, 20, 10)), (0.5, (160, 90, 30)), (1, (30, 14, 6))])
    base = screen(
        base,
        glow(size, [(0.5, 0.42, 0.35, (140, 80, 30))]),
        beams(size, rng, [(x, 0.0) for x in (0.15, 0.38, 0.62, 0.85)], [GOLD], 0.16, 1.1, 20),
    )
    confetti = Image.new("RGB", size)
    d = ImageDraw.Draw(confetti)
    for _ in range(500):
        x, y, s = rng.uniform(0, w), rng.uniform(0, h * 0.75), rng.uniform(3, 9)
        d.rectangle((x, y, x + s, y + s * 0.6), fill=rng.choice([GOLD, CORAL, (255, 250, 240)]))
    base = screen(base, confetti.filter(ImageFilter.GaussianBlur(1.2)))
    floor = h * 0.78
    silhouettes(
        base,
        lambda dd: (
            dd.rectangle((0, floor, w, h), 255),
            *(figure(dd, w * x, floor, h * 0.42, rng, arms_up=True) for x in (0.3, 0.43, 0.57)),
            figure(dd, w * 0.7, floor, h * 0.42, rng, arms_up=True),
        ),
    )
    return grain(base)


def road_van(image: Image.Image, rng: random.Random) -> Image.Image:
    """Dusk on the road between two cities: the van under a row of street lamps."""
    size = image.size
    w, h = size
    base = gradient(
        size, [(0, (40, 30, 80)), (0.45, (210, 110, 90)), (0.62, (60, 30, 50)), (1, (12, 10, 16))]
    )
    lamps = [(0.08 + i * 0.12, 0.34 + i * 0.025) for i in range(8)]
    base = screen(base, glow(size, [(x, y, 0.02, (255, 200, 120)) for x, y in lamps]))
    base = screen(base, beams(size, rng, lamps, [WARM], spread=0.1, reach=0.4, blur=14))

    def scene(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((0, h * 0.62, w, h), 255)  # road and verge
        for x, y in lamps:
            d.line((w * x, h * y, w * x, h * 0.63), fill=255, width=max(3, w // 400))
        d.rounded_rectangle(
            (w * 0.36, h * 0.46, w * 0.66, h * 0.64), radius=int(h * 0.03), fill=255
        )
        for wx in (0.41, 0.61):
            d.ellipse((w * wx - h * 0.035, h * 0.6, w * wx + h * 0.035, h * 0.67), fill=255)

    silhouettes(base, scene)
    road = ImageDraw.Draw(base)
    road.ellipse((w * 0.34 - 9, h * 0.56 - 9, w * 0.34 + 9, h * 0.56 + 9), fill=(255, 230, 180))
    return grain(base)


def soundcheck(image: Image.Image, rng: random.Random) -> Image.Image:
    """The empty hall at five in the afternoon: one warm spot on the stage."""
    size = image.size
    w, h = size
    base = gradient(size, [(0, (20, 16, 14)), (0.5, (50, 36, 28)), (1, (16, 12, 10))])
    base = screen(
        base,
        beams(size, rng, [(0.5, 0.0)], [WARM], spread=0.3, reach=0.7, blur=20),
        glow(size, [(0.5, 0.66, 0.12, (120, 80, 40))]),
        haze(size, rng, (160, 120, 90), 0.3),
    )

    def stage(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((0, h * 0.72, w, h), 255)
        figure(d, w * 0.46, h * 0.72, h * 0.32, rng, guitar=True)
        figure(d, w * 0.56, h * 0.72, h * 0.31, rng, mic=True)
        for x in (0.2, 0.8):
            d.rectangle((w * x - w * 0.04, h * 0.52, w * x + w * 0.04, h * 0.72), fill=255)

    silhouettes(base, stage)
    return grain(base)


def small_club(image: Image.Image, rng: random.Random) -> Image.Image:
    """A packed small room, magenta and violet, the front row close enough to touch."""
    size = image.size
    base = gradient(size, [(0, (30, 6, 40)), (0.5, (120, 30, 110)), (1, (10, 4, 14))])
    base = screen(
        base,
        beams(size, rng, [(0.2, 0.0), (0.8, 0.0), (0.5, 0.0)], [MAGENTA, VIOLET], 0.2, 1, 16),
        haze(size, rng, (200, 80, 200), 0.5),
    )
    silhouettes(
        base,
        lambda d: figure(d, size[0] * 0.55, size[1] * 0.62, size[1] * 0.4, rng, mic=True),
    )
    crowd(base, rng, top=0.58, rows=5, hands=0.5, phones=0.2)
    return grain(base)


def ferry_night(image: Image.Image, rng: random.Random) -> Image.Image:
    """The poster of the "Arus Balik" video: the night ferry's deck, harbour lights behind."""
    size = image.size
    w, h = size
    base = gradient(
        size, [(0, (6, 12, 30)), (0.55, (30, 50, 80)), (0.6, (10, 26, 40)), (1, (4, 8, 14))]
    )
    harbour = [(rng.uniform(0, 1), rng.uniform(0.53, 0.57), 0.004, GOLD) for _ in range(40)]
    base = screen(base, glow(size, harbour), glow(size, [(0.5, 0.56, 0.3, (30, 40, 60))]))
    ripple = ImageDraw.Draw(base)
    for _ in range(160):
        x, y = rng.uniform(0, w), rng.uniform(h * 0.6, h * 0.78)
        ripple.line((x, y, x + rng.uniform(20, 80), y), fill=(120, 110, 80), width=2)

    def deck(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((0, h * 0.8, w, h), 255)
        d.rectangle((0, h * 0.72, w, h * 0.735), 255)  # rail
        for x in range(0, w, w // 24):
            d.line((x, h * 0.72, x, h * 0.8), fill=255, width=max(3, w // 500))
        figure(d, w * 0.62, h * 0.82, h * 0.5, rng, guitar=True)
        figure(d, w * 0.74, h * 0.82, h * 0.47, rng)

    silhouettes(base, deck)
    base = screen(base, glow(size, [(0.2, 0.25, 0.03, (230, 230, 255))]))  # the moon
    return grain(base, 0.04)


SCENES: tuple[Scene, ...] = (
    Scene("images/shows/jakarta-2026/01-hall.jpg", (2000, 1333), 1101, jakarta_wide),
    Scene("images/shows/jakarta-2026/02-dewi.jpg", (1600, 2133), 1102, jakarta_singer),
    Scene("images/shows/jakarta-2026/03-pasang.jpg", (2000, 1333), 1103, jakarta_phones),
    Scene("images/shows/jakarta-2026/04-raka.jpg", (2000, 1333), 1104, jakarta_guitar),
    Scene("images/shows/jakarta-2026/05-drums.jpg", (2000, 1333), 1105, jakarta_drums),
    Scene("images/shows/jakarta-2026/06-encore.jpg", (2000, 1333), 1106, jakarta_bow),
    Scene("images/shows/lampu-jalan-2025/road.jpg", (2000, 1125), 2101, road_van),
    Scene("images/shows/lampu-jalan-2025/soundcheck.jpg", (2000, 1333), 2102, soundcheck),
    Scene("images/shows/lampu-jalan-2025/club.jpg", (2000, 1333), 2103, small_club),
    Scene("images/videos/arus-balik-poster.jpg", (1920, 1080), 3101, ferry_night),
)


def render(scene: Scene) -> Image.Image:
    """The picture, the same pixels every time (``random`` and Pillow's noise both seeded)."""
    rng = random.Random(scene.seed)
    return scene.draw(Image.new("RGB", scene.size), rng).convert("RGB")


def write(scene: Scene, content_dir: Path) -> int:
    target = content_dir / scene.path
    target.parent.mkdir(parents=True, exist_ok=True)
    render(scene).save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{scene.path} is {size} bytes, over {MAX_BYTES}: draw it simpler")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "content", help="content folder")
    args = parser.parse_args()
    total = 0
    for scene in SCENES:
        size = write(scene, args.out)
        total += size
        print(f"{scene.path}: {scene.size[0]}x{scene.size[1]}, {size // 1000} kB")
    print(f"{len(SCENES)} pictures, {total // 1000} kB")


if __name__ == "__main__":
    main()
