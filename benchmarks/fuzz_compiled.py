"""A seeded differential fuzzer of winnow's C extensions against their Python twins.

It makes HTML documents two ways: (a) by mutating WCXB dev pages (byte flips,
truncation, splicing two pages, duplicating or deleting tag spans, deep
nesting, huge attributes, NULs, bad UTF-8, surrogate escapes, processing
instructions, ``<template>``, SVG/MathML foreign content, framesets,
``<noscript>``, unusual white space, long class strings, custom and prefixed
elements, duplicate attributes, entities) and (b) as grammar-free tag soup.
Document ``i`` of seed ``s`` is a pure function of (s, i) and the dev pages,
so a run is reproduced by its seed and count.

Each batch of documents goes to two child processes, one with the C
extensions and one with ``WINNOW_PURE_PYTHON=1``. A child runs
``winnow.extract(doc).to_dict()`` and ``winnow.extract(doc, input="text")``
on each document and prints one line of hashes a document, flushed, so a
child that dies (a signal, a non-zero exit) names the document it died on;
that document is run again alone, and if it does not fail alone the batch
before it is bisected. Mismatches and crashes are saved under ``--out`` with
the seed and index that made them.

    python benchmarks/fuzz_compiled.py [--seed 1] [--docs 2000] [--batch 100]
        [--out /tmp/winnow-fuzz] [--data DIR] [--python PATH] [--c-env NAME=VALUE] [--deep]
        [--soup 0.25]
    python benchmarks/fuzz_compiled.py --texts 20000 [--seed 1]

``--deep`` also checks, in the C child, that the C walk and the Python walk give
the same ``Page`` on each document's tree (and on its undecoded bytes handed
to lexbor, so that bad UTF-8 reaches the walk) and that the C text statistics
equal Python's on its block texts: differences there that extract()'s output
hides are counted as ``walks_differ``. ``--texts N`` compares, in-process, the
C text statistics with Python's on N sets of random texts made of characters
that change length or meaning when lowered, digits of other scripts, white
space of every kind, surrogates and the words the patterns look for.

``--python`` runs the children with another interpreter and ``--c-env`` sets
variables for the C child alone, e.g. to run an ASan build of the extensions
(``PYTHONPATH`` to it, ``LD_PRELOAD`` of libasan); the parent only generates
and compares.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcxb import DEFAULT_DATA, list_pages, read_html

from winnow.options import InputKind

# How many dev pages the mutators draw from (the first ones in id order): enough
# variety of sites, small enough to hold in memory.
SOURCE_PAGES = 200
# Seconds a child may take for one batch before it counts as hung.
BATCH_TIMEOUT = 600

Mutator = Callable[[random.Random, bytes, Sequence[bytes]], bytes]


# ---------------------------------------------------------------- mutators


def _span(rng: random.Random, page: bytes) -> tuple[int, int]:
    """A random span that starts at a '<' when the page has one."""
    if not page:
        return 0, 0
    start = rng.randrange(len(page))
    lt = page.find(b"<", start)
    start = lt if lt >= 0 else start
    end = min(len(page), start + rng.choice((8, 64, 512, 4096, 32768)))
    gt = page.find(b">", end)
    end = gt + 1 if 0 <= gt < end + 2048 else end
    return start, end


def _insert(rng: random.Random, page: bytes, piece: bytes) -> bytes:
    at = rng.randrange(len(page) + 1)
    return page[:at] + piece + page[at:]


def flip_bytes(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    data = bytearray(page)
    for _flip in range(rng.choice((1, 8, 64, 512))):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    return page[: rng.randrange(len(page) + 1)]


def splice(rng: random.Random, page: bytes, pages: Sequence[bytes]) -> bytes:
    other = rng.choice(pages)
    return page[: rng.randrange(len(page) + 1)] + other[rng.randrange(len(other) + 1) :]


def duplicate_span(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    start, end = _span(rng, page)
    return page[:end] + page[start:end] * rng.choice((1, 2, 10, 100)) + page[end:]


def delete_span(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    start, end = _span(rng, page)
    return page[:start] + page[end:]


def deep_nesting(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    tag = rng.choice((b"div", b"span", b"p", b"li", b"a", b"b", b"table", b"x-y", b"svg"))
    depth = rng.choice((100, 600, 3000, 20000))
    body = b"<" + tag + b">t" if rng.random() < 0.5 else b"<" + tag + b" class=c>"
    closing = b"</" + tag + b">" if rng.random() < 0.5 else b""
    return _insert(rng, page, body * depth + b"deep text" + closing * depth)


def huge_attribute(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    name = rng.choice((b"class", b"id", b"style", b"alt", b"src", b"data-src", b"role", b"x"))
    value = rng.choice((b"a ", b"x", b"display:none;", b"\xc3\xa9", b"&amp;"))
    value *= rng.choice((1000, 70000, 400000))
    return _insert(rng, page, b"<div " + name + b'="' + value + b'">in div</div>')


SNIPPETS: tuple[bytes, ...] = (
    b"\x00",
    b"\x00\x00<p>\x00</p>",
    b"\xff\xfe\xfd",
    b"\xc3",
    b"\xed\xa0\x80\xed\xb0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf0\x9f\x98",
    b"\xe2\x80",
    b"&#xD800;&#xDFFF;&#55296;",
    b"&#0;&#x110000;&#99999999999;&#x;&#;",
    b"<?php echo '<p>'; ?>",
    b"<?xml version='1.0'?>",
    b"<template><p>in template</p><div>t2</div></template>",
    b"<template><template><a href=x>nested</a></template></template>",
    b"<svg><foreignObject><p>fo</p></foreignObject><text>svg text</text></svg>",
    b"<svg><title>t</title><desc><div>d</div></desc><a xlink:href=x>l</a>",
    b"<math><mi>x</mi><mtext><p>mt</p></mtext><annotation-xml encoding=text/html>"
    b"<div>a</div></annotation-xml></math>",
    b"<frameset><frame src=a><noframes><p>nf</p></noframes></frameset>",
    b"<noscript><p>no script</p><img src=n.png></noscript>",
    b"\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xe3\x80\x80\xc2\xa0\x0b\x0c\r",
    b"<p>a\xc2\x85b\xe2\x80\xa8c\xe3\x80\x80d</p>",
    b"<my-element foo-bar=1>custom</my-element>",
    b"<x-a><x-b><x-c>custom nest</x-c></x-b></x-a>",
    b"<svg:rect xlink:href=x xml:lang=en>prefixed</svg:rect>",
    b"<o:p>office</o:p><v:shape>v</v:shape>",
    b'<div class="a" class="b" id=x id=y role=nav role=main>dup</div>',
    b"<p hidden hidden aria-hidden=true aria-hidden=false>dup hidden</p>",
    b"&amp;&lt;&gt;&quot;&nbsp;&copy;&notin;&notit;&AElig&ampx&#x2028;&#133;",
    b"<div class='" + b"sidebar menu nav " * 300 + b"'>long class</div>",
    b"<a href=x><div><p>block in a</p></div></a>",
    b"<table><td>c<table><tr><td>n</td></tr></table></table>",
    b"<pre>\n\n  code\n<br>x</pre><listing>l</listing><xmp><p>xmp</p></xmp>",
    b"<plaintext><p>plaintext to the end",
    b"<select><option>o<p>in option</select>",
    b"<img src><img alt><img src=''><img data-src=x>",
    b"<figure><figcaption>c</figcaption><figure><img src=n></figure></figure>",
    b"</body></html><p>after html</p>",
    b"<body><body class=second>",
    b"<head><p>in head</p></head>",
    b"<!-- comment --!><!----><!--->",
    b"<![CDATA[cdata]]>",
    b"<br/><br></br><p/>",
    b"<script>document.write('<p>')</script><style>p{}</style>",
    b"<iframe srcdoc='<p>x</p>'>if</iframe>",
    b"<h1>" + "\u00e9".encode() * 5000 + b"</h1>",
    b"<p>" + b"word " * 20000 + b"</p>",
    b"<ul>" + b"<li><a href=#>l</a>" * 2000 + b"</ul>",
)


def inject_snippet(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    for _piece in range(rng.choice((1, 3, 10))):
        page = _insert(rng, page, rng.choice(SNIPPETS))
    return page


def surrogate_escapes(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    """Bytes that a str page would carry as surrogate escapes (U+DC80-U+DCFF)
    once decoded with errors='surrogateescape'; the child gets them as str."""
    return b"\x01SURR" + flip_bytes(rng, page, ())


def whitespace(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    spaces = ("\u0085", "\u2028", "\u2029", "\u3000", "\u00a0", "\u200b", "\ufeff", "\x0b")
    data = page.split(b" ")
    out = [data[0]]
    for part in data[1:]:
        out.append(rng.choice(spaces).encode() if rng.random() < 0.2 else b" ")
        out.append(part)
    return b"".join(out)


def attributes(rng: random.Random, page: bytes, _: Sequence[bytes]) -> bytes:
    """Every nth tag gains odd attributes (prefixed, duplicated, entity-laden)."""
    extra = rng.choice(
        (
            b' class="x" class="y"',
            b" xml:lang=en xlink:href=#",
            b" hidden",
            b' style="DISPLAY:NONE"',
            b' aria-hidden="true"',
            b' itemprop="articleBody" role="main"',
            b' class="&amp;&#x20;&#0;"',
            b" data-src=/a.jpg alt=&lt;&gt;",
            b' class="' + b"c" * 5000 + b'"',
        )
    )
    step = rng.choice((2, 7, 31))
    parts = page.split(b"<")
    for i in range(1, len(parts), step):
        part = parts[i]
        if part[:1].isalpha():
            cut = 0
            while cut < len(part) and (part[cut : cut + 1].isalnum() or part[cut] in b"-:"):
                cut += 1
            parts[i] = part[:cut] + extra + part[cut:]
    return b"<".join(parts)


MUTATORS: tuple[Mutator, ...] = (
    flip_bytes,
    truncate,
    splice,
    duplicate_span,
    delete_span,
    deep_nesting,
    huge_attribute,
    inject_snippet,
    surrogate_escapes,
    whitespace,
    attributes,
)

# ---------------------------------------------------------------- tag soup

SOUP_TAGS = (
    "div p span a b i em strong ul ol li dl dt dd table tr td th thead tbody caption "
    "h1 h2 h3 h4 h5 h6 pre code br img figure figcaption nav header footer aside main "
    "article section form input button select option textarea label script style "
    "noscript template svg math iframe object embed video audio source picture blockquote "
    "html body head title meta link frameset frame hr time address details summary "
    "my-widget x-y o:p svg:g listing xmp plaintext"
).split()
SOUP_ATTRS = "class id role itemprop hidden aria-hidden style src data-src alt href lang".split()
SOUP_WORDS = (
    "the news home menu share cookie copyright 2026 read more é 中文 русский العربية "
    "&amp; &nbsp; &#x2028; \u0085 \u3000 \x00 \ud800".split(" ")
)


def tag_soup(rng: random.Random) -> bytes:
    out: list[str] = []
    for _ in range(rng.choice((10, 100, 1000, 5000))):
        roll = rng.random()
        tag = rng.choice(SOUP_TAGS)
        if roll < 0.35:
            attrs = "".join(
                f" {rng.choice(SOUP_ATTRS)}='{rng.choice(SOUP_WORDS)}'"
                for _ in range(rng.randrange(3))
            )
            out.append(f"<{tag}{attrs}>")
        elif roll < 0.55:
            out.append(f"</{tag}>")
        elif roll < 0.6:
            out.append(rng.choice(("<!--", "-->", "<!doctype html>", "<?", "<", ">", "&")))
        else:
            out.append(" ".join(rng.choice(SOUP_WORDS) for _ in range(rng.randrange(1, 12))))
    return "".join(out).encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- texts

# Characters that stress the text statistics: case changes that change the
# length ('İ', 'ß', 'ŉ'), context-dependent lowering (final sigma), digits of
# other scripts, combining marks, every kind of white space, surrogates, NUL,
# and the characters the patterns and gates key on.
NASTY = (
    "aAzZ09_ .,;:!?\n\t\r\x00\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000"
    "\u0130\u0131\u00df\u0149\u01c5\u1e9e\u212a\u03a3\u03c3\u03c2\u0307\u0301"
    "\u0660\u0669\u06f5\u0966\uff10\uff19\u00b2\u2155\u3007\u4e00\u0416\u05d0"
    "\ud800\udc80\udfff\U0001f600\U0001d7ce\ufeff\u200b\u00ad"
    "\u2022\u00b7-\u2013\u2014*\u25ba\u25b8\u203a\u00bb|\u3002\uff01\uff1f\"\u201d'"
    "/()[]{}<>=#&@%$^~`+"
)
# Words the gates and patterns look for, in several cases.
TEXT_WORDS = (
    "Share Menu Home Login Cookie cookies Copyright \u00a9 Reuters AP Getty photo Photo: "
    "By by BY Posted Updated ago 2026-11-28 28.11.2026 11/28/2026 Nov November min read "
    "comments Reply Next Previous Tags Read more \u0130STANBUL \u03a3\u039f\u03a6\u0399\u0391"
).split()


def random_text(rng: random.Random) -> str:
    parts: list[str] = []
    for _part in range(rng.choice((1, 3, 10, 60, 400))):
        if rng.random() < 0.4:
            parts.append(rng.choice(TEXT_WORDS))
        else:
            parts.append("".join(rng.choice(NASTY) for _ in range(rng.randrange(1, 12))))
        parts.append(rng.choice((" ", " ", "\n", "", "\u3000", "\n ")))
    return "".join(parts)


def fuzz_texts(seed: int, n: int) -> int:
    """How many of ``n`` random texts get C text rows that differ from
    Python's (in this process: texts cannot crash a run by bytes alone)."""
    import numpy as np

    from winnow.stages import features

    if features._SCANNER is None:
        raise SystemExit("winnow._textstats is not in use here")
    rng = random.Random(f"texts:{seed}")
    differ = 0
    for i in range(n):
        texts = [random_text(rng) for _ in range(rng.choice((1, 5, 20)))]
        title = set(features._words(rng.choice(texts)[:80]))
        c = features._text_rows(texts, title, features._SCANNER)
        python = features._text_rows(texts, title, None)
        if not np.array_equal(c, python, equal_nan=True):
            differ += 1
            print(f"TEXTS DIFFER {i}: {texts!r}"[:2000], flush=True)
    return differ


# ---------------------------------------------------------------- documents


# The share of documents that are tag soup rather than mutated pages.
SOUP_SHARE = 0.25


def document(seed: int, index: int, pages: Sequence[bytes], soup: float = SOUP_SHARE) -> bytes:
    """Document ``index`` of ``seed``: a pure function of them, ``pages`` and ``soup``."""
    rng = random.Random(f"{seed}:{index}")
    if rng.random() < soup:
        return tag_soup(rng)
    page = rng.choice(pages)
    for _ in range(rng.choice((1, 1, 2, 3))):
        page = rng.choice(MUTATORS)(rng, page, pages)
    return page


def as_input(doc: bytes) -> bytes | str:
    """What the child hands to extract: bytes, or str with surrogate escapes."""
    if doc.startswith(b"\x01SURR"):
        return doc[5:].decode("utf-8", "surrogateescape")
    return doc


def pack(docs: Sequence[bytes]) -> bytes:
    return b"".join(struct.pack("<Q", len(d)) + d for d in docs)


def unpack(data: bytes) -> list[bytes]:
    docs, at = [], 0
    while at < len(data):
        (size,) = struct.unpack_from("<Q", data, at)
        docs.append(data[at + 8 : at + 8 + size])
        at += 8 + size
    return docs


# ---------------------------------------------------------------- the child


def _outcome(page: bytes | str, kind: InputKind | None) -> str:
    """A short hash of ``extract(page, input=kind).to_dict()``, or of the
    exception it raised; an exception other than ExtractionError (which
    extract() may raise) is named before the hash, to be counted."""
    import winnow
    from winnow.errors import ExtractionError

    try:
        value: object = winnow.extract(page, input=kind).to_dict()
    except Exception as error:  # noqa: BLE001 - the outcome is what is compared
        value = f"raised {type(error).__name__}: {error}"
        if not isinstance(error, ExtractionError):
            return f"E:{type(error).__name__}:{_digest(value)}"
    return _digest(value)


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _walks_agree(doc: bytes) -> bool:
    """Whether the C walk and ``blocks.segment_python`` give the same Page (or
    raise the same) on the tree extract() parses and on the undecoded bytes,
    and the C text statistics equal Python's, bit for bit, on its block texts
    and lines of the page: a stricter oracle than extract()'s output."""
    import numpy as np
    from selectolax.lexbor import LexborHTMLParser

    from winnow.options import DEFAULT
    from winnow.stages import blocks, decode, features, lexbor_walk
    from winnow.stages.parse import cap_depth, content_root, parse_html

    walk = lexbor_walk.walker()
    if walk is None or features._SCANNER is None:
        return False
    page = as_input(doc)
    html = page if isinstance(page, str) else decode.decode(page[: DEFAULT.max_bytes])
    trees = [parse_html(cap_depth(html, DEFAULT.max_depth)[0])]
    if isinstance(page, bytes):
        trees.append(LexborHTMLParser(page[: DEFAULT.max_bytes]))
    texts: list[str] = []
    for tree in trees:
        root = content_root(tree)
        ours, theirs = _attempt(walk, root), _attempt(blocks.segment_python, root)
        if ours != theirs:
            return False
        if isinstance(ours, blocks.Page):
            texts += [block.text for block in ours.blocks]
    texts += html.splitlines()[:500]
    title = set(texts[0].lower().split()) if texts else set()
    rows = features._text_rows(texts, title, features._SCANNER)
    return bool(np.array_equal(rows, features._text_rows(texts, title, None), equal_nan=True))


def _attempt(run: Callable[[Any], object], root: object) -> object:
    try:
        return run(root)
    except Exception as error:  # noqa: BLE001 - the outcome is what is compared
        return f"raised {type(error).__name__}: {error}"


def child(path: Path) -> None:
    """Extract each document of the packed file; one line of hashes a document
    (and, with WINNOW_FUZZ_DEEP=1 in the C child, "walks-differ" where
    ``_walks_agree`` does not hold)."""
    deep = os.environ.get("WINNOW_FUZZ_DEEP") == "1"
    # A marker that makes the child abort, to check the crash handling itself.
    abort_on = os.environ.get("WINNOW_FUZZ_ABORT_ON", "").encode()
    for i, doc in enumerate(unpack(path.read_bytes())):
        if abort_on and abort_on in doc:
            os.abort()
        page = as_input(doc)
        html, text = _outcome(page, None), _outcome(page, "text")
        flag = " walks-differ" if deep and not _walks_agree(doc) else ""
        sys.stdout.write(f"{i} {html} {text}{flag}\n")
        sys.stdout.flush()


# ---------------------------------------------------------------- the parent


@dataclass
class Run:
    lines: dict[int, str]
    returncode: int


# Variables set for the C child only (--c-env), e.g. LD_PRELOAD of an ASan runtime.
C_ENV: dict[str, str] = {}


def run_child(python: str, docs: Sequence[bytes], pure: bool, scratch: Path) -> Run:
    path = scratch / f"batch-{'py' if pure else 'c'}.bin"
    path.write_bytes(pack(docs))
    env = dict(os.environ)
    env.pop("WINNOW_PURE_PYTHON", None)
    if pure:
        env["WINNOW_PURE_PYTHON"] = "1"
    else:
        env.update(C_ENV)
    cmd = [python, str(Path(__file__).resolve()), "--child", str(path)]
    try:
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=BATCH_TIMEOUT, check=False
        )
        out, code = done.stdout, done.returncode
        if code != 0:
            sys.stderr.write(done.stderr[-3000:])
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        out, code = raw.decode() if isinstance(raw, bytes) else raw, -999
    lines = {}
    for line in out.splitlines():
        i, rest = line.split(" ", 1)
        lines[int(i)] = rest
    return Run(lines, code)


def culprit(python: str, docs: Sequence[bytes], pure: bool, scratch: Path) -> list[int]:
    """The smallest run of documents (by index in ``docs``) that still makes
    the child fail: the one it died on, alone, or with a bisected prefix."""
    done = run_child(python, docs, pure, scratch)
    last = len(done.lines)
    if done.returncode == 0:
        return []
    if run_child(python, docs[last : last + 1], pure, scratch).returncode != 0:
        return [last]
    prefix = list(range(last))
    while len(prefix) > 1:
        half = prefix[len(prefix) // 2 :]
        if run_child(python, [docs[i] for i in [*half, last]], pure, scratch).returncode != 0:
            prefix = half
        else:
            prefix = prefix[: len(prefix) // 2]
    return [*prefix, last]


def save(out: Path, kind: str, seed: int, index: int, doc: bytes, detail: str) -> None:
    folder = out / f"{kind}-{seed}-{index}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.bin").write_bytes(doc)
    (folder / "detail.txt").write_text(detail + "\n", encoding="utf-8")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--start", type=int, default=0, help="first document index")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("/tmp/winnow-fuzz"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the children")
    parser.add_argument("--pure-python", default=None, help="interpreter of the Python child")
    parser.add_argument(
        "--c-env", action="append", default=[], metavar="NAME=VALUE", help="for the C child only"
    )
    parser.add_argument(
        "--deep", action="store_true", help="also compare the walks and text rows in the C child"
    )
    parser.add_argument(
        "--same-order", action="store_true", help="the Python child reads the batch forwards too"
    )
    parser.add_argument(
        "--texts", type=int, default=0, help="compare the text rows of this many random text sets"
    )
    parser.add_argument(
        "--soup", type=float, default=SOUP_SHARE, help="the share of tag soup (0.25)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_mode(
    args: argparse.Namespace, first: int, docs: list[bytes], pure: bool, tally: dict[str, int]
) -> dict[int, str]:
    """Each document's line from one mode's children, by index in ``docs``.
    The Python child reads the batch backwards (unless ``--same-order``), so
    that state carried from one document to the next shows as a mismatch too.
    A child that dies is followed by one on the documents after the one it
    died on."""
    scratch = args.out / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    python = (args.pure_python or args.python) if pure else args.python
    mode = "python" if pure else "c"
    order = list(range(len(docs)))
    if pure and not args.same_order:
        order.reverse()
    seq = [docs[k] for k in order]
    lines: dict[int, str] = {}
    at = 0
    while at < len(seq):
        done = run_child(python, seq[at:], pure, scratch)
        lines.update({order[at + i]: line for i, line in done.lines.items()})
        if done.returncode == 0:
            break
        tally["crashes"] += 1
        bad = [order[at + i] for i in culprit(python, seq[at:], pure, scratch)]
        detail = f"mode {mode}, exit {done.returncode}, with documents {bad}"
        print(f"CRASH {detail} of batch {first}", flush=True)
        for i in bad:
            save(args.out, f"crash-{mode}", args.seed, first + i, docs[i], detail)
        at += len(done.lines) + 1  # go on after the document it died on
    return lines


def check_batch(
    args: argparse.Namespace, first: int, docs: list[bytes], tally: dict[str, int]
) -> None:
    lines = {pure: run_mode(args, first, docs, pure, tally) for pure in (False, True)}
    c, py = lines[False], lines[True]
    for i, line in list(c.items()):
        if line.endswith(" walks-differ"):
            c[i] = line.removesuffix(" walks-differ")
            tally["walks_differ"] += 1
            print(f"WALKS DIFFER document {first + i}", flush=True)
            save(args.out, "walks", args.seed, first + i, docs[i], "walks differ")
    for i in sorted(set(c) | set(py)):
        if "E:" in c.get(i, "") + py.get(i, ""):
            tally["exceptions"] += 1
            detail = f"C {c.get(i)} / Python {py.get(i)} (html text)"
            print(f"EXCEPTION document {first + i}: {detail}", flush=True)
            save(args.out, "exception", args.seed, first + i, docs[i], detail)
    for i in sorted(set(c) & set(py)):
        tally["compared"] += 1
        if c[i] != py[i]:
            tally["mismatches"] += 1
            detail = f"C {c[i]} / Python {py[i]} (html text)"
            print(f"MISMATCH document {first + i}: {detail}", flush=True)
            save(args.out, "mismatch", args.seed, first + i, docs[i], detail)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child is not None:
        child(args.child)
        return
    if args.texts:
        differ = fuzz_texts(args.seed, args.texts)
        print(json.dumps({"seed": args.seed, "text_sets": args.texts, "differ": differ}))
        return
    C_ENV.update(item.split("=", 1) for item in args.c_env)
    if args.deep:
        C_ENV["WINNOW_FUZZ_DEEP"] = "1"
    pages = [read_html(args.data, p.id) for p in list_pages(args.data, limit=SOURCE_PAGES)]
    tally = {
        "documents": 0,
        "compared": 0,
        "crashes": 0,
        "mismatches": 0,
        "exceptions": 0,
        "walks_differ": 0,
    }
    started = time.monotonic()
    end = args.start + args.docs
    for first in range(args.start, end, args.batch):
        indices = range(first, min(first + args.batch, end))
        docs = [document(args.seed, i, pages, args.soup) for i in indices]
        check_batch(args, first, docs, tally)
        tally["documents"] += len(docs)
        rate = tally["documents"] / (time.monotonic() - started)
        print(f"{tally} ({rate:.1f} documents/s)", flush=True)
    print(json.dumps({"seed": args.seed, "start": args.start, **tally}))


if __name__ == "__main__":
    main()
