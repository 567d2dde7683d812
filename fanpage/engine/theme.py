"""Settings the theme relies on, applied when Pelican starts (the theme plugin connects these)."""

from __future__ import annotations

from typing import Any


def adjust_settings(pelican: Any) -> None:
    """The home page shows the latest of everything on one page: never paginate it.

    Pelican would otherwise write ``page/2/`` copies of the home page, which the theme does not
    link to. (``PAGINATED_TEMPLATES`` in fanpage's defaults can drop ``index`` to make this moot.)
    """
    settings = pelican.settings
    paginated = settings["PAGINATED_TEMPLATES"] or {}
    if "index" in paginated:
        settings["PAGINATED_TEMPLATES"] = {k: v for k, v in paginated.items() if k != "index"}
