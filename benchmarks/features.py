"""Block features with the text statistics counted in C and in Python, side by side.

On WCXB dev pages (Foley, 2026; CC-BY-4.0), parsed and segmented once
(untimed) as ``winnow.pipeline.analyse`` does, ``features.compute`` runs with
the text statistics counted by ``winnow._textstats`` ("C") and by their Python
twin, ``_text_scalars`` ("Python"), in one process; so do the text rows alone
(``features._text_rows`` on each page's distinct block texts). The two
alternate which goes first, ``--repeat`` rounds; the best round of each counts
(CPU time, ``time.process_time``). With ``--reference FILE``, another
revision's ``features.compute`` (e.g. main's ``features.py``) is timed in the
same rounds: "before" against "after" for the whole function, numpy part
included. ``benchmarks/features_check.py`` checks that all of them give the
same matrices.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from features_check import Analysed, analysed, reference_matrix  # benchmarks/ is on sys.path
from stages import spread
from timing import best_seconds
from wcxb import DEFAULT_DATA, list_pages

from winnow.stages import features


def with_counter(counter: Any, run: Callable[[Analysed], object]) -> Callable[[Analysed], object]:
    def timed(page: Analysed) -> object:
        features._SCANNER = counter
        return run(page)

    return timed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=400, help="pages, evenly spread (400)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per variant (5)")
    parser.add_argument("--reference", type=Path, help="another revision's features.py")
    args = parser.parse_args(argv)
    scanner = features._SCANNER
    if scanner is None:
        print("winnow._textstats is not built here (or WINNOW_PURE_PYTHON is set)", file=sys.stderr)
        return 1
    ids = [info.id for info in spread(list_pages(args.data), args.pages)]
    pages = [p for p in analysed(args.data, ids) if p[1].blocks]

    def compute(page: Analysed) -> object:
        return features.compute(page[1], page[2], page[3])

    runs = {"C": with_counter(scanner, compute), "Python": with_counter(None, compute)}
    if args.reference:
        reference = reference_matrix(args.reference)
        runs["reference"] = lambda page: reference(page[1], page[2], page[3])
    whole = best_seconds(runs, pages, args.repeat)

    texts = [
        (list(dict.fromkeys(b.text for b in p[1].blocks)), set(features._words(p[2])))
        for p in pages
    ]
    rows = best_seconds(
        {
            "C": lambda t: features._text_rows(t[0], t[1], scanner),
            "Python": lambda t: features._text_rows(t[0], t[1], None),
        },
        texts,
        args.repeat,
    )
    features._SCANNER = scanner
    distinct = sum(len(t[0]) for t in texts) / len(texts)
    print(
        f"{len(pages)} pages, {distinct:.0f} distinct block texts each; ms per page, "
        f"best of {args.repeat} rounds (CPU time)"
    )
    for what, best in (("features.compute", whole), ("text rows alone", rows)):
        c, py = (best[k] / len(pages) * 1e3 for k in ("C", "Python"))
        line = f"  {what}: C {c:.3f}  Python {py:.3f}  (Python/C {py / c:.2f}x)"
        if "reference" in best:
            ref = best["reference"] / len(pages) * 1e3
            line += f"  reference {ref:.3f}  (reference/C {ref / c:.2f}x)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
