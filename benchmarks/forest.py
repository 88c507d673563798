"""The two walks of the trees side by side: the C extension and numpy.

Builds the feature matrices that ``winnow.extract`` hands the forest on WCXB
dev pages (``--pages``, evenly spread) and on the same pages' text dumps, then
times ``Forest.margin`` on each matrix with the C walk (``winnow._forest``)
and with the numpy walk, alternating which goes first, ``--repeat`` rounds;
the best round of each counts (CPU time, ``time.process_time``, so that other
processes on a loaded machine weigh less). Every margin of the two walks is
also compared: they must be equal bit for bit.

With ``--against MODEL.npz`` (a block model exported by ``training/train.py``)
it times instead the C walk of the shipped HTML model and of that one on the
same HTML matrices, and prints the size of each (trees, leaves) and the ratio
of their costs: what a bigger model would add to the predict stage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
from stages import spread  # benchmarks/ is on sys.path
from timing import best_seconds
from wcxb import DEFAULT_DATA, DEFAULT_TEXT, list_pages, read_html

from winnow import pipeline
from winnow.stages import decode, features, lexicon, score
from winnow.stages import textmode as text_front
from winnow.stages.textmode import features as text_features
from winnow.stages.textmode import segment


def html_matrices(data: Path, ids: Sequence[str]) -> list[np.ndarray]:
    lexical = lexicon.load(pipeline.MODEL, None)
    pages = (pipeline.analyse(decode.decode(read_html(data, i)), None) for i in ids)
    return [
        features.with_lexicon(seen.X, seen.terms, lexical) for seen in pages if seen.page.blocks
    ]


def text_matrices(text: Path, ids: Sequence[str]) -> list[np.ndarray]:
    lexical = lexicon.load(text_front.MODEL, None)
    pages = (segment.segment((text / f"{i}.txt").read_text("utf-8")) for i in ids)
    return [text_features.compute(page, lexical).X for page in pages if page.blocks]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT)
    parser.add_argument("--pages", type=int, default=400, help="pages, evenly spread (400)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per walk (5)")
    parser.add_argument("--against", help="a block model (.npz) to time beside the shipped one")
    args = parser.parse_args(argv)
    if not score.COMPILED:
        print("winnow._forest is not built here (or WINNOW_PURE_PYTHON is set)", file=sys.stderr)
        return 1

    ids = [info.id for info in spread(list_pages(args.data), args.pages)]
    if args.against:
        compare_models(args.against, html_matrices(args.data, ids), args.repeat)
        return 0
    inputs = [
        ("HTML pages", score.forest(pipeline.MODEL), html_matrices(args.data, ids)),
        ("text dumps", score.forest(text_front.MODEL), text_matrices(args.text, ids)),
    ]
    print(f"{len(ids)} pages; ms per page's matrix, best of {args.repeat} rounds (CPU time)")
    for what, forest, matrices in inputs:
        same = all(
            np.array_equal(forest.margin(X), forest.margin(X, compiled=False)) for X in matrices
        )
        walks = {True: forest.margin, False: partial(forest.margin, compiled=False)}
        best = best_seconds(walks, matrices, args.repeat)
        c, py = (best[k] / len(matrices) * 1e3 for k in (True, False))
        rows = sum(len(X) for X in matrices) / len(matrices)
        print(
            f"  {what}: {rows:.0f} rows/page, C {c:.3f}  numpy {py:.3f}  "
            f"(C is {py / c:.1f}x numpy; margins {'identical' if same else 'DIFFER'})"
        )
    return 0


def compare_models(path: str, matrices: list[np.ndarray], repeat: int) -> None:
    """The C walk of the shipped HTML model and of the one at ``path``, side by side."""
    forests = {"shipped": score.forest(pipeline.MODEL), path: score.forest(pipeline.MODEL, path)}
    walks = {name: forest.margin for name, forest in forests.items()}
    best = best_seconds(walks, matrices, repeat)
    print(f"{len(matrices)} HTML pages; ms per page's matrix, best of {repeat} rounds (CPU time)")
    for name, forest in forests.items():
        leaves = int((forest.threshold == np.inf).sum())
        size = f"{forest.roots.size} trees, {leaves} leaves, depth {forest.depth}"
        print(f"  {name}: {size}: {best[name] / len(matrices) * 1e3:.3f}")
    print(f"  cost ratio {best[path] / best['shipped']:.2f}x the shipped model")


if __name__ == "__main__":
    sys.exit(main())
