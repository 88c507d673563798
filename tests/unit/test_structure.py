"""Typed blocks from kept raw blocks: lists, tables, code, quotes, figures, headings."""

from __future__ import annotations

import time

import pytest

from winnow.model import Block
from winnow.stages.blocks import Node, Page, RawBlock, segment
from winnow.stages.parse import content_root, parse_html
from winnow.stages.structure import build, split_credit


def typed(html: str, include_tables: bool = True) -> list[Block]:
    """Every block of ``html`` kept, then typed."""
    page = segment(content_root(parse_html(html)))
    return build(page, list(range(len(page.blocks))), include_tables)


def kinds(blocks: list[Block]) -> list[str]:
    return [block.kind for block in blocks]


# --- lists -----------------------------------------------------------------


def test_list_items_become_one_list_block() -> None:
    (block,) = typed("<ul><li>Bread</li><li>Milk <b>(whole)</b></li><li>Eggs</li></ul>")
    assert block.kind == "list"
    assert block.items == ("Bread", "Milk (whole)", "Eggs")
    assert not block.ordered
    assert block.text == "Bread\nMilk (whole)\nEggs"


def test_ordered_list_is_marked_ordered() -> None:
    (block,) = typed("<ol><li>Mix</li><li>Knead</li></ol>")
    assert (block.kind, block.items, block.ordered) == ("list", ("Mix", "Knead"), True)


def test_paragraphs_inside_one_item_join_into_that_item() -> None:
    (block,) = typed("<ol><li><p>Knead</p><p>for ten minutes</p></li><li>Rest</li></ol>")
    assert block.items == ("Knead for ten minutes", "Rest")


def test_two_adjacent_lists_stay_two_blocks() -> None:
    blocks = typed("<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>")
    assert [(b.kind, b.items, b.ordered) for b in blocks] == [
        ("list", ("a", "b"), False),
        ("list", ("c",), True),
    ]


def test_list_grouping_only_joins_kept_neighbours() -> None:
    page = segment(content_root(parse_html("<ul><li>a</li><li>b</li></ul><p>c</p>")))
    blocks = build(page, [0, 2])
    assert [(b.kind, b.text) for b in blocks] == [("list", "a"), ("paragraph", "c")]


# --- tables ----------------------------------------------------------------


DATA_TABLE = (
    "<table><thead><tr><th>Day</th><th>Crossings</th></tr></thead><tbody>"
    "<tr><td>Tuesday</td><td>23:15</td></tr>"
    "<tr><td>Friday</td><td>23:15 and <b>01:00</b></td></tr>"
    "</tbody></table>"
)


def test_data_table_keeps_rows_and_header() -> None:
    (block,) = typed(DATA_TABLE)
    assert block.kind == "table"
    assert block.rows == (
        ("Day", "Crossings"),
        ("Tuesday", "23:15"),
        ("Friday", "23:15 and 01:00"),
    )
    assert block.header
    assert block.text == "Day | Crossings\nTuesday | 23:15\nFriday | 23:15 and 01:00"


def test_table_without_th_has_no_header() -> None:
    (block,) = typed("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>")
    assert block.rows == (("a", "b"), ("c", "d"))
    assert not block.header


def test_layout_table_cells_become_paragraphs() -> None:
    story = "The ferry left at dawn and the harbour was quiet for the first time in years. " * 6
    html = (
        f"<table><tr><td><p>{story.strip()}</p><p>Second paragraph of the story.</p></td>"
        "<td>Menu</td></tr></table>"
    )
    blocks = typed(html)
    assert kinds(blocks) == ["paragraph", "paragraph", "paragraph"]
    assert blocks[1].text == "Second paragraph of the story."


def test_tables_can_be_turned_off() -> None:
    blocks = typed(DATA_TABLE, include_tables=False)
    assert kinds(blocks) == ["paragraph"] * 6
    assert blocks[0].text == "Day"


# --- code and quotes -------------------------------------------------------


def test_pre_becomes_code_with_whitespace_intact() -> None:
    (block,) = typed("<pre><code>def f():\n    return 1\n\nprint(f())</code></pre>")
    assert block.kind == "code"
    assert block.text == "def f():\n    return 1\n\nprint(f())"


def test_blockquote_paragraphs_become_one_quote() -> None:
    (block,) = typed("<blockquote><p>We are back.</p><p>And staying.</p></blockquote>")
    assert (block.kind, block.text) == ("quote", "We are back.\nAnd staying.")


def test_text_around_a_quote_stays_paragraphs() -> None:
    blocks = typed("<p>She said:</p><blockquote>Yes.</blockquote><p>Then left.</p>")
    assert kinds(blocks) == ["paragraph", "quote", "paragraph"]


# --- figures ---------------------------------------------------------------


def test_figure_has_source_caption_and_credit() -> None:
    (block,) = typed(
        "<figure><img src='/media/pier.jpg' alt='Pier'>"
        "<figcaption>The pier at dawn. Photo: Jane Doe</figcaption></figure>"
    )
    assert block.kind == "figure"
    assert block.src == "/media/pier.jpg"
    assert (block.caption, block.credit) == ("The pier at dawn.", "Photo: Jane Doe")
    assert block.text == "The pier at dawn. Photo: Jane Doe"


def test_figure_credit_in_its_own_element() -> None:
    (block,) = typed(
        "<figure><img src='/a.jpg'><figcaption>Boats at rest."
        "<span class='credit'>Photo: Ilse Brandt</span></figcaption></figure>"
    )
    assert (block.caption, block.credit) == ("Boats at rest.", "Photo: Ilse Brandt")


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("A man walks. © Reuters", "A man walks.", "© Reuters"),
        ("Photo: Jane Doe", "", "Photo: Jane Doe"),
        ("The pier at dawn. Photo: Jane Doe", "The pier at dawn.", "Photo: Jane Doe"),
        ("Crowds at the quay (AP Photo/Evan Vucci)", "Crowds at the quay", "(AP Photo/Evan Vucci)"),
        ("Harbour lights | Credit: Port Authority", "Harbour lights", "Credit: Port Authority"),
        ("Jane Doe/Getty Images", "Jane Doe", "Getty Images"),
        ("A quiet harbour at night", "A quiet harbour at night", ""),
    ],
)
def test_split_credit(text: str, caption: str, credit: str) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    [
        # Credit words inside a sentence are not credits.
        "Passengers travel via the new pier to the islands",
        "Data source: the ministry of transport",
    ],
)
def test_credit_words_inside_a_sentence_are_caption(text: str) -> None:
    assert split_credit(text) == (text, "")


def test_long_tail_after_a_credit_word_is_not_a_credit() -> None:
    text = "© 2024. " + "The ferry crosses the strait in the early hours of the morning. " * 2
    assert split_credit(text) == (text, "")


# --- headings --------------------------------------------------------------


def test_heading_levels_come_from_the_tag() -> None:
    blocks = typed("<h1>Title</h1><h2>Part</h2><p>x</p><h3>Sub</h3><h6>Small</h6>")
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("heading", "Title", 1),
        ("heading", "Part", 2),
        ("paragraph", "x", 0),
        ("heading", "Sub", 3),
        ("heading", "Small", 6),
    ]


def test_heading_with_line_breaks_is_one_line() -> None:
    (block,) = typed("<h2>Night ferry<br>returns</h2>")
    assert (block.kind, block.text, block.level) == ("heading", "Night ferry returns", 2)


def test_plain_paragraphs_stay_separate() -> None:
    blocks = typed("<div><p>One.</p><p>Two.</p></div>")
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "One."), ("paragraph", "Two.")]


# --- deep nesting ----------------------------------------------------------


def test_ten_thousand_nested_blocks_are_typed_in_linear_time() -> None:
    # 10,000 unclosed <div>s, one line of text in each: every block sits one
    # level deeper than the last. Built by hand so that only typing is timed.
    depth = 10_000
    nodes = [Node("body", -1, 0, 0, 0)] + [Node("div", i, i + 1, 0, 0) for i in range(depth)]
    lines = [RawBlock(f"Line {i}.", i + 1, 0, 0, False) for i in range(depth)]
    page = Page(nodes=nodes, blocks=lines)
    start = time.process_time()
    blocks = build(page, list(range(depth)))
    elapsed = time.process_time() - start
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", r.text) for r in lines]
    # Linear typing takes about 0.03 s here; walking up from every block took 4 s.
    assert elapsed < 1.0


def test_list_nested_ten_thousand_deep_keeps_every_item() -> None:
    depth = 10_000
    nodes = [Node("body", -1, 0, 0, 0)]
    for i in range(depth):  # <ul><li>item <ul><li>item ... never closed
        nodes += [Node("ul", len(nodes) - 1, 2 * i + 1, 0, 0)]
        nodes += [Node("li", len(nodes) - 1, 2 * i + 2, 0, 0)]
    items = [RawBlock(f"item {i}", 2 * i + 2, 0, 0, False) for i in range(depth)]
    start = time.process_time()
    blocks = build(Page(nodes=nodes, blocks=items), list(range(depth)))
    elapsed = time.process_time() - start
    assert [b.items for b in blocks] == [(f"item {i}",) for i in range(depth)]
    assert elapsed < 1.0
