"""Segment a parsed page into text blocks, walking the tree once, read-only.

A block is a maximal run of inline text between two block-level boundaries
(``<p>``, ``<div>``, ``<li>``, ``<br>`` does not split). Every block-level
element becomes a ``Node`` in a side table, so later stages can reason about
containers (how much text a section holds, how link-heavy it is) without
touching the tree again. The walk is iterative: 10,000 nested ``<div>``s do
not reach Python's recursion limit.

This is the hottest loop of the pipeline (about 3,000 tree nodes per dev
page). ``segment`` runs it in C (``winnow._segment``, which reads lexbor's
structures directly; ``stages/lexbor_walk.py`` sets it up and checks it at
load) wherever that is built and checked, and else in Python:
``segment_python``, its twin, with the same results field for field. The
Python walk keeps its per-node work inline, in local variables, rather than
in small methods; ``benchmarks/stages.py`` times both.
"""

from __future__ import annotations

import re
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

_TAG_BIT = {tag: BIT[cat] for tag, cat in P.TAG_CATEGORIES.items()}
_HIDDEN_BIT = BIT["hidden_attr"]

# The walk stops after this many blocks and the rest of the page is not read.
# The largest WCXB dev page has 2,641 blocks; a 20 MB page of paragraphs has
# 180,000, which would take seconds to score. Four times the largest real page
# bounds time and memory without touching any page seen in development.
MAX_BLOCKS = 10_000

# Stands for <br> in the text buffer until the block is flushed.
_BREAK = "\x00"
# How many containers up from an <img> a <figure> may be and still own it.
_FIGURE_REACH = 4
# A frame for the walk's root element, which has no parent.
_NO_FRAME = (-1, 0, False, False, False)


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
    truncated: bool = False  # the walk stopped at MAX_BLOCKS


# --- class/id categories ------------------------------------------------------


def _alternatives(source: str) -> list[str]:
    """Split a regular expression at its top-level ``|``s."""
    parts, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 1  # the escaped character is never special
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += source.startswith("^", i + 1)
            i += source.startswith("]", i + 1)  # a leading "]" is a literal
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    return [*parts, source[start:]]


def _class_scan() -> re.Pattern[str] | None:
    """A pattern matching wherever ``P.CLASS_PATTERN`` can start a match, only faster.

    ``CLASS_PATTERN`` tries all ~170 words of its categories at every position
    of a class string (15 us per string on the dev pages). This pattern holds
    the same words grouped by first letter, so most positions fail after one
    test per letter; ``_class_bits`` then runs ``CLASS_PATTERN`` itself only
    where this one found something (3.4 us per string, same bits). It only
    locates matches, so the order of its alternatives does not matter. None
    when ``CLASS_PATTERN`` is not built the way this relies on.
    """
    expected = "|".join(f"(?P<{name}>{body})" for name, body in P.CLASS_CATEGORIES.items())
    if P.CLASS_PATTERN.pattern != expected or P.CLASS_PATTERN.flags & re.VERBOSE:
        return None
    by_letter: dict[str, list[str]] = {}
    other: list[str] = []
    for body in P.CLASS_CATEGORIES.values():
        for alternative in _alternatives(body):
            if alternative[:1].isalnum() and alternative[1:2] not in ("?", "*", "+", "{"):
                by_letter.setdefault(alternative[0], []).append(alternative[1:])
            else:
                other.append(f"(?:{alternative})")
    letters = [f"{c}(?:{'|'.join(rests)})" for c, rests in sorted(by_letter.items())]
    try:
        return re.compile("|".join(letters + other), P.CLASS_PATTERN.flags)
    except re.error:
        return None


_CLASS_SCAN = _class_scan()


def _class_bits(names: str) -> int:
    """Category bits of the matches of ``P.CLASS_PATTERN.finditer(names)``."""
    if _CLASS_SCAN is None:
        return _class_bits_finditer(names)
    bits = 0
    # finditer, replayed: try CLASS_PATTERN at each position where it can match.
    scan, match = _CLASS_SCAN.search, P.CLASS_PATTERN.match
    pos = 0
    while (hit := scan(names, pos)) is not None:
        start = hit.start()
        m = match(names, start)
        if m is None:
            pos = start + 1
            continue
        if m.end() == start:  # empty matches follow finditer's own rules
            return _class_bits_finditer(names)
        bits |= BIT[m.lastgroup or ""]
        pos = m.end()
    return bits


def _class_bits_finditer(names: str) -> int:
    bits = 0
    for m in P.CLASS_PATTERN.finditer(names):
        bits |= BIT[m.lastgroup or ""]
    return bits


def _attr_bits(key: tuple[Any, ...]) -> int:
    """Category bits of ``(class, id, role, itemprop)``."""
    names, ident, role, itemprop = key
    if ident:  # class and id joined by a space, as CLASS_PATTERN expects
        names = f"{names} {ident}" if names else ident
    bits = _class_bits(names.lower()) if names else 0
    if role and (cat := P.ROLE_CATEGORIES.get(role.lower())):
        bits |= BIT[cat]
    if itemprop and (cat := P.ITEMPROP_CATEGORIES.get(itemprop.lower())):
        bits |= BIT[cat]
    return bits


def _is_hidden(attrs: dict[str, Any]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        style = style.replace(" ", "").lower()
        return "display:none" in style or "visibility:hidden" in style
    return False


# --- the walk -------------------------------------------------------------------


def _flush(
    blocks: list[RawBlock],
    parts: list[str],
    frame: tuple[int, int, bool, bool, bool],
    inline_bits: int,
    link_chars: int,
) -> None:
    """End the block being read: its text (if any) becomes a RawBlock."""
    raw = parts[0] if len(parts) == 1 else "".join(parts)
    if frame[3]:
        text = raw.replace(_BREAK, "\n").strip("\n")
    elif _BREAK not in raw:
        text = " ".join(raw.split())
    else:
        # Each <br>-separated line with its whitespace folded; blank lines dropped.
        text = "\n".join(line for s in raw.split(_BREAK) if (line := " ".join(s.split())))
    if text:
        blocks.append(RawBlock(text, frame[0], frame[1] | inline_bits, link_chars, frame[3]))


def segment(root: Any) -> Page:
    """Walk the tree under ``root`` once and return its blocks and containers.

    In C when ``root`` is a selectolax node and the compiled walk is in use
    (``lexbor_walk.walker``), else in Python; both give the same ``Page``.
    """
    from winnow.stages import lexbor_walk  # it builds on this module

    walk = lexbor_walk.walker()
    if walk is not None and isinstance(root, lexbor_walk.LexborNode):
        return walk(root)
    return segment_python(root)


def segment_python(root: Any) -> Page:
    """``segment`` in Python: the compiled walk's twin and its reference."""
    page = Page()
    if root is None:
        return page
    blocks, nodes = page.blocks, page.nodes
    # One frame per open element: (container node, chain bits, in_link, in_pre,
    # is_block); ``top`` is the innermost. ``opened`` holds the elements
    # themselves, to climb back up without ``.parent``.
    frames: list[tuple[int, int, bool, bool, bool]] = []
    top = _NO_FRAME
    opened: list[Any] = []
    # The text read since the last block boundary, and what its links and
    # inline elements add to it.
    parts: list[str] = []
    link_chars = inline_bits = 0
    blank = False  # white space was read (and left out of ``parts``) since the last flush
    class_cache: dict[tuple[Any, ...], int] = {}
    skip_tags, block_tags, tag_bit = P.SKIP_TAGS, P.BLOCK_TAGS, _TAG_BIT
    node = root
    while True:
        frame = None  # set when ``node`` is an element whose children are read
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if not text:
                pass
            elif parts or top[3] or not text.isspace():
                parts.append(text)
                if top[2]:
                    link_chars += len(text.strip())
            else:
                # White space that would start a block folds away when the block is
                # flushed: only note that a flush (which resets the inline state)
                # is due. Two thirds of the text nodes of a dev page are these.
                blank = True
        elif tag is not None and tag[0] not in "-!" and tag not in skip_tags:
            # (None: a processing instruction, which lexbor keeps for "<?php ...?>")
            bits = 0
            attrs = node.attributes
            if attrs:
                get = attrs.get
                if tag != "br":  # a <br>'s categories are never used
                    key = (get("class"), get("id"), get("role"), get("itemprop"))
                    bits = class_cache.get(key, -1)
                    if bits < 0:
                        bits = class_cache[key] = _attr_bits(key)
                maybe_hidden = "hidden" in attrs or "aria-hidden" in attrs or "style" in attrs
                if maybe_hidden and _is_hidden(attrs):
                    # Not skipped: streaming renderers park real content in hidden
                    # containers and reveal it with script; the classifier decides.
                    page.hidden_seen += 1
                    bits |= _HIDDEN_BIT
            if tag == "br":
                parts.append(_BREAK)
            elif tag in block_tags:
                if parts:
                    _flush(blocks, parts, top, inline_bits, link_chars)
                    parts = []
                    link_chars = inline_bits = 0
                elif blank:
                    link_chars = inline_bits = 0
                blank = False
                if len(blocks) >= MAX_BLOCKS:
                    page.truncated = True
                    break
                frame = _open_block(page, tag, bits | tag_bit.get(tag, 0), top)
            else:
                bits |= tag_bit.get(tag, 0)
                if tag == "img":
                    _note_image(nodes, attrs, top[0])
                inline_bits |= bits
                frame = (top[0], top[1] | bits, top[2] or tag == "a", top[3], False)
        if frame is not None:
            frames.append(frame)
            top = frame
            opened.append(node)
            child = node.first_child
            if child is not None:
                node = child
                continue
            # An empty element: closed right away below.
        elif opened and (sibling := node.next) is not None:
            node = sibling
            continue
        # Close elements, innermost first, until one has a next sibling.
        while opened:
            node = opened.pop()
            if top[4] and (parts or blank):
                if parts:
                    _flush(blocks, parts, top, inline_bits, link_chars)
                    parts = []
                link_chars = inline_bits = 0
                blank = False
            frames.pop()
            top = frames[-1] if frames else _NO_FRAME
            if opened and (sibling := node.next) is not None:
                node = sibling
                break
        else:
            break  # the root is closed
    if parts:
        raise ValueError("text outside any block element: the root must be one")
    aggregate(page)
    return page


def _open_block(
    page: Page, tag: str, bits: int, parent: tuple[int, int, bool, bool, bool]
) -> tuple[int, int, bool, bool, bool]:
    """Add a block-level element to ``page.nodes``; return its frame."""
    nodes = page.nodes
    parent_node = nodes[parent[0]] if nodes else None
    # <html>/<body> classes describe the page, not the block.
    own = 0 if tag in ("html", "body") else bits
    chain = own | (parent_node.chain if parent_node else 0)
    depth = parent_node.depth + 1 if parent_node else 0
    nodes.append(Node(tag, parent[0] if nodes else -1, depth, bits, chain))
    if tag == "body":
        page.body_bits = bits
    return (len(nodes) - 1, chain, parent[2], parent[3] or tag == "pre", True)


def _note_image(nodes: list[Node], attrs: dict[str, Any], node: int) -> None:
    """Remember the first image of the nearest figure (else of the container)."""
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


def aggregate(page: Page) -> None:
    """Sum each block's text into every container above it.

    A node's parent comes before it in ``page.nodes``, so one pass from the
    last node to the first adds every subtree into its parent: linear, where
    walking up from each block was quadratic in the nesting depth.
    """
    nodes = page.nodes
    if not nodes:
        return
    for block in page.blocks:
        if block.node < 0:
            continue
        node = nodes[block.node]
        n = len(block.text)
        node.chars += n
        node.link_chars += block.link_chars
        node.blocks += 1
        if node.tag == "p":
            node.p_chars += n
    for node in reversed(nodes):
        if node.parent >= 0:
            parent = nodes[node.parent]
            parent.chars += node.chars
            parent.link_chars += node.link_chars
            parent.blocks += node.blocks
            parent.p_chars += node.p_chars
