"""Page metadata: JSON-LD first, then <meta>/OpenGraph, then the DOM."""

from __future__ import annotations

import json

import pytest

from winnow.stages.metadata import Metadata, read
from winnow.stages.parse import parse_html


def meta_of(head: str, body: str = "") -> Metadata:
    return read(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"))


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- JSON-LD ---------------------------------------------------------------


def test_jsonld_article_fields() -> None:
    meta = meta_of(
        jsonld(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": "Night ferry returns",
                "datePublished": "2024-05-14T07:30:00+01:00",
                "dateModified": "2024-05-15T09:00:00+01:00",
                "description": "After eleven years.",
                "image": ["https://cdn.example/ferry.jpg", "https://cdn.example/other.jpg"],
                "articleSection": "Region",
                "publisher": {"@type": "Organization", "name": "Coastal Ledger"},
                "author": {"@type": "Person", "name": "Maren Holt"},
            }
        )
    )
    assert meta.values == {
        "title": "Night ferry returns",
        "published": "2024-05-14T07:30:00+01:00",
        "updated": "2024-05-15T09:00:00+01:00",
        "description": "After eleven years.",
        "image": "https://cdn.example/ferry.jpg",
        "section": "Region",
        "site_name": "Coastal Ledger",
        "authors": ["Maren Holt"],
    }
    assert set(meta.sources.values()) == {"json-ld"}


def test_jsonld_graph_is_searched_for_the_article() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Coastal Ledger"},
            {"@type": "BreadcrumbList", "name": "Home > Region"},
            {"@type": "BlogPosting", "headline": "From the graph", "datePublished": "2024-01-02"},
        ],
    }
    meta = meta_of(jsonld(graph))
    assert meta.get("title") == "From the graph"
    assert meta.get("published") == "2024-01-02"
    assert meta.get("site_name") == "Coastal Ledger"


def test_jsonld_top_level_array() -> None:
    items = [
        {"@type": "Organization", "name": "Not the title"},
        {"@type": ["NewsArticle"], "headline": "From the array"},
    ]
    assert meta_of(jsonld(items)).get("title") == "From the array"


def test_article_block_wins_over_an_earlier_non_article_block() -> None:
    head = jsonld({"@type": "Organization", "name": "Coastal Ledger Ltd"}) + jsonld(
        {"@type": "Article", "headline": "Ticket prices"}
    )
    assert meta_of(head).get("title") == "Ticket prices"


def test_malformed_jsonld_with_trailing_commas_is_read() -> None:
    raw = '{"@type": "Article", "headline": "Trailing", "author": {"name": "A. Writer",},};'
    meta = meta_of(f'<script type="application/ld+json">\n{raw}\n</script>')
    assert meta.get("title") == "Trailing"
    assert meta.get("authors") == ["A. Writer"]


def test_unreadable_jsonld_is_skipped() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", "headline": </script>' + jsonld(
        {"@type": "Article", "headline": "Second block"}
    )
    assert meta_of(head).get("title") == "Second block"


@pytest.mark.parametrize(
    "raw",
    [
        '"just a string"',
        "42",
        '{"@type": 5, "headline": ["", null]}',
        '{"@type": "Article", "headline": {"nested": true}, "author": [null, 7, {"@id": "#p"}]}',
    ],
)
def test_jsonld_of_odd_shapes_offers_nothing(raw: str) -> None:
    meta = meta_of(f'<script type="application/ld+json">{raw}</script>')
    assert meta.values == {}


def test_deeply_nested_jsonld_is_skipped_and_the_rest_still_read() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    head = (
        f'<script type="application/ld+json">{deep}</script>'
        '<meta property="og:title" content="Still here">'
    )
    assert meta_of(head).get("title") == "Still here"


# --- authors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ({"@type": "Person", "name": "Maren Holt"}, ["Maren Holt"]),
        ("Maren Holt", ["Maren Holt"]),
        (["Maren Holt", {"name": "Ilse  Brandt\n"}], ["Maren Holt", "Ilse Brandt"]),
        (["https://news.example/authors/maren-holt", "Maren Holt"], ["Maren Holt"]),
        ({"@type": "Person", "url": "https://news.example/authors/maren-holt"}, None),
    ],
)
def test_jsonld_authors_as_objects_strings_and_urls(author: object, expected: object) -> None:
    meta = meta_of(jsonld({"@type": "Article", "headline": "x", "author": author}))
    assert meta.get("authors") == expected


def test_meta_author_urls_are_not_names() -> None:
    head = (
        '<meta property="article:author" content="https://facebook.com/someone">'
        '<meta property="article:author" content="Jo Park">'
    )
    assert meta_of(head).get("authors") == ["Jo Park"]


def test_several_meta_authors_are_all_kept() -> None:
    head = '<meta name="author" content="Jo Park"><meta name="author" content="Ana Lima">'
    assert meta_of(head).get("authors") == ["Jo Park", "Ana Lima"]


# --- <meta> and OpenGraph --------------------------------------------------


def test_opengraph_and_meta_fields() -> None:
    meta = meta_of(
        '<meta property="og:title" content="OG  title">'
        '<meta property="og:site_name" content="Coastal Ledger">'
        '<meta property="og:image" content="https://cdn.example/a.jpg">'
        '<meta name="description" content="Plain description">'
        '<meta property="og:description" content="OG description">'
        '<meta property="article:published_time" content="2024-05-14">'
        '<meta name="keywords" content="ferry, islands, ferry,  ">'
        "<title>Page title | Coastal Ledger</title>"
    )
    assert meta.get("title") == "OG title"
    assert meta.get("site_name") == "Coastal Ledger"
    assert meta.get("image") == "https://cdn.example/a.jpg"
    # "description" is listed before "og:description": first key that has a value wins.
    assert meta.get("description") == "Plain description"
    assert meta.get("published") == "2024-05-14"
    assert meta.get("tags") == ["ferry", "islands"]
    assert meta.sources["title"] == "meta"


def test_meta_keys_are_case_insensitive() -> None:
    assert meta_of('<meta property="OG:Title" content="Upper">').get("title") == "Upper"


def test_empty_meta_content_is_ignored() -> None:
    head = '<meta property="og:title" content="  "><meta name="twitter:title" content="Tw">'
    assert meta_of(head).get("title") == "Tw"


def test_jsonld_beats_meta_and_sources_say_so() -> None:
    meta = meta_of(
        '<meta property="og:title" content="From meta">'
        '<meta name="author" content="Meta Author">'
        + jsonld({"@type": "Article", "headline": "From JSON-LD"})
    )
    assert (meta.get("title"), meta.sources["title"]) == ("From JSON-LD", "json-ld")
    assert (meta.get("authors"), meta.sources["authors"]) == (["Meta Author"], "meta")


# --- DOM fallbacks ---------------------------------------------------------


def test_h1_is_the_title_when_nothing_else_names_one() -> None:
    meta = meta_of("<title>Ferry | Ledger</title>", "<h1> Night  ferry </h1>")
    assert (meta.get("title"), meta.sources["title"]) == ("Night ferry", "dom")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Night ferry returns | Coastal Ledger", "Night ferry returns"),
        ("Night ferry returns - Coastal Ledger", "Night ferry returns"),
        ("Night ferry returns — Coastal Ledger", "Night ferry returns"),
        ("Ferry-boat returns", "Ferry-boat returns"),
        ("Night ferry returns", "Night ferry returns"),
    ],
)
def test_title_element_is_the_last_fallback_without_site_suffix(title: str, expected: str) -> None:
    meta = meta_of(f"<title>{title}</title>")
    assert (meta.get("title"), meta.sources["title"]) == (expected, "dom")
    assert meta.get("page_title") == title


def test_unclosed_h1_that_swallows_the_page_is_no_title() -> None:
    body = "<h1>Night ferry returns" + "<p>A paragraph of the story, not a title." * 100
    meta = meta_of("<title>Night ferry returns | Ledger</title>", body)
    assert (meta.get("title"), meta.sources["title"]) == ("Night ferry returns", "dom")


def test_unclosed_title_element_is_no_title() -> None:
    html = "<html><head><title>Ledger" + "<p>Everything after is title text." * 100
    meta = read(parse_html(html))
    assert meta.get("title") is None
    assert meta.get("page_title") is None


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [('lang="de"', "de"), ('lang=" en_GB "', "en-GB"), ('xml:lang="fr-CA"', "fr-CA")],
)
def test_html_lang(attribute: str, expected: str) -> None:
    meta = read(parse_html(f"<html {attribute}><body><p>x</p></body></html>"))
    assert (meta.get("language"), meta.sources["language"]) == (expected, "dom")


def test_page_without_metadata_has_none() -> None:
    meta = meta_of("", "<p>just text</p>")
    assert meta.values == {} and meta.sources == {}


def test_an_article_in_the_graph_wins_over_an_earlier_webpage() -> None:
    graph = {
        "@graph": [
            {"@type": "WebPage", "name": "Ticket prices - Coastal Ledger"},
            {"@type": "NewsArticle", "headline": "Ferry tickets go up by a tenth"},
        ]
    }
    assert meta_of(jsonld(graph)).get("title") == "Ferry tickets go up by a tenth"
