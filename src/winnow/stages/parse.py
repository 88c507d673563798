"""Turn input into a read-only tree (HTML); tell HTML from a flattened text dump.

Parser choice: lexbor through selectolax. Parsing plus one full walk that
reads tags, attributes and text (what winnow's walk touches) took, on 200 dev
pages in one interleaved run: lexbor/selectolax 1.18 ms/page, lxml 2.38,
lexbor through resiliparse's node API 8.47 (``benchmarks/parsers.py``). lexbor
also follows the HTML5 parsing algorithm, so broken markup is repaired the
way browsers repair it.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from selectolax.lexbor import LexborHTMLParser

from winnow.options import InputKind


def parse_html(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


# --- nesting depth -------------------------------------------------------------
# lexbor's parse time grows with the square of the nesting depth (10,000 nested
# <div>s 0.2 s, 40,000 3.7 s, 80,000 ~15 s), as the HTML5 algorithm looks
# through the stack of open elements at every tag. No real page comes near:
# Blink stops nesting at 512, as winnow does by default (``Options.max_depth``).
# The depth is looked at only on pages with more than DEPTH_CHECK_TAGS tags (2
# of the 1,358 WCXB dev pages) whose tags also leave many elements open,
# counted per DEPTH_CHUNK characters (starts less ends: a cheap upper bound, a
# few ms for 5 MB); the exact pass over the tags (~0.4 s for 5 MB of table
# rows) runs only on those.
DEPTH_CHECK_TAGS = 20_000
DEPTH_CHUNK = 65_536
_TAG = re.compile(
    r"<!--.*?(?:-->|$)"  # a comment (to its end, or the page's)
    r"|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|$)"  # raw text: no tags inside
    r"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
# Elements a start tag of their own kind closes (<p>, <li>, <option>, … left open).
_SELF_CLOSING_KINDS = frozenset("p li dt dd option optgroup tr td th".split())


def _may_nest_deeper(html: str, limit: int) -> bool:
    """Whether more than ``limit`` elements may stand open at a chunk's end.

    ``<`` counts start and end tags, ``</`` end tags: their difference, summed
    chunk by chunk, is how many start tags are not yet closed (void elements
    and comments count as open, so it errs on the side of looking). It never
    goes below zero: end tags with nothing open (or ``</`` in a comment) do
    not hide the start tags of a later chunk.
    """
    unclosed = 0
    for start in range(0, len(html), DEPTH_CHUNK):
        end = start + DEPTH_CHUNK
        # Every "</" is counted in the chunk where it starts, even across the cut.
        opened = html.count("<", start, end) - 2 * html.count("</", start, end + 1)
        unclosed = max(0, unclosed + opened)
        if unclosed > limit:
            return True
    return False


def cap_depth(html: str, limit: int) -> tuple[str, int]:
    """``html`` with the tags nested deeper than ``limit`` taken out, their text kept.

    Returns the page and how many tags were taken out (0: the page as it was).
    The open elements are tracked the simple way (void elements, self-closed
    tags, an end tag closing back to its element, a <p> or <li> closing the one
    still open); start tags past ``limit`` and their end tags are dropped, so
    their content joins the element at the limit, as in Blink.
    """
    if html.count("<") <= DEPTH_CHECK_TAGS or not _may_nest_deeper(html, limit):
        return html, 0
    stack: list[tuple[str, bool]] = []  # (tag, dropped)
    # How many elements of each tag are open: an end tag of none is passed over
    # at once, so a stack of 100,000 <div>s and as many stray </span>s is no
    # quadratic walk; an end tag that is found pops what it walked past.
    open_of: dict[str, int] = {}
    cuts: list[tuple[int, int]] = []
    for match in _TAG.finditer(html):
        name = match[3]
        if name is None:
            continue  # a comment or a raw-text element
        name = name.lower()
        if match[2]:  # an end tag
            if open_of.get(name):
                at = next(k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == name)
                if stack[at][1]:
                    cuts.append(match.span())
                for closed, _ in stack[at:]:
                    open_of[closed] -= 1
                del stack[at:]
            continue
        if name in _VOID or match[4]:
            continue
        if name in _SELF_CLOSING_KINDS and stack and stack[-1][0] == name:
            open_of[stack.pop()[0]] -= 1
        dropped = len(stack) >= limit
        if dropped:
            cuts.append(match.span())
        stack.append((name, dropped))
        open_of[name] = open_of.get(name, 0) + 1
    if not cuts:
        return html, 0
    pieces, last = [], 0
    for start, end in cuts:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:])
    return "".join(pieces), len(cuts)


def content_root(tree: LexborHTMLParser) -> Any:
    """The element to walk: ``<body>``, else the whole document."""
    return tree.body or tree.root


# --- input detection ----------------------------------------------------------
# ``Options.input == "auto"`` reads a page as HTML when its first characters
# are markup, and as a flattened text dump otherwise. Checked on WCXB dev:
# every one of the 1,358 HTML pages starts (after a BOM and white space) with
# <!doctype, <html, <!--, <script or <style, and none of the 1,358 text dumps
# of the same pages starts with a tag or holds <html, <head or <body in its
# first KB (``benchmarks/text.py`` counts both on every run).

DETECT_CHARS = 1024  # how much of the page the detector reads
# A known element, a doctype, a comment or an XML declaration at the very start.
_MARKUP_START = re.compile(
    r"[\ufeff\s]*<(?:!doctype|!--|\?xml|(?:html|head|body|meta|link|script|style|title|div|p|"
    r"span|a|table|ul|ol|li|h[1-6]|section|article|header|nav|main|footer|form|img|br|svg|"
    r"noscript|template|iframe|center|font|b|i|strong|em)(?=[\s/>]))",
    re.IGNORECASE,
)
# The document's own tags anywhere in the first KB: a fragment after some junk.
_DOCUMENT_TAG = re.compile(r"<(?:html|head|body)(?=[\s>])|<!doctype\s+html", re.IGNORECASE)


def input_kind(page: str, wanted: InputKind = "auto") -> Literal["html", "text"]:
    """``wanted`` unless it is "auto"; then "html" for markup and "text" for a dump."""
    if wanted != "auto":
        return wanted
    head = page[:DETECT_CHARS]
    if _MARKUP_START.match(head) or _DOCUMENT_TAG.search(head):
        return "html"
    return "text"
