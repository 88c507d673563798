"""The compiled tree walk against the Python one, on every WCXB dev page.

For each page it parses the HTML the way ``winnow.extract`` does (decode, cap
the nesting depth, lexbor) and compares the ``Page`` of the C walk
(``winnow._segment`` through ``stages/lexbor_walk.py``) with the ``Page`` of
``blocks.segment_python`` field by field: every Node, every RawBlock,
hidden_seen, body_bits, truncated. It does the same on the raw bytes handed
to lexbor undecoded, so that bad UTF-8 reaches the walk. It also checks the
class/id categoriser on its own: every (class, id, role, itemprop) key of
every page gets the same bits from ``winnow._segment.ClassMatcher`` (compiled
by ``stages/class_match.py``) as from ``blocks._attr_bits``. Then it times
the walks side by side on the same trees (CPU time, best of ``--repeat``):
the C walk categorising in C, the C walk calling ``blocks._attr_bits`` for
each new key (as before the C categoriser), and the Python walk.

With ``--extract`` it also checks that ``winnow.extract(page).to_dict()`` is
the same, page for page, with the C walk and in a child process with
``WINNOW_PURE_PYTHON=1``.

    python benchmarks/segment_check.py [--data DIR] [--pages N] [--repeat 3] [--extract]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser
from stages import spread
from timing import best_seconds
from twins import extraction_digest, pure_python_output
from wcxb import DEFAULT_DATA, list_pages, read_html

from winnow.options import DEFAULT
from winnow.stages import blocks, class_match, decode, lexbor_walk
from winnow.stages.parse import cap_depth, content_root, parse_html


def first_difference(c: blocks.Page, python: blocks.Page) -> str | None:
    """Where two Pages first differ, or None when they are equal."""
    for name in ("hidden_seen", "body_bits", "truncated"):
        if getattr(c, name) != getattr(python, name):
            return f"{name}: C {getattr(c, name)!r}, Python {getattr(python, name)!r}"
    for what in ("nodes", "blocks"):
        ours, theirs = getattr(c, what), getattr(python, what)
        if len(ours) != len(theirs):
            return f"{len(ours)} {what} in C, {len(theirs)} in Python"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            for f in dataclasses.fields(a):
                if getattr(a, f.name) != getattr(b, f.name):
                    x, y = getattr(a, f.name), getattr(b, f.name)
                    return f"{what}[{i}].{f.name}: C {x!r}, Python {y!r}"
    return None if c == python else "the Pages differ"


def keys_of(root: Any) -> set[tuple[Any, ...]]:
    """Every (class, id, role, itemprop) key under ``root``, as the walk reads them."""
    keys = set()
    for node in root.traverse():
        attrs = node.attributes
        if attrs and node.tag != "br":
            get = attrs.get
            keys.add((get("class"), get("id"), get("role"), get("itemprop")))
    return keys


def keys_differ(matcher: Any, keys: set[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The keys the ClassMatcher gives other bits than ``blocks._attr_bits``."""
    return [
        key
        for key in keys
        if matcher.attr_bits(*(None if v is None else v.encode() for v in key))
        != blocks._attr_bits(key)
    ]


def as_parsed(page: bytes) -> str:
    html = decode.decode(page[: DEFAULT.max_bytes])
    return cap_depth(html, DEFAULT.max_depth)[0]


def digests(pages: Sequence[bytes]) -> list[str]:
    """A hash of each page's ``extract(...).to_dict()``."""
    return [extraction_digest(page) for page in pages]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=0, help="pages, evenly spread (0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per walk (3)")
    parser.add_argument("--extract", action="store_true", help="also compare extract() output")
    parser.add_argument("--digests", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    infos = list_pages(args.data)
    infos = spread(infos, args.pages) if args.pages else infos
    raw = [read_html(args.data, info.id) for info in infos]
    if args.digests:  # the child of --extract
        json.dump(digests(raw), sys.stdout)
        return 0
    walk = lexbor_walk.walker()
    matcher = class_match.matcher()
    if walk is None or matcher is None:
        print("the C walk or its categoriser is not in use here (not built, or disabled)")
        return 1

    trees: list[Any] = []
    differ = 0
    keys: set[tuple[Any, ...]] = set()
    for info, page in zip(infos, raw, strict=True):
        for label, tree in (
            ("html", parse_html(as_parsed(page))),
            ("bytes", LexborHTMLParser(page)),
        ):
            root = content_root(tree)
            keys |= keys_of(root)
            where = first_difference(walk(root), blocks.segment_python(root))
            if where is not None:
                differ += 1
                print(f"{info.id} ({label}): {where}")
            if label == "html":
                trees.append(tree)  # kept alive for the timing below
    print(f"{len(infos)} pages, decoded and as raw bytes: {differ} Pages differ")
    wrong = keys_differ(matcher, keys)
    print(f"{len(keys)} class/id/role/itemprop keys: {len(wrong)} get other bits in C")
    for key in wrong[:20]:
        print(f"  {key!r}")
    differ += len(wrong)

    roots = [content_root(tree) for tree in trees]
    by_callback = lexbor_walk.build(classes=False)
    walks = {
        "C": walk,
        "C+attr_bits": lambda root: lexbor_walk.page_of(by_callback, root),
        "Python": blocks.segment_python,
    }
    best = best_seconds(walks, roots, args.repeat)
    per_page = {name: seconds / len(roots) * 1e3 for name, seconds in best.items()}
    print(
        f"segment, ms/page (CPU, best of {args.repeat}): C {per_page['C']:.3f}, "
        f"C calling blocks._attr_bits {per_page['C+attr_bits']:.3f}, "
        f"Python {per_page['Python']:.3f}; C is {best['C+attr_bits'] / best['C']:.2f}x "
        f"the C walk calling back, {best['Python'] / best['C']:.1f}x the Python walk"
    )

    if args.extract:
        ours = digests(raw)
        child_args = ["--data", str(args.data), "--pages", str(args.pages), "--digests"]
        theirs = pure_python_output(__file__, child_args)
        changed = [info.id for info, a, b in zip(infos, ours, theirs, strict=True) if a != b]
        print(f"extract().to_dict(), C walk against WINNOW_PURE_PYTHON=1: {len(changed)} differ")
        for page_id in changed[:20]:
            print(f"  {page_id}")
        differ += len(changed)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
