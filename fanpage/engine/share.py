"""Share links for an entry: plain URLs of each network's own share page, no scripts, no tracking.

Mastodon has no central share page (every reader is on their own server), so it is a small form
asking for the server: the theme's local script sends the reader straight to
``https://<server>/share``; without JavaScript the form goes to Share₂Fedi, an open-source
page that asks the same question.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

MASTODON_FALLBACK = "https://s2f.kytta.dev/"
# How networks spell their own names, for profile links (unknown names are title-cased).
NETWORK_LABELS: dict[str, str] = {
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "x": "X",
    "twitter": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "threads": "Threads",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "bandcamp": "Bandcamp",
    "soundcloud": "SoundCloud",
    "spotify": "Spotify",
    "apple_music": "Apple Music",
    "linkedin": "LinkedIn",
    "telegram": "Telegram",
    "discord": "Discord",
    "twitch": "Twitch",
}


@dataclass(frozen=True)
class ShareLink:
    network: str  # a stable key for CSS and tests
    label: str  # the network's own name
    href: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Links that open each network's share dialog with ``title`` and ``url`` filled in."""
    text = f"{title} {url}"
    return [
        ShareLink("bluesky", "Bluesky", "https://bsky.app/intent/compose?" + _q(text=text)),
        ShareLink("x", "X", "https://x.com/intent/tweet?" + _q(text=title, url=url)),
        ShareLink(
            "facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + _q(u=url)
        ),
        ShareLink(
            "linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + _q(url=url)
        ),
        ShareLink("telegram", "Telegram", "https://t.me/share/url?" + _q(url=url, text=title)),
        ShareLink("whatsapp", "WhatsApp", "https://wa.me/?" + _q(text=text)),
        ShareLink("reddit", "Reddit", "https://www.reddit.com/submit?" + _q(url=url, title=title)),
        ShareLink("email", "E-mail", "mailto:?" + _q(subject=title, body=url)),
    ]


def network_label(name: str) -> str:
    return NETWORK_LABELS.get(name.lower(), name.replace("_", " ").title())


def _q(**values: str) -> str:
    """Percent-encode with %20 for spaces: mail clients show ``+`` literally."""
    return urlencode(values, quote_via=quote)
