"""Which front door a page takes: HTML, or a flattened text dump."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import winnow
from winnow.stages.parse import input_kind

NEWS = "\n\n".join(
    [
        "Home",
        "News",
        "Night ferry returns after eleven years",
        "The night ferry to the islands returns on Tuesday after eleven years, the operator "
        "said, and the first crossings are already nearly full.",
        "Crossings leave the mainland at a quarter past eleven on three nights a week, and "
        "cabins must be booked in advance while deck seats are sold on board.",
        "The harbour master expects the first winter to decide whether the service survives, "
        "because storms in January cancelled half the crossings of the old route.",
        "© 2024 The Coastal Ledger. All rights reserved.",
    ]
)

TESTS = Path(__file__).parents[1]


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "\ufeff  <html lang=en>",
        "<!-- generated --><html>",
        "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>",
        "<p>A fragment",
        "<div class=a>A fragment</div>",
        "junk before the document <html><body>",
    ],
)
def test_markup_is_html(page: str) -> None:
    assert input_kind(page) == "html"


@pytest.mark.parametrize(
    "page",
    [
        NEWS,
        "<Back to the list\n\nA story",
        "Common (e.g. <div>)\n\n<form>\n\n<input>",
        "1 < 2 and 3 > 2",
        "",
    ],
)
def test_a_dump_without_markup_at_its_start_is_text(page: str) -> None:
    assert input_kind(page) == "text"


def test_an_explicit_input_kind_wins() -> None:
    assert input_kind("<html>", "text") == "text"
    assert input_kind("plain", "html") == "html"


def test_every_html_page_of_the_test_suite_reads_as_html() -> None:
    """The full check, on all 1,358 WCXB dev pages and dumps, is in benchmarks/text.py."""
    from winnow.stages.decode import decode

    pages = sorted(TESTS.glob("quality/*.html.gz")) + sorted(TESTS.glob("pages/*/source.html.gz"))
    assert pages
    for path in pages:
        assert input_kind(decode(gzip.decompress(path.read_bytes()))) == "html", path.name
    example = TESTS.parent / "examples" / "page.html"
    assert input_kind(decode(example.read_bytes())) == "html"


def test_extract_takes_the_text_door_for_a_dump() -> None:
    auto = winnow.extract(NEWS)
    told = winnow.extract(NEWS.encode("utf-8"), input="text")
    assert auto.to_dict() == told.to_dict()
    assert "nearly full" in auto.text and "All rights reserved" not in auto.text


def test_extract_can_be_told_to_read_markup_as_text() -> None:
    html = "<html><body><p>The ferry returns on Tuesday after eleven years.</p></body></html>"
    assert winnow.extract(html).text == "The ferry returns on Tuesday after eleven years."
    assert isinstance(winnow.extract(html, input="text"), winnow.Document)
