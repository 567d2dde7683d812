"""Publishing a built site: one small class per kind of target behind one interface.

``parse_target("dir:/var/www/site")`` (:mod:`fanpage.publish.targets`) gives a
:class:`Target`; ``target.plan(output)`` says what would change, ``target.publish(output)``
makes the build live or raises :class:`PublishError` leaving the old site, and
``wait_until_live`` (:mod:`fanpage.publish.wait`) waits for the public URLs to serve it.
"""

from __future__ import annotations

from fanpage.publish.target import PublishError, PublishPlan, PublishResult, Target
from fanpage.publish.targets import REGISTRY, TargetError, parse_target, syntax_help
from fanpage.publish.wait import LiveCheck, WaitResult, build_marker, wait_until_live

__all__ = [
    "REGISTRY",
    "LiveCheck",
    "PublishError",
    "PublishPlan",
    "PublishResult",
    "Target",
    "TargetError",
    "WaitResult",
    "build_marker",
    "parse_target",
    "syntax_help",
    "wait_until_live",
]
