"""trafilatura as a ``winnow run`` work function, for benchmarks/batch.py.

A module of its own so that the worker processes can import it by name.
"""

from __future__ import annotations

from typing import Any

from winnow.batch.records import Outcome, Record, row
from winnow.options import Options


def trafilatura_work(record: Record, options: Options, fmt: str) -> dict[str, Any]:
    """The row trafilatura gives a record: its plain text, the other fields empty."""
    import trafilatura

    if record.outcome is not None:
        return row(record.source, record.url, record.outcome)
    assert record.page is not None
    try:
        text = trafilatura.extract(record.page.data, url=record.url) or ""
    except Exception as exc:  # noqa: BLE001 - a peer's failure is a row, as winnow's is
        return row(record.source, record.url, Outcome("error", "extraction-failed", str(exc)))
    outcome = Outcome("ok") if text else Outcome("skipped", "no-content", "no text")
    return row(record.source, record.url, outcome, text)
