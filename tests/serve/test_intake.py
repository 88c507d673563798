"""From request parts to an Order, without a server: formats, options, bodies."""

from __future__ import annotations

import pytest

from winnow.options import Options
from winnow.serve.errors import ApiError
from winnow.serve.intake import choose_format, declared_over, order_from, parse_media_type


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/json", "json"),
        ("text/markdown", "markdown"),
        ("text/*", "text"),
        ("text/html;q=0.2, text/markdown;q=0.8, */*;q=0.1", "markdown"),
        ("image/png, text/plain", "text"),
        ("text/markdown;q=0, application/json", "json"),
    ],
)
def test_accept_picks_the_best_format_winnow_has(accept: str | None, expected: str) -> None:
    assert choose_format(None, accept) == expected


def test_format_parameter_wins_and_unknown_accept_is_406() -> None:
    assert choose_format("markdown", "application/json") == "markdown"
    with pytest.raises(ApiError) as caught:
        choose_format(None, "image/png, application/pdf")
    assert caught.value.status == 406


def test_media_type_parameters() -> None:
    assert parse_media_type('text/HTML; Charset="ISO-8859-1"') == (
        "text/html",
        {"charset": "ISO-8859-1"},
    )
    assert parse_media_type(None) == ("", {})


@pytest.mark.parametrize(
    ("length", "over"),
    [
        ("1" * 5000, True),
        ("0005", False),
        ("11", True),
        ("10", False),
        (None, False),
        ("-1", False),
        ("١٢", False),
    ],
)
def test_declared_length_against_a_cap_of_ten(length: str | None, over: bool) -> None:
    assert declared_over(length, 10) is over


def test_raw_html_takes_url_and_options_from_the_query() -> None:
    order = order_from(
        "text/html; charset=latin-1",
        "Café".encode("latin-1"),
        [("url", "https://a.example/"), ("favor", "recall"), ("include_tables", "false")],
        None,
    )
    assert order.page == "Café"
    assert order.url == "https://a.example/"
    assert order.options == Options(input="html", favor="recall", include_tables=False)


def test_json_body_overrides_the_query() -> None:
    order = order_from(
        "application/json",
        b'{"text": "a dump", "url": "https://b.example/", "options": {"favor": "precision"}}',
        [("url", "https://a.example/"), ("favor", "recall"), ("max_bytes", "100")],
        "text/plain",
    )
    assert (order.page, order.url, order.format) == ("a dump", "https://b.example/", "text")
    assert order.options == Options(input="text", favor="precision", max_bytes=100)


def test_json_url_alone_is_a_fetch_order() -> None:
    order = order_from("application/json", b'{"url": "https://c.example/"}', [], None)
    assert order.page is None
    assert order.url == "https://c.example/"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ([("max_bytes", "9" * 30)], "bad-option"),
        ([("max_bytes", "0")], "bad-option"),
        ([("include_figures", "yes")], "bad-option"),
        ([("input", "text")], "forbidden-option"),
        ([("format", "json"), ("format", "text")], "repeated-parameter"),
    ],
)
def test_bad_query_parameters(query: list[tuple[str, str]], reason: str) -> None:
    with pytest.raises(ApiError) as caught:
        order_from("text/html", b"<p>x</p>", query, None)
    assert (caught.value.status, caught.value.reason) == (400, reason)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"html": "x", "options": {"max_bytes": true}}', "bad-option"),
        (b'{"html": "x", "options": {"max_bytes": 1.5}}', "bad-option"),
        (b'{"html": 5}', "bad-field"),
        (b'{"url": "https://x.example/", "options": {}, "text": null}', "bad-field"),
        (b"{}", "missing-field"),
        (b'{"html": "x"', "bad-json"),
        (b"\xff\xfe\x00", "bad-json"),
    ],
)
def test_bad_json_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(ApiError) as caught:
        order_from("application/json", body, [], None)
    assert (caught.value.status, caught.value.reason) == (400, reason)
