"""Turn the kept raw blocks into typed Blocks: headings, lists, tables, code,
quotes, figures with caption and credit, paragraphs.

The type comes from the block's containers (its nearest ``li``, ``table``,
``pre``, ``blockquote``, ``figure`` or heading). Consecutive kept blocks that
share such a container become one Block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from winnow import patterns as P
from winnow.model import Block
from winnow.stages.blocks import Page

_GROUP_TAGS = frozenset("ul ol dl table pre blockquote figure".split())
_CELL_TAGS = frozenset(("td", "th"))
# A table whose cells average more characters than this is page layout, not
# data: its cells are rendered as paragraphs. (Layout tables on dev pages hold
# whole articles in one cell; data tables' cells are a few words.)
_LAYOUT_CELL_CHARS = 200
# A caption's credit is at most this long; a longer tail is part of the caption.
_MAX_CREDIT_CHARS = 80
# What may stand right before a credit: nothing, the end of a sentence or a
# separator ("Boats. Photo: …", "Boats | Credit: …", "Doe/Getty Images") or an
# opening bracket ("(AP Photo/…)"). Elsewhere "via" or "source:" is prose.
_CREDIT_LEAD = re.compile(r"(?:^|[.!?|;/(]\s*|[–—-]\s+)\Z")


@dataclass(slots=True)
class _Context:
    group: int  # nearest grouping container (list/table/pre/quote/figure), -1 if none
    group_tag: str
    item: int  # nearest li/dt/dd, tr or figcaption under the group
    cell: int  # nearest td/th (tables)
    heading: int  # heading level of the block's own element, 0 if none


_ITEM_TAGS = frozenset(("li", "dt", "dd", "tr", "figcaption"))
# Walking up stops at these: a list outside the article does not own its text.
_STOP_TAGS = frozenset(("article", "main", "body"))


def _contexts(page: Page) -> list[_Context]:
    """The context of every node, in one pass over the nodes.

    Parents come before their children in ``page.nodes``, so each node's
    context is its parent's, updated by its own tag. (Walking up from every
    block instead took seconds on 10,000 unclosed <div>s, one per line.)
    """
    out: list[_Context] = []
    for j, node in enumerate(page.nodes):
        tag = node.tag
        heading = int(tag[1]) if tag in P.HEADING_TAGS else 0
        if tag in _GROUP_TAGS:
            out.append(_Context(j, tag, -1, -1, heading))
        elif tag in _STOP_TAGS or node.parent < 0:
            item = j if tag in _ITEM_TAGS else -1
            cell = j if tag in _CELL_TAGS else -1
            out.append(_Context(-1, "", item, cell, heading))
        else:
            up = out[node.parent]
            if heading == up.heading and tag not in _ITEM_TAGS and tag not in _CELL_TAGS:
                out.append(up)  # the same context (contexts are never changed once built)
                continue
            item = j if tag in _ITEM_TAGS else up.item
            cell = j if tag in _CELL_TAGS else up.cell
            out.append(_Context(up.group, up.group_tag, item, cell, heading))
    return out


def build(page: Page, kept: list[int], include_tables: bool = True) -> list[Block]:
    """Typed Blocks for the kept raw blocks, in page order."""
    contexts = _contexts(page)
    out: list[Block] = []
    run: list[int] = []
    run_ctx: _Context | None = None
    for i in kept:
        ctx = contexts[page.blocks[i].node]
        if run and run_ctx and ctx.group >= 0 and ctx.group == run_ctx.group and not ctx.heading:
            run.append(i)
            continue
        if run and run_ctx:
            out.extend(_emit(page, contexts, run, run_ctx, include_tables))
        run, run_ctx = [i], ctx
    if run and run_ctx:
        out.extend(_emit(page, contexts, run, run_ctx, include_tables))
    return out


def _emit(
    page: Page, contexts: list[_Context], run: list[int], ctx: _Context, include_tables: bool
) -> list[Block]:
    texts = [page.blocks[i].text for i in run]
    if ctx.heading and len(run) == 1:
        return [Block("heading", texts[0].replace("\n", " "), level=ctx.heading)]
    tag = ctx.group_tag
    if tag in ("ul", "ol", "dl"):
        items = _grouped(page, contexts, run, "item")
        return [Block("list", "\n".join(items), items=tuple(items), ordered=tag == "ol")]
    if tag == "pre":
        return [Block("code", "\n".join(texts))]
    if tag == "blockquote":
        return [Block("quote", "\n".join(texts))]
    if tag == "figure":
        return [_figure(page, ctx, texts)]
    if tag == "table":
        return _table(page, contexts, run, texts, include_tables)
    return [Block("paragraph", text) for text in texts]


def _grouped(page: Page, contexts: list[_Context], run: list[int], key: str) -> list[str]:
    """Join the texts of consecutive blocks that share the same item/cell."""
    out: list[str] = []
    last = None
    for i in run:
        ctx = contexts[page.blocks[i].node]
        owner = getattr(ctx, key)
        text = page.blocks[i].text.replace("\n", " ")
        if out and owner == last and owner >= 0:
            out[-1] += " " + text
        else:
            out.append(text)
        last = owner
    return out


def _table(
    page: Page, contexts: list[_Context], run: list[int], texts: list[str], include_tables: bool
) -> list[Block]:
    cells = _grouped(page, contexts, run, "cell")
    if not include_tables or not cells or sum(map(len, cells)) / len(cells) > _LAYOUT_CELL_CHARS:
        return [Block("paragraph", text) for text in texts]
    rows: list[list[str]] = []
    last_row = None
    last_cell = None
    header = False
    for i in run:
        ctx = contexts[page.blocks[i].node]
        text = page.blocks[i].text.replace("\n", " ")
        if ctx.item != last_row or not rows:
            rows.append([])
            last_cell = None
            if len(rows) == 1:
                header = ctx.cell >= 0 and page.nodes[ctx.cell].tag == "th"
        if ctx.cell == last_cell and rows[-1] and ctx.cell >= 0:
            rows[-1][-1] += " " + text
        else:
            rows[-1].append(text)
        last_row, last_cell = ctx.item, ctx.cell
    table_rows = tuple(tuple(r) for r in rows)
    return [
        Block("table", "\n".join(" | ".join(r) for r in table_rows), rows=table_rows, header=header)
    ]


def split_credit(caption: str) -> tuple[str, str]:
    """Split "A man walks. © Reuters" into caption and credit.

    The credit is the tail from the first credit marker that starts a
    sentence or follows a separator, if that tail is short; "©" counts
    wherever it stands.
    """
    for match in P.CREDIT_TEXT.finditer(caption):
        start = match.start()
        if len(caption) - start > _MAX_CREDIT_CHARS:
            continue
        head = caption[:start]
        if not (match.group().startswith("©") or _CREDIT_LEAD.search(head)):
            continue
        if head.endswith("("):
            start -= 1  # the bracket belongs to the credit
        return caption[:start].rstrip(" -–—|/,;"), caption[start:].strip()
    return caption, ""


def _figure(page: Page, ctx: _Context, texts: list[str]) -> Block:
    text = " ".join(t.replace("\n", " ") for t in texts)
    caption, credit = split_credit(text)
    node = page.nodes[ctx.group]
    return Block("figure", text, caption=caption, credit=credit, src=node.src)
