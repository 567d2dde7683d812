"""The networks fanpage can announce on: one line each, the module that implements it.

Adding a network is one new module in ``fanpage/crosspost/networks/`` and one line here.
Modules are imported only when a run uses them, so ``fanpage check`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from fanpage.crosspost.network import Network

# Name (as in CROSSPOST, the ledger and an entry's ``crosspost`` key) -> module:class.
NETWORK_CLASSES: Final[dict[str, str]] = {
    "mastodon": "fanpage.crosspost.networks.mastodon:Mastodon",
    "bluesky": "fanpage.crosspost.networks.bluesky:Bluesky",
    "x": "fanpage.crosspost.networks.x:X",
    "facebook": "fanpage.crosspost.networks.facebook:Facebook",
    "linkedin": "fanpage.crosspost.networks.linkedin:LinkedIn",
    "threads": "fanpage.crosspost.networks.threads:Threads",
    "telegram": "fanpage.crosspost.networks.telegram:Telegram",
    "discord": "fanpage.crosspost.networks.discord:Discord",
}
NETWORKS: Final[tuple[str, ...]] = tuple(NETWORK_CLASSES)


def network_class(name: str) -> type[Network]:
    """The class for network ``name`` (KeyError for an unknown name)."""
    module_name, _, class_name = NETWORK_CLASSES[name].partition(":")
    return getattr(import_module(module_name), class_name)
