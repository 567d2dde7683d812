"""Production settings of the demo site: the development ones plus the public address and the
networks each new entry is announced on (secrets come from FANPAGE_* environment variables)."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

SITEURL = "https://suarasenja.band"
WRITE_FEEDS = True

CROSSPOST = {
    "mastodon": {"instance": "https://musician.social", "hashtags": ["dreampop"]},
    "bluesky": {"handle": "suarasenja.band"},
    "x": {},
    "facebook": {"page_id": "101000000000001"},
    "linkedin": {"organization": "5515715"},
    "threads": {"user_id": "17841400000000001"},
    "telegram": {"chat": "@suarasenja"},
    "discord": {},
}
CROSSPOST_TIMEOUT = 20  # seconds for one request
CROSSPOST_RETRY_SECONDS = 120  # total time a run may spend retrying one post
CROSSPOST_CHANGES = True  # also announce cancelled, postponed and rescheduled shows
