"""The work done for one record: fetch if asked, extract, render, build the row.

``process`` runs inside a worker process (local runner) or a Ray task. It never
raises for a bad page: every failure becomes a row with its reason. The time
budget is enforced from outside, by whoever can kill the process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from winnow.batch.fetch import FetchError, fetch
from winnow.batch.records import Outcome, Page, Record, Status, row
from winnow.errors import ExtractionError
from winnow.model import Document
from winnow.options import Options
from winnow.pipeline import extract
from winnow.stages.render import to_dict, to_html, to_markdown, to_text

RENDER: Mapping[str, Callable[[Document], str]] = MappingProxyType(
    {"text": to_text, "markdown": to_markdown, "html": to_html}
)

# Content types read as pages; anything else is skipped as "not-html".
# text/plain is kept: flattened dumps and bare-text pages are winnow's second front door.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})


def is_page_type(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in PAGE_TYPES


def process(record: Record, options: Options, fmt: str) -> dict[str, Any]:
    """The row for one record (docs/batch.md)."""
    if record.outcome is not None:
        return row(record.source, record.url, record.outcome)
    url, page = record.url, record.page
    if record.fetch:
        try:
            url, page = _fetch(record, options.max_bytes)
        except FetchError as exc:
            status: Status = "skipped" if exc.reason in ("http-status", "not-html") else "error"
            return row(record.source, url, Outcome(status, exc.reason, str(exc)))
    if page is None:  # a reader bug, not a page's fault
        return row(record.source, url, Outcome("error", "internal", "record without a page"))
    try:
        doc = extract(_decoded(page), url=url, options=_with_kind(options, page))
    except ExtractionError as exc:
        return row(record.source, url, Outcome("error", "extraction-failed", str(exc)))
    outcome = Outcome("ok") if doc.blocks else _empty(doc)
    return row(record.source, url, outcome, RENDER[fmt](doc), to_dict(doc))


def _fetch(record: Record, max_bytes: int) -> tuple[str, Page]:
    assert record.url is not None
    got = fetch(record.url, max_bytes)
    if not is_page_type(got.content_type):
        raise FetchError("not-html", f"content type {got.content_type}")
    return got.url, Page(got.body, charset=got.charset)


def _decoded(page: Page) -> bytes | str:
    """Bytes decoded with the charset the server declared, if it is one Python knows.

    The HTTP header outranks a <meta> declaration (HTML standard, "determining
    the character encoding"); without a usable header winnow detects it.
    """
    if page.charset is None or isinstance(page.data, str):
        return page.data
    try:
        return page.data.decode(page.charset, errors="replace")
    except LookupError:
        return page.data


def _with_kind(options: Options, page: Page) -> Options:
    if page.kind in ("auto", options.input):
        return options
    return replace(options, input=page.kind)


def _empty(doc: Document) -> Outcome:
    last = doc.removed[-1] if doc.removed else None
    detail = last.reason if last else "no block looks like main content"
    return Outcome("skipped", "no-content", detail)
