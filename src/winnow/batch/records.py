"""What flows through a batch run: input records in, rows out.

A reader turns each input into ``Record`` objects, one per page it holds.
A record either carries a page to extract (``payload``), an address to fetch
(``fetch``), or an outcome already decided while reading (``outcome``: a
non-HTML response is skipped, an unreadable stretch of a WARC is an error).
Every record becomes exactly one row, so records in = ok + skipped + errors.

The row schema is documented in docs/batch.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from winnow.stages.render import DOCUMENT_KEYS

Status = Literal["ok", "skipped", "error"]
PageKind = Literal["auto", "html", "text"]

# The Document fields a row carries after its own ``url`` and ``text``
# (docs/schema.md), in schema order.
DOCUMENT_FIELDS = tuple(key for key in DOCUMENT_KEYS if key not in ("url", "text"))
_LIST_FIELDS = frozenset({"authors", "tags", "blocks", "removed"})


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: a file, and its place inside the file."""

    file: str
    offset: int | None = None  # byte offset of a WARC record (of its gzip member)
    record_id: str | None = None  # WARC-Record-ID
    line: int | None = None  # 1-based line of a JSONL record or a URL list entry

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "offset": self.offset,
            "record_id": self.record_id,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Outcome:
    """A row's status and, when it is not ok, a stable reason code and the details."""

    status: Status
    reason: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A page to extract: bytes (the encoding is detected) or text already decoded."""

    data: bytes | str
    kind: PageKind = "auto"
    charset: str | None = None  # from the HTTP Content-Type, preferred over detection


@dataclass(frozen=True, slots=True)
class Record:
    """One input record: exactly one of ``page``, ``fetch`` or ``outcome`` is set."""

    source: Source
    url: str | None = None
    page: Page | None = None
    fetch: bool = False
    outcome: Outcome | None = None


def skipped(source: Source, reason: str, detail: str, url: str | None = None) -> Record:
    return Record(source, url, outcome=Outcome("skipped", reason, detail))


def failed(source: Source, reason: str, detail: str, url: str | None = None) -> Record:
    return Record(source, url, outcome=Outcome("error", reason, detail))


def row(
    source: Source,
    url: str | None,
    outcome: Outcome,
    text: str | None = None,
    document: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One output row (docs/batch.md): keys always present, in schema order."""
    out: dict[str, Any] = {
        "source": source.to_dict(),
        "url": url,
        "status": outcome.status,
        "reason": outcome.reason,
        "detail": outcome.detail,
        "text": text,
    }
    doc = document or {}
    for name in DOCUMENT_FIELDS:
        out[name] = doc.get(name, [] if name in _LIST_FIELDS else None)
    if out["sources"] is None:
        out["sources"] = {}
    return out
