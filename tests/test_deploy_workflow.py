"""The GitHub Actions workflow that deploys a site: this repository's (the demo) and the one
``fanpage init`` writes into every new site. Checked against GitHub's workflow schema
(check-jsonschema's vendored copy) and by zizmor, offline; then read for what the README
promises: the trigger, least privilege, one deploy at a time, every secret, pinned actions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from fanpage import __version__
from fanpage.scaffold import init_site

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO = ROOT / ".github" / "workflows" / "deploy.yml"
SCAFFOLD = ROOT / "fanpage" / "scaffold" / "site" / "github-deploy.yml"
WORKFLOWS = {"demo": DEMO, "scaffold": SCAFFOLD}
INSTALL = "Install fanpage"
CACHE = "Keep the resized photos and share cards of the last deploy"
DEPLOY = "Deploy (check, build, publish, wait until live, cross-post)"
LEDGER = "Commit the cross-post ledger"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in data["jobs"]["deploy"]["steps"]}


def readme_secrets() -> list[str]:
    """Every FANPAGE_* variable in the README's cross-posting table of secrets."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| network | variables | how to get them |") :]
    table = table[: table.index("\n\n")]
    return sorted(set(re.findall(r"`(FANPAGE_[A-Z_]+)`", table)))


def zizmor(*paths: Path, persona: str = "regular") -> list[dict[str, Any]]:
    done = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--format",
            "json",
            "--persona",
            persona,
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip().startswith("["), done.stderr
    return json.loads(done.stdout)


def serious(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['ident']} ({f['determinations']['severity']})"
        for f in findings
        if f["determinations"]["severity"] in ("Medium", "High")
    ]


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_valid_against_the_github_workflow_schema(name: str) -> None:
    done = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOWS[name]),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_the_schema_check_would_catch_a_mistake(tmp_path: Path) -> None:
    data = load(DEMO)
    data["jobs"]["deploy"]["permissions"] = {"contents": "writ"}
    wrong = tmp_path / "wrong.yml"
    wrong.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(wrong)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "writ" in done.stdout, done.stdout


def test_zizmor_finds_nothing_of_medium_or_high_severity() -> None:
    assert zizmor(DEMO, SCAFFOLD) == []  # the regular persona: no finding at all
    assert serious(zizmor(DEMO, SCAFFOLD, persona="auditor")) == []


def test_zizmor_would_catch_persisted_credentials_and_template_injection(tmp_path: Path) -> None:
    """The check above can fail: the same workflow made careless is reported."""
    data = load(DEMO)
    by_name = steps(data)
    by_name["Check out the default branch as it is now"]["with"].pop("persist-credentials")
    by_name[DEPLOY]["run"] = 'echo "${{ github.event.head_commit.message }}"'
    careless = tmp_path / "careless.yml"
    careless.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = serious(zizmor(careless))
    assert "artipacked (Medium)" in found and "template-injection (High)" in found, found


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_what_the_workflow_promises(name: str) -> None:
    data = load(WORKFLOWS[name])
    assert data["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in data["on"]
    assert data["permissions"] == {}
    job = data["jobs"]["deploy"]
    assert job["if"] == "github.ref_name == github.event.repository.default_branch"
    assert job["permissions"] == {"contents": "write"}
    assert job["concurrency"] == {"group": "fanpage-deploy", "cancel-in-progress": False}
    by_name = steps(data)
    assert list(by_name) == [
        "Check out the default branch as it is now",
        CACHE,
        INSTALL,
        DEPLOY,
        LEDGER,
    ]
    checkout = by_name["Check out the default branch as it is now"]
    assert SHA_PIN.match(checkout["uses"]), checkout["uses"]
    assert all(SHA_PIN.match(s["uses"]) for s in by_name.values() if "uses" in s)
    # The image and card cache of the last run comes back (saved again under a new key).
    assert by_name[CACHE]["with"]["path"] == ".cache/fanpage"
    assert by_name[CACHE]["with"]["restore-keys"] == "fanpage-"
    # The branch as it is when the run starts (with the ledger the run before committed).
    assert checkout["with"] == {"ref": "${{ github.ref }}", "persist-credentials": False}
    # Every secret of the README's table, from the repository's secrets, in the deploy only.
    deploy_env = by_name[DEPLOY]["env"]
    secrets = readme_secrets()
    assert len(secrets) == 11
    for secret in secrets:
        assert deploy_env[secret] == f"${{{{ secrets.{secret} }}}}", secret
    assert "fanpage deploy --target github-pages" in by_name[DEPLOY]["run"]
    # The token only where something is pushed, and no expression inside a shell script.
    assert "env" not in by_name[INSTALL]
    for step_name in (DEPLOY, LEDGER):
        assert by_name[step_name]["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    for step in by_name.values():
        assert "${{" not in step.get("run", "")
    ledger = by_name[LEDGER]
    assert ledger["if"] == "always()"
    assert "[skip ci]" in ledger["run"] and "git pull --quiet --rebase" in ledger["run"]


def test_the_demo_and_new_sites_run_the_same_workflow_but_for_the_install() -> None:
    demo, scaffold = load(DEMO), load(SCAFFOLD)
    demo_install = steps(demo)[INSTALL]["run"]
    scaffold_install = steps(scaffold)[INSTALL]["run"]
    assert "pip install --quiet -c requirements.lock ." in demo_install  # this repository
    assert "pip install --quiet -r requirements.txt" in scaffold_install  # fanpage==version
    for data in (demo, scaffold):
        steps(data)[INSTALL]["run"] = ""
    assert demo == scaffold


def test_fanpage_init_writes_the_workflow_and_what_it_installs(tmp_path: Path) -> None:
    result = init_site(tmp_path / "band", "Band", "UTC", date(2026, 12, 1))
    written = tmp_path / "band" / ".github" / "workflows" / "deploy.yml"
    assert written in result.files
    assert written.read_bytes() == SCAFFOLD.read_bytes()
    requirements = (tmp_path / "band" / "requirements.txt").read_text()
    assert f"fanpage=={__version__}" in requirements.splitlines()
    assert not (tmp_path / "band" / "github-deploy.yml").exists()


def test_the_git_credential_helper_gives_the_token_to_github_only(tmp_path: Path) -> None:
    """The helper in the deploy step's environment, asked as git asks it."""
    env = steps(load(SCAFFOLD))[DEPLOY]["env"]
    helper_env = {k: v for k, v in env.items() if k.startswith("GIT_CONFIG_")}
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    base["GITHUB_TOKEN"] = "ghs_token_for_the_test"

    def fill(host: str) -> str:
        done = subprocess.run(
            ["git", "credential", "fill"],
            input=f"protocol=https\nhost={host}\n\n",
            env={**base, **helper_env, "GIT_TERMINAL_PROMPT": "0"},
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout

    answer = fill("github.com")
    assert "username=x-access-token" in answer and "password=ghs_token_for_the_test" in answer
    assert "ghs_token_for_the_test" not in fill("example.org")
    assert env["GIT_CONFIG_KEY_0"] == "credential.https://github.com.helper"
