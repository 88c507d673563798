"""Whether the C text statistics change anything: features and extractions, C against Python.

For every page of the WCXB dev split (Foley, 2026; CC-BY-4.0), parsed and
segmented as ``winnow.pipeline.analyse`` does:

* ``features.compute`` with the text statistics counted by
  ``winnow._textstats`` and by their Python twin must give the same matrix
  bit for bit, and so must the text rows alone (``features._text_rows``,
  float64, before the matrix's cast to float32);
* with ``--reference FILE``, also the matrix of another revision's
  ``features.py`` (e.g. main's): the numpy part of ``compute`` may be
  rewritten only if nothing changes;
* with ``--extract``, every ``winnow.extract(html, url=url).to_dict()`` of
  this process (C extensions where built) must equal that of a child process
  run with ``WINNOW_PURE_PYTHON=1`` (compared by SHA-256 of the sorted JSON).

Prints the number of pages that differ in each comparison; exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
from twins import extraction_digest, pure_python_output
from wcxb import DEFAULT_DATA, list_pages, load_page  # benchmarks/ is on sys.path as a script

from winnow.stages import decode, features, metadata
from winnow.stages.blocks import Page, segment
from winnow.stages.parse import content_root, parse_html

Analysed = tuple[str, Page, str, str]  # page id, segmented page, title, hint


def analysed(data: Path, ids: list[str]) -> list[Analysed]:
    """What ``features.compute`` is called with on each page, as ``pipeline.analyse`` calls it."""
    found = []
    for info in list_pages(data):
        if ids and info.id not in ids:
            continue
        page = load_page(data, info)
        tree = parse_html(decode.decode(page.html))
        meta = metadata.read(tree, page.url)
        title = meta.get("page_title") or ""
        hint = features.page_hint(page.url, meta.types)
        found.append((info.id, segment(content_root(tree)), title, hint))
    return found


def reference_matrix(path: Path) -> Callable[[Page, str, str], np.ndarray]:
    """The ``compute`` of the ``features.py`` at ``path``."""
    module = ModuleType("reference_features")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    function: Callable[[Page, str, str], np.ndarray] = module.compute
    return function


def compare_features(pages: list[Analysed], reference: Path | None) -> dict[str, list[str]]:
    """Page ids whose matrices or text rows differ, per comparison."""
    scanner = features._SCANNER
    reference_of = reference_matrix(reference) if reference else None
    differ: dict[str, list[str]] = {"compute": [], "text rows": []}
    if reference_of:
        differ["reference"] = []
    for page_id, page, title, hint in pages:
        if not page.blocks:
            continue
        results = {}
        for name, counter in (("C", scanner), ("Python", None)):
            features._SCANNER = counter
            results[name] = (
                features.compute(page, title, hint),
                features._text_rows(
                    list(dict.fromkeys(b.text for b in page.blocks)),
                    set(features._words(title)) if title else set(),
                    counter,
                ),
            )
        features._SCANNER = scanner
        for k, name in enumerate(("compute", "text rows")):
            if results["C"][k].tobytes() != results["Python"][k].tobytes():
                differ[name].append(page_id)
        if reference_of:
            old = reference_of(page, title, hint)
            if old.dtype != np.float32 or old.tobytes() != results["C"][0].tobytes():
                differ["reference"].append(page_id)
    return differ


def digests(data: Path) -> dict[str, str]:
    """The digest of each page's ``winnow.extract(...).to_dict()``."""
    out = {}
    for info in list_pages(data):
        page = load_page(data, info)
        out[info.id] = extraction_digest(page.html, page.url)
    return out


def compare_extractions(data: Path) -> list[str]:
    """Page ids whose extraction differs between this process and a pure-Python child."""
    compiled = digests(data)
    python = pure_python_output(__file__, ["--data", str(data), "--digests"])
    return sorted(k for k in compiled.keys() | python.keys() if compiled.get(k) != python.get(k))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--reference", type=Path, help="another revision's features.py")
    parser.add_argument("--extract", action="store_true", help="also compare whole extractions")
    parser.add_argument("--ids", default="", help="comma-separated page ids (all)")
    parser.add_argument("--digests", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.digests:  # the child of --extract
        print(json.dumps(digests(args.data)))
        return 0
    if not features.COMPILED:
        print("winnow._textstats is not built here (or WINNOW_PURE_PYTHON is set)", file=sys.stderr)
        return 1
    pages = analysed(args.data, [i for i in args.ids.split(",") if i])
    differ = compare_features(pages, args.reference)
    if args.extract:
        differ["extract().to_dict()"] = compare_extractions(args.data)
    print(f"{len(pages)} pages, {sum(len(p.blocks) for _, p, _, _ in pages)} blocks")
    for name, ids in differ.items():
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        print(f"  {name}: {len(ids)} pages differ" + (f" ({shown})" if ids else ""))
    return 1 if any(differ.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
