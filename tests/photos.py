"""Test photos holding what a phone puts in a picture, and a probe for any of it in a file.

:func:`make_photo` writes a real image whose EXIF holds a GPS position, the camera's serial
number, its owner's name and an orientation, plus an XMP packet and (JPEG) an IPTC block. The
picture is drawn upright as red on top, blue at the bottom and a green band on the left in
the middle, then stored turned the other way, so that only a reader applying the orientation
sees it upright: :func:`is_upright` checks a derived image. :func:`metadata_in` reports every
trace of metadata in a file, read by Pillow and by scanning its bytes.
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, TiffImagePlugin

SERIAL = "SN-123456"
OWNER = "Jane Doe"
RED, BLUE, GREEN = (220, 30, 30), (30, 40, 210), (30, 190, 60)
# The turn that undoes EXIF orientation N: the stored pixels are the upright ones turned so.
_STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
BODY_SERIAL, CAMERA_OWNER, ORIENTATION = 0xA431, 0xA430, 0x0112
BYTE_MARKERS = (b"Exif", b"EXIF", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"8BIM")


def make_photo(
    path: Path,
    size: tuple[int, int] = (2000, 1500),
    orientation: int = 6,
    gps: bool = True,
    serial: str | None = SERIAL,
    owner: str | None = OWNER,
    xmp: bool = True,
    iptc: bool = True,
    fmt: str = "JPEG",
    alpha: bool = False,
    icc: bytes | None = None,
    comment: bytes | None = None,
) -> Path:
    """Write a photo whose *upright* size is ``size`` to ``path``; returns ``path``.

    ``fmt`` is JPEG, PNG or WEBP (IPTC only in JPEG, where cameras write it). ``alpha`` (PNG,
    WebP) makes the right half of the middle band half transparent and a corner clear; ``icc``
    embeds a colour profile and ``comment`` (JPEG) a COM segment.
    """
    upright = draw_upright(size, alpha)
    turn = _STORED_AS[orientation]
    stored = upright.transpose(turn) if turn is not None else upright
    exif = _exif(orientation, gps, serial, owner)
    options: dict[str, Any] = {"exif": exif.tobytes()}
    if icc:
        options["icc_profile"] = icc
    if comment and fmt == "JPEG":
        options["comment"] = comment
    packet = _xmp_packet(serial, owner, orientation) if xmp else None
    if fmt == "JPEG":
        options.update(quality=90)
        if packet:
            options["xmp"] = packet
    elif fmt == "PNG" and packet:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode())
        options["pnginfo"] = info
    elif fmt == "WEBP" and packet:
        options.update(xmp=packet, lossless=True)
    buffer = io.BytesIO()
    stored.save(buffer, fmt, **options)
    data = buffer.getvalue()
    if fmt == "JPEG" and iptc:
        data = _with_app13(data, _iptc_block(serial, owner))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def draw_upright(size: tuple[int, int], alpha: bool = False) -> Image.Image:
    """Red top quarter, blue bottom quarter, green left third of the middle, a grey texture."""
    width, height = size
    mode = "RGBA" if alpha else "RGB"
    noise = Image.effect_noise(size, 40).convert(mode)
    grey = (128, 128, 128, 255) if alpha else (128, 128, 128)
    image = Image.blend(Image.new(mode, size, grey), noise, 0.3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height // 4), fill=RED)
    draw.rectangle((0, height - height // 4, width, height), fill=BLUE)
    draw.rectangle((0, height // 4, width // 3, height - height // 4), fill=GREEN)
    if alpha:
        draw.rectangle(
            (width // 2, height // 4, width, height - height // 4), fill=(250, 250, 250, 96)
        )
        draw.rectangle((0, 0, max(1, width // 20), max(1, height // 20)), fill=(0, 0, 0, 0))
    return image


def _exif(orientation: int, gps: bool, serial: str | None, owner: str | None) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "FanCam"  # Make
    exif[0x0110] = "FC-1"  # Model
    camera = exif.get_ifd(EXIF_IFD)
    camera[0x9003] = "2026:11:14 21:30:00"  # DateTimeOriginal
    if serial:
        camera[BODY_SERIAL] = serial
    if owner:
        camera[CAMERA_OWNER] = owner
    if gps:
        place = exif.get_ifd(GPS_IFD)
        place[1] = "S"  # GPSLatitudeRef: Jakarta
        place[2] = _degrees(6.2088)
        place[3] = "E"
        place[4] = _degrees(106.8456)
    return exif


def _degrees(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction((value - degrees - minutes / 60) * 3600).limit_denominator(1000)
    return (
        TiffImagePlugin.IFDRational(degrees, 1),
        TiffImagePlugin.IFDRational(minutes, 1),
        TiffImagePlugin.IFDRational(seconds.numerator, seconds.denominator),
    )


def _xmp_packet(serial: str | None, owner: str | None, orientation: int) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'aux:SerialNumber="{serial or ""}" tiff:Orientation="{orientation}" '
        'exif:GPSLatitude="6,12.53S" exif:GPSLongitude="106,50.74E" '
        'xmp:CreatorTool="FanCam">'
        f"<dc:creator><rdf:Seq><rdf:li>{owner or ''}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _iptc_block(serial: str | None, owner: str | None) -> bytes:
    """An IPTC-IIM record 2 (version, by-line, copyright, special instructions)."""

    def dataset(number: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes([number]) + len(value).to_bytes(2, "big") + value

    return (
        dataset(0, b"\x00\x04")
        + dataset(80, (owner or "").encode())
        + dataset(116, f"(c) {owner or ''}".encode())
        + dataset(40, f"camera {serial or ''}".encode())
    )


def _with_app13(jpeg: bytes, iptc: bytes) -> bytes:
    """``jpeg`` with a Photoshop APP13 segment holding ``iptc`` (8BIM resource 0x0404) put
    right after its start marker."""
    padded = iptc + (b"\x00" if len(iptc) % 2 else b"")
    resource = b"8BIM" + b"\x04\x04" + b"\x00\x00" + len(iptc).to_bytes(4, "big") + padded
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def metadata_in(path: Path, secrets: tuple[str, ...] = (SERIAL, OWNER)) -> dict[str, Any]:
    """Every trace of metadata in the file at ``path``; empty when there is none.

    Keys: ``exif`` (tags Pillow reads), ``gps``, ``serial``, ``owner``, ``orientation``, and
    ``info:<key>`` for exif, xmp, IPTC, ICC or comment data Pillow keeps in ``info``; and
    ``bytes:<marker>`` for an EXIF, XMP or Photoshop/IPTC marker (or one of ``secrets``)
    anywhere in the raw bytes.
    """
    found: dict[str, Any] = {}
    with Image.open(path) as image:
        exif = image.getexif()
        if exif:
            found["exif"] = dict(exif)
        if ORIENTATION in exif:
            found["orientation"] = exif[ORIENTATION]
        gps = exif.get_ifd(GPS_IFD)
        if gps:
            found["gps"] = dict(gps)
        camera = exif.get_ifd(EXIF_IFD)
        if BODY_SERIAL in camera:
            found["serial"] = camera[BODY_SERIAL]
        if CAMERA_OWNER in camera:
            found["owner"] = camera[CAMERA_OWNER]
        for key, value in image.info.items():
            lowered = key.lower()
            private = ("exif", "xmp", "iptc", "photoshop", "icc", "comment")
            if value and any(word in lowered for word in private):
                found[f"info:{key}"] = value
        if getattr(image, "applist", None):
            kept = [marker for marker, _ in image.applist if marker not in ("APP0", "APP14")]
            if kept:
                found["jpeg:app"] = kept
    data = path.read_bytes()
    for marker in (*BYTE_MARKERS, *(s.encode() for s in secrets if s)):
        if marker in data:
            found[f"bytes:{marker.decode()}"] = True
    return found


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    """The RGB colour at a fraction (x, y) of ``image``'s width and height."""
    rgb = image.convert("RGB")
    px = rgb.getpixel(
        (min(rgb.width - 1, int(x * rgb.width)), min(rgb.height - 1, int(y * rgb.height)))
    )
    assert isinstance(px, tuple)
    return (int(px[0]), int(px[1]), int(px[2]))


def near(colour: tuple[int, int, int], expected: tuple[int, int, int], tolerance: int = 45) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def is_upright(image: Image.Image) -> bool:
    """Red at the top, blue at the bottom, green on the left of the middle (not mirrored)."""
    return (
        near(colour_at(image, 0.5, 0.08), RED)
        and near(colour_at(image, 0.5, 0.92), BLUE)
        and near(colour_at(image, 0.12, 0.5), GREEN)
        and not near(colour_at(image, 0.88, 0.5), GREEN)
    )
