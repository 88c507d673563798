"""What ``winnow explain`` costs: the Trace on extract()'s hot path, and the report.

``extract()`` now keeps a ``Trace`` of its run (``pipeline.traced``); on HTML
pages the only work that adds is making the Trace object from the page, the
scores, the kept indices and the Decisions the stages made anyway (pairing
them waits for ``winnow explain``). This times, on the same WCXB dev pages in
the same process:

* ``winnow.extract`` per page;
* making each page's Trace, as a share of extract (the hot-path overhead);
* ``winnow.explain.explain`` per page (extract plus the HTML report), as a
  multiple of extract.

Pages are spread evenly over the dev set, decompressed before timing, and run
once untimed first. Usage: ``python benchmarks/explain.py --data DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from stages import spread
from wcxb import DEFAULT_DATA, list_pages, read_html

import winnow
from winnow import pipeline
from winnow.explain import explain
from winnow.stages.blocks import Page
from winnow.stages.trace import Trace


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=200, help="pages, evenly spread (200)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages (3)")
    args = parser.parse_args(argv)

    pages = [read_html(args.data, i.id) for i in spread(list_pages(args.data), args.pages)]
    winnow.extract(pages[0])  # warm-up: model loading and lazy imports
    explain(pages[0])
    extract_s = trace_s = explain_s = 0.0
    for _ in range(args.repeat):
        for page in pages:
            start = time.perf_counter()
            winnow.extract(page)
            extract_s += time.perf_counter() - start
            trace_s += _time_trace(page)
            start = time.perf_counter()
            explain(page)
            explain_s += time.perf_counter() - start
    n = len(pages) * args.repeat
    print(f"{len(pages)} WCXB dev pages x {args.repeat}, ms/page (mean)")
    print(f"  winnow.extract     {extract_s / n * 1e3:8.3f}")
    print(f"  Trace(...)         {trace_s / n * 1e3:8.3f}  ({trace_s / extract_s:.3%} of extract)")
    ratio = explain_s / extract_s
    print(f"  explain (report)   {explain_s / n * 1e3:8.3f}  ({ratio:.2f}x extract)")
    return 0


def _time_trace(page: bytes) -> float:
    """Seconds that making this page's Trace takes, as ``pipeline._extract`` makes it."""
    _, trace = pipeline.traced(page)
    if not isinstance(trace.page, Page) or not trace.page.blocks:
        return 0.0
    kept = list(trace.kept)
    start = time.perf_counter()
    Trace("html", trace.page, trace.scores, kept, trace.decisions)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
