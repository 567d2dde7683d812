"""The theme's interface text: English is the message id, other languages translate it.

Placeholders use ``str.format`` names (``{n}``), so a translation may move them around.
"""

from __future__ import annotations

from typing import Final

LANGUAGE_NAMES: Final[dict[str, str]] = {"en": "English", "id": "Bahasa Indonesia"}

# English message -> {language: translation}. English needs no entry of its own.
MESSAGES: Final[dict[str, dict[str, str]]] = {
    # Navigation and page chrome
    "Skip to content": {"id": "Langsung ke konten"},
    "Main": {"id": "Utama"},
    "Home": {"id": "Beranda"},
    "News": {"id": "Berita"},
    "Music": {"id": "Musik"},
    "Tour": {"id": "Tur"},
    "Tours": {"id": "Tur"},
    "Language": {"id": "Bahasa"},
    "Read in {language}": {"id": "Baca dalam {language}"},
    "Follow": {"id": "Ikuti"},
    "Subscribe": {"id": "Berlangganan"},
    "Feeds": {"id": "Umpan"},
    "Breadcrumb": {"id": "Remah roti"},
    "Tags": {"id": "Tag"},
    "Tagged": {"id": "Tag"},
    "Pages": {"id": "Halaman"},
    "Page {n} of {total}": {"id": "Halaman {n} dari {total}"},
    "Newer": {"id": "Lebih baru"},
    "Older": {"id": "Lebih lama"},
    "Previous": {"id": "Sebelumnya"},
    "Next": {"id": "Berikutnya"},
    "More posts": {"id": "Tulisan lainnya"},
    "Read more": {"id": "Baca selengkapnya"},
    "Posted on {date}": {"id": "Diterbitkan {date}"},
    "Updated {date}": {"id": "Diperbarui {date}"},
    "Also on": {"id": "Juga di"},
    "Entries tagged": {"id": "Tulisan dengan tag"},
    "All tags": {"id": "Semua tag"},
    "{n} entries": {"id": "{n} tulisan"},
    "About": {"id": "Tentang"},
    "Page not found": {"id": "Halaman tidak ditemukan"},
    "Sorry, there is nothing at this address. It may have moved when the site changed.": {
        "id": "Maaf, tidak ada apa-apa di alamat ini. Mungkin halamannya pindah."
    },
    "Try one of these instead:": {"id": "Coba salah satu halaman ini:"},
    "the home page": {"id": "beranda"},
    "the latest news": {"id": "berita terbaru"},
    "the discography": {"id": "diskografi"},
    "tour dates": {"id": "jadwal tur"},
    # Home
    "Latest release": {"id": "Rilisan terbaru"},
    "Upcoming shows": {"id": "Konser mendatang"},
    "All tour dates": {"id": "Semua jadwal tur"},
    "Latest news": {"id": "Berita terbaru"},
    "All news": {"id": "Semua berita"},
    "No shows announced right now.": {"id": "Belum ada konser yang diumumkan."},
    "Listen": {"id": "Dengarkan"},
    "Listen and buy": {"id": "Dengarkan dan beli"},
    "Listen on {service}": {"id": "Dengarkan di {service}"},
    "Buy": {"id": "Beli"},
    "Album page": {"id": "Halaman album"},
    "Tour calendar": {"id": "Kalender tur"},
    "Subscribe to tour dates": {"id": "Berlangganan jadwal tur"},
    "Download all dates (.ics)": {"id": "Unduh semua jadwal (.ics)"},
    # Discography and albums
    "Discography": {"id": "Diskografi"},
    "Album": {"id": "Album"},
    "EP": {"id": "EP"},
    "Single": {"id": "Singel"},
    "Live": {"id": "Live"},
    "Compilation": {"id": "Kompilasi"},
    "Released": {"id": "Rilis"},
    "Release date": {"id": "Tanggal rilis"},
    "Type": {"id": "Jenis"},
    "Label": {"id": "Label"},
    "Tracklist": {"id": "Daftar lagu"},
    "Total running time": {"id": "Total durasi"},
    "Duration": {"id": "Durasi"},
    "{n} tracks": {"id": "{n} lagu"},
    "1 track": {"id": "1 lagu"},
    "Preview of {title}": {"id": "Cuplikan {title}"},
    "Lyrics": {"id": "Lirik"},
    "Explicit": {"id": "Eksplisit"},
    "Credits": {"id": "Kredit"},
    "Press": {"id": "Kata media"},
    "Rating: {rating}": {"id": "Nilai: {rating}"},
    "Read the review": {"id": "Baca ulasannya"},
    # Tours and shows
    "Tour dates": {"id": "Jadwal tur"},
    "Upcoming": {"id": "Akan datang"},
    "Past shows ({n})": {"id": "Konser yang sudah lewat ({n})"},
    "Times are local to each venue.": {"id": "Waktu sesuai zona waktu tempat konser."},
    "Tickets": {"id": "Tiket"},
    "Tickets for {city}": {"id": "Tiket {city}"},
    "Add to calendar": {"id": "Tambah ke kalender"},
    "Add {city} to calendar": {"id": "Tambahkan {city} ke kalender"},
    "Doors {time}": {"id": "Pintu dibuka {time}"},
    "with {names}": {"id": "bersama {names}"},
    "from {price}": {"id": "mulai {price}"},
    "up to {price}": {"id": "hingga {price}"},
    "Venue to be announced": {"id": "Tempat akan diumumkan"},
    "On sale {date}": {"id": "Tiket dijual {date}"},
    "Was": {"id": "Semula"},
    "Tour page": {"id": "Halaman tur"},
    "All shows": {"id": "Semua konser"},
    "Shows": {"id": "Konser"},
    "Status": {"id": "Status"},
    "announced": {"id": "Diumumkan"},
    "on_sale": {"id": "Tiket dijual"},
    "sold_out": {"id": "Habis terjual"},
    "cancelled": {"id": "Dibatalkan"},
    "postponed": {"id": "Ditunda"},
    "rescheduled": {"id": "Jadwal baru"},
    "free": {"id": "Gratis"},
    # Galleries and videos
    "Photos": {"id": "Foto"},
    "Gallery": {"id": "Galeri"},
    "Latest photos": {"id": "Foto terbaru"},
    "All photos": {"id": "Semua foto"},
    "No photos yet.": {"id": "Belum ada foto."},
    "{n} photos": {"id": "{n} foto"},
    "1 photo": {"id": "1 foto"},
    "Photo {n} of {total}": {"id": "Foto {n} dari {total}"},
    "Photo: {credit}": {"id": "Foto: {credit}"},
    "Previous photo": {"id": "Foto sebelumnya"},
    "Next photo": {"id": "Foto berikutnya"},
    "Back to all photos": {"id": "Kembali ke semua foto"},
    "Photos of {title}": {"id": "Foto {title}"},
    "From the show": {"id": "Dari konser"},
    "Photos from the shows and sessions of {artist}.": {
        "id": "Foto dari konser dan sesi {artist}."
    },
    "Video": {"id": "Video"},
    "Videos": {"id": "Video"},
    "Play video: {title}": {"id": "Putar video: {title}"},
    "Watch on {host}": {"id": "Tonton di {host}"},
    "The player loads from {host} when you press play.": {
        "id": "Pemutar dimuat dari {host} saat Anda menekan putar."
    },
    "Download the video": {"id": "Unduh videonya"},
    "Captions": {"id": "Teks"},
    # Sharing
    "Share": {"id": "Bagikan"},
    "Share this": {"id": "Bagikan ini"},
    "Share on {network}": {"id": "Bagikan di {network}"},
    "Your Mastodon server": {"id": "Server Mastodon Anda"},
    "Share on Mastodon": {"id": "Bagikan di Mastodon"},
    "E-mail": {"id": "Surel"},
    "Share…": {"id": "Bagikan…"},
    # What list pages are called (their <title>, heading and share preview) and say
    "#{name}": {"id": "#{name}"},
    "page {number}": {"id": "halaman {number}"},
    "News from {artist}.": {"id": "Berita dari {artist}."},
    "Albums, EPs and singles by {artist}.": {"id": "Album, EP dan singel {artist}."},
    "Tour dates and tickets for {artist}.": {"id": "Jadwal tur dan tiket {artist}."},
    "Everything on {site}, by tag.": {"id": "Semua isi {site}, menurut tag."},
    "Everything on {site} tagged “{name}”.": {"id": "Semua isi {site} dengan tag “{name}”."},
    "{artist}: tour dates (iCalendar)": {"id": "{artist}: jadwal tur (iCalendar)"},
    "{title} (iCalendar)": {"id": "{title} (iCalendar)"},
    # Feeds and calendars (readers show the item alone, without the site's pages)
    "News, releases and tour dates from {artist}.": {
        "id": "Berita, rilisan dan jadwal tur dari {artist}."
    },
    "{artist} — tour dates": {"id": "{artist} — jadwal tur"},
    "Releases": {"id": "Rilisan"},
    "Preview": {"id": "Cuplikan"},
    "Doors": {"id": "Pintu dibuka"},
    "With": {"id": "Bersama"},
    # Cross-posts: what a new entry says on the social networks
    "New {release_type}: {title}": {"id": "{release_type} baru: {title}"},
    "On tour: {title}": {"id": "Tur: {title}"},
    "1 new date": {"id": "1 jadwal baru"},
    "{n} new dates": {"id": "{n} jadwal baru"},
    "+{n} more": {"id": "+{n} lagi"},
}

# How each release type is shown: the message id of its label.
RELEASE_TYPE_LABELS: Final[dict[str, str]] = {
    "album": "Album",
    "ep": "EP",
    "single": "Single",
    "live": "Live",
    "compilation": "Compilation",
}

# What English shows for the status codes used as message ids above.
_ENGLISH: Final[dict[str, str]] = {
    "announced": "Announced",
    "on_sale": "On sale",
    "sold_out": "Sold out",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
    "rescheduled": "Rescheduled",
    "free": "Free",
}


def translate(message: str, lang: str, /, **values: object) -> str:
    """``message`` in ``lang`` (English when there is no translation), placeholders filled."""
    text = MESSAGES.get(message, {}).get(lang) or _ENGLISH.get(message, message)
    return text.format(**values) if values else text


# List page key -> the message id of its name: the page's <title> and heading say it, and so
# does its share preview (a test holds them to it).
LIST_TITLES: Final[dict[str, str]] = {
    "news": "News",
    "albums": "Discography",
    "tours": "Tour dates",
    "galleries": "Photos",
    "tags": "Tags",
    "tag": "#{name}",
    "notfound": "Page not found",
}
# The small label on an entry's share card, by entry kind (shown in capitals).
CARD_LABELS: Final[dict[str, str]] = {
    "news": "News",
    "album": "Music",
    "tour": "Tour",
    "gallery": "Photos",
}


def list_title(key: str, lang: str, /, **values: object) -> str:
    """ "Discography", "Diskografi": what a list page is called (``key`` of LIST_TITLES)."""
    return translate(LIST_TITLES[key], lang, **values)


def release_type_label(release_type: str, lang: str) -> str:
    """ "EP", "Singel": a release type as the page's language names it."""
    return translate(RELEASE_TYPE_LABELS.get(release_type, release_type.title()), lang)
