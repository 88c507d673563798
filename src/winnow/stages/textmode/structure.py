"""Structure of a text dump: header fields, dateline, figures and typed blocks.

A dump has no tags to say what is a heading or a caption, so structure is
read from the shape of the lines around the selected body:

* **figures**: a one-line paragraph near the body whose tail is a credit
  (``© Reuters``, ``Photo: …``) is a caption, with or without the
  classifier's vote; it becomes a ``figure`` Block with caption and credit,
  never a paragraph;
* **header**: walking back from the first body line, past captions and
  metadata lines (dates, bylines), the run of heading-like lines holds the
  title, a subtitle below it and a kicker above it (``_roles`` says which);
* **dateline**: a first body paragraph that opens with a place in capitals
  and a dash (``PORT ARDEN -- …``) gives ``Document.dateline``, and the paragraph
  keeps only what follows the dash;
* **blocks**: kept lines of one paragraph form one block: bullet lines a
  list, tab-separated lines a table, a short line without a full stop before
  more body a heading, anything else a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from winnow import text_patterns as T
from winnow.model import Block
from winnow.options import Options
from winnow.stages.structure import split_credit
from winnow.stages.textmode.features import FEATURE_NAMES
from winnow.stages.textmode.segment import TextPage

_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}

# A heading, title, kicker or subtitle has at most this many words. (The
# longest WCXB dev title that appears as a line of its dump has 28.)
HEADING_MAX_WORDS = 28
# The header is looked for at most this many lines above the body.
HEADER_REACH = 8
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
        self._heading: list[bool] = (
            (self.words >= 1)
            & (self.words <= HEADING_MAX_WORDS)
            & (col("glue_ratio") < _GLUED)
            & (col("ui_label") == 0)
            & (col("template") == 0)
            & (col("ends_colon") == 0)
            & ~short_menu_entry
        ).tolist()  # read one line at a time: list items are faster than numpy scalars
        self.meta = (col("date") > 0) | (col("time") > 0) | (col("byline") > 0)
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
        return self._heading[i] and self.page.blocks[i][-1] not in _NOT_HEADING_END

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


def build(page: TextPage, X: np.ndarray, keep: np.ndarray, options: Options) -> Built:
    """Header fields, dateline and typed blocks of the kept lines (in page order)."""
    out = Built()
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        return out
    lines = _Lines(page, X)
    body = [int(i) for i in kept]
    start = next((i for i in body if not lines.heading_like(i)), body[0])
    figures = lines.captions(max(0, start - HEADER_REACH), body[-1])
    run = _header(lines, start, figures)
    roles = _roles(lines, run)
    out.kicker, out.title, out.subtitle = (
        None if i is None else fold(lines.text(i)) for i in roles
    )
    header = [i for i in roles if i is not None]
    members = sorted((set(body) | set(figures)) - set(header))
    out.used = (set(header) | set(figures)) - set(body)
    out.blocks, out.dateline = _blocks(lines, members, figures, options)
    return out


def _header(lines: _Lines, start: int, figures: dict[int, tuple[str, str]]) -> list[int]:
    """The run of heading-like lines right above the body, in page order.

    Walking up from the first body line: figure captions are passed over, and
    so are dates and bylines until the run has begun (they stand between a
    headline and its story); the run ends at the first line that is neither.
    """
    run: list[int] = []
    for i in range(start - 1, max(-1, start - 1 - HEADER_REACH), -1):
        if i in figures or (lines.meta[i] and not run):
            continue
        if not lines.heading_like(i):
            break
        run.append(i)
    return run[::-1]


def _roles(lines: _Lines, run: list[int]) -> tuple[int | None, int | None, int | None]:
    """(kicker, title, subtitle) among a header run; None where there is none.

    The title and the subtitle are the two lowest lines of the run with at
    least TITLE_MIN_WORDS words (the title above); with one such line it is
    the title. The kicker is a short line right above the title, and only if
    it is the top of the run: a short line with more short lines above it is
    a menu entry. A run without such a line has a title only if it is one line.
    """
    long_enough = [i for i in run if lines.words[i] >= TITLE_MIN_WORDS]
    if not long_enough:
        return None, (run[0] if len(run) == 1 else None), None
    title = long_enough[-2] if len(long_enough) >= 2 else long_enough[-1]
    subtitle = long_enough[-1] if len(long_enough) >= 2 else None
    if subtitle is not None and subtitle != title + 1:
        title, subtitle = subtitle, None  # not adjacent: only the lower is the headline
    at = run.index(title)
    kicker = run[at - 1] if at == 1 and lines.words[run[0]] <= KICKER_MAX_WORDS else None
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
