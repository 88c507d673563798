"""Segmentation: hand-written HTML → blocks, containers and category bits."""

from __future__ import annotations

import pytest

from winnow.stages.blocks import BIT, CATEGORIES, Page, RawBlock, segment
from winnow.stages.parse import content_root, parse_html


def page_of(html: str) -> Page:
    return segment(content_root(parse_html(html)))


def texts(html: str) -> list[str]:
    return [block.text for block in page_of(html).blocks]


def tag_of(page: Page, block: RawBlock) -> str:
    return page.nodes[block.node].tag


def categories(block: RawBlock) -> set[str]:
    return {name for name in CATEGORIES if block.chain & BIT[name]}


# --- block boundaries ------------------------------------------------------


def test_inline_elements_stay_in_their_block() -> None:
    assert texts("<p>One <b>two</b> <em>three</em> <a href='/x'>four</a></p>") == [
        "One two three four"
    ]


def test_block_elements_start_new_blocks() -> None:
    html = "<div>Intro<p>First para</p>between<p>Second para</p>tail</div>"
    assert texts(html) == ["Intro", "First para", "between", "Second para", "tail"]


def test_text_directly_in_body_is_a_block() -> None:
    page = page_of("<body>loose <span>inline</span> text<p>para</p>after</body>")
    assert [(b.text, tag_of(page, b)) for b in page.blocks] == [
        ("loose inline text", "body"),
        ("para", "p"),
        ("after", "body"),
    ]


def test_whitespace_is_folded_outside_pre() -> None:
    assert texts("<p>  a\n\n   b\t c  </p>") == ["a b c"]


def test_whitespace_only_elements_make_no_block() -> None:
    assert texts("<div> <p>  </p>\n<p>real</p> </div>") == ["real"]


def test_br_is_a_line_break_inside_one_block() -> None:
    assert texts("<p>Line one<br>line two<br/>line three</p>") == ["Line one\nline two\nline three"]


def test_repeated_br_leaves_no_empty_lines() -> None:
    assert texts("<p>a<br><br><br>b<br></p>") == ["a\nb"]


def test_comments_and_script_add_no_text() -> None:
    html = "<p>kept<!-- a comment --> <script>var x = 1;</script><style>p{}</style>too</p>"
    assert texts(html) == ["kept too"]


# --- link characters -------------------------------------------------------


def test_link_chars_count_the_text_inside_links() -> None:
    page = page_of("<p>Read <a href='/a'>the full story</a> or <a href='/b'>more</a>.</p>")
    (block,) = page.blocks
    assert block.text == "Read the full story or more."
    assert block.link_chars == len("the full story") + len("more")


def test_link_chars_include_nested_inline_markup() -> None:
    (block,) = page_of("<p><a href='/a'>Home <b>page</b></a></p>").blocks
    assert block.link_chars == len("Home") + len("page")


def test_link_chars_start_from_zero_in_every_block() -> None:
    page = page_of("<ul><li><a href='/a'>Home</a></li><li>plain</li></ul>")
    assert [(b.text, b.link_chars) for b in page.blocks] == [("Home", 4), ("plain", 0)]


def test_containers_sum_text_and_links_of_their_blocks() -> None:
    page = page_of("<div id='box'><p>abc</p><p><a href='/'>de</a></p></div>")
    (box,) = [n for n in page.nodes if n.tag == "div"]
    assert (box.chars, box.link_chars, box.blocks, box.p_chars) == (5, 2, 2, 5)


# --- <pre> -----------------------------------------------------------------


def test_pre_keeps_spaces_and_blank_lines() -> None:
    (block,) = page_of("<pre>def f():\n    return 1\n\n\nx = f()</pre>").blocks
    assert block.text == "def f():\n    return 1\n\n\nx = f()"
    assert block.pre


def test_pre_keeps_indentation_of_its_first_line() -> None:
    (block,) = page_of("<pre>\n    indented\n  less</pre>").blocks
    # The HTML parser drops one newline right after <pre>; the spaces stay.
    assert block.text == "    indented\n  less"


def test_pre_marks_nested_markup_as_preformatted() -> None:
    (block,) = page_of("<pre><code>a  =  1\nb</code></pre>").blocks
    assert block.text == "a  =  1\nb"
    assert block.pre
    assert {"t_pre", "t_code"} <= categories(block)


def test_text_after_pre_is_folded_again() -> None:
    page = page_of("<pre>a   b</pre><p>c   d</p>")
    assert [(b.text, b.pre) for b in page.blocks] == [("a   b", True), ("c d", False)]


# --- hidden content --------------------------------------------------------


@pytest.mark.parametrize(
    "opening",
    [
        "<div hidden>",
        "<div aria-hidden='true'>",
        "<div style='display: none'>",
        "<div style='VISIBILITY:hidden;color:red'>",
    ],
)
def test_hidden_content_is_flagged_not_dropped(opening: str) -> None:
    page = page_of(f"<p>shown</p>{opening}<p>parked text</p></div>")
    assert [b.text for b in page.blocks] == ["shown", "parked text"]
    shown, parked = page.blocks
    assert "hidden_attr" not in categories(shown)
    assert "hidden_attr" in categories(parked)
    assert page.hidden_seen == 1


def test_visible_style_is_not_hidden() -> None:
    page = page_of("<div style='display:block' aria-hidden='false'><p>x</p></div>")
    assert "hidden_attr" not in categories(page.blocks[0])
    assert page.hidden_seen == 0


# --- category bits ---------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "category"),
    [
        ("<nav><p>x</p></nav>", "t_nav"),
        ("<footer><p>x</p></footer>", "t_footer"),
        ("<aside><p>x</p></aside>", "t_aside"),
        ("<article><p>x</p></article>", "t_article"),
        ("<div role='navigation'><p>x</p></div>", "t_nav"),
        ("<div role='contentinfo'><p>x</p></div>", "t_footer"),
        ("<div role='dialog'><p>x</p></div>", "c_modal"),
        ("<div class='main-menu'><p>x</p></div>", "c_nav"),
        ("<div id='cookie-notice'><p>x</p></div>", "c_consent"),
        ("<div class='share-tools'><p>x</p></div>", "c_social"),
        ("<div class='Related-Posts'><p>x</p></div>", "c_related"),
        ("<div class='ad-slot'><p>x</p></div>", "c_ad"),
        ("<div itemprop='articleBody'><p>x</p></div>", "i_body"),
        ("<p class='byline'>x</p>", "c_meta"),
    ],
)
def test_category_bits_come_from_tag_role_class_id_and_itemprop(html: str, category: str) -> None:
    (block,) = page_of(html).blocks
    assert category in categories(block)


def test_ad_fragment_is_anchored_on_separators() -> None:
    # "ad" inside a word ("header", "shadow", "download") is not advertising.
    (block,) = page_of("<div class='shadow download-header'><p>x</p></div>").blocks
    assert "c_ad" not in categories(block)


def test_category_bits_are_inherited_by_descendants_only() -> None:
    page = page_of("<nav><ul><li><a href='/'>Home</a></li></ul></nav><p>Body text</p>")
    home, body = page.blocks
    assert {"t_nav", "t_li", "t_link"} <= categories(home)
    assert categories(body) == set()


def test_inline_element_bits_reach_the_block() -> None:
    (block,) = page_of("<p>See <span class='share-count'>12</span> shares</p>").blocks
    assert "c_social" in categories(block)


def test_body_classes_describe_the_page_not_the_blocks() -> None:
    page = page_of("<body class='post-template sidebar-left'><p>x</p></body>")
    assert page.body_bits & BIT["c_sidebar"]
    assert "c_sidebar" not in categories(page.blocks[0])


def test_nodes_record_own_bits_separately_from_inherited_ones() -> None:
    page = page_of("<footer><div class='widget'><p>x</p></div></footer>")
    footer, widget, para = page.nodes[1:]
    assert footer.own == BIT["t_footer"]
    assert widget.own == BIT["c_sidebar"]
    assert widget.chain == BIT["t_footer"] | BIT["c_sidebar"]
    assert para.own == 0 and para.chain == widget.chain


# --- figures ---------------------------------------------------------------


def test_figure_owns_the_first_image_inside_it() -> None:
    page = page_of(
        "<figure><div><img src='/a.jpg' alt='A'><img src='/b.jpg'></div>"
        "<figcaption>Caption</figcaption></figure>"
    )
    (figure,) = [n for n in page.nodes if n.tag == "figure"]
    assert (figure.src, figure.alt) == ("/a.jpg", "A")


def test_inline_data_images_are_not_sources() -> None:
    page = page_of(
        "<figure><img src='data:image/gif;base64,R0lG'><img data-src='/lazy.jpg'></figure>"
    )
    (figure,) = [n for n in page.nodes if n.tag == "figure"]
    assert figure.src == "/lazy.jpg"


# --- depth -----------------------------------------------------------------


def test_depth_counts_block_containers() -> None:
    page = page_of("<div><section><p>x</p></section></div>")
    assert [(n.tag, n.depth) for n in page.nodes] == [
        ("body", 0),
        ("div", 1),
        ("section", 2),
        ("p", 3),
    ]


def test_ten_thousand_nested_divs_do_not_recurse() -> None:
    depth = 10_000
    page = page_of("<body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body>")
    assert [b.text for b in page.blocks] == ["deep text"]
    innermost = page.nodes[page.blocks[0].node]
    assert innermost.depth == depth
    # Every container on the way up was credited with the text.
    assert all(n.chars == len("deep text") for n in page.nodes)


def test_segment_of_nothing_is_an_empty_page() -> None:
    page = segment(None)
    assert page.blocks == [] and page.nodes == []


def test_a_processing_instruction_in_the_body_is_passed_over() -> None:
    # lexbor keeps "<?php ...?>" as a node selectolax gives no tag (None).
    assert texts("<p>before</p><?php echo 1; ?><p>after</p>") == ["before", "after"]
