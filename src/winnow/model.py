"""The objects winnow returns: Document, Block and Decision.

Everything here is plain data. Rendering lives in ``stages/render.py``; the
methods below only delegate to it so that callers have one obvious place to go.
The JSON shape produced by ``Document.to_dict`` is documented in
``docs/schema.md`` and is covered by tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list", "quote", "table", "code", "figure"]


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a piece of the page was dropped: which stage, which rule, in words."""

    stage: str
    rule: str
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """One typed piece of the main content.

    ``text`` is always the block's plain text. The other fields are filled only
    for the kinds that need them: ``level`` for headings, ``items`` and
    ``ordered`` for lists, ``rows`` for tables (first row is the header when
    ``header`` is true), ``caption``/``credit``/``src`` for figures and
    ``language`` for code.
    """

    kind: BlockKind
    text: str
    level: int = 0
    items: tuple[str, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    caption: str = ""
    credit: str = ""
    src: str = ""
    language: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.kind == "heading":
            out["level"] = self.level
        if self.kind == "list":
            out["items"] = list(self.items)
            out["ordered"] = self.ordered
        if self.kind == "table":
            out["rows"] = [list(row) for row in self.rows]
            out["header"] = self.header
        if self.kind == "figure":
            out.update(caption=self.caption, credit=self.credit, src=self.src)
        if self.kind == "code" and self.language:
            out["language"] = self.language
        return out


@dataclass(slots=True)
class Document:
    """A page as a reader would recognise it."""

    url: str | None = None
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    dateline: str | None = None
    site_name: str | None = None
    language: str | None = None
    description: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    # What kind of page it is: one of stages.pagetype.PAGE_TYPES ("article",
    # "documentation", ...); None when no content was found (and in text mode).
    page_type: str | None = None
    blocks: list[Block] = field(default_factory=list)
    removed: list[Decision] = field(default_factory=list)
    # Where each metadata field came from ("json-ld", "meta", "dom", ...).
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        from winnow.stages.render import to_text

        return to_text(self)

    def to_markdown(self) -> str:
        from winnow.stages.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from winnow.stages.render import to_html

        return to_html(self)

    def to_dict(self) -> dict[str, Any]:
        from winnow.stages.render import to_dict

        return to_dict(self)
