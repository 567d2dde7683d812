"""The image pipeline on a gallery of 12-megapixel photos, against a plain Pillow loop.

    .venv/bin/python bench/media.py                 # 200 photos of 4000x3000, about 10 minutes
    .venv/bin/python bench/media.py --photos 20     # a quick look

The gallery is generated once (seeded: gradients, discs and grain, JPEG quality 90, about
3 MB each, with camera EXIF and GPS; one in ten stored sideways with EXIF orientation 6) into
a folder kept between runs (``--photos-dir``; default under the system's temp folder).

Three builds, each a fresh child process (wall time, CPU time of the child and its workers,
peak RSS, tree PSS):
(a) a plain Pillow loop, serial: open, exif_transpose, resize the full picture with LANCZOS
    to each width of the recipe, save each in AVIF, WebP and JPEG, and a centred square
    thumbnail (ImageOps.fit) in each format; the same encoder settings as fanpage, AVIF
    threads left at Pillow's default (one per core), no cache;
(b) ``MediaPlan.add`` for every photo then ``MediaPlan.publish(output, workers=2)`` with an
    empty cache (cold);
(c) the same again with the cache (b) left, into an empty output folder (warm).
Targets (issue 11): cold within 1.2x of the plain loop's wall time on 2 cores; warm doing no
image work (0 sources derived).

Writes bench/results/media.json and its section of bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from measure import (
    PYTHON,
    REPO,
    Run,
    clean,
    exit_on_sigterm,
    machine,
    run_child,
    summary,
    update_section,
    write_json,
)

sys.path.insert(0, str(REPO))

SIZE = (4000, 3000)
GALLERY = "gallery"
GENERATOR_VERSION = 1  # bump when the photos change: a new folder is generated
SECTION_START = "<!-- bench/media.py -->"
SECTION_END = "<!-- /bench/media.py -->"


# -- the gallery ------------------------------------------------------------------------------


def photo_bytes(seed: int) -> bytes:
    """One seeded 4000x3000 photo as a JPEG of about 3 MB, with camera EXIF and GPS."""
    from PIL import Image, ImageDraw, TiffImagePlugin

    rnd = random.Random(seed)
    width, height = SIZE
    base = Image.radial_gradient("L").resize(SIZE)
    slope = Image.linear_gradient("L").rotate(rnd.randrange(360)).resize(SIZE)
    blotches = Image.effect_noise((width // 2, height // 2), 50).resize(
        SIZE, Image.Resampling.BILINEAR
    )
    grain = Image.effect_noise(SIZE, 18)
    image = Image.merge(
        "RGB",
        (
            Image.blend(Image.blend(base, slope, rnd.random()), blotches, 0.35),
            Image.blend(slope, blotches, 0.5),
            Image.blend(base, grain, 0.3),
        ),
    )
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, side = rnd.randrange(width), rnd.randrange(height), rnd.randrange(50, 600)
        draw.ellipse((x, y, x + side, y + side), fill=tuple(rnd.randrange(256) for _ in "rgb"))
    image = Image.blend(image, Image.merge("RGB", [grain] * 3), 0.12)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "FanCam", "FC-1"
    exif[0x0112] = 6 if seed % 10 == 9 else 1  # one in ten shot in portrait
    camera = exif.get_ifd(0x8769)
    camera[0xA431] = f"SN-{seed:06d}"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "S", "E"
    gps[2] = tuple(TiffImagePlugin.IFDRational(v, 1) for v in (6, 12, 31))
    gps[4] = tuple(TiffImagePlugin.IFDRational(v, 1) for v in (106, 50, 44))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def _write_photo(folder: Path, seed: int) -> int:
    target = folder / GALLERY / f"{seed:04d}.jpg"
    partial = target.with_suffix(".tmp")
    partial.write_bytes(photo_bytes(seed))
    partial.replace(target)
    return target.stat().st_size


def ensure_gallery(folder: Path, count: int) -> list[str]:
    """The sources (``gallery/0000.jpg`` ...) of ``count`` photos, generating missing ones."""
    (folder / GALLERY).mkdir(parents=True, exist_ok=True)
    sources = [f"{GALLERY}/{seed:04d}.jpg" for seed in range(count)]
    missing = [seed for seed in range(count) if not (folder / sources[seed]).is_file()]
    if missing:
        started = time.perf_counter()
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_write_photo, [folder] * len(missing), missing))
        took = time.perf_counter() - started
        print(f"generated {len(missing)} photos in {took:.0f} s", flush=True)
    return sources


# -- the timed children -------------------------------------------------------------------------


def plain_loop(content: Path, sources: list[str], output: Path, widths: tuple[int, ...]) -> dict:
    """(a): what a site would do with Pillow alone, serially, no cache."""
    from PIL import Image, ImageOps

    from fanpage.media.derive import ENCODERS
    from fanpage.media.plan import SUFFIX, Recipe

    recipe = Recipe(widths=widths)
    files = 0
    for source in sources:
        stem = output / Path(source).with_suffix("")
        stem.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(content / source) as opened:
            image = ImageOps.exif_transpose(opened)
        for width in recipe.widths_for(image.width):
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            for mime in recipe.formats:
                options = dict(ENCODERS[mime])
                options.pop("max_threads", None)  # Pillow's default: one thread per core
                resized.save(f"{stem}-{width}{SUFFIX[mime]}", **options)
                files += 1
        side = min(recipe.thumbnail, image.width, image.height)
        thumb = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        for mime in recipe.formats:
            options = dict(ENCODERS[mime])
            options.pop("max_threads", None)
            thumb.save(f"{stem}-thumb{SUFFIX[mime]}", **options)
            files += 1
    return {"files": files}


def fanpage_publish(
    content: Path, sources: list[str], output: Path, cache: Path, workers: int
) -> dict:
    """(b) and (c): MediaPlan as the build uses it."""
    from fanpage.media.pipeline import MediaPlan
    from fanpage.media.plan import Recipe

    started = time.perf_counter()
    plan = MediaPlan(content, cache, Recipe())
    for source in sources:
        plan.add(source)
    planned = time.perf_counter() - started
    stats = plan.publish(output, workers)
    return {
        "derived": stats.derived,
        "reused": stats.reused,
        "files": stats.files,
        "hashed": plan._memo.hashed,  # photos read and hashed (the rest: the hash memo)
        "plan_s": planned,
        "publish_s": time.perf_counter() - started - planned,
    }


def child(args: argparse.Namespace) -> None:
    sources = ensure_gallery(args.photos_dir, args.photos)
    if args.phase == "plain":
        result = plain_loop(args.photos_dir, sources, args.out, (480, 960, 1600))
    else:
        result = fanpage_publish(args.photos_dir, sources, args.out, args.cache, args.workers)
    args.report.write_text(json.dumps(result), encoding="utf-8")


def timed(phase: str, args: argparse.Namespace, out: Path, cache: Path, report: Path) -> dict:
    argv = [
        PYTHON,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--photos",
        str(args.photos),
        "--photos-dir",
        str(args.photos_dir),
        "--workers",
        str(args.workers),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--report",
        str(report),
    ]
    run: Run = run_child(argv, cwd=REPO, timeout=args.timeout)
    result = json.loads(report.read_text(encoding="utf-8"))
    result["output_mib"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20
    print(
        f"  {phase:>6}: {run.wall:7.1f} s wall, {run.cpu:7.1f} s CPU, "
        f"{run.tree_rss_mib:5.0f} MiB tree PSS, {result}",
        flush=True,
    )
    return {**summary([run]), **result}


# -- the report ---------------------------------------------------------------------------------


def section(data: dict) -> list[str]:
    info = data["machine"]
    plain, cold, warm = data["plain"], data["cold"], data["warm"]
    gallery = data["gallery"]
    r = data["ratios"]
    lines = [
        SECTION_START,
        f"## Image pipeline, {gallery['photos']} photos of 12 MP (bench/media.py)",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info.get('memory_gib')} GiB; Python "
        f"{info['python']}, Pillow {data['pillow']}; {info['date']}, commit {info['git']}; "
        f"load average at start {info['load_average'][0]}.",
        "",
        f"Gallery: {gallery['photos']} JPEGs of 4000x3000, {gallery['total_mib']:.0f} MiB "
        f"({gallery['mean_mib']:.1f} MiB each). Recipe: widths 480, 960, 1600 and a 400 px "
        f"square thumbnail, each in {', '.join(data['formats'])}: {plain['files']} files.",
        "",
        "| build | wall | CPU (user+sys) | peak RSS | tree PSS | sources derived | "
        "files placed | output |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = (
        ("plain Pillow loop, serial (a)", plain, "-"),
        (f"fanpage cold, {data['workers']} workers (b)", cold, cold.get("derived")),
        ("fanpage warm (c)", warm, warm.get("derived")),
    )
    for label, run, derived in rows:
        lines.append(
            f"| {label} | {run['wall']['median']:.1f} s | {run['cpu']['median']:.1f} s | "
            f"{run['rss_mib']['median']:.0f} MiB | {run['tree_rss_mib']['median']:.0f} MiB | "
            f"{derived} | {run['files']} | {run['output_mib']:.0f} MiB |"
        )
    lines += [
        f"| **ratio b/a** | **{r['cold_vs_plain']:.2f}** | {r['cold_vs_plain_cpu']:.2f} "
        "| | | | | |",
        "",
        f"Target: cold within 1.2x of the plain loop: {'met' if r['cold_met'] else 'NOT met'} "
        f"({r['cold_vs_plain']:.2f}x). Warm build: {warm['derived']} sources derived, "
        f"{warm['hashed']} photos hashed (hash memo), {warm['wall']['median']:.2f} s: "
        f"{'met' if r['warm_met'] else 'NOT met'}. Cold: {cold['plan_s']:.1f} s planning "
        f"(hashing {cold['hashed']} photos, reading headers), {cold['publish_s']:.1f} s "
        "deriving. AVIF speed 8 quality 60, WebP method 4 quality 80, JPEG quality 82 "
        "progressive optimised; the plain loop runs AVIF with Pillow's default threads.",
        SECTION_END,
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    default_dir = Path(tempfile.gettempdir()) / f"fanpage-bench-media-v{GENERATOR_VERSION}"
    parser.add_argument("--photos-dir", type=Path, default=default_dir)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per build")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results")
    parser.add_argument("--phase", choices=("plain", "fanpage"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args)
        return
    exit_on_sigterm()
    import PIL

    from fanpage.media.plan import available_formats

    sources = ensure_gallery(args.photos_dir, args.photos)
    sizes = [(args.photos_dir / s).stat().st_size for s in sources]
    work = Path(tempfile.mkdtemp(prefix="fanpage-bench-media-"))
    cache, report = work / "cache", work / "report.json"
    try:
        print(f"{len(sources)} photos, {sum(sizes) / 2**20:.0f} MiB", flush=True)
        plain = timed("plain", args, work / "out-plain", cache, report)
        clean(work / "out-plain", cache)
        cold = timed("fanpage", args, work / "out-cold", cache, report)
        clean(work / "out-cold")
        warm = timed("fanpage", args, work / "out-warm", cache, report)
    finally:
        clean(work)
    ratio = cold["wall"]["median"] / plain["wall"]["median"]
    data = {
        "machine": machine(),
        "pillow": PIL.__version__,
        "formats": [f.split("/")[1].upper() for f in available_formats()],
        "workers": args.workers,
        "gallery": {
            "photos": len(sources),
            "size": list(SIZE),
            "total_mib": sum(sizes) / 2**20,
            "mean_mib": sum(sizes) / len(sizes) / 2**20,
        },
        "plain": plain,
        "cold": cold,
        "warm": warm,
        "ratios": {
            "cold_vs_plain": ratio,
            "cold_vs_plain_cpu": cold["cpu"]["median"] / plain["cpu"]["median"],
            "warm_vs_cold": warm["wall"]["median"] / cold["wall"]["median"],
            "cold_met": ratio <= 1.2,
            "warm_met": warm["derived"] == 0,
        },
    }
    print(f"cold/plain {ratio:.2f}x; warm derived {warm['derived']}", flush=True)
    if args.no_save:
        return
    print(f"wrote {write_json('media', data)}")
    print(f"wrote {update_section(SECTION_START, SECTION_END, section(data))}")


if __name__ == "__main__":
    main()
