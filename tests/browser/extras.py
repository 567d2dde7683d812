"""A second small site for what the demo does not show: a show whose venue is TBA, a release
without a cover as the latest one, and an album and a tour translated into Indonesian (so that
every page type exists in both languages). Built and served next to the demo.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

CONF = """\
SITENAME = "Lintang Timur"
SITEURL = ""
ARTIST_NAME = "Lintang Timur"
ARTIST_TYPE = "person"
ARTIST_BIO = "Folk songs from Yogyakarta."
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "en"
LANGUAGES = ["en", "id"]
"""

SHOWS_EN = """\
  - date: 2026-10-10 20:00
    venue: Bale Rumawat
    city: Bandung
    country: ID
    status: on_sale
    price: 100000
    currency: IDR
  - date: 2027-01-16 20:00
    doors: "19:00"
    venue: TBA
    city: Jakarta
    country: ID
    status: announced
    on_sale_date: 2026-12-01 10:00
    tickets: https://tickets.lintangtimur.example/jakarta
    price_min: 150000
    price_max: 450000
    currency: IDR
    notes: The venue will be announced with the ticket sale.
  - date: 2027-02-06 21:00
    timezone: Australia/Melbourne
    venue: The Gasometer Hotel
    city: Melbourne
    region: VIC
    country: AU
    status: on_sale
    tickets: https://tickets.lintangtimur.example/melbourne
    price: 35
    currency: AUD
    support: [Hana Lestari]
  - date: 2027-02-20 20:00
    timezone: Asia/Singapore
    venue: The Projector
    city: Singapore
    country: SG
    status: on_sale
    tickets: https://tickets.lintangtimur.example/singapore
    price_min: 30
    currency: SGD
"""

SHOWS_ID = SHOWS_EN.replace(
    "The venue will be announced with the ticket sale.",
    "Tempat diumumkan bersama penjualan tiket.",
)

TRACKS = """\
tracks:
  - title: Sunyi
    duration: 4:05
    lyrics: |
      Sunyi datang pelan-pelan,
      seperti kabut di Kaliurang.
  - title: Kabut Pagi
    duration: 3:30
    explicit: true
  - title: A Very Long Song Title That Has To Wrap On A Phone Screen
    duration: 5:00
    lyrics: |
      Long lines for a long title.
links:
  bandcamp: https://lintangtimur.bandcamp.com/album/sunyi
  spotify: https://open.spotify.com/album/sunyiLintang
  buy: https://store.lintangtimur.example/sunyi
credits:
  - "Lintang Timur: vocals, guitar"
press:
  - quote: Quiet songs that stay with you.
    source: Warta Folk
    rating: 4/5
"""

FILES: dict[str, str] = {
    "albums/sunyi.md": """
        ---
        title: Sunyi
        uid: album-sunyi
        release_date: 2026-09-12
        release_type: ep
        label: Lintang Records
        summary: Three quiet songs recorded at home.
        tags: [sunyi]
        {tracks}---
        Recorded in one weekend, in a kitchen in Yogyakarta.
        """,
    "albums/sunyi.id.md": """
        ---
        title: Sunyi
        uid: album-sunyi-id
        release_date: 2026-09-12
        release_type: ep
        label: Lintang Records
        summary: Tiga lagu sunyi yang direkam di rumah.
        tags: [sunyi]
        {tracks}---
        Direkam dalam satu akhir pekan, di dapur di Yogyakarta.
        """,
    "tours/sunyi-2027.md": """
        ---
        title: Sunyi Tour 2027
        uid: tour-sunyi-2027
        date: 2026-09-01
        summary: Four nights in four cities.
        tags: [tour, sunyi]
        shows:
        {shows_en}---
        Small rooms, quiet songs.
        """,
    "tours/sunyi-2027.id.md": """
        ---
        title: Tur Sunyi 2027
        uid: tour-sunyi-2027-id
        date: 2026-09-01
        summary: Empat malam di empat kota.
        tags: [tur, sunyi]
        shows:
        {shows_id}---
        Ruang kecil, lagu-lagu sunyi.
        """,
    "news/2026-09-12-sunyi-out-now.md": """
        ---
        title: Sunyi is out
        date: 2026-09-12 09:00
        summary: The new EP is out today.
        tags: [sunyi, release]
        ---
        Listen on the [album page]({filename}../albums/sunyi.md) and see the
        [tour dates]({filename}../tours/sunyi-2027.md).
        """,
    "news/2026-09-12-sunyi-out-now.id.md": """
        ---
        title: Sunyi sudah rilis
        date: 2026-09-12 09:00
        summary: EP baru sudah rilis hari ini.
        tags: [sunyi, rilis]
        ---
        Dengarkan di [halaman album]({filename}../albums/sunyi.id.md) dan lihat
        [jadwal tur]({filename}../tours/sunyi-2027.id.md).
        """,
    "pages/about.md": """
        ---
        title: About
        summary: Lintang Timur writes folk songs in Yogyakarta.
        ---
        Songs about small towns and long trains.
        """,
    "pages/about.id.md": """
        ---
        title: Tentang
        summary: Lintang Timur menulis lagu folk di Yogyakarta.
        ---
        Lagu tentang kota kecil dan kereta panjang.
        """,
}


def write_extras(site: Path) -> Path:
    """Write the site into ``site`` and return it."""
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "pelicanconf.py").write_text(CONF, encoding="utf-8")
    for name, text in FILES.items():
        body = textwrap.dedent(text).lstrip("\n")
        body = body.replace("{tracks}", TRACKS)
        body = body.replace("{shows_en}", SHOWS_EN).replace("{shows_id}", SHOWS_ID)
        target = site / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return site
