"""Block features: what the classifier sees about each block.

All features are page-relative or scale-free (shares, densities, logs), so
that one model serves short and long pages. Nothing here names a site.
The column order is ``FEATURE_NAMES``; the shipped model records the names it
was trained with and refuses to load against a different list.
"""

from __future__ import annotations

import math

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
    "log_chars",
    "log_words",
    "link_density",
    "punct_per_word",
    "sentences",
    "ends_sentence",
    "avg_word_len",
    "capital_ratio",
    "digit_ratio",
    "ui_text",
    "boilerplate_text",
    "credit_text",
    "date_text",
    "byline_text",
    "repeats",
    "title_overlap",
    "is_title",
    "position",
    "char_position",
    "depth_rel",
    "heading_level",
    "lines",
    "starts_bullet",
    "in_best",
    "best_share",
    "after_h1",
    "dist_h1",
)
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
)


def _words(text: str) -> list[str]:
    return P.WORD.findall(text.lower())


def _text_scalars(text: str, link_chars: int) -> list[float]:
    words = _words(text)
    n_words = len(words)
    n_chars = len(text)
    lowered = P.WHITESPACE.sub(" ", text[:400].lower())
    tokens = text.split()
    capitals = sum(1 for t in tokens[:200] if t[:1].isupper())
    digits = sum(1 for c in text[:400] if c.isdigit())
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        min(1.0, link_chars / n_chars) if n_chars else 0.0,
        len(P.PUNCT.findall(text[:2000])) / max(n_words, 1),
        math.log1p(len(P.SENTENCE_END.findall(text[:5000]))),
        1.0 if text.rstrip()[-1:] in ".!?。！？:;\"”'" else 0.0,
        (sum(len(w) for w in words[:300]) / min(n_words, 300)) if n_words else 0.0,
        capitals / max(min(len(tokens), 200), 1),
        digits / max(min(n_chars, 400), 1),
        1.0 if n_chars < 40 and P.UI_TEXT.match(lowered) else 0.0,
        1.0 if P.BOILERPLATE_TEXT.search(lowered) else 0.0,
        1.0 if n_chars < 300 and P.CREDIT_TEXT.search(text) else 0.0,
        1.0 if n_chars < 200 and P.DATE_TEXT.search(lowered) else 0.0,
        1.0 if n_chars < 100 and P.BYLINE_TEXT.match(text) else 0.0,
    ]


def best_container(page: Page) -> int:
    """Readability's idea: the container whose paragraphs hold the most text.

    Each block with real sentences credits its parent fully and its
    grandparent by half; link-heavy text credits little.
    """
    nodes = page.nodes
    score: dict[int, float] = {}
    for block in page.blocks:
        n = len(block.text)
        if n < 25:
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


def compute(page: Page, title: str) -> np.ndarray:
    """Return the feature matrix, one row per block of ``page``."""
    blocks, nodes = page.blocks, page.nodes
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    total_chars = max(1, sum(len(b.text) for b in blocks))
    root = nodes[0] if nodes else None
    title_words = set(_words(title)) if title else set()
    counts: dict[str, int] = {}
    for b in blocks:
        counts[b.text] = counts.get(b.text, 0) + 1
    best = best_container(page)
    best_share = nodes[best].chars / total_chars if best >= 0 else 0.0
    h1_index = next((i for i, b in enumerate(blocks) if nodes[b.node].tag == "h1"), -1)
    max_depth = max((nodes[b.node].depth for b in blocks), default=1) or 1

    rows: list[list[float]] = []
    chars_before = 0
    for i, block in enumerate(blocks):
        node = nodes[block.node]
        words = _words(block.text)
        overlap = (
            (len(title_words & set(words)) / len(title_words)) if title_words and words else 0.0
        )
        in_best = 0.0
        j = block.node
        while j >= 0 and best >= 0:
            if j == best:
                in_best = 1.0
                break
            j = nodes[j].parent
        row = _text_scalars(block.text, block.link_chars)
        row += [
            math.log1p(counts[block.text] - 1),
            overlap,
            1.0 if overlap > 0.8 and len(words) <= len(title_words) + 3 else 0.0,
            i / n,
            chars_before / total_chars,
            node.depth / max_depth,
            float(int(node.tag[1])) if node.tag in P.HEADING_TAGS else 0.0,
            math.log1p(block.text.count("\n")),
            1.0 if block.text[:1] in "•·-–—*►▸›»|" else 0.0,
            in_best,
            best_share,
            1.0 if h1_index >= 0 and i >= h1_index else 0.0,
            (i - h1_index) / n if h1_index >= 0 else 0.0,
        ]
        chars_before += len(block.text)
        rows.append(row)
    scalars = np.asarray(rows, dtype=np.float32)

    tags = np.zeros((n, len(_TAGS)), dtype=np.float32)
    for i, block in enumerate(blocks):
        k = _TAG_INDEX.get(nodes[block.node].tag)
        if k is not None:
            tags[i, k] = 1.0

    shifts = np.arange(len(CATEGORIES), dtype=np.int64)
    chain = np.asarray([b.chain for b in blocks], dtype=np.int64)
    near = np.asarray([_near_bits(page, b.node) for b in blocks], dtype=np.int64)
    chain_bits = ((chain[:, None] >> shifts) & 1).astype(np.float32)
    near_bits = ((near[:, None] >> shifts) & 1).astype(np.float32)
    body_bits = np.broadcast_to(
        ((page.body_bits >> shifts) & 1).astype(np.float32), (n, len(CATEGORIES))
    )

    containers = np.asarray(
        [_container_row(page, b.node, total_chars) for b in blocks], dtype=np.float32
    )
    neighbours = _neighbour_matrix(page, scalars)
    p_chars = root.p_chars / total_chars if root else 0.0
    link = root.link_chars / total_chars if root else 0.0
    page_row = np.asarray([math.log1p(total_chars), math.log1p(n), p_chars, link], dtype=np.float32)
    page_cols = np.broadcast_to(page_row, (n, len(_PAGE)))
    return np.hstack(
        [scalars, tags, chain_bits, near_bits, body_bits, containers, neighbours, page_cols]
    )


def _near_bits(page: Page, index: int) -> int:
    bits = 0
    nodes = page.nodes
    for _ in range(3):
        if index < 0:
            break
        node = nodes[index]
        bits |= node.own
        index = node.parent
    return bits


def _container_row(page: Page, index: int, total_chars: int) -> list[float]:
    nodes = page.nodes
    row: list[float] = []
    for _ in range(_LEVELS):
        if index < 0:
            row += [0.0, 0.0, 0.0, 0.0, 0.0]
            continue
        node = nodes[index]
        parent_chars = nodes[node.parent].chars if node.parent >= 0 else node.chars
        row += [
            node.chars / total_chars,
            node.link_chars / node.chars if node.chars else 0.0,
            math.log1p(node.blocks),
            node.p_chars / node.chars if node.chars else 0.0,
            node.chars / parent_chars if parent_chars else 0.0,
        ]
        index = node.parent
    return row


def _neighbour_matrix(page: Page, scalars: np.ndarray) -> np.ndarray:
    n = scalars.shape[0]
    parents = np.asarray([page.nodes[b.node].parent for b in page.blocks], dtype=np.int64)
    cols = []
    for off in (-2, -1, 1, 2):
        idx = np.arange(n) + off
        valid = (idx >= 0) & (idx < n)
        safe = np.clip(idx, 0, n - 1)
        cols.append(np.where(valid, scalars[safe, 1], 0.0))
        cols.append(np.where(valid, scalars[safe, 2], 0.0))
        cols.append(np.where(valid & (parents[safe] == parents), 1.0, 0.0))
    return np.stack(cols, axis=1).astype(np.float32)
