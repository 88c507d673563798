"""Structure of a text dump: header fields, dateline, figures and typed blocks.

A dump has no tags to say what is a heading or a caption, so structure is
read from the shape of the lines around the selected body:

* **figures**: a one-line paragraph near the body whose tail is a credit
  (``© Reuters``, ``Photo: …``) is a caption, with or without the
  classifier's vote; it becomes a ``figure`` Block with caption and credit,
  never a paragraph;
* **header**: the headline is the candidate line a learned ranking scores
  highest (``headline``, ``_ranked_title``), unless it is a short label right
  above two lines that could both be the headline (a kicker over a headline
  and its deck: then the first of the two). A model file without the
  ranking falls back to hand rules: the line the URL's slug spells out
  (``_slug_title``); failing that, among the heading-like lines up to
  TITLE_REACH lines above the first body line, the one that scores best
  (``_title``): long enough to be a headline, close to the body, beside a
  date line or byline, under a kicker; never a date, a time, a byline, a
  caption, a breadcrumb or a blurb. A heading-like line right below the
  headline is the subtitle, a short one right above it the kicker (``_roles``);
* **dateline**: a first body paragraph that opens with a place in capitals
  and a dash (``PORT ARDEN -- …``) gives ``Document.dateline``, and the paragraph
  keeps only what follows the dash;
* **blocks**: kept lines of one paragraph form one block: bullet lines a
  list, tab-separated lines a table, a short line without a full stop before
  more body a heading, anything else a paragraph.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import numpy as np

from winnow import meta_patterns as M
from winnow import text_patterns as T
from winnow.model import Block
from winnow.options import Options
from winnow.patterns import WORD
from winnow.stages.score import Forest
from winnow.stages.structure import split_credit
from winnow.stages.textmode import headline
from winnow.stages.textmode.features import FEATURE_NAMES
from winnow.stages.textmode.segment import TextPage

_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}

# A heading, title, kicker or subtitle has at most this many words. (The
# longest WCXB dev title that appears as a line of its dump has 28.)
HEADING_MAX_WORDS = 28
# Captions are looked for from at most this many lines above the body.
HEADER_REACH = 8
# The headline is looked for at most this many lines above the body. On WCXB
# dev dumps (domain half a: 720 titled pages, 523 with the title as a line),
# the title line is 1-8 lines above the body on 359 pages and 9-15 above on
# 57; reaches of 12, 20 and 30 lines gave 212, 214 and 214 right titles.
TITLE_REACH = 20
# How a headline candidate scores (``_title_score``): its words, up to
# TITLE_WORDS_CAP; less DISTANCE_COST per line between it and the body; plus
# NEAR_META if a date line or byline is among the META_BELOW lines below it or
# the META_ABOVE lines above it; plus UNDER_KICKER if a kicker stands right
# above it; less LOWERCASE_COST if it opens in lower case; plus TITLE_CASE
# times the share of its words that open in a capital (or are no word).
# Read off the wrong pages of WCXB dev dumps, domain half a, and checked on
# half b, which was not read (title accuracy there 0.169 -> 0.324): caps of
# 10, 12 and 15 words and costs of 0.1, 0.3 and 0.6 a line were within a
# point of each other; the date line beside the headline is the strongest
# sign (NEAR_META 0 -> 8: +3.1 points on half a, +2.0 on half b); TITLE_CASE
# 0 -> 4: +0.7 and +0.5; UNDER_KICKER 0 to 4 within 0.7 points, 1 tells a
# headline from a deck of the same length under a kicker.
TITLE_WORDS_CAP = 12
DISTANCE_COST = 0.3
NEAR_META = 8.0
META_BELOW = 2
META_ABOVE = 1
UNDER_KICKER = 1.0
LOWERCASE_COST = 3.0
TITLE_CASE = 4.0
# The headline a URL's slug spells out ("/2025/11/night-ferry-returns")
# is taken before any other (``_slug_title``): a line of 2-28 words that holds
# at least SLUG_MATCH of the slug's words, SLUG_MATCH of its own words being
# the slug's, up to SLUG_REACH lines above or into the body. On WCXB dev dumps
# it took title accuracy from 0.332 to 0.440 (domain half a 0.339 -> 0.439,
# half b 0.324 -> 0.440) with authors and dates, read by the headline, up too
# (0.376 -> 0.383, 0.569 -> 0.571); SLUG_MATCH 0.6/0.7/0.8 and SLUG_REACH
# 20/60/200 were all within 0.016 of each other: the stricter match was kept.
SLUG_MATCH = 0.8
SLUG_MIN_WORDS = 2
SLUG_REACH = 60
_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)
# A kicker ("Politics", "Middle East crisis") has at most this many words.
KICKER_MAX_WORDS = 4
# A title or subtitle has at least this many words; shorter lines above a
# story are section labels and menu entries.
TITLE_MIN_WORDS = 3
# A dateline opens a paragraph of at least this many more words.
DATELINE_MIN_WORDS = 8
# A caption has at least this many words before its credit.
CAPTION_MIN_WORDS = 3
# An icon strip glues labels ("ShareIcon TwitterIcon Email"): a line with at least
# this share of lower→upper seams per word is not a heading.
_GLUED = 0.2
# What a headline never opens with: a byline, a metadata label, the heading
# of a table of contents (each pattern anchored at the start, as when used alone).
_NOT_A_TITLE_START = re.compile(
    "|".join(f"(?i:{p.pattern})" for p in (M.BYLINE, T.META_LABEL, T.CONTENTS_HEADING))
)
# Every breadcrumb trail T.BREADCRUMB finds holds one of these separators.
_CRUMBS = frozenset("/>\u00bb\u203a|\u00b7")
# T.DANGLING_END's longest word ("with") and the character before it, which
# decides its word boundary, and a trailing newline: the tail it reads.
_DANGLING_TAIL = 6
# Characters that end a line that is not a heading.
_NOT_HEADING_END = frozenset(".,;:")


@dataclass(slots=True)
class Built:
    """What structure made of a dump; ``used`` are the dropped lines it still used."""

    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    used: set[int] = field(default_factory=set)
    title_line: int | None = None  # the line the title was read from
    body_start: int | None = None  # the first body line that is no heading

    def fields(self) -> list[str]:
        names = ("title", "kicker", "subtitle", "dateline")
        return [name for name in names if getattr(self, name)]


class _Lines:
    """One dump's lines, with the line-shape tests structure needs, computed for all lines."""

    def __init__(self, page: TextPage, X: np.ndarray) -> None:
        def col(name: str) -> np.ndarray:
            return X[:, _COLUMN[name]]

        self.page = page
        self.words = np.rint(np.expm1(col("log_words"))).astype(np.int64)
        short_menu_entry = (col("repeats") > 0) & (self.words <= 3)
        shaped = (
            (self.words >= 1)
            & (self.words <= HEADING_MAX_WORDS)
            & (col("glue_ratio") < _GLUED)
            & (col("ui_label") == 0)
            & (col("template") == 0)
            & (col("ends_colon") == 0)
        )
        # Read one line at a time: list items are faster than numpy scalars.
        self.heading_list: list[bool] = (shaped & ~short_menu_entry).tolist()
        # A page's headline may also stand in its menu ("Flexbox" in both).
        self.shaped_list: list[bool] = shaped.tolist()
        self.meta = (col("date") > 0) | (col("time") > 0) | (col("byline") > 0)
        # The same, one line at a time (list items are faster than numpy scalars).
        self.is_meta: list[bool] = self.meta.tolist()
        self.word_count: list[int] = self.words.tolist()
        self.alone = col("para_lines") == 1
        self._credited = (
            self.alone & (col("legal") == 0) & ((col("copyright") > 0) | (col("credit") > 0))
        )
        self.bullet: list[bool] = (col("starts_bullet") > 0).tolist()
        self.tabbed: list[bool] = (col("tabs") > 0).tolist()

    def text(self, i: int) -> str:
        return self.page.blocks[i]

    def heading_like(self, i: int) -> bool:
        """Short, not a label or menu entry, and not ending like a sentence or a clause."""
        return self.heading_list[i] and self.page.blocks[i][-1] not in _NOT_HEADING_END

    def headline_shaped(self, i: int) -> bool:
        """Like ``heading_like``, but a short line the page repeats (a menu entry) counts."""
        return self.shaped_list[i] and self.page.blocks[i][-1] not in _NOT_HEADING_END

    def shapes(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """``heading_like`` and ``headline_shaped`` of lines ``lo`` to ``hi - 1``, at once."""
        ends = np.array([t[-1] not in _NOT_HEADING_END for t in self.page.blocks[lo:hi]], bool)
        heading = np.array(self.heading_list[lo:hi], dtype=bool) & ends
        return heading, np.array(self.shaped_list[lo:hi], dtype=bool) & ends

    def captions(self, lo: int, hi: int) -> dict[int, tuple[str, str]]:
        """Lines in [lo, hi] that are photo captions ending in a credit: (caption, credit)."""
        out = {}
        for i in np.flatnonzero(self._credited[lo : hi + 1]) + lo:
            caption, credit = split_credit(fold(self.text(int(i))))
            if credit and len(caption.split()) >= CAPTION_MIN_WORDS:
                out[int(i)] = (caption, credit)
        return out


def fold(text: str) -> str:
    """White space folded to single spaces (no-break spaces and tabs included)."""
    if "  " in text or "\xa0" in text or "\t" in text:
        return " ".join(text.split())
    return text


def build(
    page: TextPage,
    X: np.ndarray,
    keep: np.ndarray,
    options: Options,
    url: str | None = None,
    ranking: Forest | None = None,
) -> Built:
    """Header fields, dateline and typed blocks of the kept lines (in page order).

    ``ranking`` (``headline.load``) picks the headline; without it the hand
    rules do (``_slug_title``, then ``_title``).
    """
    out = Built()
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        return out
    lines = _Lines(page, X)
    body = [int(i) for i in kept]
    start = _body_start(lines, body)
    figures = lines.captions(max(0, start - HEADER_REACH), body[-1])
    if ranking is not None:
        ranked = _headline_candidates(lines, X, keep, start, slug_words(url), figures)
        title = _ranked_title(lines, *ranked, ranking)
    else:
        title = _slug_title(lines, slug_words(url), start, figures)
        title = _title(lines, start, figures) if title is None else title
    roles = _roles(lines, title, start, figures)
    out.kicker, out.title, out.subtitle = (
        None if i is None else fold(lines.text(i)) for i in roles
    )
    out.title_line, out.body_start = roles[1], start
    header = [i for i in roles if i is not None]
    members = sorted((set(body) | set(figures)) - set(header))
    out.used = (set(header) | set(figures)) - set(body)
    out.blocks, out.dateline = _blocks(lines, members, figures, options)
    return out


def _body_start(lines: _Lines, body: list[int]) -> int:
    """The first body line that is no heading (the first body line if all are)."""
    return next((i for i in body if not lines.heading_like(i)), body[0])


def headline_rows(
    page: TextPage, X: np.ndarray, keep: np.ndarray, url: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """The headline's candidate lines of a dump and the columns the ranking reads of
    them (``headline.names_read()``), as ``build`` finds them: for training."""
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(headline.names_read())))
    lines = _Lines(page, X)
    start = _body_start(lines, [int(i) for i in kept])
    figures = lines.captions(max(0, start - HEADER_REACH), int(kept[-1]))
    return _headline_candidates(lines, X, keep, start, slug_words(url), figures)


def _headline_candidates(
    lines: _Lines,
    X: np.ndarray,
    keep: np.ndarray,
    start: int,
    slug: frozenset[str],
    figures: dict[int, tuple[str, str]],
) -> tuple[np.ndarray, np.ndarray]:
    n = len(lines.page.blocks)
    heading, shaped = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    lo, hi = headline.reach(start, n)
    heading[lo:hi], shaped[lo:hi] = lines.shapes(lo, hi)
    shape = headline.Shape(lines.page.blocks, lines.words, heading, shaped, lines.meta, keep)
    candidates = headline.candidates(shape, start, HEADING_MAX_WORDS)
    if figures:
        candidates = candidates[[int(i) not in figures for i in candidates]]
    could_be = _could_be_titles(lines, heading, candidates)
    own = headline.columns(
        shape, candidates, start, slug, could_be, _under_kickers(lines, heading, candidates)
    )
    return candidates, np.hstack((own, X[candidates]))


def _ranked_title(
    lines: _Lines, candidates: np.ndarray, columns: np.ndarray, ranking: Forest
) -> int | None:
    """The candidate line the ranking scores highest; None without candidates.

    ``_title``'s one shape holds here too: a short label right above two lines
    that could both be the headline is a kicker over a headline and its deck.
    """
    if candidates.size == 0:
        return None
    best = int(candidates[int(np.argmax(ranking.predict(columns)))])
    # A headline written twice in a row (a breadcrumb's last item over the
    # <h1>) is read from its lower copy, whose neighbours are the header's.
    while best + 1 < len(lines.page.blocks) and lines.text(best + 1) == lines.text(best):
        best += 1
    if _over_headline_and_deck(lines, best):
        return best + 1
    return best


def _title(lines: _Lines, start: int, figures: dict[int, tuple[str, str]]) -> int | None:
    """The line that best reads as the headline among the TITLE_REACH lines above the body.

    One shape overrides the scores: a short label right above two lines that
    could both be the headline is a kicker over a headline and its deck, so
    the upper of the two is the headline even when the deck scores higher.
    """
    scores = {}
    for i in range(max(0, start - TITLE_REACH), start):
        if i not in figures and _could_be_title(lines, i):
            scores[i] = _title_score(lines, i, start)
    if not scores:
        return _lone_short_title(lines, start, figures)
    best = max(scores, key=lambda i: (scores[i], -i))  # a tie goes to the upper line
    if best - 1 in scores and best >= 2 and _short_label(lines, best - 2):
        return best - 1
    return best


def slug_words(url: str | None) -> frozenset[str]:
    """The words of a URL's slug: its last path segment, or the one before if that is longer.

    Numbers and a file extension are not words of it:
    ``/2025/11/14/night-ferry-returns.html`` gives night, ferry and returns.
    """
    segments = [s for s in unquote(urlsplit(url or "").path).split("/") if s]
    if not segments:
        return frozenset()
    segment = _EXTENSION.sub("", max(reversed(segments[-2:]), key=len))
    words = WORD.findall(segment.lower().replace("_", " "))  # "night_ferry" is two words
    return frozenset(w for w in words if not w.isdigit())


def _slug_title(
    lines: _Lines, slug: frozenset[str], start: int, figures: dict[int, tuple[str, str]]
) -> int | None:
    """The line the URL's slug spells out, if one does: the headline, wherever it stands.

    A line matches when it shares at least SLUG_MATCH of the slug's words and
    SLUG_MATCH of its own words are the slug's (so a related link or the
    breadcrumb that holds the slug in a longer line does not); of equal
    matches the nearest above the body wins, then the nearest in it.
    """
    if len(slug) < SLUG_MIN_WORDS:
        return None
    above = range(start - 1, max(-1, start - 1 - SLUG_REACH), -1)
    below = range(start, min(len(lines.page.blocks), start + SLUG_REACH))
    # A match misses at most `missing` of the slug's words, so it holds one of
    # any missing + 1 of them: a substring test of those skips most lines.
    missing = len(slug) - math.ceil(SLUG_MATCH * len(slug))
    probes = sorted(slug, key=lambda w: (-len(w), w))[: missing + 1]
    best, best_score = None, SLUG_MATCH
    for i in (*above, *below):
        if i in figures or not SLUG_MIN_WORDS <= lines.words[i] <= HEADING_MAX_WORDS:
            continue
        lowered = lines.text(i).lower()
        if not any(probe in lowered for probe in probes):
            continue
        words = set(WORD.findall(lowered))
        shared = len(words & slug)
        if shared < SLUG_MIN_WORDS:
            continue
        score = min(shared / len(slug), shared / len(words))
        if score > best_score or (best is None and score == best_score):
            best, best_score = i, score
    return best


def _lone_short_title(lines: _Lines, start: int, figures: dict[int, tuple[str, str]]) -> int | None:
    """A heading of one or two words alone above the body ("Weather"), past metadata lines.

    Shorter than TITLE_MIN_WORDS, it is a title only with no heading-like line
    above it: a short line under more short lines is a menu entry.
    """
    i = start - 1
    while i >= 0 and (i in figures or lines.meta[i]):
        i -= 1
    if i < 0 or not lines.heading_like(i) or (i >= 1 and lines.heading_like(i - 1)):
        return None
    return i


def _title_score(lines: _Lines, i: int, start: int) -> float:
    """How much line ``i`` reads as the headline of a body starting at line ``start``."""
    text = lines.text(i)
    words = text.split()
    score = min(len(words), TITLE_WORDS_CAP) - DISTANCE_COST * (start - i)
    if lines.meta[max(0, i - META_ABOVE) : i + 1 + META_BELOW].any():
        score += NEAR_META  # line i itself is no metadata line (_could_be_title)
    if i >= 1 and _kicker_like(lines, i - 1):
        score += UNDER_KICKER
    if text[:1].islower():
        score -= LOWERCASE_COST
    capitalised = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    return score + TITLE_CASE * capitalised / max(1, len(words))


def _could_be_title(lines: _Lines, i: int) -> bool:
    """Heading-shaped, long enough, and none of what stands beside a headline.

    Dates, times and bylines (the metadata lines), a name under a "By" label,
    breadcrumb trails, blurbs holding two sentences, lines cut after a
    function word and the heading of a table of contents are never a headline.
    """
    if not lines.heading_like(i) or lines.is_meta[i] or lines.word_count[i] < TITLE_MIN_WORDS:
        return False
    return not _not_a_title(lines, i)


def _could_be_titles(lines: _Lines, heading: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``_could_be_title`` of each line in ``at`` (none a metadata line), at once;
    ``heading`` holds ``heading_like`` of those lines."""
    out: np.ndarray = heading[at] & (lines.words[at] >= TITLE_MIN_WORDS)
    out[out] = [not _not_a_title(lines, i) for i in at[out].tolist()]
    return out


def _under_kickers(lines: _Lines, heading: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``_kicker_like`` of the line right above each line in ``at``, at once;
    ``heading`` holds ``heading_like`` of those lines and the two above each."""
    above, higher = np.maximum(at - 1, 0), np.maximum(at - 2, 0)
    words = lines.words[above]
    label = heading[above] & ~lines.meta[above] & (words >= 1) & (words <= KICKER_MAX_WORDS)
    result: np.ndarray = (at >= 1) & label & ((at < 2) | ~heading[higher])
    return result


def _not_a_title(lines: _Lines, i: int) -> bool:
    """A name under a "By" label, a byline, a metadata or contents label, a
    breadcrumb trail, two sentences, or a line cut after a function word.

    Each search runs only where it can match (a full stop, a separator, the
    line's tail): this runs for a hundred lines of every dump.
    """
    text = lines.text(i)
    return bool(
        (i >= 1 and M.BY_LABEL.fullmatch(lines.text(i - 1)))
        or _NOT_A_TITLE_START.match(text)
        or ("." in text and T.SENTENCE_BREAK.search(text))
        or (not _CRUMBS.isdisjoint(text) and T.BREADCRUMB.search(text))
        or T.DANGLING_END.search(text[-_DANGLING_TAIL:])
    )


def _over_headline_and_deck(lines: _Lines, i: int) -> bool:
    """A short label right above two lines that could both be the headline."""
    return (
        i + 2 < len(lines.page.blocks)
        and _short_label(lines, i)
        and _could_be_title(lines, i + 1)
        and _could_be_title(lines, i + 2)
    )


def _short_label(lines: _Lines, i: int) -> bool:
    """A heading-like line of at most KICKER_MAX_WORDS words that is no metadata line."""
    return lines.heading_like(i) and not lines.meta[i] and 1 <= lines.words[i] <= KICKER_MAX_WORDS


def _kicker_like(lines: _Lines, i: int) -> bool:
    """A short label that tops its run: the line above it is no heading.

    A short line with more short lines above it is a menu entry.
    """
    return _short_label(lines, i) and (i == 0 or not lines.heading_like(i - 1))


def _roles(
    lines: _Lines, title: int | None, start: int, figures: dict[int, tuple[str, str]]
) -> tuple[int | None, int | None, int | None]:
    """(kicker, title, subtitle) around the headline; None where there is none.

    The subtitle is the line right below the headline if it could be one too
    and is still above the body; the kicker a short line right above it that
    tops the header.
    """
    if title is None:
        return None, None, None
    below = title + 1
    deck = below < start and below not in figures and _could_be_title(lines, below)
    subtitle = below if deck else None
    kicker = title - 1 if title >= 1 and _kicker_like(lines, title - 1) else None
    return kicker, title, subtitle


def _blocks(
    lines: _Lines, members: list[int], figures: dict[int, tuple[str, str]], options: Options
) -> tuple[list[Block], str | None]:
    """Typed Blocks of the member lines; the dateline if the first paragraph has one."""
    blocks: list[Block] = []
    dateline = None
    look_for_dateline = True  # until the first paragraph
    groups = _groups(lines, members)
    page_lines = lines.page.blocks
    for n, group in enumerate(groups):
        if group[0] in figures:
            if options.include_figures:
                caption, credit = figures[group[0]]
                text = fold(lines.text(group[0]))
                blocks.append(Block("figure", text, caption=caption, credit=credit))
            continue
        texts = [page_lines[i] for i in group]
        if look_for_dateline:
            texts[0], dateline = split_dateline(texts[0])
            look_for_dateline = dateline is None and not (blocks and blocks[-1].kind == "paragraph")
        following = groups[n + 1] if n + 1 < len(groups) else None
        _append(blocks, lines, group, texts, following, options)
    return blocks, dateline


def _groups(lines: _Lines, members: list[int]) -> list[list[int]]:
    """Runs of member lines that are consecutive and share a paragraph."""
    groups: list[list[int]] = []
    paragraph = lines.page.paragraph.tolist()
    for i in members:
        if groups and groups[-1][-1] == i - 1 and paragraph[i] == paragraph[i - 1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def split_dateline(text: str) -> tuple[str, str | None]:
    """``PORT ARDEN -- For the first …`` → (``For the first …``, ``PORT ARDEN``)."""
    match = T.DATELINE.match(text)
    if not match or len(match.group(1).replace(".", "")) < 2:
        return text, None
    rest = text[match.end() :]
    if not rest[:1].isupper() and rest[:1] not in "\"'“‘":
        return text, None
    if len(rest.split()) < DATELINE_MIN_WORDS:  # "FAQ - What is new" is a heading
        return text, None
    return rest, match.group(1).strip()


def _append(
    blocks: list[Block],
    lines: _Lines,
    group: list[int],
    texts: list[str],
    following: list[int] | None,
    options: Options,
) -> None:
    """Add the Block(s) of one group of lines, merging lists and tables with the last block."""
    first = group[0]
    if len(group) == 1 and not lines.bullet[first] and not lines.tabbed[first]:
        if following is not None and lines.heading_like(first):
            blocks.append(Block("heading", fold(texts[0]), level=2))
        else:
            blocks.append(Block("paragraph", fold(texts[0])))
        return
    if all(lines.bullet[i] for i in group):
        items = tuple(fold(t[1:].strip()) for t in texts)
        if blocks and blocks[-1].kind == "list":
            items = blocks.pop().items + items
        blocks.append(Block("list", "\n".join(items), items=items))
        return
    if options.include_tables and all(lines.tabbed[i] for i in group):
        rows = tuple(tuple(fold(cell) for cell in t.split("\t")) for t in texts)
        if blocks and blocks[-1].kind == "table":
            rows = blocks.pop().rows + rows
        blocks.append(Block("table", "\n".join(" | ".join(r) for r in rows), rows=rows))
        return
    blocks.append(Block("paragraph", "\n".join(fold(t) for t in texts)))
