"""Settings of the demo site: Suara Senja, a four-piece from Bandung.

Every fanpage setting is documented in fanpage/settings.py; Pelican's own are in its docs.
"""

SITENAME = "Suara Senja"
SITEURL = ""
ARTIST_NAME = "Suara Senja"
ARTIST_TYPE = "group"
ARTIST_BIO = "Dream-pop from Bandung, sung in English and Indonesian."
ARTIST_IMAGE = "images/band.jpg"
ARTIST_IMAGE_ALT = (
    "The four members of Suara Senja on a rooftop at dusk, the city lights behind them."
)
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "en"
LANGUAGES = ["en", "id"]
X_HANDLE = "@suarasenja"
SOCIAL_PROFILES = {
    "mastodon": "https://musician.social/@suarasenja",
    "bluesky": "https://bsky.app/profile/suarasenja.band",
    "instagram": "https://www.instagram.com/suarasenja.band",
    "youtube": "https://www.youtube.com/@suarasenja",
    "bandcamp": "https://suarasenja.bandcamp.com",
}
NEWS_PER_PAGE = 6
WRITE_FEEDS = False
