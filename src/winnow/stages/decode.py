"""Bytes → str for HTML pages, and a cheap check for inputs that are not text at all.

The encoding is chosen by a named, ordered list of attempts; the first that
decodes the bytes without error wins:

1. ``bom``      a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE). Like in
                browsers, a BOM beats every declaration.
2. ``http``     the charset of the HTTP ``Content-Type`` header, when a caller
                passes one (``decode_with_hint``).
3. ``meta``     ``<meta charset=…>`` or ``<meta http-equiv="Content-Type"
                content="…; charset=…">`` in the first 4 KB.
4. ``utf-16``   UTF-16 without a BOM, when every other byte is NUL.
5. ``utf-8``    strict UTF-8.
6. ``mostly-utf-8`` UTF-8 with a few invalid bytes replaced, when at least
                95% of the non-ASCII characters are valid UTF-8.
7. ``detected`` charset-normalizer's best guess over the first 64 KB.
8. ``fallback`` the first declared encoding, else UTF-8, with replacement
                characters for undecodable bytes.

Declared labels are mapped the way the WHATWG Encoding Standard maps them:
latin-1 and ASCII mean windows-1252, gb2312 means GBK/gb18030, Shift_JIS means
its Microsoft superset cp932, and so on. ``decode`` never raises.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

import charset_normalizer

# The WHATWG prescan reads the first 1024 bytes. Crawled pages put the meta tag
# after long comments, inline scripts or style sheets often enough that we read
# 4 KB; a regex over 4 KB costs microseconds. Not tuned on data.
META_SCAN_BYTES = 4096

# charset-normalizer's time grows with its input; 64 KB keeps a guess on a
# typical page to a few milliseconds while holding more than enough text to
# tell legacy encodings apart.
DETECT_SCAN_BYTES = 64 * 1024

# Checked longest first: the UTF-32 LE mark begins with the UTF-16 LE mark.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG labels that Python's codec registry does not know by that name.
EXTRA_LABELS = MappingProxyType(
    {
        "windows-31j": "cp932",
        "x-sjis": "cp932",
        "x-gbk": "gb18030",
        "gb_2312-80": "gb18030",
        "windows-874": "cp874",
        "iso-8859-8-i": "iso8859-8",
        "x-mac-roman": "mac-roman",
        "x-mac-cyrillic": "mac-cyrillic",
    }
)

# Python codec name → the codec browsers really use for that label (WHATWG
# Encoding Standard, "Names and labels"): pages that declare the narrow
# encoding routinely contain characters only its superset has.
SUPERSETS = MappingProxyType(
    {
        "ascii": "cp1252",
        "iso8859-1": "cp1252",
        "iso8859-9": "cp1254",
        "iso8859-11": "cp874",
        "tis-620": "cp874",
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "shift_jis": "cp932",
        "euc_kr": "cp949",
        "big5": "big5hkscs",
        # A UTF-16/32 page could not have declared itself in ASCII-compatible
        # markup; WHATWG reads such a declaration as UTF-8.
        "utf-16": "utf-8",
        "utf-16-le": "utf-8",
        "utf-16-be": "utf-8",
        "utf-32": "utf-8",
        "utf-32-le": "utf-8",
        "utf-32-be": "utf-8",
    }
)

# Text codecs that no page may select: escape codecs interpret the markup, and
# UTF-7 is refused by browsers because it lets markup hide from filters.
REFUSED_CODECS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"}
)

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded page, with the encoding used and which attempt chose it."""

    text: str
    encoding: str
    via: str


def decode(data: bytes) -> str:
    """Decode HTML bytes to str, detecting the encoding. Never raises."""
    return decode_report(data).text


def decode_with_hint(data: bytes, http_charset: str | None) -> str:
    """Like ``decode``, but an HTTP header charset wins over ``<meta>`` (not over a BOM)."""
    return decode_report(data, http_charset).text


def decode_report(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode and say how: the encoding and the attempt (``bom``, ``meta``, …) that won."""
    bom = _decode_bom(data)
    if bom is not None:
        return bom
    declared = [
        (via, encoding)
        for via, encoding in (("http", codec_for_label(http_charset)), ("meta", sniff_meta(data)))
        if encoding is not None
    ]
    tried: set[str] = set()
    for via, encoding in _attempts(data, declared):
        if encoding in tried:
            continue
        if via == "mostly-utf-8":
            text = _mostly_utf8(data)
            if text is not None:
                return Decoded(text, "utf-8", via)
            continue
        tried.add(encoding)
        if encoding == "utf-8" and via in ("http", "meta"):
            # Declared UTF-8 is decoded as UTF-8 whatever the bytes, as browsers
            # do: a few bad bytes become U+FFFD instead of garbling every letter.
            return Decoded(data.decode("utf-8", errors="replace"), encoding, via)
        try:
            return Decoded(data.decode(encoding), encoding, via)
        except (UnicodeError, LookupError):
            continue
    encoding = declared[0][1] if declared else "utf-8"
    return Decoded(data.decode(encoding, errors="replace"), encoding, "fallback")


def _attempts(data: bytes, declared: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """The strict attempts after the BOM, in order; detection runs only if reached."""
    for via, encoding in declared:
        if encoding == "cp1252" and _is_non_ascii_utf8(data):
            # Pages declaring latin-1/windows-1252 but served as UTF-8 are common
            # (templates copied between sites); real windows-1252 text almost
            # never forms valid multi-byte UTF-8 sequences, so trust the bytes.
            yield "utf-8", "utf-8"
        yield via, encoding
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        yield "utf-16", utf16
    yield "utf-8", "utf-8"
    yield "mostly-utf-8", "utf-8"
    detected = _detect(data)
    if detected is not None:
        yield "detected", detected


def _decode_bom(data: bytes) -> Decoded | None:
    """Decode by byte-order mark, if there is one."""
    matches = [(bom, encoding) for bom, encoding in BOMS if data.startswith(bom)]
    for bom, encoding in matches:
        try:
            return Decoded(data[len(bom) :].decode(encoding), encoding, "bom")
        except UnicodeDecodeError:
            # "FF FE 00 00" is also UTF-16 LE text starting with U+0000.
            continue
    if not matches:
        return None
    bom, encoding = matches[0]
    return Decoded(data[len(bom) :].decode(encoding, errors="replace"), encoding, "bom")


def sniff_meta(data: bytes) -> str | None:
    """The encoding declared by the first usable ``<meta>`` charset in the page's head."""
    for match in _META_CHARSET.finditer(data[:META_SCAN_BYTES]):
        encoding = codec_for_label(match.group(1).decode("ascii"))
        if encoding is not None:
            return encoding
    return None


def codec_for_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec a browser would use, or None."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(EXTRA_LABELS.get(key, key)).name
    except LookupError:
        return None
    if name in REFUSED_CODECS or not _is_text_codec(name):
        return None
    return SUPERSETS.get(name, name)


def _is_text_codec(name: str) -> bool:
    """False for the bytes-to-bytes codecs (base64, zlib, …) that share the registry."""
    try:
        b"a".decode(name)
    except UnicodeDecodeError:
        return True  # a text codec that cannot read "a" alone, such as UTF-16
    except LookupError:
        return False
    return True


# A page is read as UTF-8 despite invalid bytes when at least this share of its
# non-ASCII characters decode cleanly. A truncated or spliced UTF-8 page has a
# handful of bad sequences among thousands of good ones; a legacy single-byte
# page has almost no valid multi-byte sequences at all. Not tuned on data.
MIN_VALID_UTF8_SHARE = 0.95


def _mostly_utf8(data: bytes) -> str | None:
    """The UTF-8 reading with replacement characters, if the bytes are UTF-8 but for a few."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = sum(1 for c in text if ord(c) > 127) - bad
    if non_ascii <= 0 or non_ascii < MIN_VALID_UTF8_SHARE * (non_ascii + bad):
        return None
    return text


def _is_non_ascii_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str | None:
    """charset-normalizer's guess over a bounded prefix, as a browser-superset codec.

    Short Western texts often fit several single-byte code pages equally well
    (cp1250, cp1252 and cp1257 all read "Café" without chaos) and the library
    then picks one arbitrarily. On a tie windows-1252 wins: it is the WHATWG
    default for undeclared pages and by far the most common legacy encoding.
    A real cp1250 or cp1251 page does not tie, because in windows-1252 its
    letters become symbol soup and the chaos score rises.
    """
    matches = charset_normalizer.from_bytes(data[:DETECT_SCAN_BYTES])
    best = matches.best()
    if best is None:
        return None
    if any(m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches):
        return "cp1252"
    return codec_for_label(best.encoding)


# Magic numbers of formats that crawls pick up instead of pages. Each entry is
# (offset, signature, what it is); checked in order, first match wins.
MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "PDF document"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (4, b"ftyp", "MP4/ISO media file"),
    (0, b"\x1a\x45\xdf\xa3", "WebM/Matroska video"),
    (0, b"OggS\x00", "Ogg media file"),
    (0, b"ID3\x02\x00", "MP3 audio"),  # ID3v2 tag, major version 2-4, revision 0
    (0, b"ID3\x03\x00", "MP3 audio"),
    (0, b"ID3\x04\x00", "MP3 audio"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"wOFF", "WOFF font"),
    (0, b"wOF2", "WOFF2 font"),
    (0, b"PK\x03\x04", "ZIP archive (or Office document)"),
    (0, b"PK\x05\x06", "ZIP archive (empty)"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"\x28\xb5\x2f\xfd", "zstd data"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (old Office format)"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"\x7fELF", "ELF executable"),
)

# RIFF containers: "RIFF", a 4-byte size, then the form type at offset 8.
RIFF_FORMS: tuple[tuple[bytes, str], ...] = (
    (b"WEBP", "WebP image"),
    (b"AVI ", "AVI video"),
    (b"WAVE", "WAV audio"),
)

# How much of the input the NUL check reads.
NUL_SCAN_BYTES = 1024

# Share of NUL bytes above which the input is binary. Text pages carry at most
# a stray NUL or two; executables, fonts and office files have NULs throughout.
# 1% (10 bytes in the first KB) is a judgement call, not a measurement; UTF-16
# text, which is half NULs, is recognised separately before this applies.
MAX_NUL_SHARE = 0.01
# Share of C0 control bytes other than tab, line feed, form feed and carriage
# return (and of DEL) above which the input is binary. No text encoding a web
# page uses puts them in text; random or compressed bytes hold about 11%.
MAX_CONTROL_SHARE = 0.05
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)

# Share of NULs in one byte lane (even or odd offsets) for BOM-less UTF-16:
# mostly-ASCII UTF-16 text puts a NUL in every other byte.
UTF16_LANE_SHARE = 0.8


def looks_binary(data: bytes) -> str | None:
    """Say why ``data`` is not a text page ("PDF document", …), or None if it may be one."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        return None
    for offset, signature, name in MAGIC:
        if data[offset : offset + len(signature)] == signature:
            return name
    if data.startswith(b"RIFF"):
        for form, name in RIFF_FORMS:
            if data[8:12] == form:
                return name
    head = data[:NUL_SCAN_BYTES]
    if not head or utf16_without_bom(head):
        return None
    if head.count(0) / len(head) > MAX_NUL_SHARE:
        return "binary data (NUL bytes)"
    if len(head.translate(None, _NOT_CONTROL)) / len(head) > MAX_CONTROL_SHARE:
        return "binary data (control bytes)"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NULs of the first KB sit in one byte lane, else None.

    Mostly-ASCII UTF-16 puts a NUL in every other byte: the high byte of each
    code unit, second in little-endian, first in big-endian.
    """
    head = data[:NUL_SCAN_BYTES]
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    for nul_lane, text_lane, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        nul_share = nul_lane.count(0) / len(nul_lane)
        text_nul_share = text_lane.count(0) / len(text_lane)
        if nul_share >= UTF16_LANE_SHARE and text_nul_share <= 1 - UTF16_LANE_SHARE:
            return encoding
    return None
