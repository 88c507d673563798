"""Which HTML parser winnow stands on: parse + one full walk, ms/page, in one process.

winnow walks every node of every page once, reading tags, attributes and
text, so the measure is parse time plus a walk that touches what winnow
touches. Parsers are interleaved page by page so machine noise hits all
alike. Data: WCXB dev pages (Foley, 2026; CC-BY-4.0).

    python benchmarks/parsers.py [--pages 300]
"""

from __future__ import annotations

import argparse
import gzip
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wcxb-dev"


def lexbor(html: bytes) -> int:
    from selectolax.lexbor import LexborHTMLParser

    count = 0
    for node in LexborHTMLParser(html).root.traverse(include_text=True):
        _ = node.text_content if node.tag == "-text" else node.attributes
        count += 1
    return count


def lxml_html(html: bytes) -> int:
    import lxml.html

    count = 0
    for el in lxml.html.fromstring(html).iter():
        _ = (el.tag, el.text, el.tail, el.attrib.get("class"))
        count += 1
    return count


def resiliparse(html: bytes) -> int:
    from resiliparse.parse.html import HTMLTree, NodeType

    tree = HTMLTree.parse_from_bytes(html)
    count = 0
    stack = [tree.document.first_child]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == NodeType.TEXT:
            _ = node.text
        elif node.type == NodeType.ELEMENT:
            _ = node.getattr("class")
        count += 1
        stack.append(node.next)
        stack.append(node.first_child)
    return count


PARSERS: dict[str, Callable[[bytes], int]] = {
    "lexbor (selectolax)": lexbor,
    "lxml": lxml_html,
    "lexbor (resiliparse)": resiliparse,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    files = sorted((args.data / "html").glob("*.html.gz"))
    step = max(1, len(files) // args.pages)
    pages = [gzip.decompress(f.read_bytes()) for f in files[::step][: args.pages]]
    available = {}
    for name, fn in PARSERS.items():
        try:
            fn(pages[0])
            available[name] = fn
        except ImportError:
            print(f"skipping {name}: not installed")
    totals = dict.fromkeys(available, 0.0)
    for page in pages:
        for name, fn in available.items():
            start = time.perf_counter()
            fn(page)
            totals[name] += time.perf_counter() - start
    base = totals.get("lexbor (selectolax)")
    print(f"{len(pages)} WCXB dev pages, parse + full walk, ms/page:")
    for name, total in totals.items():
        ratio = f"  ({total / base:.1f}x lexbor/selectolax)" if base else ""
        print(f"  {name:<22} {total / len(pages) * 1000:6.2f}{ratio}")


if __name__ == "__main__":
    main()
