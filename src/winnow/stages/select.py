"""Choose the main blocks from their scores; every drop gets a Decision.

The classifier gives each block the probability that it is main content.
Rather than one fixed threshold, each page keeps the set of blocks that
maximises the *expected* F-beta of its words: blocks are taken in order of
probability while the expected score still rises (a page whose content is
uncertain keeps less, a page of many likely blocks keeps them all). On the
domain-grouped CV of WCXB dev this beat the best fixed threshold: 0.8665
against 0.8636 mean page F1, and 0.8689 with ``MIN_SCORE``. ``Options.favor``
sets beta: precision 0.5, balanced 1, recall 2. No block under ``MIN_SCORE`` is
ever kept, so a page that is all navigation comes out empty.

What the scores cannot see block by block is settled on the kept set
(``_settle``): repeated text, a code block copying the page, readers'
comments under a story, and a selection too small or too navigational to be
the page's content.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from winnow import patterns as P
from winnow.model import Decision
from winnow.options import Favor
from winnow.stages.blocks import BIT, Page, RawBlock

BETAS: dict[Favor, float] = {"balanced": 1.0, "precision": 0.5, "recall": 2.0}
# Blocks scored below this are never kept, so a page that is all navigation
# comes out empty instead of with its best guess. Out-of-fold mean page F1 on
# WCXB dev by floor: 0.05 -> 0.8679, 0.1 -> 0.8679, 0.15 -> 0.8677,
# 0.2 -> 0.8689, 0.3 -> 0.8686.
MIN_SCORE = 0.2
# Documentation pages lean to recall: the block classifier under-selects their
# code, tables and API lists. Their beta is this times the one ``favor`` sets.
# Out-of-fold block scores and page types on WCXB dev (training/pagetype_train.py,
# folds split by domain), mean page F1 of documentation pages / all pages by
# factor: 1.0 -> 0.9312 / 0.8723, 1.2 -> 0.9336 / 0.8725, 1.3 -> 0.9342 / 0.8725,
# 1.4 -> 0.9344 / 0.8726, 1.5 -> 0.9345 / 0.8726, 1.6 -> 0.9346 / 0.8726,
# 1.8 -> 0.9352 / 0.8726 (other types move by 0.0003 at most; one page of 89
# moves documentation by about 0.001). With the true types instead it would be
# 0.9409 at 1.4: the classifier finds 60 of the 89 documentation pages.
DOCUMENTATION_BETA = 1.5
# Customers' reviews under a product description (``_reviews_heading``): a
# reviews heading after this many kept words, with this many ratings among the
# blocks right under it. Text mode reads its dumps' lines by the same numbers
# (``textmode.comments``).
REVIEWS_AFTER_WORDS = 50
REVIEWS_REACH = 12
RATINGS_UNDER = 2
RATING_MAX_WORDS = 12
_REVIEWS_HEADING_CHARS = 40  # "1,204 Customer Reviews" is 22
# A selection this small out of a page this large is a scrap (a search box's
# "I'm shopping for...", a lone label), not the page's main content: the page
# comes out empty. Cross-validated on WCXB dev with the lexicon model: 0.8772
# -> 0.8794 (3 product pages whose truth is empty, one site); with any word
# floor from 5 to 20 the same 3 pages and no page lost, at 30 six pages lose.
SCRAP_WORDS = 10
SCRAP_SHARE = 0.05
# A page whose kept blocks are all link lists inside navigation (``<nav>``, a
# ``menu`` container) is a page of navigation: it comes out empty. No WCXB dev
# page is selected that way (F1 unchanged at 0.8794); the all-navigation page
# of tests/unit/test_bad_input.py kept its topic menu (score 0.22) without it.
NAV_LINK_SHARE = 0.9

# The category named in a drop's rule: first match in this order wins.
_DROP_RULES: tuple[tuple[str, str], ...] = (
    ("c_consent", "cookie-consent"),
    ("c_modal", "popup"),
    ("c_ad", "advertising"),
    ("c_subscribe", "subscription"),
    ("c_social", "share-bar"),
    ("t_nav", "navigation"),
    ("c_nav", "navigation"),
    ("t_footer", "footer"),
    ("c_footer", "footer"),
    ("t_header", "header"),
    ("c_comment", "comments"),
    ("c_related", "related-links"),
    ("t_aside", "sidebar"),
    ("c_sidebar", "sidebar"),
    ("c_meta", "metadata-line"),
    ("c_tags", "tags"),
    ("t_form", "form"),
)
_SNIPPET = 200  # characters of a dropped block kept in its Decision


def _rule(chain: int, link_density: float) -> str:
    for bit, rule in _DROP_BITS:
        if chain & bit:
            return rule
    return "link-list" if link_density > 0.5 else "low-score"


_DROP_BITS = tuple((BIT[category], rule) for category, rule in _DROP_RULES)


def expected_best(
    scores: np.ndarray, words: np.ndarray, beta: float, floor: float = MIN_SCORE
) -> np.ndarray:
    """Mask of the blocks whose set maximises the expected F-beta of the page's words.

    No block scored under ``floor`` is kept (text mode has its own floor).

    With p the probabilities and w the word counts, a set S has expected
    true positives sum(p*w over S), expected truth size sum(p*w) and size
    sum(w over S); F-beta = (1+b^2) TP / (b^2 |truth| + |S|). The best set is
    a prefix of the blocks sorted by p, found in one cumulative pass.
    """
    keep = np.zeros(scores.shape[0], dtype=bool)
    eligible = np.flatnonzero(scores >= floor)
    if eligible.size == 0:
        return keep
    w = np.maximum(words, 1.0)
    order = eligible[np.argsort(-scores[eligible], kind="stable")]
    gain = np.cumsum(scores[order] * w[order])
    size = np.cumsum(w[order])
    truth = float((scores * w).sum())
    b2 = beta * beta
    f = (1 + b2) * gain / (b2 * truth + size)
    keep[order[: int(np.argmax(f)) + 1]] = True
    return keep


def select(
    page: Page,
    scores: np.ndarray,
    words: np.ndarray,
    favor: Favor,
    figures: bool = True,
    page_type: str | None = None,
) -> tuple[list[int], list[Decision]]:
    """Indices of kept blocks (in page order) and a Decision for each dropped one.

    A page classified as documentation (``stages.pagetype``) leans to recall:
    its beta is ``DOCUMENTATION_BETA`` times the one ``favor`` sets.

    A ``<pre>`` block set between two kept blocks is kept
    (``_preformatted_in_run``). With ``figures``, a figure inside the kept
    region (between its first and last block) is kept too, whatever its
    caption scored: the caption is not prose, but the figure belongs to the
    document (``Document.text`` leaves figures out, so this does not change
    the text).
    """
    beta = BETAS[favor] * (DOCUMENTATION_BETA if page_type == "documentation" else 1.0)
    keep = _whole_tables(page, expected_best(scores, words, beta), words)
    keep = _preformatted_in_run(page, keep, scores)
    if figures and keep.any():
        keep = _figures_in_region(page, keep)
    cut = page_cut(scores, keep)
    repeats = _repeats(page, keep) if page_type != "documentation" else set()
    below_floor = f" below the floor {MIN_SCORE:.2f}"
    below_cut = f" below this page's cut {cut:.2f}"
    removed = []
    # Python floats and bools: indexing numpy arrays one element at a time is slow.
    for i, (block, kept, score) in enumerate(
        zip(page.blocks, keep.tolist(), scores.tolist(), strict=True)
    ):
        if i in repeats:
            removed.append(Decision("select", "duplicate", _REPEAT_REASON, block.text[:_SNIPPET]))
            continue
        if kept:
            continue
        density = block.link_chars / len(block.text) if block.text else 0.0
        reason = f"classifier score {score:.2f}" + (below_floor if score < MIN_SCORE else below_cut)
        removed.append(
            Decision("select", _rule(block.chain, density), reason, block.text[:_SNIPPET])
        )
    kept = [i for i in np.flatnonzero(keep).tolist() if i not in repeats]
    return _settle(page, words, kept, page_type, removed)


def _settle(
    page: Page, words: np.ndarray, kept: list[int], page_type: str | None, removed: list[Decision]
) -> tuple[list[int], list[Decision]]:
    """The kept blocks once the kept set as a whole is read, and the drops with them:
    code blocks copying the page go, an article's text ends at its comments, any
    page's at a reviews heading over ratings, and a scrap or a selection of
    menus alone leaves the page without main content."""
    copies = _page_copies(page, kept)
    if copies:
        kept = [i for i in kept if i not in copies]
        removed = removed + _drops(page, sorted(copies), "duplicate", _COPY_REASON)
    start = _comments_start(page, kept) if page_type == "article" else len(kept)
    if start < len(kept):
        heading = page.blocks[kept[start]].text[:_SNIPPET]
        reason = f"readers' comments, under the heading {heading!r}"
        removed = removed + _drops(page, kept[start:], "comments", reason)
        kept = kept[:start]
    heading_at = _reviews_heading(page, words, kept)
    if heading_at is not None:
        heading = page.blocks[heading_at].text[:_SNIPPET]
        reason = f"customers' reviews, under the heading {heading!r}"
        reviews = [i for i in kept if i >= heading_at]  # the heading too, when kept
        removed = removed + _drops(page, reviews, "reviews", reason)
        kept = [i for i in kept if i < heading_at]
    if _scrap(page, words, kept):
        reason = f"the kept blocks hold fewer than {SCRAP_WORDS} of the page's words"
        return [], removed + _drops(page, kept, "scrap", reason)
    if kept and all(_navigation_links(page.blocks[i]) for i in kept):
        reason = "the kept blocks are all link lists inside navigation"
        return [], removed + _drops(page, kept, "navigation-only", reason)
    return kept, removed


def _page_copies(page: Page, kept: list[int]) -> set[int]:
    """Kept code blocks that hold a copy of the page's text (a markdown or plain
    version for machines, in a ``<pre>``): most of the other kept blocks of
    ``_COPY_BLOCK_WORDS`` words or more appear in them word for word."""
    code = BIT["t_pre"] | BIT["t_code"]
    long_code = [
        i for i in kept if page.blocks[i].chain & code and len(page.blocks[i].text) > _COPY_CHARS
    ]
    if not long_code:
        return set()
    prose = []
    for i in kept:
        words = _words(page.blocks[i].text)
        if not page.blocks[i].chain & code and len(words) >= _COPY_BLOCK_WORDS:
            prose.append(" ".join(words))
    if len(prose) < _COPY_MIN_BLOCKS:
        return set()
    out = set()
    for i in long_code:
        copy = " ".join(_words(page.blocks[i].text))
        if sum(text in copy for text in prose) >= _COPY_SHARE * len(prose):
            out.add(i)
    return out


def _comments_start(page: Page, kept: list[int]) -> int:
    """Where in ``kept`` the readers' comments start: at the first kept heading
    that announces them (``patterns.COMMENTS_HEADING``) after some text; else
    ``len(kept)``. Only on pages classified as articles: a forum thread's posts
    are its content."""
    for position, i in enumerate(kept):
        if position and _is_heading(page, i) and P.COMMENTS_HEADING.match(page.blocks[i].text):
            return position
    return len(kept)


def _reviews_heading(page: Page, words: np.ndarray, kept: list[int]) -> int | None:
    """The block heading customers' reviews under the kept content, if the page
    has one (``patterns.REVIEWS_HEADING``, after REVIEWS_AFTER_WORDS kept
    words, with RATINGS_UNDER ratings among the REVIEWS_REACH blocks under
    it); None if not. Kept or not: a heading is often left out."""
    if not kept:
        return None
    blocks = page.blocks
    kept_words = np.cumsum(words[kept]).tolist()  # up to and including each kept block
    for i in range(kept[0] + 1, kept[-1] + 1):
        text = blocks[i].text
        if len(text) > _REVIEWS_HEADING_CHARS or not P.REVIEWS_HEADING.match(text):
            continue
        if kept_words[bisect_left(kept, i) - 1] < REVIEWS_AFTER_WORDS:
            continue
        under = blocks[i + 1 : i + 1 + REVIEWS_REACH]
        if sum(rating(b.text) for b in under) >= RATINGS_UNDER:
            return i
    return None


def rating(text: str) -> bool:
    """Whether ``text`` is a review's rating or its buyer's badge: a short
    text ``patterns.RATING`` finds in. Text mode reads the same (``textmode.comments``)."""
    return len(text.split()) <= RATING_MAX_WORDS and P.RATING.search(text) is not None


def _scrap(page: Page, words: np.ndarray, kept: list[int]) -> bool:
    """Whether ``kept`` is a scrap: under ``SCRAP_WORDS`` words and under
    ``SCRAP_SHARE`` of the page's words, each distinct block text counted once
    (a page of a few words keeps them, however often it repeats them)."""
    kept_words = float(words[kept].sum())
    if not 0 < kept_words < SCRAP_WORDS:
        return False
    one_each = {block.text: i for i, block in enumerate(page.blocks)}
    return kept_words < SCRAP_SHARE * float(words[list(one_each.values())].sum())


def _navigation_links(block: RawBlock) -> bool:
    """A block of links (over ``NAV_LINK_SHARE`` of its text) inside a navigation
    element or a container classed as one (``menu``, ``nav``)."""
    inside = block.chain & (BIT["t_nav"] | BIT["c_nav"])
    return bool(inside) and block.link_chars > NAV_LINK_SHARE * len(block.text)


def _drops(page: Page, blocks: list[int], rule: str, reason: str) -> list[Decision]:
    """A Decision for each of ``blocks`` (kept by the scores, dropped by ``rule``)."""
    return [Decision("select", rule, reason, page.blocks[i].text[:_SNIPPET]) for i in blocks]


def page_cut(scores: np.ndarray, keep: np.ndarray, floor: float = MIN_SCORE) -> float:
    """The lowest score at or over ``floor`` among the kept blocks: this page's cut."""
    return float(scores[keep & (scores >= floor)].min(initial=1.0))


def _figures_in_region(page: Page, keep: np.ndarray) -> np.ndarray:
    """Also keep the figure blocks that sit between the first and last kept block."""
    kept = np.flatnonzero(keep)
    out = keep.copy()
    figure = BIT["t_figure"]
    for i in range(int(kept[0]), int(kept[-1]) + 1):
        if not out[i] and page.blocks[i].chain & figure:
            out[i] = True
    return out


def _preformatted_in_run(page: Page, keep: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Also keep a preformatted block (``<pre>``) when the blocks before and after it are kept.

    Code, a shell session, a man page's option list: the classifier scores
    such a block low (its words are not prose), but set between two kept
    blocks it is part of the text they belong to. Not under ``MIN_SCORE``.
    On the domain-grouped out-of-fold scores of WCXB dev: documentation
    0.931 -> 0.935, every other type unchanged, all pages 0.8723 -> 0.8726.
    """
    out = keep.copy()
    if keep.size < 3:
        return out
    # Blocks dropped between two kept ones, at or over the floor: a handful a page.
    between = ~keep[1:-1] & keep[:-2] & keep[2:] & (scores[1:-1] >= MIN_SCORE)
    pre = BIT["t_pre"]
    for i in (np.flatnonzero(between) + 1).tolist():
        if page.blocks[i].chain & pre:
            out[i] = True
    return out


def _repeats(page: Page, keep: np.ndarray) -> set[int]:
    """The kept blocks whose words repeat, in order, those of an earlier kept block.

    Pages render some of their text twice: a product's short description
    above its full one, a mobile and a desktop copy of the same section. A
    reader reads it once, so the second copy goes (the first, when only the
    second is a heading: a table of contents repeats the headings below it).
    Left alone: blocks under ``_REPEAT_MIN_WORDS`` words ("Read more"), code
    and table cells, where repeating is the content (the same command twice,
    the same value in two rows), and the steps of a numbered list ("Press
    Enter" in two procedures). ``select`` does not call this on documentation
    pages, whose tutorials repeat on purpose. WCXB dev, cross-validated
    (``benchmarks/wcxb.py --cv``): all pages 0.8733 -> 0.8772, product
    0.632 -> 0.646, collection 0.690 -> 0.699, forum 0.803 -> 0.810,
    documentation 0.9388 -> 0.9374.
    """
    first: dict[str, int] = {}  # each text's copy that stays
    out: set[int] = set()
    exempt = BIT["t_pre"] | BIT["t_code"] | BIT["t_table"]
    for i in np.flatnonzero(keep).tolist():
        block = page.blocks[i]
        if block.chain & exempt:
            continue
        words = _words(block.text)
        if len(words) < _REPEAT_MIN_WORDS:
            continue
        key = " ".join(words)
        earlier = first.setdefault(key, i)
        if earlier == i or _enclosing(page, block.node, "ol", _STEP_DEPTH) >= 0:
            continue
        if _is_heading(page, i) and not _is_heading(page, earlier):
            # A table of contents lists the headings above them: its entry goes.
            out.add(earlier)
            first[key] = i
        else:
            out.add(i)
    return out


def _words(text: str) -> list[str]:
    """A block's words as the copy rules compare them: case and punctuation aside."""
    return P.WORD.findall(text.casefold())


def _is_heading(page: Page, i: int) -> bool:
    return page.nodes[page.blocks[i].node].tag in P.HEADING_TAGS


def _enclosing(page: Page, node: int, tag: str, steps: int) -> int:
    """The first of ``node`` and its ``steps`` nearest ancestors that is a ``tag``; -1 if none."""
    nodes = page.nodes
    for _ in range(steps + 1):
        if node < 0:
            return -1
        if nodes[node].tag == tag:
            return node
        node = nodes[node].parent
    return -1


# A code block is a copy of the page when at least _COPY_SHARE of the other kept
# blocks of _COPY_BLOCK_WORDS words or more (and _COPY_MIN_BLOCKS of them) are in
# it word for word; only blocks over _COPY_CHARS characters are checked. Set by
# hand: on WCXB dev one page's markdown copy of its article meets them (93% of
# its kept prose in it; F1 0.62 -> 0.95) and no code block of any other page does.
_COPY_CHARS = 500
_COPY_BLOCK_WORDS = 8
_COPY_MIN_BLOCKS = 3
_COPY_SHARE = 0.5
_COPY_REASON = "a copy of the page's text in a code block"
# A kept block of at least this many words that repeats an earlier one is dropped.
_REPEAT_MIN_WORDS = 3
_REPEAT_REASON = "repeats the words of a block kept above it"
# A numbered step's text sits at most this many containers below its <ol> (p > li > ol).
_STEP_DEPTH = 3


def _whole_tables(page: Page, keep: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Keep a data table whole when most of its words are kept.

    A reader does not drop one header cell from a table they read; the
    classifier, scoring cells one by one, sometimes does.
    """
    if not any(node.tag == "table" for node in page.nodes):
        return keep
    table_of = np.array(
        [_enclosing(page, block.node, "table", _CELL_DEPTH) for block in page.blocks], np.int64
    )
    out = keep.copy()
    for table in np.unique(table_of[keep & (table_of >= 0)]):
        cells = table_of == table
        if words[cells & keep].sum() >= _WHOLE_TABLE_SHARE * words[cells].sum():
            out |= cells
    return out


# A table is kept whole when at least this share of its words is kept.
_WHOLE_TABLE_SHARE = 0.5
# Cells sit at most this many containers below their <table> (td > tr > tbody).
_CELL_DEPTH = 4
