"""Block features: what the classifier sees about each block.

All features are page-relative or scale-free (shares, densities, logs), so
that one model serves short and long pages. Nothing here names a site.
``compute`` measures the columns ``MEASURED_NAMES``; the model adds the
columns of its lexicon (``with_lexicon``), a linear model over each block's
hashed words learned with the trees, to make ``FEATURE_NAMES``. The shipped
model records the names it was trained with and refuses to load against a
different list.

The statistics of each block's own text (``_text_rows``) are counted by the C
extension ``winnow._textstats`` (built by ``pip install`` where a C compiler
is found) or, without it, by ``_text_scalars`` in Python: the same matrix, bit
for bit. ``WINNOW_PURE_PYTHON=1`` in the environment leaves the extension
unused.
"""

from __future__ import annotations

import math
import re
from operator import attrgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from winnow import patterns as P
from winnow.compiled import pure_python
from winnow.stages import lexicon as L
from winnow.stages.blocks import CATEGORIES, Page
from winnow.stages.textmode import features as text_features

if TYPE_CHECKING:
    from winnow import _textstats

_TAGS = (
    "p",
    "div",
    "li",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "dd",
    "dt",
    "blockquote",
    "figcaption",
    "span",
    "section",
    "article",
    "header",
    "footer",
    "caption",
    "summary",
    "label",
    "a",
)
_TAG_INDEX = {t: i for i, t in enumerate(_TAGS)}
_LEVELS = 4  # container levels summarised: the block's element and 3 ancestors
_SECTION_TAGS = frozenset(("div", "section", "article", "main"))

_SCALARS = (
    "log_chars", "log_words", "link_density", "punct_per_word", "sentences", "ends_sentence",
    "avg_word_len", "capital_ratio", "digit_ratio", "ui_text", "boilerplate_text",
    "credit_text", "date_text", "byline_text", "repeats", "title_overlap", "is_title",
    "position", "char_position", "depth_rel", "heading_level", "lines", "starts_bullet",
    "in_best", "best_share", "after_h1", "dist_h1", "code_symbols", "indented_lines",
)  # fmt: skip
_CONTAINERS = tuple(
    f"c{lvl}_{name}"
    for lvl in range(_LEVELS)
    for name in ("share", "link_density", "log_blocks", "p_share", "sibling_share")
)
_NEIGHBOURS = tuple(
    f"n{off:+d}_{name}"
    for off in (-2, -1, 1, 2)
    for name in ("log_words", "link_density", "same_parent")
)
_PAGE = ("page_log_chars", "page_log_blocks", "page_p_share", "page_link_density")

MEASURED_NAMES: tuple[str, ...] = (
    _SCALARS
    + tuple(f"tag_{t}" for t in _TAGS)
    + tuple(f"chain_{c}" for c in CATEGORIES)
    + tuple(f"near_{c}" for c in CATEGORIES)
    + tuple(f"body_{c}" for c in CATEGORIES)
    + _CONTAINERS
    + _NEIGHBOURS
    + _PAGE
    + tuple(P.PAGE_HINTS)
)
# What the model reads: the measured columns, then its lexicon's (``with_lexicon``).
FEATURE_NAMES: tuple[str, ...] = MEASURED_NAMES + L.COLUMNS


def _words(text: str) -> list[str]:
    return P.WORD.findall(text.lower())


# Text statistics read this far into a block: enough to characterise it,
# and a 1 MB text node costs no more than a long paragraph.
_TEXT_SCAN = 2000


def _any_of(substrings: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern found in a string exactly when one of ``substrings`` is in it.

    One regex scan is faster than a Python loop of ``in`` tests (1.2 against
    1.7 us per dev block for the 23 boilerplate triggers).
    """
    return re.compile("|".join(map(re.escape, substrings)))


_BOILERPLATE_TRIGGER = _any_of(P.BOILERPLATE_TRIGGERS)
_CREDIT_TRIGGER = _any_of(P.CREDIT_TRIGGERS)


def _boilerplate(short: str) -> bool:
    """BOILERPLATE_TEXT.search, skipped when no trigger substring is there."""
    if _BOILERPLATE_TRIGGER.search(short) is None:
        return False
    return P.BOILERPLATE_TEXT.search(short) is not None


def _credit(head: str, lowered: str, words: list[str]) -> bool:
    """CREDIT_TEXT.search, skipped when no trigger substring or agency is there."""
    if _CREDIT_TRIGGER.search(lowered) is None and P.CREDIT_AGENCIES.isdisjoint(words):
        return False
    return P.CREDIT_TEXT.search(head) is not None


def _text_scalars(text: str) -> tuple[list[float], list[str]]:
    """What a block's own text says, whatever its place in the page.

    Also the words of its first ``_TEXT_SCAN`` characters: ``_words(text)``
    for texts no longer than that, which the title overlap needs again.
    ``winnow._textstats`` computes the same row in C (``_text_rows``).
    """
    head = text[:_TEXT_SCAN]
    lowered = head.lower()
    words = P.WORD.findall(lowered)
    n_words = len(words)
    n_chars = len(text)
    short = " ".join(lowered[:_SHORT].split())
    digits = len(P.DIGIT.findall(head))
    return [
        math.log1p(n_chars),
        math.log1p(len(P.WORD.findall(text.lower())) if n_chars > _TEXT_SCAN else n_words),
        len(P.PUNCT.findall(head)) / max(n_words, 1),
        math.log1p(len(P.SENTENCE_END.findall(head))),
        1.0 if text.rstrip()[-1:] in _ENDS_SENTENCE else 0.0,
        (sum(map(len, words)) / n_words) if n_words else 0.0,
        len(P.CAPITALISED.findall(head)) / max(n_words, 1),
        digits / max(len(head), 1),
        1.0 if n_chars < _UI_BELOW and P.UI_TEXT.match(short) else 0.0,
        1.0 if _boilerplate(short) else 0.0,
        1.0 if n_chars < _CREDIT_BELOW and _credit(head, lowered, words) else 0.0,
        1.0 if n_chars < _DATE_BELOW and digits and P.DATE_TEXT.search(short) else 0.0,
        1.0 if n_chars < _BYLINE_BELOW and P.BYLINE_TEXT.match(head) else 0.0,
        math.log1p(text.count("\n")),
        1.0 if text[:1] in _BULLETS else 0.0,
        len(P.CODE_SYMBOL.findall(head)) / max(len(head), 1),
        head.count("\n ") / max(head.count("\n"), 1),
    ], words


# Blocks longer than this are not compared with the title (no headline is).
_TITLE_SCAN = 400
# The whitespace-folded start of a block that the UI, boilerplate and date
# patterns read.
_SHORT = 400
# Blocks of at least this many characters are not read by UI_TEXT, CREDIT_TEXT,
# DATE_TEXT and BYLINE_TEXT (no button label, credit, date line or byline is
# that long).
_UI_BELOW = 40
_CREDIT_BELOW = 300
_DATE_BELOW = 200
_BYLINE_BELOW = 100
# A block that ends with one of these (or with nothing) ends a sentence; one
# that starts with one of these (or is empty) starts like a list item.
_ENDS_SENTENCE = ".!?。！？:;\"”'"
_BULLETS = "•·-–—*►▸›»|"
# The columns of _text_rows (_text_scalars' 17 and the title overlap), and
# where the pattern columns sit.
_TEXT_WIDTH = 18
_UI, _BOILERPLATE, _CREDIT, _DATE, _BYLINE = range(8, 13)


def _scanner_arguments() -> dict[str, Any]:
    """What ``winnow._textstats.Scanner`` is built with: the bounds and the
    vocabularies ``_text_scalars`` reads, so that C counts what Python does."""
    return {
        "scan": _TEXT_SCAN,
        "short": _SHORT,
        "title_below": _TITLE_SCAN,
        "ui_below": _UI_BELOW,
        "credit_below": _CREDIT_BELOW,
        "date_below": _DATE_BELOW,
        "byline_below": _BYLINE_BELOW,
        "punct": P.PUNCTUATION,
        "sentence_end": P.SENTENCE_ENDS,
        "code": P.CODE_SYMBOLS,
        "enders": _ENDS_SENTENCE,
        "bullets": _BULLETS,
        "ui_tail": P.UI_TAIL,
        "boilerplate_triggers": P.BOILERPLATE_TRIGGERS,
        "credit_triggers": P.CREDIT_TRIGGERS,
        "credit_agencies": tuple(sorted(P.CREDIT_AGENCIES)),
        "ui_words": P.UI_WORDS,
        "byline_words": P.BYLINE_WORDS,
        "date_separators": P.DATE_SEPARATORS,
        "date_words": P.DATE_WORDS,
        "date_digits": P.DATE_DIGITS,
    }


def _scanner() -> _textstats.Scanner | None:
    """The C text statistics, unless not built, ``WINNOW_PURE_PYTHON`` is set,
    or they disagree with ``_text_scalars`` on ``_SAMPLE``."""
    if pure_python():
        return None
    try:
        from winnow._textstats import Scanner
    except ImportError:  # installed without a C compiler: _text_scalars
        return None
    scanner = Scanner(**_scanner_arguments())
    title = set(_words(_SAMPLE_TITLE))
    compiled, python = _text_rows(_SAMPLE, title, scanner), _text_rows(_SAMPLE, title, None)
    return scanner if compiled.tobytes() == python.tobytes() else None


# Read both ways at import: every column, pattern and gate has a text here
# that sets it, in several scripts and at the length bounds.
_SAMPLE_TITLE = "Ein Titel: the Title of a Story"
_SAMPLE = [
    "",
    "  \n ",
    "Share »",
    "skip to main content",
    "By Jane Doe",
    "  von Ernst Müller",
    "© 2026 Reuters. All rights reserved.",
    "Photo: AP / Jane Doe",
    "Sign up for our newsletter",
    "Updated 3 hours ago",
    "Published 12.03.2026",
    "• The title of a story, again!",
    "def f(x):\n    return {x: [x * 2]}\n \n",
    "İstanbul'da Ünlü Şehir. Ein Titel? Ja!  ",
    "我能吞下玻璃而不伤身体。这是一个句子！",
    "Цифры ٣٤٥ и ४५६, Ⅻ and ² too_",
    "x" * (_TEXT_SCAN - 1) + " A.",
    ("Word " * 500) + "end.\n",
]


def _text_rows(
    texts: list[str], title_words: set[str], scanner: _textstats.Scanner | None
) -> np.ndarray:
    """``_text_scalars`` of each text, then its title overlap: the share of
    ``title_words`` among its words (0 for texts of ``_TITLE_SCAN`` characters
    or more: no headline is that long). A float64 matrix, a row per text.

    With ``scanner``, C counts, and Python runs only the patterns C could not
    rule out, on the texts it names.
    """
    if scanner is None:
        python_rows = []
        for text in texts:
            row, words = _text_scalars(text)
            share = 0.0
            if title_words and len(text) < _TITLE_SCAN:  # so < _TEXT_SCAN: all its words
                share = len(title_words.intersection(words)) / len(title_words)
            python_rows.append([*row, share])
        return np.array(python_rows, dtype=np.float64).reshape(len(texts), _TEXT_WIDTH)
    rows = np.zeros((len(texts), _TEXT_WIDTH))
    for i, gates, short in scanner.rows(texts, rows, tuple(title_words)):
        # Gate bit k stands for column _UI + k.
        if gates & 1 and P.UI_TEXT.match(short):
            rows[i, _UI] = 1.0
        if gates & 2 and P.BOILERPLATE_TEXT.search(short):
            rows[i, _BOILERPLATE] = 1.0
        if gates & 4 and P.CREDIT_TEXT.search(texts[i][:_TEXT_SCAN]):
            rows[i, _CREDIT] = 1.0
        if gates & 8 and P.DATE_TEXT.search(short):
            rows[i, _DATE] = 1.0
        if gates & 16 and P.BYLINE_TEXT.match(texts[i][:_TEXT_SCAN]):
            rows[i, _BYLINE] = 1.0
    return rows


_SCANNER = _scanner()
# Whether the text statistics of this process are counted by the C extension.
COMPILED = _SCANNER is not None


def best_container(page: Page, lengths: np.ndarray | None = None) -> int:
    """Readability's idea: the container whose paragraphs hold the most text.

    Each block with real sentences credits its parent fully and its
    grandparent by half; link-heavy text credits little. ``lengths``: the
    blocks' text lengths, if known.
    """
    nodes, blocks = page.nodes, page.blocks
    if lengths is None:
        lengths = np.fromiter((len(b.text) for b in blocks), np.int64, len(blocks))
    score: dict[int, float] = {}
    for i in np.flatnonzero(lengths >= _MIN_SENTENCE_CHARS).tolist():
        block = blocks[i]
        n = len(block.text)
        weight = n * (1.0 - min(1.0, block.link_chars / n)) ** 2
        own = nodes[block.node]
        parent = block.node if own.tag in _SECTION_TAGS else own.parent
        if parent < 0:
            continue
        score[parent] = score.get(parent, 0.0) + weight
        grand = nodes[parent].parent
        if grand >= 0:
            score[grand] = score.get(grand, 0.0) + weight / 2
    if not score:
        return -1
    return max(score, key=lambda k: (score[k], -k))


# Blocks shorter than this are not sentences and do not vote for a container.
_MIN_SENTENCE_CHARS = 25


def _ints(items: list[Any], name: str, extra: int = 0) -> np.ndarray:
    """The int attribute ``name`` of each item, and ``extra`` zeros after them."""
    out = np.zeros(len(items) + extra, dtype=np.int64)
    out[: len(items)] = np.fromiter(map(attrgetter(name), items), np.int64, len(items))
    return out


def _node_arrays(page: Page) -> dict[str, np.ndarray]:
    """Per-container columns, with a sentinel row at the end for "no node"."""
    nodes = page.nodes
    m = len(nodes)
    parent = _ints(nodes, "parent", 1)
    parent[parent < 0] = m
    parent[m] = m
    return {
        "parent": parent,
        "chars": _ints(nodes, "chars", 1).astype(np.float64),
        "link": _ints(nodes, "link_chars", 1).astype(np.float64),
        "blocks": _ints(nodes, "blocks", 1).astype(np.float64),
        "p_chars": _ints(nodes, "p_chars", 1).astype(np.float64),
        "own": _ints(nodes, "own", 1),
        "depth": _ints(nodes, "depth", 1).astype(np.float64),
    }


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.divide(a, b, out=np.zeros_like(a), where=b > 0)
    return out


def _container_columns(
    arr: dict[str, np.ndarray], block_node: np.ndarray, total: float, out: np.ndarray
) -> None:
    """Share, link density, size and paragraph share of 4 levels of containers."""
    idx = block_node
    parent = arr["parent"]
    for level in range(_LEVELS):
        chars = arr["chars"][idx]
        up_chars = arr["chars"][parent[idx]]
        up_chars = np.where(parent[idx] == len(parent) - 1, chars, up_chars)
        k = 5 * level
        out[:, k] = chars / total
        out[:, k + 1] = _ratio(arr["link"][idx], chars)
        out[:, k + 2] = np.log1p(arr["blocks"][idx])
        out[:, k + 3] = _ratio(arr["p_chars"][idx], chars)
        out[:, k + 4] = _ratio(chars, up_chars)
        idx = parent[idx]


def _inside(arr: dict[str, np.ndarray], target: int) -> np.ndarray:
    """For every node: is it ``target`` or below it? (Parents precede children.)"""
    parent = arr["parent"].tolist()
    m = len(parent) - 1
    inside = [False] * (m + 1)
    if target >= 0:
        inside[target] = True
        for j in range(target + 1, m):
            inside[j] = parent[j] < m and inside[parent[j]]
    return np.array(inside)


def page_hint(url: str | None, types: list[str]) -> str:
    """The string ``patterns.PAGE_HINTS`` read: the URL's path, then the page's types."""
    path = urlsplit(url).path.lower() if url else ""
    return " ".join([path or "/", *types])


def compute(page: Page, title: str, hint: str = "") -> np.ndarray:
    """Return the feature matrix, one row per block of ``page``.

    ``hint`` is ``page_hint(url, metadata types)``: what the URL and the
    structured data say the page is. The columns are computed in float64 and
    written into the float32 matrix (the cast of ``astype``).
    """
    blocks, nodes = page.blocks, page.nodes
    n = len(blocks)
    X = np.zeros((n, len(MEASURED_NAMES)), dtype=np.float32)
    if n == 0:
        return X
    texts = [b.text for b in blocks]
    first: dict[str, int] = {}  # each distinct text: its row in `distinct`
    of_block = [first.setdefault(text, len(first)) for text in texts]
    distinct = list(first)
    title_words = set(_words(title)) if title else set()
    text_cols = _text_rows(distinct, title_words, _SCANNER)[of_block]
    repeats = np.bincount(of_block)[of_block] - 1
    lengths = np.fromiter(map(len, texts), np.int64, n).astype(np.float64)
    link_chars = _ints(blocks, "link_chars").astype(np.float64)
    block_node = _ints(blocks, "node")
    total = max(1.0, float(lengths.sum()))
    arr = _node_arrays(page)
    best = best_container(page, lengths)
    tag_of = [nodes[b.node].tag for b in blocks]
    h1 = tag_of.index("h1") if "h1" in tag_of else -1
    position = np.arange(n) / n
    overlap = text_cols[:, -1]
    word_count = np.expm1(text_cols[:, 1])
    scalars = np.column_stack([
        text_cols[:, 0], text_cols[:, 1],
        np.minimum(1.0, _ratio(link_chars, lengths)),
        text_cols[:, 2:13],
        np.log1p(repeats),
        overlap,
        (overlap > 0.8) & (word_count <= len(title_words) + 3),
        position,
        (np.cumsum(lengths) - lengths) / total,
        arr["depth"][block_node] / max(1.0, float(arr["depth"][block_node].max())),
        [float(t[1]) if t in P.HEADING_TAGS else 0.0 for t in tag_of],
        text_cols[:, 13:15],
        _inside(arr, best)[block_node],
        np.full(n, arr["chars"][best] / total if best >= 0 else 0.0),
        position >= (h1 / n) if h1 >= 0 else np.zeros(n),
        position - h1 / n if h1 >= 0 else np.zeros(n),
        text_cols[:, 15:17],
    ])  # fmt: skip
    X[:, : _AT["tags"]] = scalars
    tag_index = np.fromiter((_TAG_INDEX.get(tag, -1) for tag in tag_of), np.int64, n)
    tagged = np.flatnonzero(tag_index >= 0)
    X[tagged, _AT["tags"] + tag_index[tagged]] = 1.0
    shifts = np.arange(len(CATEGORIES), dtype=np.int64)
    own, parent = arr["own"], arr["parent"]
    near = own[block_node] | own[parent[block_node]] | own[parent[parent[block_node]]]
    X[:, _AT["chain"] : _AT["near"]] = (_ints(blocks, "chain")[:, None] >> shifts) & 1
    X[:, _AT["near"] : _AT["body"]] = (near[:, None] >> shifts) & 1
    X[:, _AT["body"] : _AT["containers"]] = (page.body_bits >> shifts) & 1
    _container_columns(arr, block_node, total, X[:, _AT["containers"] : _AT["neighbours"]])
    _neighbour_columns(scalars, parent[block_node], X[:, _AT["neighbours"] : _AT["page"]])
    root = nodes[0] if nodes else None
    X[:, _AT["page"] : _AT["hints"]] = [
        math.log1p(total),
        math.log1p(n),
        root.p_chars / total if root else 0.0,
        root.link_chars / total if root else 0.0,
    ]
    X[:, _AT["hints"] :] = [1.0 if rx.search(hint) else 0.0 for rx in P.PAGE_HINT_PATTERNS.values()]
    return X


# Where each group of columns starts in MEASURED_NAMES.
_AT = {
    "tags": MEASURED_NAMES.index(f"tag_{_TAGS[0]}"),
    "chain": MEASURED_NAMES.index(f"chain_{CATEGORIES[0]}"),
    "near": MEASURED_NAMES.index(f"near_{CATEGORIES[0]}"),
    "body": MEASURED_NAMES.index(f"body_{CATEGORIES[0]}"),
    "containers": MEASURED_NAMES.index(_CONTAINERS[0]),
    "neighbours": MEASURED_NAMES.index(_NEIGHBOURS[0]),
    "page": MEASURED_NAMES.index(_PAGE[0]),
    "hints": MEASURED_NAMES.index(next(iter(P.PAGE_HINTS))),
}


def _neighbour_columns(scalars: np.ndarray, parents: np.ndarray, out: np.ndarray) -> None:
    """Log words, link density and same parent of the blocks 2 and 1 before and after."""
    n = scalars.shape[0]
    k = 0
    for off in (-2, -1, 1, 2):
        here = slice(max(0, -off), max(0, min(n, n - off)))  # blocks with that neighbour
        there = slice(max(0, off), max(0, min(n, n + off)))
        out[here, k] = scalars[there, 1]
        out[here, k + 1] = scalars[there, 2]
        out[here, k + 2] = parents[there] == parents[here]
        k += 3


def places(X: np.ndarray) -> np.ndarray:
    """Where each block stands, for the lexicon's place-tagged words: 0 to 3, from
    being inside the page's best container (``in_best``) and after its ``<h1>``.

    "Share" inside an article's container and "Share" after it in a page
    footer can then weigh differently. In a first cross-validated trial on
    WCXB dev (scikit-learn's hashing, mean of three seeds, no lexicon 0.8708):
    words and pairs alone 0.8731, with these places 0.8736, with the block's
    tag as well 0.8727.
    """
    inside = X[:, _IN_BEST] > 0.5
    after = X[:, _AFTER_H1] > 0.5
    return inside.astype(np.int64) + 2 * after.astype(np.int64)


def terms(page: Page, X: np.ndarray) -> L.Terms:
    """The lexicon's terms of each block of ``page`` (``X`` its measured rows)."""
    return text_features.block_terms([block.text for block in page.blocks], places(X))


def with_lexicon(X: np.ndarray, terms: L.Terms, lexicon: L.Lexicon) -> np.ndarray:
    """``X`` (``MEASURED_NAMES``) with the lexicon's columns added: ``FEATURE_NAMES``."""
    return np.hstack([X, L.columns(lexicon.score(terms)).astype(np.float32)])


_IN_BEST = MEASURED_NAMES.index("in_best")
_AFTER_H1 = MEASURED_NAMES.index("after_h1")
