"""Where winnow's time goes: milliseconds per page for each pipeline stage.

Runs the stages of ``winnow.pipeline._extract`` one by one on WCXB dev pages
(the same calls, in the same order; keep the two in step) and times each with
``time.perf_counter``:

* decode: binary sniffing and encoding detection, bytes to str
* parse: lexbor builds the tree
* metadata: JSON-LD, meta tags and DOM title
* segment: the tree walk into blocks and containers
* features: the block feature matrix
* predict: the tree ensemble's probabilities
* pagetype: the page-type classifier (averaged rows, one forest per type)
* select+structure: choosing the blocks, building the Document

Then it times ``winnow.extract`` itself on the same pages, so the sum of the
stages can be checked against the real thing. The segment stage runs the
compiled walk where it is in use; the Python walk (``segment_python``) is
timed on the same tree right after it and printed beside it, not summed.
Pages are spread evenly over the dev set (``--pages``), decompressed before
timing, and each is run once untimed first so lazy imports and model loading
are not charged to it. Where the C walk categorises class/id/role/itemprop
in C (``stages/class_match.py``), the C walk calling ``blocks._attr_bits``
for each new key instead (as it did before) is timed beside it as well.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
from wcxb import DEFAULT_DATA, list_pages, read_html

import winnow
from winnow import pipeline
from winnow.options import DEFAULT
from winnow.stages import (
    decode,
    features,
    lexbor_walk,
    lexicon,
    metadata,
    pagetype,
    score,
    select,
    structure,
)
from winnow.stages.blocks import segment, segment_python
from winnow.stages.parse import content_root, parse_html

STAGES: Final = (
    "decode",
    "parse",
    "metadata",
    "segment",
    "features",
    "lexicon",
    "predict",
    "pagetype",
    "select+structure",
)


def run_stages(
    page: bytes,
    forest: score.Forest,
    clock: Callable[[], float],
    by_callback: Callable[[Any], object] | None = None,
) -> list[float]:
    """Seconds spent in each of ``STAGES`` on one page (0 for stages not reached),
    then in the Python walk of the same tree, then in ``by_callback`` (the C
    walk calling ``blocks._attr_bits``) if given."""
    times = [0.0] * (len(STAGES) + 2)
    t0 = clock()
    decode.looks_binary(page[:4096])
    html = decode.decode(page[: DEFAULT.max_bytes])
    t1 = clock()
    tree = parse_html(html)
    t2 = clock()
    meta = metadata.read(tree)
    t3 = clock()
    raw = segment(content_root(tree))
    t4 = clock()
    segment_python(content_root(tree))
    times[-2] = clock() - t4
    if by_callback is not None:
        start = clock()
        by_callback(content_root(tree))
        times[-1] = clock() - start
    times[:4] = [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
    if not raw.blocks:
        return times
    t4 = clock()
    X = features.compute(raw, meta.get("page_title") or "")
    t5 = clock()
    with_lexical = features.with_lexicon(X, features.terms(raw, X), lexicon.load(pipeline.MODEL))
    t6 = clock()
    scores = forest.predict(_fit(with_lexical, len(forest.names)))
    t7 = clock()
    page_type = pagetype.type_model().classify(X, scores)
    t8 = clock()
    words = np.expm1(X[:, features.MEASURED_NAMES.index("log_words")])
    kept, dropped = select.select(raw, scores, words, DEFAULT.favor, page_type=page_type)
    blocks = structure.build(raw, kept, DEFAULT.include_tables)
    pipeline._document(None, meta, blocks, dropped)
    t9 = clock()
    times[4:-2] = [t5 - t4, t6 - t5, t7 - t6, t8 - t7, t9 - t8]
    return times


def _fit(X: np.ndarray, width: int) -> np.ndarray:
    """X cut or zero-padded to the model's width (while features and model disagree)."""
    if X.shape[1] == width:
        return X
    fitted = np.zeros((X.shape[0], width), dtype=X.dtype)
    n = min(width, X.shape[1])
    fitted[:, :n] = X[:, :n]
    return fitted


def spread(items: Sequence[Any], n: int) -> list[Any]:
    """``n`` items evenly spaced over ``items`` (all of them if there are fewer)."""
    if n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=200, help="pages, evenly spread (200)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the pages (1)")
    args = parser.parse_args(argv)

    infos = spread(list_pages(args.data), args.pages)
    pages = [read_html(args.data, info.id) for info in infos]
    forest = score.forest(pipeline.MODEL)
    if forest.names != features.FEATURE_NAMES:
        print(
            "note: the shipped model was trained on other features; predict is timed "
            "on the matrix cut or padded to its width",
            file=sys.stderr,
        )
    by_callback = None
    if lexbor_walk.walker() and lexbor_walk.build().categorises:
        walker = lexbor_walk.build(classes=False)
        by_callback = functools.partial(lexbor_walk.page_of, walker)
    run_stages(pages[0], forest, time.perf_counter, by_callback)  # warm-up, untimed
    with_extract = forest.names == features.FEATURE_NAMES
    if with_extract:
        winnow.extract(pages[0])

    totals = np.zeros(len(STAGES) + 2)
    extract_s = 0.0
    for _ in range(args.repeat):
        for page in pages:
            totals += run_stages(page, forest, time.perf_counter, by_callback)
            if with_extract:
                start = time.perf_counter()
                winnow.extract(page)
                extract_s += time.perf_counter() - start

    n = len(pages) * args.repeat
    python_walk, callback_walk, totals = totals[-2], totals[-1], totals[:-2]
    print(f"{len(pages)} pages x {args.repeat}, ms/page (mean)")
    for name, seconds in zip(STAGES, totals, strict=True):
        share = seconds / totals.sum()
        print(f"  {name:18s} {seconds / n * 1e3:7.2f}  {share:6.1%}")
        if name == "segment":
            ratio = python_walk / seconds
            walk = "C walk" if lexbor_walk.walker() else "Python walk, C not in use"
            python_ms = python_walk / n * 1e3
            print(f"    ({walk}; segment_python on the same trees: {python_ms:.2f}, x{ratio:.2f})")
            if by_callback is not None:
                callback_ms = callback_walk / n * 1e3
                ratio = callback_walk / seconds
                print(
                    f"    (categorising in C; the C walk calling blocks._attr_bits instead: "
                    f"{callback_ms:.2f}, x{ratio:.2f})"
                )
    print(f"  {'sum of stages':18s} {totals.sum() / n * 1e3:7.2f}")
    if with_extract:
        print(f"  {'winnow.extract':18s} {extract_s / n * 1e3:7.2f}  ({n / extract_s:.1f} pages/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
