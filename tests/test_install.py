"""The package alone is enough: a wheel installed outside the checkout can init and build a site."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_wheel_ships_theme_plugins_and_scaffold(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        wheels,
        ROOT,
        cwd=tmp_path,
    )
    wheel = next(wheels.glob("fanpage-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "fanpage/_theme/templates/base.html",
        "fanpage/_plugins/fanpage_content/__init__.py",
        "fanpage/scaffold/site/pelicanconf.py.tmpl",
        "fanpage/cli.py",
    ):
        assert required in names, required

    # A fresh environment with the wheel installed (not editable); the pinned dependencies
    # are borrowed from this environment's site-packages so the test needs no network.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        venv / "bin/python",
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=tmp_path,
    )
    site_packages = Path(
        run(
            venv / "bin/python",
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
            cwd=tmp_path,
        ).stdout.strip()
    )
    (site_packages / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    where = run(
        venv / "bin/python",
        "-c",
        "import fanpage.paths as p; print(p.THEME_DIR); print(p.PLUGINS_DIR)",
        cwd=tmp_path,
    ).stdout.split()
    assert all(path.startswith(str(site_packages)) for path in where), where

    run(venv / "bin/fanpage", "init", "band", "--name", "Wheel Band", cwd=tmp_path)
    result = run(venv / "bin/fanpage", "build", "--site", "band", cwd=tmp_path)
    assert "Built 4 entries" in result.stdout
    out = tmp_path / "band/output"
    assert "Wheel Band" in (out / "index.html").read_text()
    assert (out / "albums/first-album/index.html").is_file()
    assert any((out / "theme").rglob("*.css"))
