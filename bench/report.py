"""bench/results/latest.md: the latest figures of build.py and scale.py as one short table.

Rewritten from the JSON files after each script, so it always shows both scripts' last runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from measure import RESULTS, fmt_range

TARGETS = (
    "Targets (issue 6): publish build ratio b/a <= 1.0 at N=1000; one-file-edit rebuild < 1.0 s "
    "at N=1000; linear to N=20000; peak RSS at N=5000 within 1.3x of bare Pelican."
)


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _machine_line(info: dict) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info.get('memory_gib')} GiB; "
        f"Python {info['python']}, Pelican {info['pelican']}, Markdown {info['markdown']}, "
        f"Jinja2 {info['jinja2']}; {info['date']}, commit {info['git']}"
    )


def build_table(data: dict) -> list[str]:
    lines = [
        "## Full publish build (bench/build.py)",
        "",
        f"Machine: {_machine_line(data['machine'])}.",
        "",
        "| N | tool | runs | wall (median, min-max) | CPU (user+sys) | peak RSS | "
        "tree PSS | HTML pages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, size in data["sizes"].items():
        if "ratio" not in size:
            t = size.get("timed_out", {})
            lines.append(
                f"| {n} | {t.get('tool')} | stopped | > {t.get('after_s', 0):.0f} s "
                "(time budget) | | | | |"
            )
            continue
        for key, label in (("pelican", "bare Pelican (a)"), ("fanpage", "fanpage (b)")):
            s = size[key]
            lines.append(
                f"| {n} | {label} | {len(s['runs'])} | {fmt_range(s['wall'])} | "
                f"{fmt_range(s['cpu'])} | {fmt_range(s['rss_mib'], 'MiB', 0)} | "
                f"{fmt_range(s['tree_rss_mib'], 'MiB', 0)} | {s.get('html_pages', '')} |"
            )
        r = size["ratio"]
        lines.append(
            f"| {n} | **ratio b/a** | | **{r['wall']:.2f}** | {r['cpu']:.2f} | "
            f"{r['rss_mib']:.2f} | {r['tree_rss_mib']:.2f} | |"
        )
    lines += [
        "",
        "Each build: a fresh process, empty output folder, no fanpage card cache; a and b "
        "interleaved. Tree PSS: the build and its children (fanpage's card pool), sampled "
        "every 50 ms.",
    ]
    rebuild = data.get("rebuild")
    if rebuild:
        n = rebuild["n"]
        fp, pe = rebuild["fanpage"], rebuild["pelican"]
        lines += [
            "",
            f"## Rebuild after editing one news file, N={n} (one long-lived process)",
            "",
            "| tool | cold build | one-file-edit rebuilds (median of edits) |",
            "|---|---|---|",
            f"| fanpage (`serve` path: SiteBuilder.build, dev settings) | {fp['cold']:.2f} s | "
            f"{fp['median_edit']:.2f} s ({', '.join(f'{t:.2f}' for t in fp['edits'])}) |",
            f"| bare Pelican, content cache on (autoreload path) | {pe['cold']:.2f} s | "
            f"{pe['median_edit']:.2f} s ({', '.join(f'{t:.2f}' for t in pe['edits'])}) |",
        ]
    return lines


def scale_table(data: dict) -> list[str]:
    tools = [t for t in ("fanpage", "pelican") if t in data["tools"]]
    lines = [
        "## Scale (bench/scale.py, one run per N)",
        "",
        f"Machine: {_machine_line(data['machine'])}.",
        "",
        "| tool | N | wall | CPU | peak RSS (tree) | ms per entry | marginal ms per entry |",
        "|---|---|---|---|---|---|---|",
    ]
    for tool in tools:
        for point in data["tools"][tool]:
            marginal = point.get("marginal_ms")
            lines.append(
                f"| {tool} | {point['n']} | {point['wall']:.1f} s | {point['cpu']:.1f} s | "
                f"{point['rss_mib']:.0f} MiB ({point.get('tree_rss_mib', 0):.0f}) | "
                f"{point['ms_per_entry']:.2f} | "
                + (f"{marginal:.2f} |" if marginal is not None else "- |")
            )
        verdict = data.get("linearity", {}).get(tool)
        if verdict:
            lines.append(f"| {tool} | | | | | | {verdict} |")
    lines += [f"- {note}" for note in data.get("skipped", [])]
    return lines


def write_latest() -> Path:
    parts = ["# Benchmark results", "", TARGETS, ""]
    build = _load("build")
    scale = _load("scale")
    if build:
        parts += [*build_table(build), ""]
    if scale:
        parts += [*scale_table(scale), ""]
    parts.append("Raw figures: `build.json`, `scale.json` beside this file.")
    path = RESULTS / "latest.md"
    RESULTS.mkdir(parents=True, exist_ok=True)
    parts += _kept_sections(path)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def _kept_sections(path: Path) -> list[str]:
    """Sections other scripts own in latest.md (``<!-- bench/media.py -->`` ... its end mark):
    kept as they are when this script rewrites its own tables."""
    if not path.is_file():
        return []
    kept: list[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("<!-- bench/") and not line.startswith("<!-- /"):
            inside = True
            kept.append("")
        if inside:
            kept.append(line)
        if line.startswith("<!-- /bench/"):
            inside = False
    return kept
