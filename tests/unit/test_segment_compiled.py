"""The C tree walk (winnow._segment, set up by stages/lexbor_walk.py) against
the Python walk (blocks.segment_python): the same Page, field for field, on
hand-written HTML, on the fixture pages, on deep nesting, at the block cap and
on garbage bytes.

``WINNOW_EXTENSIONS=required`` (set by .ci/run) says that the extension must
have been built here: then its absence fails instead of skipping.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import selectolax
from selectolax.lexbor import LexborHTMLParser

from winnow.compiled import pure_python
from winnow.stages import blocks, lexbor_walk
from winnow.stages.parse import content_root, parse_html

PAGES = Path(__file__).parent.parent / "pages"


@pytest.fixture(scope="module")
def walker(extension: Callable[[str], ModuleType]) -> Any:
    """The C walk as built, without the check at load: a wrong walk must fail
    these tests, not be left unused."""
    extension("_segment")
    if selectolax.__version__ not in lexbor_walk.VERIFIED_SELECTOLAX:
        # Its structs may be laid out otherwise: reading them could crash the run.
        pytest.skip(f"selectolax {selectolax.__version__}: lexbor's layout not checked for it")
    return lexbor_walk.build()


def assert_same(walker: Any, html: str | bytes) -> blocks.Page:
    tree = LexborHTMLParser(html) if isinstance(html, bytes) else parse_html(html)
    root = content_root(tree)
    page = lexbor_walk.page_of(walker, root)
    assert page == blocks.segment_python(root)
    return page


def test_segment_uses_the_checked_c_walk(walker: Any) -> None:
    # Built, and this selectolax verified: the check at load must pass.
    if pure_python():
        assert lexbor_walk.walker() is None
    else:
        assert lexbor_walk.walker() is not None
    html = "<p>One <b>two</b></p>"
    assert blocks.segment(content_root(parse_html(html))).blocks[0].text == "One two"


def test_the_probe_pages_agree(walker: Any) -> None:
    assert lexbor_walk.agrees(walker)


def test_nodes_and_blocks_made_by_filling_slots_or_by_calling(walker: Any) -> None:
    assert walker.fills
    calling = lexbor_walk.build(fill=False)
    assert not calling.fills
    html = "<figure><img src=/a.jpg alt=A><figcaption>Cap</figcaption></figure><p>x</p>"
    root = content_root(parse_html(html))
    page = lexbor_walk.page_of(walker, root)
    assert page == lexbor_walk.page_of(calling, root) == blocks.segment_python(root)
    assert page.nodes[1].src == "/a.jpg" and page.blocks[0].text == "Cap"


# --- hand-written HTML ---------------------------------------------------------------

HTML = [
    "",
    "<p></p>",
    "plain text, no tags",
    "<p>One <b>two</b> <em>three</em> <a href='/x'>four</a></p>",
    "<div>Intro<p>First para</p>between<p>Second para</p>tail</div>",
    "<body>loose <span>inline</span> text<p>para</p>after</body>",
    "<p>  lots\n\n of\t white   space  </p>",
    "<pre>\n\n  keep   this\n  as is\n\n</pre><pre><br>br<br><br>in pre<br></pre>",
    "<pre>outer <div>inner block</div> tail</pre>",
    "<p>line one<br>line two<br> <br>\n<br>line three</p><p><br><br></p><br>after",
    "<p>a&nbsp;b&#x2003;c&#x3000;d&#x85;e&#x1c;f&#8232;g&#x200b;h&#x180e;i</p>",
    "<p>&lt;&gt;&amp;&quot;&apos;&copy;&#0;&#xD800;&#x110000;&bogus;</p>",
    "<a href=/a>  spaced  link  </a><p><a href=/b> link <b>inside</b> </a> text</p>",
    "<nav class=menu><ul><li><a>Home</a></li><li class='active current'><a>News</a></li></ul>",
    "<div class=sidebar id=related role=complementary itemprop=articleBody>x</div>",
    "<div CLASS=Share-Buttons ID=Comments ROLE=NAVIGATION ITEMPROP=ArticleBody>x</div>",
    "<div class id role itemprop>valueless</div><div class='' id=''>empty</div>",
    "<div class=a class=b id=c id=d>duplicate attributes</div>",
    "<div hidden>h</div><div aria-hidden=true>a</div><div aria-hidden=false>b</div>",
    "<div style='DISPLAY: NONE'>c</div><div style='visibility : hidden'>d</div>",
    "<div style='display:nonE;'>e</div><div style='display:\u212aone'>kelvin</div>",
    "<div style='d\u0130splay:none'>dotted I</div><div style>valueless style</div>",
    "<br hidden class=nav><br style=display:none><p hidden>hidden para</p>",
    "<body class=home id=page><html class=x>merged</html><p>t</p></body>",
    "<figure><img src=/a.jpg alt=A><figcaption>Cap</figcaption></figure>",
    "<figure><div><div><div><div><img src=/far.jpg></div></div></div></div></figure><p>x</p>",
    "<figure><div><div><div><img src=/near.jpg alt=near></div></div></div></figure>",
    "<div><img src='data:image/gif;base64,R0'><img data-src=/lazy.jpg><img src=/b.jpg></div>",
    "<div><img src='' data-src=/d.jpg alt=''><img src=/e.jpg alt=E></div>",
    "<img src=/before-any-block.jpg><p>text</p>",
    "<my-widget class=comments>custom <x-y:z>prefixed</x-y:z> <Foo:Bar>mixed</Foo:Bar></my-widget>",
    "<svg><foreignObject><p>in svg</p></foreignObject><a>svg a</a></svg><math><mi>x</mi></math>",
    "<script>var p = '<p>';</script><style>p { color: red }</style><noscript>ns</noscript>",
    "<template><p>inert</p></template><iframe>frame</iframe><textarea><p>t</p></textarea>",
    "<select><option>o</option></select><input value=x><dialog open>dialog</dialog>",
    "<table><caption>Cap</caption><tr><td>a<td>b<tr><th>c</table>",
    "<dl><dt>term<dd>def</dl><blockquote><p>quoted</p>tail</blockquote><hr><address>addr</address>",
    "<details><summary>More</summary>hidden details</details>",
    "<fieldset><legend>L</legend></fieldset><p>after</p>",
    "<h1>Title</h1><h2>Sub</h2><h6>small</h6><hgroup><h3>g</h3></hgroup><center>c</center>",
    "<article><header>h</header><main><section>s</section></main><aside>a</aside></article>",
    "<footer><form><label>Name <input></label><button>Send</button></form></footer>",
    "<p><strong>s</strong><b>b</b><em>e</em><i>i</i><code>c</code><time>t</time></p>",
    "<!-- comment --><p>a<!-- in --> b</p><!DOCTYPE html><?php echo 1; ?>",
    "<p>\x00nul\x00 and \x0c form feed \r carriage</p>",
    "<p>emoji \U0001f642 and CJK \u6f22\u5b57 and RTL \u05e9\u05dc\u05d5\u05dd</p>",
    "<ul><li>one<li>two<ul><li>nested</ul></ul><ol><li>x</li></ol><menu><li>m</menu>",
    "<p>unclosed <b>bold <i>both</p> after",
    "<div><span>inline <div>block in inline</div> tail</span></div>",
    "<p>before</p><?php echo 1; ?><p>after</p>",
    "<frameset><frame src=x></frameset>",
    "<html><head><title>x</title></head><frameset></frameset><noframes>text</noframes></html>",
    "<svg><p>breaks out of svg</p></svg><table>stray text<tr><td>x</table>",
    "<plaintext><p>a</p>",
    "<xmp><b>x</b></xmp><listing>l</listing><isindex><keygen><image src=a>",
]


@pytest.mark.parametrize("html", HTML)
def test_hand_written_html(walker: Any, html: str) -> None:
    assert_same(walker, html)
    assert_same(walker, f"<html><body>{html}</body></html>".encode())


def test_bad_utf8_is_decoded_as_selectolax_decodes_it(walker: Any) -> None:
    for html in (
        b"<p>caf\xc3 \xff\xfe \xed\xa0\x80 surrogate \xf4\x90\x80\x80 too high \xc0\xaf</p>",
        b"<p>split \xc3<!-- -->\xa9 over a comment</p><p>end \xe2\x80</p>",
        b"<a href=/x>\xe2\x80\xa8link\xc2</a><div class='\xffnav' id=\xc3(>x</div>",
        b"<img src=/\xff.jpg alt='\xc3'><div style='display:none\xff'>s</div>",
        b"<p>\xc2\xa0\xc2\x85\xe3\x80\x80 wide \xe2\x80\x83 spaces \xe1\x9a\x80</p>",
    ):
        assert_same(walker, html)


def outcome(walk: Any, root: Any) -> blocks.Page | str:
    """The Page, or the ValueError's message."""
    try:
        return walk(root)  # type: ignore[no-any-return]
    except ValueError as error:
        return str(error)


def test_walks_from_any_element(walker: Any) -> None:
    # From an inline element too: a block under it has no parent node, and
    # Python's nodes[-1] reads the last node; the C walk does the same.
    html = (
        "<div id=a><p>one</p><span><img src=/i.jpg><b>three<p>in</p><img src=/j.jpg>"
        "</b><p>more</p></span></div><p>four</p>"
    )
    tree = parse_html(html)
    nodes = tree.css("div, p, span, b, img")
    assert len(nodes) == 9
    for node in nodes:
        c = outcome(lambda root: lexbor_walk.page_of(walker, root), node)
        assert c == outcome(blocks.segment_python, node)


def test_text_outside_a_block_raises_in_both(walker: Any) -> None:
    span = parse_html("<div><span>loose text</span></div>").css_first("span")
    assert span is not None
    with pytest.raises(ValueError, match="outside any block"):
        blocks.segment_python(span)
    with pytest.raises(ValueError, match="outside any block"):
        lexbor_walk.page_of(walker, span)


# --- the fixture pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "source", sorted(PAGES.glob("*/source.html*")), ids=lambda p: p.parent.name
)
def test_fixture_pages(walker: Any, source: Path) -> None:
    data = source.read_bytes()
    data = gzip.decompress(data) if source.suffix == ".gz" else data
    page = assert_same(walker, data.decode("utf-8", "replace"))
    assert page.blocks
    assert_same(walker, data)


# --- deep, large, garbage ----------------------------------------------------------------


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_nesting_neither_recurses_nor_crashes(walker: Any, depth: int) -> None:
    page = assert_same(walker, "<span>" * depth + "deep text")
    assert page.blocks[-1].text == "deep text"


def test_deep_block_nesting(walker: Any) -> None:
    # lexbor takes quadratic time over nested block elements (0.75 s for
    # 30,000), so these stay at 10,000; a node and a frame each.
    page = assert_same(walker, "<section>" * 10_000 + "deep block")
    assert len(page.nodes) > 10_000
    assert_same(walker, "<div>" * 10_000 + "<p>x</p>" + "</div>" * 10_000)


def test_the_block_cap_stops_both_walks_alike(walker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "MAX_BLOCKS", 5)
    capped = lexbor_walk.build(max_blocks=5)
    html = "<div>" + "".join(f"<p>para {i}</p>loose {i}" for i in range(20)) + "</div>"
    page = assert_same(capped, html)
    assert page.truncated
    # Checked before each block element opens, once the text before it is flushed.
    assert 5 <= len(page.blocks) < 40
    assert not assert_same(capped, "<p>a</p><p>b</p>").truncated


@pytest.mark.parametrize("seed", range(6))
def test_garbage_bytes(walker: Any, seed: int) -> None:
    rng = random.Random(seed)
    pieces = [
        b"<p>",
        b"</p>",
        b"<div class=nav>",
        b"</div>",
        b"<br>",
        b"<pre>",
        b"<a>",
        b"<img src=x>",
    ]
    for _ in range(20):
        page = bytearray()
        for _ in range(rng.randrange(1, 200)):
            if rng.random() < 0.3:
                page += rng.choice(pieces)
            else:
                page += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))
        assert_same(walker, bytes(page))
        assert_same(walker, bytes(page).decode("latin-1"))


def test_pure_python_keeps_the_python_walk(pure_python_prints: Callable[[str], str]) -> None:
    code = "from winnow.stages import lexbor_walk; print(lexbor_walk.walker() is None)"
    assert pure_python_prints(code) == "True"


def test_other_roots_take_the_python_walk() -> None:
    assert blocks.segment(None) == blocks.Page()
