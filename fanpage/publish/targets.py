"""Target strings (``DEPLOY_TARGET``, ``fanpage deploy --target``) -> target objects.

The grammar, one kind per line::

    dir:PATH                  a folder on this machine, switched atomically (PATH: absolute,
                              or relative to the site folder; ~ expands)
    github-pages[@REMOTE]     = git:gh-pages[@REMOTE]
    git:BRANCH[@REMOTE]       a branch of REMOTE (a URL, user@host:path or a path), by default
                              the remote origin of the site's own repository; BRANCH has no @
    rsync:[USER@]HOST:PATH    rsync over ssh (RSYNC_RSH for ssh options)
    s3://BUCKET[/PREFIX]      an S3 API; options (DEPLOY_S3): endpoint_url, region,
                              addressing_style

Adding a kind is one module with a :class:`~fanpage.publish.target.Target` subclass and one
:func:`register` call here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fanpage.publish.target import Target


class TargetError(ValueError):
    """A target string that does not parse; the message says what was expected."""


Factory = Callable[[str, str, Path | None, Mapping[str, Any]], Target]


@dataclass(frozen=True)
class TargetKind:
    """One kind of target: how its strings start, their syntax, how to make one."""

    name: str
    prefix: str  # the string starts with this ("dir:", "s3://"), or equals it without ":"
    syntax: str
    doc: str
    make: Factory


REGISTRY: dict[str, TargetKind] = {}


def register(kind: TargetKind) -> TargetKind:
    REGISTRY[kind.name] = kind
    return kind


def syntax_help() -> str:
    return "; ".join(kind.syntax for kind in REGISTRY.values())


def _no_options(name: str, options: Mapping[str, Any]) -> None:
    if options:
        raise TargetError(f"{name} targets take no options (given: {', '.join(sorted(options))})")


def _dir(spec: str, rest: str, site_dir: Path | None, options: Mapping[str, Any]) -> Target:
    from fanpage.publish.dir import DirTarget

    if not rest:
        raise TargetError(f'"{spec}": give the folder, e.g. dir:/var/www/site')
    path = Path(os.path.expanduser(rest))
    if not path.is_absolute():
        path = (site_dir or Path.cwd()) / path
    keep = options.get("keep", 3)
    unknown = set(options) - {"keep"}
    if unknown:
        raise TargetError(f"dir targets take the option keep (given: {', '.join(sorted(unknown))})")
    return DirTarget(path, keep=keep)


def _git_parts(spec: str, rest: str) -> tuple[str, str | None]:
    branch, at, remote = rest.partition("@")
    if not branch:
        raise TargetError(f'"{spec}": give the branch, e.g. git:gh-pages')
    if at and not remote:
        raise TargetError(f'"{spec}": give the remote after @, or leave out the @')
    return branch, remote or None


def _git(spec: str, rest: str, site_dir: Path | None, options: Mapping[str, Any]) -> Target:
    from fanpage.publish.git import GitTarget

    branch, remote = _git_parts(spec, rest)
    unknown = set(options) - {"remote", "message"}
    if unknown:
        raise TargetError(
            f"git targets take the options remote, message (given: {', '.join(sorted(unknown))})"
        )
    return GitTarget(
        branch,
        remote=remote or options.get("remote"),
        site_dir=site_dir,
        message=options.get("message"),
        spec=spec,
    )


def _github_pages(
    spec: str, rest: str, site_dir: Path | None, options: Mapping[str, Any]
) -> Target:
    if rest and not rest.startswith("@"):
        raise TargetError(
            f'"{spec}": github-pages takes no branch (it is gh-pages); use git:BRANCH'
        )
    return _git(spec, "gh-pages" + rest, site_dir, options)


def _rsync(spec: str, rest: str, site_dir: Path | None, options: Mapping[str, Any]) -> Target:
    from fanpage.publish.rsync import DESTINATION, RsyncTarget

    _no_options("rsync", options)
    if not DESTINATION.match(rest):
        raise TargetError(f'"{spec}" is not of the form rsync:[user@]host:/path')
    return RsyncTarget(rest)


def _s3(spec: str, rest: str, site_dir: Path | None, options: Mapping[str, Any]) -> Target:
    from fanpage.publish.s3 import BUCKET, OPTION_KEYS, S3Target

    bucket, _, prefix = rest.partition("/")
    if not BUCKET.match(bucket):
        raise TargetError(f'"{spec}": "{bucket}" is not an S3 bucket name (s3://bucket/prefix)')
    unknown = sorted(set(options) - set(OPTION_KEYS))
    if unknown:
        raise TargetError(f"DEPLOY_S3 has {', '.join(unknown)}; it takes {', '.join(OPTION_KEYS)}")
    return S3Target.from_options(bucket, prefix, options)


register(TargetKind("dir", "dir:", "dir:/var/www/site", "a folder on this machine", _dir))
register(
    TargetKind(
        "github-pages",
        "github-pages",
        "github-pages",
        "the gh-pages branch of the site repository's origin",
        _github_pages,
    )
)
register(TargetKind("git", "git:", "git:BRANCH[@REMOTE]", "a branch of a git remote", _git))
register(TargetKind("rsync", "rsync:", "rsync:user@host:/path", "rsync over ssh", _rsync))
register(TargetKind("s3", "s3://", "s3://bucket/prefix", "an S3 bucket", _s3))


def parse_target(
    spec: str,
    *,
    site_dir: Path | str | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Target:
    """The target a string names.

    ``site_dir``: the site folder (relative ``dir:`` paths, the repository of ``github-pages``).
    ``options``: per kind, e.g. ``{"s3": DEPLOY_S3}``; only the named kind's are used.
    """
    text = (spec or "").strip()
    base = Path(site_dir).resolve() if site_dir is not None else None
    for kind in REGISTRY.values():
        if text == kind.prefix.rstrip(":") or text.startswith(kind.prefix):
            rest = text[len(kind.prefix) :] if text.startswith(kind.prefix) else ""
            option_name = "git" if kind.name == "github-pages" else kind.name
            given = dict((options or {}).get(option_name) or {})
            try:
                return kind.make(text, rest, base, given)
            except TargetError:
                raise
            except Exception as error:  # a PublishError from a constructor, a bad option
                raise TargetError(f'"{text}": {error}') from None
    raise TargetError(f'"{text}" is not a publish target; use one of: {syntax_help()}')
