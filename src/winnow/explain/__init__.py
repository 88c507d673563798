"""``winnow explain``: why each part of a page was kept or dropped, as one HTML file.

The report shows the page's blocks in reading order, each kept or dropped with
the stage, rule, reason and score that decided it; the recovered structure and
where each field came from; a summary per rule; and, given the page's ground
truth, the WCXB word F1 with the missed and the extra words marked. It is built
from the very run that made the Document (``pipeline.traced``), and it is one
self-contained file: no request leaves it, and nothing of the page can run in it.
"""

from __future__ import annotations

from winnow.explain.report import Report, render
from winnow.explain.rows import rows_of
from winnow.explain.truth import Truth, TruthError, block_marks, compare, load_truth
from winnow.options import Options
from winnow.pipeline import traced

__all__ = ["Truth", "TruthError", "explain", "load_truth"]


def explain(
    page: bytes | str,
    url: str | None = None,
    options: Options | None = None,
    truth: Truth | None = None,
    name: str = "page",
) -> str:
    """The report on ``page`` as HTML. Raises ``ExtractionError`` as ``extract`` does."""
    doc, trace = traced(page, url, options)
    rows = rows_of(doc, trace)
    comparison = marks = None
    if truth is not None:
        comparison = compare(doc.text, truth)
        kept = [row.status == "kept" for row in rows.rows]
        marks = block_marks([row.text for row in rows.rows], kept, doc.text, truth)
    return render(Report(name, doc, rows, trace.kind, comparison, marks))
