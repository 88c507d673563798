"""Document → text, Markdown, HTML or a JSON-ready dict.

Rendering reads only the Document: no page markup reaches the output, so the
HTML form is safe by construction (every string is escaped, only http(s)
image addresses survive, no attribute but ``src``/``alt`` is ever written).

All four forms are pure functions of the Document: same input, same bytes.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from winnow.model import Block, Document

SAFE_URL_SCHEMES = frozenset({"http", "https"})

# Heading levels an HTML fragment may use for blocks: h1 is the title's.
HTML_HEADING_LEVELS = (2, 6)

# A heading block with no level (0) is rendered as a section heading.
DEFAULT_HEADING_LEVEL = 2

# What Markdown reads as structure at the start of a line. A paragraph line
# that starts with one gets a backslash before the character in group 1.
_MD_LINE_MARKERS = (
    re.compile(r"^(#)#{0,5}(?:\s|$)"),  # ATX heading
    re.compile(r"^(>)"),  # block quote
    re.compile(r"^([-+*])(?:\s|$)"),  # bullet list item
    re.compile(r"^([-*_=])[-*_=\s]*$"),  # thematic break, setext underline
    re.compile(r"^([`~])\1\1"),  # code fence
    re.compile(r"^\d{1,9}([.)])(?:\s|$)"),  # ordered list item
)
# Raw HTML starts ("<b", "</", "<!", "<?") that a Markdown renderer would pass through.
_MD_RAW_HTML = re.compile(r"<(?=[A-Za-z/!?])")
_MD_FENCE_RUN = re.compile(r"`{3,}")
_MD_LANGUAGE = re.compile(r"[^\w+#.-]")


def to_text(doc: Document) -> str:
    """Plain text: one block per paragraph, blocks separated by one blank line.

    Figures are left out: a caption is not part of the prose a reader reads
    through (the WCXB annotators left 86% of the dev pages' figcaptions out of
    the main content). They stay in ``blocks``, Markdown and HTML. The deck
    (``Document.subtitle``) comes first and the dateline is put back in front
    of the first paragraph: extraction took both out of the body, but they are
    the story's text.
    """
    parts = [_one_line(doc.subtitle or "")]
    parts.extend(_block_text(block) for block in _with_dateline(doc.blocks, doc.dateline))
    return "\n\n".join(part for part in parts if part)


def _block_text(block: Block) -> str:
    if block.kind == "list" and block.items:
        return "\n".join(item for item in map(_clean, block.items) if item)
    if block.kind == "table" and block.rows:
        return "\n".join(" | ".join(_one_line(cell) for cell in row) for row in block.rows)
    if block.kind == "code":
        return block.text.strip("\n")
    if block.kind == "figure":
        return ""
    return _clean(block.text)


def _clean(text: str) -> str:
    """Strip each line and drop empty ones (kept: the line breaks inside a block)."""
    if _LINE_BREAK.search(text) is None:  # one line, as most blocks are
        return text.strip()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# What str.splitlines() breaks a line at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _figure_caption(block: Block) -> str:
    """Caption and credit on one line; the block's text when it has neither."""
    parts = [_one_line(part) for part in (block.caption, block.credit) if part.strip()]
    return " — ".join(parts) if parts else _clean(block.text)


def to_markdown(doc: Document) -> str:
    """Markdown: ``# title`` on top, the deck, then the blocks (CommonMark, GFM tables)."""
    parts = [f"# {_md_inline(_one_line(doc.title))}"] if doc.title and doc.title.strip() else []
    if doc.subtitle and doc.subtitle.strip():
        parts.append(_md_inline(_one_line(doc.subtitle)))
    parts.extend(_md_block(block, doc.url) for block in _body_blocks(doc))
    return "\n\n".join(part for part in parts if part)


def _body_blocks(doc: Document) -> list[Block]:
    """The blocks without a leading heading that only repeats the title.

    A dateline, which extraction moved out of the first paragraph into
    ``Document.dateline``, is put back in front of it for readers.
    """
    blocks = _with_dateline(doc.blocks, doc.dateline)
    title = _one_line(doc.title or "").casefold()
    first = blocks[0] if blocks else None
    if title and first and first.kind == "heading" and _one_line(first.text).casefold() == title:
        return blocks[1:]
    return blocks


def _with_dateline(blocks: list[Block], dateline: str | None) -> list[Block]:
    if not dateline or not dateline.strip():
        return blocks
    for i, block in enumerate(blocks):
        if block.kind == "paragraph":
            placed = replace(block, text=f"{_one_line(dateline)} — {block.text}")
            return [*blocks[:i], placed, *blocks[i + 1 :]]
    return blocks


def _md_block(block: Block, base_url: str | None) -> str:
    if block.kind == "heading":
        level = min(max(block.level or DEFAULT_HEADING_LEVEL, 1), 6)
        text = _md_inline(_one_line(block.text))
        return f"{'#' * level} {text}" if text else ""
    if block.kind == "list" and block.items:
        return _md_list(block)
    if block.kind == "quote":
        lines = _md_paragraph(block.text).splitlines()
        return "\n".join(f"> {line}" for line in lines)
    if block.kind == "code":
        return _md_code(block)
    if block.kind == "table" and block.rows:
        return _md_table(block)
    if block.kind == "figure":
        return _md_figure(block, base_url)
    return _md_paragraph(block.text)


def _md_inline(text: str) -> str:
    """Escape what would turn plain text into raw HTML."""
    return _MD_RAW_HTML.sub(r"\\<", text)


def _md_paragraph(text: str) -> str:
    """Escape each line so that a paragraph stays a paragraph."""
    return "\n".join(_md_escape_line(line) for line in _clean(text).splitlines())


def _md_escape_line(line: str) -> str:
    line = _md_inline(line)
    for marker in _MD_LINE_MARKERS:
        match = marker.match(line)
        if match is not None:
            at = match.start(1)
            return f"{line[:at]}\\{line[at:]}"
    return line


def _md_list(block: Block) -> str:
    items = [_md_paragraph(item) for item in block.items]
    lines = []
    for number, item in enumerate((item for item in items if item), start=1):
        marker = f"{number}." if block.ordered else "-"
        indent = " " * (len(marker) + 1)
        lines.append(f"{marker} {item.replace(chr(10), chr(10) + indent)}")
    return "\n".join(lines)


def _md_code(block: Block) -> str:
    text = block.text.strip("\n")
    if not text.strip():
        return ""
    longest = max((len(run) for run in _MD_FENCE_RUN.findall(text)), default=2)
    fence = "`" * max(3, longest + 1)
    language = _MD_LANGUAGE.sub("", block.language)
    return f"{fence}{language}\n{text}\n{fence}"


def _md_table(block: Block) -> str:
    width = max(len(row) for row in block.rows)
    rows = [[_md_cell(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
    header, body = (rows[0], rows[1:]) if block.header else ([""] * width, rows)
    lines = [_md_row(header), _md_row(["---"] * width)]
    lines.extend(_md_row(row) for row in body)
    return "\n".join(lines)


def _md_cell(cell: str) -> str:
    return _md_inline(_one_line(cell)).replace("|", "\\|")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_figure(block: Block, base_url: str | None) -> str:
    caption = _figure_caption(block)
    src = safe_url(block.src, base_url)
    lines = []
    if src:
        alt = _md_inline(_one_line(block.caption or block.text))
        alt = alt.replace("[", "\\[").replace("]", "\\]")
        target = f"<{src}>" if "(" in src or ")" in src else src
        lines.append(f"![{alt}]({target})")
    if caption:
        lines.append(_md_paragraph(caption))
    return "\n".join(lines)


def safe_url(url: str, base_url: str | None = None) -> str:
    """An absolute http(s) address made from ``url``, or "" if it is anything else.

    Relative addresses are resolved against ``base_url``. ``javascript:``,
    ``data:`` and every other scheme are refused, and so are addresses with
    whitespace, control characters, quotes or angle brackets left in them.
    """
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(urljoin(base_url or "", url))
        absolute = urlunsplit(parts)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
        return ""
    if any(ch <= " " or ch in "\"'<>\\\x7f" for ch in absolute):
        return ""
    return absolute


def to_html(doc: Document) -> str:
    """A safe, standalone ``<article>`` fragment: h1 title, the deck, then the blocks."""
    parts = ["<article>"]
    if doc.title and doc.title.strip():
        parts.append(f"<h1>{_esc(_one_line(doc.title))}</h1>")
    if doc.subtitle and doc.subtitle.strip():
        parts.append(f"<p>{_esc(_one_line(doc.subtitle))}</p>")
    parts.extend(_html_block(block, doc.url) for block in _body_blocks(doc))
    parts.append("</article>")
    return "\n".join(part for part in parts if part)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_lines(text: str) -> str:
    """Escaped text whose line breaks become ``<br>``."""
    return "<br>".join(_esc(line) for line in _clean(text).splitlines())


def _html_block(block: Block, base_url: str | None) -> str:
    if block.kind == "heading":
        low, high = HTML_HEADING_LEVELS
        level = min(max(block.level or DEFAULT_HEADING_LEVEL, low), high)
        text = _esc(_one_line(block.text))
        return f"<h{level}>{text}</h{level}>" if text else ""
    if block.kind == "list" and block.items:
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{_html_lines(item)}</li>" for item in block.items if item.strip())
        return f"<{tag}>{items}</{tag}>"
    if block.kind == "quote":
        text = _html_lines(block.text)
        return f"<blockquote><p>{text}</p></blockquote>" if text else ""
    if block.kind == "code":
        text = block.text.strip("\n")
        return f"<pre><code>{_esc(text)}</code></pre>" if text.strip() else ""
    if block.kind == "table" and block.rows:
        return _html_table(block)
    if block.kind == "figure":
        return _html_figure(block, base_url)
    text = _html_lines(block.text)
    return f"<p>{text}</p>" if text else ""


def _html_table(block: Block) -> str:
    def row(cells: tuple[str, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{_esc(_one_line(c))}</{tag}>" for c in cells) + "</tr>"

    head, body = (block.rows[:1], block.rows[1:]) if block.header else ((), block.rows)
    parts = ["<table>"]
    if head:
        parts.append("<thead>" + row(head[0], "th") + "</thead>")
    if body:
        parts.append("<tbody>" + "".join(row(cells, "td") for cells in body) + "</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _html_figure(block: Block, base_url: str | None) -> str:
    src = safe_url(block.src, base_url)
    caption = _figure_caption(block)
    if not src and not caption:
        return ""
    parts = ["<figure>"]
    if src:
        alt = _esc(_one_line(block.caption or block.text))
        parts.append(f'<img src="{_esc(src)}" alt="{alt}">')
    if caption:
        parts.append(f"<figcaption>{_esc(caption)}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def to_dict(doc: Document) -> dict[str, Any]:
    """Every Document field as JSON-ready data, plus ``text`` (see docs/schema.md)."""
    return {
        "url": doc.url,
        "title": doc.title,
        "kicker": doc.kicker,
        "subtitle": doc.subtitle,
        "authors": list(doc.authors),
        "published": doc.published,
        "updated": doc.updated,
        "dateline": doc.dateline,
        "site_name": doc.site_name,
        "language": doc.language,
        "description": doc.description,
        "image": doc.image,
        "tags": list(doc.tags),
        "page_type": doc.page_type,
        "text": to_text(doc),
        "blocks": [block.to_dict() for block in doc.blocks],
        "removed": [
            {"stage": d.stage, "rule": d.rule, "reason": d.reason, "text": d.text}
            for d in doc.removed
        ],
        "sources": dict(doc.sources),
    }


# The keys of ``to_dict``, in schema order (docs/schema.md): what the service's
# OpenAPI schema requires and what a batch row carries.
DOCUMENT_KEYS: tuple[str, ...] = tuple(to_dict(Document()))
