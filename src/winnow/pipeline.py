"""The stage list: page in, Document out. Short enough to read in one screen."""

from __future__ import annotations

from winnow.errors import ExtractionError
from winnow.model import Document
from winnow.options import DEFAULT, InputKind, Options


def extract(
    page: bytes | str,
    url: str | None = None,
    options: Options | None = None,
    *,
    input: InputKind | None = None,
) -> Document:
    """Extract the main content and metadata of one page.

    ``page`` is the raw HTML as bytes (the encoding is detected) or str.
    Raises ``ExtractionError`` when the input cannot be read as a page at all;
    never any other exception.
    """
    opts = options or DEFAULT
    if input is not None and input != opts.input:
        from dataclasses import replace

        opts = replace(opts, input=input)
    try:
        return _extract(page, url, opts)
    except ExtractionError:
        raise
    except RecursionError as exc:  # pragma: no cover - guarded by iterative walks
        raise ExtractionError(f"page too deeply nested: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - the public contract is one exception type
        raise ExtractionError(f"internal error: {type(exc).__name__}: {exc}") from exc


def _extract(page: bytes | str, url: str | None, opts: Options) -> Document:
    return Document(url=url)
