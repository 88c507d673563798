"""Segment a parsed page into text blocks, walking the tree once, read-only.

A block is a maximal run of inline text between two block-level boundaries
(``<p>``, ``<div>``, ``<li>``, ``<br>`` does not split). Every block-level
element becomes a ``Node`` in a side table, so later stages can reason about
containers (how much text a section holds, how link-heavy it is) without
touching the tree again. The walk is iterative: 10,000 nested ``<div>``s do
not reach Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from winnow import patterns as P

# Category name -> bit. The order is fixed so the classifier's feature
# columns are stable across runs.
CATEGORIES: tuple[str, ...] = tuple(
    sorted(
        set(P.TAG_CATEGORIES.values())
        | set(P.ROLE_CATEGORIES.values())
        | set(P.CLASS_CATEGORIES)
        | set(P.ITEMPROP_CATEGORIES.values())
        | {"hidden_attr"}
    )
)
BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(CATEGORIES)}

# Stands for <br> in the text buffer until the block is flushed.
_BREAK = "\x00"
# How many containers up from an <img> a <figure> may be and still own it.
_FIGURE_REACH = 4


@dataclass(slots=True)
class Node:
    """A block-level element: its tag, place in the tree and categories."""

    tag: str
    parent: int
    depth: int
    own: int  # category bits of this element itself
    chain: int  # category bits of this element and all its ancestors
    src: str = ""  # first image source inside (figures)
    alt: str = ""
    chars: int = 0  # filled by aggregate(): text under this node
    link_chars: int = 0
    blocks: int = 0
    p_chars: int = 0


@dataclass(slots=True)
class RawBlock:
    """A run of text and what the walk knew when it read it."""

    text: str
    node: int  # index of the nearest block-level element in Page.nodes
    chain: int  # category bits of every ancestor, inline ones included
    link_chars: int
    pre: bool


@dataclass(slots=True)
class Page:
    nodes: list[Node] = field(default_factory=list)
    blocks: list[RawBlock] = field(default_factory=list)
    hidden_seen: int = 0
    body_bits: int = 0


def _attr_bits(attrs: dict[str, Any], cache: dict[tuple[Any, ...], int]) -> int:
    key = (attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("itemprop"))
    bits = cache.get(key)
    if bits is not None:
        return bits
    bits = 0
    names = " ".join(v for v in key[:2] if v).lower()
    for m in P.CLASS_PATTERN.finditer(names):
        bits |= BIT[m.lastgroup or ""]
    if key[2] and (cat := P.ROLE_CATEGORIES.get(key[2].lower())):
        bits |= BIT[cat]
    if key[3] and (cat := P.ITEMPROP_CATEGORIES.get(key[3].lower())):
        bits |= BIT[cat]
    cache[key] = bits
    return bits


def _is_hidden(attrs: dict[str, Any]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        style = style.replace(" ", "").lower()
        return "display:none" in style or "visibility:hidden" in style
    return False


class _Walker:
    """State of one walk. Lives for one page; nothing is shared between pages."""

    def __init__(self) -> None:
        self.page = Page()
        self.parts: list[str] = []
        self.link_chars = 0
        self.inline_bits = 0
        self.class_cache: dict[tuple[Any, ...], int] = {}
        # One frame per open element: (container node, chain bits, in_link, in_pre, is_block)
        self.frames: list[tuple[int, int, bool, bool, bool]] = []

    def flush(self) -> None:
        if not self.parts:
            return
        frame = self.frames[-1]
        raw = "".join(self.parts)
        self.parts = []
        if frame[3]:
            text = raw.replace(_BREAK, "\n").strip("\n")
        else:
            text = "\n".join(" ".join(s.split()) for s in raw.split(_BREAK)).strip()
            if "\n" in text:
                text = "\n".join(s for s in text.split("\n") if s)
        if text:
            self.page.blocks.append(
                RawBlock(text, frame[0], frame[1] | self.inline_bits, self.link_chars, frame[3])
            )
        self.link_chars = 0
        self.inline_bits = 0

    def enter(self, el: Any) -> bool:
        """Open an element; return whether its children are to be read."""
        tag = el.tag
        if tag == "-text":
            text = el.text_content
            if text:
                self.parts.append(text)
                if self.frames[-1][2]:
                    self.link_chars += len(text.strip())
            return False
        if tag[0] == "-" or tag[0] == "!":
            return False
        if tag in P.SKIP_TAGS:
            self.frames.append(self.frames[-1] if self.frames else (0, 0, False, False, False))
            return False
        attrs = el.attributes
        parent = self.frames[-1] if self.frames else (-1, 0, False, False, False)
        bits = _attr_bits(attrs, self.class_cache) if attrs else 0
        if attrs and _is_hidden(attrs):
            # Not skipped: streaming renderers park real content in hidden
            # containers and reveal it with script; the classifier decides.
            self.page.hidden_seen += 1
            bits |= BIT["hidden_attr"]
        cat = P.TAG_CATEGORIES.get(tag)
        if cat:
            bits |= BIT[cat]
        if tag == "br":
            self.parts.append(_BREAK)
            self.frames.append(parent)
            return False
        if tag == "img":
            self._note_image(attrs, parent[0])
        in_link = parent[2] or tag == "a"
        in_pre = parent[3] or tag == "pre"
        if tag in P.BLOCK_TAGS:
            self.flush()
            nodes = self.page.nodes
            parent_node = nodes[parent[0]] if nodes else None
            # <html>/<body> classes describe the page, not the block.
            own = 0 if tag in ("html", "body") else bits
            chain = own | (parent_node.chain if parent_node else 0)
            depth = parent_node.depth + 1 if parent_node else 0
            nodes.append(Node(tag, parent[0] if nodes else -1, depth, bits, chain))
            self.frames.append((len(nodes) - 1, chain, in_link, in_pre, True))
            if tag == "body":
                self.page.body_bits = bits
        else:
            self.inline_bits |= bits
            self.frames.append((parent[0], parent[1] | bits, in_link, in_pre, False))
        return True

    def leave(self, el: Any) -> None:
        tag = el.tag
        if tag[0] == "-" or tag[0] == "!":
            return
        frame = self.frames[-1]
        if frame[4] and tag in P.BLOCK_TAGS:
            self.flush()
        self.frames.pop()

    def _note_image(self, attrs: dict[str, Any], node: int) -> None:
        """Remember the first image of the nearest figure (else of the container)."""
        nodes = self.page.nodes
        if not nodes:
            return
        target = nodes[node]
        j = node
        for _ in range(_FIGURE_REACH):
            if j < 0:
                break
            if nodes[j].tag == "figure":
                target = nodes[j]
                break
            j = nodes[j].parent
        if target.src:
            return
        src = attrs.get("src") or attrs.get("data-src") or ""
        if src and not src.startswith("data:"):
            target.src = src
            target.alt = attrs.get("alt") or ""


def segment(root: Any) -> Page:
    """Walk the tree under ``root`` once and return its blocks and containers."""
    walker = _Walker()
    if root is None:
        return walker.page
    enter, leave = walker.enter, walker.leave
    node = root
    depth = 0
    while True:
        child = node.child if enter(node) else None
        if child is not None:
            node = child
            depth += 1
            continue
        while True:
            leave(node)
            if depth == 0:
                walker.flush()
                aggregate(walker.page)
                return walker.page
            sibling = node.next
            if sibling is not None:
                node = sibling
                break
            node = node.parent
            depth -= 1


def aggregate(page: Page) -> None:
    """Sum each block's text into every container above it."""
    nodes = page.nodes
    for block in page.blocks:
        n = len(block.text)
        is_p = nodes[block.node].tag == "p" if nodes else False
        i = block.node
        while i >= 0 and nodes:
            node = nodes[i]
            node.chars += n
            node.link_chars += block.link_chars
            node.blocks += 1
            if is_p:
                node.p_chars += n
            i = node.parent
