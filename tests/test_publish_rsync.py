"""The rsync: target over ssh, against a real sshd that the test starts on 127.0.0.1."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from publish_support import SITE_V1, SITE_V2, Sshd, read_tree, start_sshd, write_site

from fanpage.publish import PublishError, TargetError, parse_target
from fanpage.publish.rsync import RsyncTarget, parse_itemized


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    with start_sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture
def rsh(sshd: Sshd, monkeypatch: pytest.MonkeyPatch) -> Sshd:
    monkeypatch.setenv("RSYNC_RSH", sshd.rsync_rsh)
    return sshd


def target_for(sshd: Sshd, folder: Path) -> RsyncTarget:
    target = parse_target(f"rsync:{sshd.user}@127.0.0.1:{folder}")
    assert isinstance(target, RsyncTarget)
    return target


def test_the_test_sshd_listens_on_loopback_only(sshd: Sshd) -> None:
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port = fields[1].rsplit(":", 1)
            if int(port, 16) == sshd.port and fields[3] == "0A":  # 0A: LISTEN
                listening.add(address)
    assert listening == {"0100007F"}  # 127.0.0.1, and nothing else (no 0.0.0.0, no ::)


def test_first_publish_sends_everything_over_ssh(tmp_path: Path, rsh: Sshd) -> None:
    v1 = write_site(tmp_path / "v1", SITE_V1)
    v1.joinpath("news").chmod(0o700)  # a tight umask at build time
    dest = tmp_path / "server" / "www"
    dest.parent.mkdir()
    result = target_for(rsh, dest).publish(v1)

    assert read_tree(dest) == read_tree(v1)
    assert set(result.added) == set(SITE_V1) and result.changed
    assert stat.S_IMODE((dest / "news").stat().st_mode) == 0o755
    assert stat.S_IMODE((dest / "index.html").stat().st_mode) == 0o644
    assert any(f"Accepted publickey for {rsh.user} from 127.0.0.1" in line for line in rsh.log)


def test_new_pages_arrive_before_old_ones_are_deleted(tmp_path: Path, rsh: Sshd) -> None:
    v1 = write_site(tmp_path / "v1", SITE_V1)
    v2 = write_site(tmp_path / "v2", SITE_V2)
    dest = tmp_path / "www"
    target = target_for(rsh, dest)
    target.publish(v1)

    plan = target.plan(v2)
    assert plan.added == ("news/second/index.html",)
    assert set(plan.changed) == {"index.html", "feeds/all.atom.xml"}
    assert plan.deleted == ("news/old/index.html",)
    assert read_tree(dest) == read_tree(v1)  # the dry run changed nothing

    result = target.publish(v2)
    assert read_tree(dest) == read_tree(v2)
    assert result.deleted == ("news/old/index.html",)
    order = [what for what, _ in target.last_changes.order]
    assert order.index("delete") > max(i for i, what in enumerate(order) if what == "send")


def test_only_changed_content_is_sent_whatever_the_mtimes(tmp_path: Path, rsh: Sshd) -> None:
    """--checksum: a fresh build (new mtimes) of the same site sends nothing; a change that
    keeps size and mtime (which the quick check would miss) is sent."""
    v1 = write_site(tmp_path / "v1", SITE_V1)
    dest = tmp_path / "www"
    target = target_for(rsh, dest)
    target.publish(v1)
    served_mtime = (dest / "index.html").stat().st_mtime_ns

    rebuilt = write_site(tmp_path / "rebuilt", SITE_V1)
    for path in rebuilt.rglob("*"):
        os.utime(path, ns=(served_mtime + 10**12, served_mtime + 10**12))
    result = target.publish(rebuilt)
    assert not result.changed and result.unchanged == len(SITE_V1)
    assert (dest / "index.html").stat().st_mtime_ns == served_mtime  # times are not copied

    sneaky = write_site(
        tmp_path / "sneaky", {**SITE_V1, "index.html": SITE_V1["index.html"].replace("v1", "v9")}
    )
    remote_stat = (dest / "index.html").stat()
    os.utime(sneaky / "index.html", ns=(remote_stat.st_atime_ns, remote_stat.st_mtime_ns))
    assert (sneaky / "index.html").stat().st_size == remote_stat.st_size
    result = target.publish(sneaky)
    assert result.updated == ("index.html",)
    assert "v9 home" in (dest / "index.html").read_text()


def test_a_failed_login_is_a_publish_error_and_the_site_stays(
    tmp_path: Path, rsh: Sshd, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = write_site(tmp_path / "v1", SITE_V1)
    v2 = write_site(tmp_path / "v2", SITE_V2)
    dest = tmp_path / "www"
    target = target_for(rsh, dest)
    target.publish(v1)

    stranger = tmp_path / "stranger_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    config = rsh.client_config.read_text().replace(
        str(rsh.client_config.parent / "user_key"), str(stranger)
    )
    wrong = tmp_path / "wrong_ssh_config"
    wrong.write_text(config)
    monkeypatch.setenv("RSYNC_RSH", f"ssh -F {wrong}")
    with pytest.raises(PublishError) as caught:
        target.publish(v2)
    assert "Permission denied" in str(caught.value) and "\n" not in str(caught.value)
    assert read_tree(dest) == read_tree(v1)


def test_without_rsync_rsh_plain_ssh_in_batch_mode_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No RSYNC_RSH: rsync runs `ssh -o BatchMode=yes` (found on PATH), never a prompt."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "ssh-args"
    fake = bin_dir / "ssh"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\necho "fake ssh: no" >&2\nexit 255\n')
    fake.chmod(0o755)
    monkeypatch.delenv("RSYNC_RSH", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    v1 = write_site(tmp_path / "v1", SITE_V1)
    with pytest.raises(PublishError, match="fake ssh: no"):
        parse_target("rsync:deploy@web.example.org:/var/www/site").publish(v1)
    args = seen.read_text().split("\n")
    assert args[:2] == ["-o", "BatchMode=yes"]
    assert "-l" in args and "deploy" in args and "web.example.org" in args


def test_itemized_output_is_read_in_order() -> None:
    changes = parse_itemized(
        "cd+++++++++ news/\n"
        ">f+++++++++ news/new/index.html\n"
        ">fc.T...... index.html\n"
        ".f...p..... theme/css/site.css\n"
        "cL+++++++++ latest -> news/new\n"
        "*deleting   news/old/index.html\n"
        "*deleting   news/old/\n"
    )
    assert changes.added == ("news/new/index.html", "latest")
    assert changes.changed == ("index.html",)
    assert changes.deleted == ("news/old/index.html",)
    assert [what for what, _ in changes.order] == ["send", "send", "send", "delete"]


def test_rsync_target_strings() -> None:
    target = parse_target("rsync:deploy@web.example.org:/var/www/site")
    assert isinstance(target, RsyncTarget)
    assert (target.user, target.host, target.path) == ("deploy", "web.example.org", "/var/www/site")
    assert target.destination == "deploy@web.example.org:/var/www/site/"
    assert parse_target("rsync:web:site").destination == "web:site/"
    assert "--delete-after" in target.command(Path("/tmp/out"))
    assert "--checksum" in target.command(Path("/tmp/out"))
    for bad in ("rsync:", "rsync:/var/www", "rsync:host", "rsync:user@:/x", "rsync:a b:/x"):
        with pytest.raises(TargetError):
            parse_target(bad)
    with pytest.raises(PublishError, match="keeps no previous site"):
        target.rollback()
