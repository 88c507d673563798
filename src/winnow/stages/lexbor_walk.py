"""``blocks.segment``'s tree walk in C, reading lexbor's own structures.

selectolax hands each node to Python as a ``LexborNode``; the Python walk
(``blocks.segment_python``) pays for one per tree node and for a dict per
element's attributes. The extension ``winnow._segment`` (built by ``pip
install`` where a C compiler is found) starts from the ``lxb_dom_node_t``
whose address selectolax reports as ``LexborNode.mem_id`` and reads the tree
through a mirror of lexbor's struct layouts (``src/winnow/_lexbor.h``), doing
what the Python walk does, node for node. Class, id, role and itemprop keys
are categorised in C too, by the matcher ``stages/class_match.py`` compiles
``patterns.CLASS_PATTERN`` for (checked at load on its own); where that is
not in use, they go to ``blocks._attr_bits``, through the walk's cache.

Reading another library's structs is only safe where their layout is the one
mirrored, so the C walk is used only when all of these hold, and otherwise
the Python walk runs:

* ``WINNOW_PURE_PYTHON`` is not set and the extension was built;
* the installed selectolax is a release whose bundled lexbor the mirror was
  checked against (``VERIFIED_SELECTOLAX``);
* lexbor's ids for the tags and attributes the walk cares about are learned
  from selectolax itself, on a probe page (no id number is written here);
  each must be one of lexbor's static ids, the same in two documents;
* both walks give the same ``Page`` on the probe pages (``PROBES``: text,
  ``<br>``, ``<pre>``, hidden elements, images and figures, links, custom
  and prefixed tags, comments, entities, Unicode white space, bad UTF-8).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

import selectolax
from selectolax.lexbor import LexborHTMLParser, LexborNode

from winnow import patterns as P
from winnow.compiled import pure_python
from winnow.stages import blocks, class_match
from winnow.stages.blocks import Node, Page, RawBlock

if TYPE_CHECKING:
    from winnow import _segment

__all__ = ["PROBES", "VERIFIED_SELECTOLAX", "LexborNode", "build", "walker"]

# selectolax releases whose bundled lexbor has the layouts in _lexbor.h
# (1.0.2 bundles lexbor 3.1.0).
VERIFIED_SELECTOLAX: Final = ("1.0.2",)

# What the C walk does with an element, by tag (the K_* flags of _segment.c).
_SKIP, _BLOCK, _BR, _IMG, _LINK, _PRE, _FIGURE, _PAGE, _BODY, _P = (1 << i for i in range(10))
# The tag names behind each flag other than _SKIP and _BLOCK.
_NAMED_FLAGS: Final = {
    "br": _BR,
    "img": _IMG,
    "a": _LINK,
    "pre": _PRE,
    "figure": _FIGURE,
    "html": _PAGE,
    "body": _PAGE | _BODY,
    "p": _P,
}
# Every tag the walk treats apart from an unknown inline one.
TAGS: Final = sorted(P.SKIP_TAGS | P.BLOCK_TAGS | set(P.TAG_CATEGORIES) | set(_NAMED_FLAGS))
# The attributes the walk reads, in the order of _segment.c's ATTR_NAMES.
ATTRIBUTES: Final = (
    "class",
    "id",
    "role",
    "itemprop",
    "hidden",
    "aria-hidden",
    "style",
    "src",
    "data-src",
    "alt",
)
# The fields the walk fills, in the order it passes them.
_NODE_FIELDS: Final = (
    "tag",
    "parent",
    "depth",
    "own",
    "chain",
    "src",
    "alt",
    "chars",
    "link_chars",
    "blocks",
    "p_chars",
)
_BLOCK_FIELDS: Final = ("text", "node", "chain", "link_chars", "pre")
_PAGE_FIELDS: Final = ("nodes", "blocks", "hidden_seen", "body_bits", "truncated")

# The page whose tags and attributes teach the walk lexbor's ids; tags of
# TAGS that it lacks are added to its body (each must then be found).
_LEARN = (
    "<!doctype html><html><head><title>t</title><meta charset=utf-8><link rel=x>"
    "<style>s</style><script>s</script><template><p>t</p></template></head><body>"
    "<div class=a id=b role=c itemprop=d hidden aria-hidden=true style=e>x</div>"
    "<img src=a data-src=b alt=c><br>"
    "<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td>"
    "</tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>"
    "<dl><dt>t</dt><dd>d</dd></dl><ul><li>i</li></ul><ol><li>i</li></ol><menu><li>m</li></menu>"
    "<fieldset><legend>l</legend></fieldset><details><summary>s</summary></details>"
    "<select><optgroup><option>o</option></optgroup></select><datalist><option>o</datalist>"
    "<video><source><track></video><audio></audio><picture><source><img></picture>"
    "<map></map><svg></svg><math></math><iframe></iframe><object></object><embed>"
    "<canvas></canvas><textarea>t</textarea><input><dialog>d</dialog>"
    "<figure><img><figcaption>c</figcaption></figure><pre>p</pre><hr>"
)

# Pages both walks must agree on before the C walk is used (bytes, so bad
# UTF-8 reaches lexbor as it is). The tests compare far more.
PROBES: Final = (
    b"<!doctype html><html lang=en><head><title>Probe</title></head>"
    b"<body class='page article-body' id=top>\n  <!-- a comment -->\n"
    b"<header role=banner><nav class=menu><ul><li><a href=/>Home</a></li>"
    b"<li><a href='/x'> News &amp; views </a>\n</li></ul></nav></header>"
    b"<main><article itemprop=articleBody class='post-content entry'>"
    b"<h1 class=title>A   head\xc2\xa0line\xe3\x80\x80here</h1>"
    b"<p>First<br>second line<br><br>  <b>bold</b> and <i>it</i><br></p>"
    b"<p>Entities: &lt;tag&gt; &nbsp;&#x2003;&#8232;wide &copy; &#0; &#x85;end</p>"
    b"<p>Bad bytes: \xff\xfe caf\xc3 \xed\xa0\x80 \xf4\x90\x80\x80 ok\xc3"
    b"<!--split-->\xa9 done</p>"
    b"<pre>\n\ncode  line 1\n  line 2<br>after br\n\n</pre>"
    b"<pre><code class=language-py>x = 1</code></pre>"
    b"<figure class=wp-block-image><div><span><img src='data:image/png;base64,AA' alt=no>"
    b"<img data-src=/a.jpg alt='An alt'><img src=/b.jpg alt=second></span></div>"
    b"<figcaption>A <em>caption</em></figcaption></figure>"
    b"<div><img src=/c.jpg>Image in a div<img src=/d.jpg alt=later></div>"
    b"<div hidden>Hidden by attribute</div><div aria-hidden=true>Aria hidden</div>"
    b"<div aria-hidden=TRUE>not hidden</div><div STYLE='Display : None'>Style</div>"
    b"<div style='visibility:hidden;color:red'>Invisible</div><div style=''>empty</div>"
    b"<section class><div CLASS=Sidebar ID='share-buttons' ROLE=Navigation>Share</div>"
    b"<my-widget data-x=1>Custom <x-y:z>prefixed</x-y:z> tag</my-widget>"
    b"<svg><foreignObject><p>in svg</p></foreignObject><a href=/s>svg link</a></svg>"
    b"<math><mi>x</mi></math><script>var a = '<p>';</script><style>p{}</style>"
    b"<noscript>No script</noscript><template><p>template</p></template>"
    b"<table><tr><td>cell <a href=/t>link</a></td><th>head</th></tr></table>"
    b"<dl><dt>term<dd>definition</dl><blockquote>quote</blockquote>"
    b"<button>Press</button><label>Label</label><time>2026-11-28</time>"
    b"<select><option>opt</option></select><textarea>area</textarea></section>"
    b"</article><aside class=related>Related <a href=/r>more</a></aside></main>"
    b"<footer class=site-footer><p>&copy; 2026</p>\t\n</footer>"
    b"text after the footer <span>inline</span></body></html>",
    b"<html><body><p>No</p>head or doctype\x00 with a NUL<p>and <a>a link</a>",
    b"<html><body></body></html>",
)


def _probe_nodes(html: str | bytes) -> list[tuple[LexborNode, tuple[int, int, int]]]:
    """Every node of ``html``'s tree with its (type, local name id, qualified name id)."""
    from winnow import _segment

    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        raise ValueError("the probe page has no root")
    return [(node, _segment.node_ids(node.mem_id)) for node in root.traverse(include_text=True)]


def _learn_page() -> str:
    html = _LEARN
    nodes = _probe_nodes(html)
    found = {node.tag for node, _ in nodes}
    missing = "".join(f"<{tag}>x</{tag}>" for tag in TAGS if tag not in found)
    return html + missing


def _static(number: int) -> int:
    from winnow import _segment

    if not 0 <= number < _segment.STATIC_IDS:
        raise ValueError(f"{number:#x} is not one of lexbor's static ids")
    return number


def _learn_ids(html: str) -> tuple[dict[str, int], int, list[int | None]]:
    """lexbor's static ids of ``TAGS``, of text nodes and of ``ATTRIBUTES``
    (None for those lexbor names per document) in one parse of ``html``."""
    from winnow import _segment

    tags: dict[str, int] = {}
    text_id = -1
    attrs: dict[str, int | None] = {}
    for node, (_, local, qualified) in _probe_nodes(html):
        tag = node.tag
        if tag == "-text":
            text_id = _static(local)
        elif tag in TAGS and qualified == 0 and tags.setdefault(tag, _static(local)) != local:
            raise ValueError(f"<{tag}> has two ids")
        names = list(node.attributes)
        ids = _segment.attr_ids(node.mem_id)
        if len(names) != len(ids):
            raise ValueError("attributes read differently")
        for name, (local, qualified) in zip(names, ids, strict=True):
            if name in ATTRIBUTES and qualified == 0:
                attrs[name] = local if local < _segment.STATIC_IDS else None
    missing = [tag for tag in TAGS if tag not in tags] + [a for a in ATTRIBUTES if a not in attrs]
    if missing or text_id < 0:
        raise ValueError(f"the probe page taught no id for {missing or ['text']}")
    return tags, text_id, [attrs[name] for name in ATTRIBUTES]


def _flags(tag: str) -> int:
    return (
        (_SKIP if tag in P.SKIP_TAGS else 0)
        | (_BLOCK if tag in P.BLOCK_TAGS else 0)
        | _NAMED_FLAGS.get(tag, 0)
    )


def build(
    max_blocks: int = blocks.MAX_BLOCKS, fill: bool = True, classes: bool = True
) -> _segment.Walker:
    """A C walker set up with the ids lexbor gives in this process; ``fill``:
    it makes Nodes and RawBlocks by filling their slots (else by calling them);
    ``classes``: it categorises class, id, role and itemprop with
    ``class_match.matcher()`` where that is in use (else with
    ``blocks._attr_bits``).

    Raises ValueError if the probe page does not teach every id the same way
    in two documents (an id that is not static, a tag or attribute missing).
    """
    from winnow import _segment

    page = _learn_page()
    learned = _learn_ids(page)
    if _learn_ids(page) != learned:
        raise ValueError("lexbor's ids differ between two documents")
    tags, text_id, attrs = learned
    table = [(tag, tags[tag], _flags(tag), blocks._TAG_BIT.get(tag, 0)) for tag in TAGS]
    return _segment.Walker(
        table,
        text_id,
        attrs,
        Node,
        RawBlock,
        blocks._attr_bits,
        blocks._HIDDEN_BIT,
        max_blocks,
        blocks._FIGURE_REACH,
        node_fields=_NODE_FIELDS if fill else None,
        block_fields=_BLOCK_FIELDS if fill else None,
        classes=class_match.matcher() if classes else None,
    )


def page_of(walker: _segment.Walker, root: LexborNode) -> Page:
    """The ``Page`` of the tree under ``root``, walked in C."""
    return Page(*walker.walk(root.mem_id))


def agrees(walker: _segment.Walker, pages: Iterable[str | bytes] = PROBES) -> bool:
    """Whether both walks give the same ``Page`` for the body of each page."""
    for html in pages:
        tree = LexborHTMLParser(html)
        root = tree.body or tree.root
        if root is None or page_of(walker, root) != blocks.segment_python(root):
            return False
    return True


def _fields_as_written() -> bool:
    """Whether Node, RawBlock and Page have the fields the C walk fills, in
    its order, with no ``__post_init__`` (the walk fills a Node's or a
    RawBlock's slots without calling ``__init__``), and every category bit
    fits its 64-bit words."""

    def names(cls: type) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    return (
        names(Node) == _NODE_FIELDS
        and names(RawBlock) == _BLOCK_FIELDS
        and names(Page) == _PAGE_FIELDS
        and len(blocks.CATEGORIES) <= 64
        and not any(hasattr(cls, "__post_init__") for cls in (Node, RawBlock))
    )


@functools.cache
def walker() -> Callable[[LexborNode], Page] | None:
    """The C walk, if it may be used in this process (see the module's
    docstring), else None. Decided once."""
    if pure_python() or selectolax.__version__ not in VERIFIED_SELECTOLAX:
        return None
    if not _fields_as_written():
        return None
    try:
        compiled = build()
    except ImportError:  # installed without a C compiler: the Python walk
        return None
    except (ValueError, TypeError, OverflowError):  # lexbor is not as expected
        return None
    if not agrees(compiled):
        return None
    return functools.partial(page_of, compiled)
