"""parse.cap_depth: tags nested past the limit are unwrapped, everything else stays."""

from __future__ import annotations

import pytest

import winnow
from winnow.stages import parse
from winnow.stages.parse import cap_depth


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks small enough to read the pages by eye (the tests cap at depth 3)."""
    monkeypatch.setattr(parse, "DEPTH_CHECK_TAGS", 0)
    monkeypatch.setattr(parse, "DEPTH_CHUNK", 5)


def test_a_page_within_the_limit_is_returned_as_it_is() -> None:
    page = "<div><section><p>Three deep.</p></section></div><div><p>Again.</p></div>"
    assert cap_depth(page, 3) == (page, 0)


def test_start_and_end_tags_past_the_limit_go_and_their_text_stays() -> None:
    page = "<div><div><div><div><div>Deep text</div></div> tail</div></div></div>"
    assert cap_depth(page, 3) == ("<div><div><div>Deep text tail</div></div></div>", 4)


def test_unclosed_tags_past_the_limit_go_too() -> None:
    page = '<div><div><div><div class="x"><div>Never closed'
    assert cap_depth(page, 3) == ("<div><div><div>Never closed", 2)


def test_void_and_self_closed_tags_do_not_nest() -> None:
    page = "<div><div><br><img src=a.png><hr/><svg/><input><p>Text</p></div></div>"
    assert cap_depth(page, 3) == (page, 0)


def test_a_p_or_li_left_open_is_closed_by_the_next_one() -> None:
    page = "<div><ul>" + "<li>item" * 50 + "</ul></div>" + "<p>one" * 50
    assert cap_depth(page, 3) == (page, 0)


def test_tags_in_comments_and_scripts_are_not_tags() -> None:
    page = (
        "<div><!-- <div><div><div><div> --><script>'<div><div><div><div>'</script>"
        "<style>div::before { content: '<div><div><div>' }</style><p>Text</p></div>"
    )
    assert cap_depth(page, 3) == (page, 0)


def test_an_end_tag_closes_back_to_its_element() -> None:
    # </section> closes the <b> left open inside it, so the depth starts over.
    page = "<div><section><b>bold</section><div><div>Two deep</div></div></div>"
    assert cap_depth(page, 3) == (page, 0)


def test_small_pages_are_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "DEPTH_CHECK_TAGS", 100)
    page = "<div>" * 10 + "Deep"
    assert cap_depth(page, 3) == (page, 0)


def test_only_pages_that_leave_many_elements_open_get_the_exact_pass() -> None:
    rows = "<table>" + "<tr><td>Port Arden</td><td>23:15</td></tr>" * 1_000 + "</table>"
    nest = "<div>" * 10 + "Deep" + "</div>" * 10
    assert not parse._may_nest_deeper(rows, 3)
    assert parse._may_nest_deeper(nest, 3)
    # end tags that close nothing, first, do not hide the nesting that follows
    assert parse._may_nest_deeper("<!-- " + "</x>" * 100 + " -->" + nest, 3)


def test_extract_unwraps_past_options_max_depth_and_says_so() -> None:
    paragraph = "The night ferry returns on Tuesday after eleven years away from the islands."
    page = "<html><body>" + "<div>" * 30 + f"<article><p>{paragraph}</p></article>" + "</div>" * 30
    deep = winnow.extract(page, options=winnow.Options(max_depth=10))
    assert paragraph in deep.text
    # html, body, 30 divs, article and p: 24 start tags past depth 10, and their end tags
    assert [d.reason for d in deep.removed if d.rule == "too-deep"] == [
        "48 tags nested deeper than max_depth=10 unwrapped; text kept"
    ]
    assert not [d for d in winnow.extract(page).removed if d.rule == "too-deep"]
