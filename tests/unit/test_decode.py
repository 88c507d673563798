"""Bytes → str: BOMs, declarations, detection, and inputs that are not pages."""

from __future__ import annotations

import codecs
import random

import pytest

from winnow.stages.decode import (
    codec_for_label,
    decode,
    decode_report,
    decode_with_hint,
    looks_binary,
)

PAGE = "<html><head><title>Café</title></head><body><p>Crème brûlée — “quoted”</p></body></html>"


def test_plain_utf8() -> None:
    report = decode_report(PAGE.encode("utf-8"))
    assert report.text == PAGE
    assert (report.encoding, report.via) == ("utf-8", "utf-8")


def test_utf8_bom_is_stripped() -> None:
    report = decode_report(codecs.BOM_UTF8 + PAGE.encode("utf-8"))
    assert report.text == PAGE
    assert report.via == "bom"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(bom: bytes, encoding: str) -> None:
    report = decode_report(bom + PAGE.encode(encoding))
    assert report.text == PAGE
    assert (report.encoding, report.via) == (encoding, "bom")


def test_utf32_with_bom() -> None:
    assert decode(codecs.BOM_UTF32_LE + PAGE.encode("utf-32-le")) == PAGE


def test_bom_beats_declarations() -> None:
    data = codecs.BOM_UTF8 + '<meta charset="windows-1252"><p>Café</p>'.encode()
    assert decode_with_hint(data, "iso-8859-1").endswith("<p>Café</p>")


def test_utf16_without_bom() -> None:
    report = decode_report(PAGE.encode("utf-16-le"))
    assert report.text == PAGE
    assert report.encoding == "utf-16-le"


def test_shift_jis_declared_in_meta() -> None:
    page = (
        '<html><head><meta charset="Shift_JIS"></head><body><p>日本語のページです</p></body></html>'
    )
    report = decode_report(page.encode("shift_jis"))
    assert "日本語のページです" in report.text
    # Browsers read Shift_JIS as its Microsoft superset.
    assert (report.encoding, report.via) == ("cp932", "meta")


def test_gb2312_declared_in_http_equiv_meta() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "</head><body><p>中文网页，欢迎光临</p></body></html>"
    )
    report = decode_report(page.encode("gb2312"))
    assert "中文网页，欢迎光临" in report.text
    assert (report.encoding, report.via) == ("gb18030", "meta")


def test_http_charset_wins_over_meta() -> None:
    data = '<meta charset="utf-8"><p>Привет, мир</p>'.encode("koi8-r")
    assert "Привет, мир" in decode_with_hint(data, "KOI8-R")


def test_declared_latin1_is_read_as_windows_1252() -> None:
    data = '<meta charset="iso-8859-1"><p>“Smart quotes” cost €5</p>'.encode("cp1252")
    report = decode_report(data)
    assert "“Smart quotes” cost €5" in report.text
    assert report.encoding == "cp1252"


def test_utf8_page_mislabelled_latin1_is_read_as_utf8() -> None:
    data = '<meta charset="iso-8859-1"><p>Café</p>'.encode()
    assert decode(data).endswith("<p>Café</p>")


def test_windows_1252_undeclared() -> None:
    page = "<html><body><p>Café crème brûlée — “quoted” naïve résumé façade</p></body></html>"
    report = decode_report(page.encode("cp1252"))
    assert report.text == page
    assert report.via == "detected"


@pytest.mark.parametrize("label", ["base64", "zlib", "rot13", "utf-7", "unicode_escape", "nope"])
def test_unusable_labels_are_ignored(label: str) -> None:
    assert codec_for_label(label) is None
    assert decode(f'<meta charset="{label}"><p>Hi</p>'.encode()) == (
        f'<meta charset="{label}"><p>Hi</p>'
    )


@pytest.mark.parametrize(
    ("label", "codec"),
    [("latin1", "cp1252"), ("US-ASCII", "cp1252"), ("GBK", "gb18030"), ("euc-kr", "cp949")],
)
def test_labels_map_to_browser_supersets(label: str, codec: str) -> None:
    assert codec_for_label(label) == codec


def test_invalid_utf8_never_raises() -> None:
    report = decode_report(b"<p>ok \xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28 \xff</p>")
    assert report.text.startswith("<p>ok ")
    assert report.text.endswith("</p>")


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20240501)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2000)))
        assert isinstance(decode(data), str)
        looks_binary(data)


def test_empty_input() -> None:
    assert decode(b"") == ""
    assert looks_binary(b"") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP image"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "MP4/ISO media file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive (or Office document)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip data"),
        (bytes(range(32)) * 32, "binary data (NUL bytes)"),
    ],
)
def test_binary_formats_are_named(data: bytes, reason: str) -> None:
    assert looks_binary(data) == reason


@pytest.mark.parametrize(
    "data",
    [
        PAGE.encode("utf-8"),
        codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"),
        PAGE.encode("utf-16-le"),
        PAGE.encode("utf-16-be"),
        b"<p>one stray NUL\x00 in a page</p>" + b"<p>and more text</p>" * 20,
        b"RIFFRAFF is a word, not a file",
    ],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert looks_binary(data) is None
