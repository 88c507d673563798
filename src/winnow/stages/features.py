"""Block features: what the classifier sees about each block.

All features are page-relative or scale-free (shares, densities, logs), so
that one model serves short and long pages. Nothing here names a site.
The column order is ``FEATURE_NAMES``; the shipped model records the names it
was trained with and refuses to load against a different list.
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

import numpy as np

from winnow import patterns as P
from winnow.stages.blocks import CATEGORIES, Page

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

FEATURE_NAMES: tuple[str, ...] = (
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


def _words(text: str) -> list[str]:
    return P.WORD.findall(text.lower())


# Text statistics read this far into a block: enough to characterise it,
# and a 1 MB text node costs no more than a long paragraph.
_TEXT_SCAN = 2000


def _boilerplate(short: str) -> bool:
    """BOILERPLATE_TEXT.search, skipped when no trigger substring is there."""
    if not any(k in short for k in P.BOILERPLATE_TRIGGERS):
        return False
    return P.BOILERPLATE_TEXT.search(short) is not None


def _credit(head: str, lowered: str, words: list[str]) -> bool:
    """CREDIT_TEXT.search, skipped when no trigger substring or agency is there."""
    if not any(k in lowered for k in P.CREDIT_TRIGGERS) and P.CREDIT_AGENCIES.isdisjoint(words):
        return False
    return P.CREDIT_TEXT.search(head) is not None


def _text_scalars(text: str) -> list[float]:
    """What a block's own text says, whatever its place in the page."""
    head = text[:_TEXT_SCAN]
    lowered = head.lower()
    words = P.WORD.findall(lowered)
    n_words = len(words)
    n_chars = len(text)
    short = " ".join(lowered[:400].split())
    digits = len(P.DIGIT.findall(head))
    return [
        math.log1p(n_chars),
        math.log1p(len(P.WORD.findall(text.lower())) if n_chars > _TEXT_SCAN else n_words),
        len(P.PUNCT.findall(head)) / max(n_words, 1),
        math.log1p(len(P.SENTENCE_END.findall(head))),
        1.0 if text.rstrip()[-1:] in ".!?。！？:;\"”'" else 0.0,
        (sum(map(len, words)) / n_words) if n_words else 0.0,
        len(P.CAPITALISED.findall(head)) / max(n_words, 1),
        digits / max(len(head), 1),
        1.0 if n_chars < 40 and P.UI_TEXT.match(short) else 0.0,
        1.0 if _boilerplate(short) else 0.0,
        1.0 if n_chars < 300 and _credit(head, lowered, words) else 0.0,
        1.0 if n_chars < 200 and digits and P.DATE_TEXT.search(short) else 0.0,
        1.0 if n_chars < 100 and P.BYLINE_TEXT.match(head) else 0.0,
        math.log1p(text.count("\n")),
        1.0 if text[:1] in "•·-–—*►▸›»|" else 0.0,
        len(P.CODE_SYMBOL.findall(head)) / max(len(head), 1),
        head.count("\n ") / max(head.count("\n"), 1),
    ]


_TEXT_COLUMNS = (
    "log_chars", "log_words", "punct_per_word", "sentences", "ends_sentence", "avg_word_len",
    "capital_ratio", "digit_ratio", "ui_text", "boilerplate_text", "credit_text", "date_text",
    "byline_text", "lines", "starts_bullet",
)  # fmt: skip


def best_container(page: Page) -> int:
    """Readability's idea: the container whose paragraphs hold the most text.

    Each block with real sentences credits its parent fully and its
    grandparent by half; link-heavy text credits little.
    """
    nodes = page.nodes
    score: dict[int, float] = {}
    for block in page.blocks:
        n = len(block.text)
        if n < _MIN_SENTENCE_CHARS:
            continue
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


def _node_arrays(page: Page) -> dict[str, np.ndarray]:
    """Per-container columns, with a sentinel row at the end for "no node"."""
    nodes = page.nodes
    m = len(nodes)
    parent = np.fromiter((nd.parent if nd.parent >= 0 else m for nd in nodes), np.int64, m)
    return {
        "parent": np.append(parent, m),
        "chars": np.append(np.fromiter((nd.chars for nd in nodes), np.float64, m), 0.0),
        "link": np.append(np.fromiter((nd.link_chars for nd in nodes), np.float64, m), 0.0),
        "blocks": np.append(np.fromiter((nd.blocks for nd in nodes), np.float64, m), 0.0),
        "p_chars": np.append(np.fromiter((nd.p_chars for nd in nodes), np.float64, m), 0.0),
        "own": np.append(np.fromiter((nd.own for nd in nodes), np.int64, m), 0),
        "depth": np.append(np.fromiter((nd.depth for nd in nodes), np.float64, m), 0.0),
    }


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.divide(a, b, out=np.zeros_like(a), where=b > 0)
    return out


def _container_columns(
    arr: dict[str, np.ndarray], block_node: np.ndarray, total: float
) -> np.ndarray:
    """Share, link density, size and paragraph share of 4 levels of containers."""
    cols = []
    idx = block_node
    parent = arr["parent"]
    for _ in range(_LEVELS):
        chars = arr["chars"][idx]
        up_chars = arr["chars"][parent[idx]]
        up_chars = np.where(parent[idx] == len(parent) - 1, chars, up_chars)
        cols += [
            chars / total,
            _ratio(arr["link"][idx], chars),
            np.log1p(arr["blocks"][idx]),
            _ratio(arr["p_chars"][idx], chars),
            _ratio(chars, up_chars),
        ]
        idx = parent[idx]
    return np.stack(cols, axis=1)


def _inside(arr: dict[str, np.ndarray], target: int) -> np.ndarray:
    """For every node: is it ``target`` or below it? (Parents precede children.)"""
    parent = arr["parent"]
    m = len(parent) - 1
    inside = np.zeros(m + 1, dtype=bool)
    if target < 0:
        return inside
    for j in range(target, m):
        inside[j] = j == target or (parent[j] < m and inside[parent[j]])
    return inside


def page_hint(url: str | None, types: list[str]) -> str:
    """The string ``patterns.PAGE_HINTS`` read: the URL's path, then the page's types."""
    path = urlsplit(url).path.lower() if url else ""
    return " ".join([path or "/", *types])


def compute(page: Page, title: str, hint: str = "") -> np.ndarray:
    """Return the feature matrix, one row per block of ``page``.

    ``hint`` is ``page_hint(url, metadata types)``: what the URL and the
    structured data say the page is.
    """
    blocks, nodes = page.blocks, page.nodes
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    texts = [b.text for b in blocks]
    memo: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
        if text not in memo:
            memo[text] = _text_scalars(text)
    text_cols = np.asarray([memo[t] for t in texts], dtype=np.float64)
    lengths = np.fromiter((len(t) for t in texts), np.float64, n)
    link_chars = np.fromiter((b.link_chars for b in blocks), np.float64, n)
    block_node = np.fromiter((b.node for b in blocks), np.int64, n)
    total = max(1.0, float(lengths.sum()))
    arr = _node_arrays(page)
    best = best_container(page)
    tag_of = [nodes[b.node].tag for b in blocks]
    h1 = next((i for i, tag in enumerate(tag_of) if tag == "h1"), -1)
    position = np.arange(n) / n
    title_words = set(_words(title)) if title else set()
    overlap = np.zeros(n)
    if title_words:
        for i, text in enumerate(texts):
            if len(text) < _TITLE_SCAN:
                overlap[i] = len(title_words & set(_words(text))) / len(title_words)
    word_count = np.expm1(text_cols[:, 1])
    scalars = np.column_stack([
        text_cols[:, 0], text_cols[:, 1],
        np.minimum(1.0, _ratio(link_chars, lengths)),
        text_cols[:, 2:13],
        np.log1p(np.fromiter((counts[t] - 1 for t in texts), np.float64, n)),
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
    tags = np.zeros((n, len(_TAGS)))
    for i, tag in enumerate(tag_of):
        k = _TAG_INDEX.get(tag)
        if k is not None:
            tags[i, k] = 1.0
    shifts = np.arange(len(CATEGORIES), dtype=np.int64)
    chain = np.fromiter((b.chain for b in blocks), np.int64, n)
    own, parent = arr["own"], arr["parent"]
    near = own[block_node] | own[parent[block_node]] | own[parent[parent[block_node]]]
    body = np.broadcast_to((page.body_bits >> shifts) & 1, (n, len(CATEGORIES)))
    root = nodes[0] if nodes else None
    page_row = [
        math.log1p(total),
        math.log1p(n),
        root.p_chars / total if root else 0.0,
        root.link_chars / total if root else 0.0,
    ]
    return np.hstack([
        scalars, tags, (chain[:, None] >> shifts) & 1, (near[:, None] >> shifts) & 1, body,
        _container_columns(arr, block_node, total),
        _neighbour_matrix(scalars, parent[block_node]),
        np.broadcast_to(page_row, (n, len(_PAGE))),
        np.broadcast_to(
            [1.0 if rx.search(hint) else 0.0 for rx in P.PAGE_HINT_PATTERNS.values()],
            (n, len(P.PAGE_HINTS)),
        ),
    ]).astype(np.float32)  # fmt: skip


# Blocks longer than this are not compared with the title (no headline is).
_TITLE_SCAN = 400


def _neighbour_matrix(scalars: np.ndarray, parents: np.ndarray) -> np.ndarray:
    n = scalars.shape[0]
    cols = []
    for off in (-2, -1, 1, 2):
        idx = np.arange(n) + off
        valid = (idx >= 0) & (idx < n)
        safe = np.clip(idx, 0, n - 1)
        cols.append(np.where(valid, scalars[safe, 1], 0.0))
        cols.append(np.where(valid, scalars[safe, 2], 0.0))
        cols.append(np.where(valid & (parents[safe] == parents), 1.0, 0.0))
    return np.stack(cols, axis=1)
