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
