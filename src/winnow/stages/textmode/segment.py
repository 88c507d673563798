"""Flattened text → blocks: one block per non-blank line, grouped in paragraphs.

A crawler that flattens HTML the way ``shared/tools/flatten.py`` does ends
every block-level element (p, div, li, h1, tr, ...) with a blank line and
turns ``<br>`` into a single line break. So a paragraph of the dump is one
element of the page and its lines are the ``<br>`` breaks inside it. The
classifier scores lines, not paragraphs, because one element can hold both
boilerplate and content (an icon strip with the kicker under it); each line
knows its paragraph, and structure joins kept lines of one paragraph again.
A dump with no blank line at all has lost the distinction: then each line is
its own paragraph.

Lines are split as ``str.splitlines`` splits them (``\\n``, ``\\r\\n``, a lone
``\\r`` and the other Unicode line breaks) and stripped. Spaces inside a line
are left as they are (the features read any white space alike); structure
folds them in the text it outputs.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

# What stands between two blocks in ``TextPage.text``.
SEPARATOR = "\n\n"
# Lines past this many are cut (and the cut recorded). The longest WCXB dev
# dump has 3,279 non-blank lines; scoring 20,000 lines takes about 0.1 s.
MAX_BLOCKS = 20_000
# Characters past this many are cut (and the cut recorded). The largest WCXB
# dev dump has 110,000; features cost about 0.3 s per million characters, so
# a dump of any size stays well inside the 2 s a page may take.
MAX_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class TextPage:
    """The lines of one dump, their paragraphs, and the text laid out for page scans."""

    blocks: list[str]  # the non-blank lines, stripped
    paragraph: np.ndarray  # int64: paragraph number of each line, 0, 1, 2, ...
    text: str  # the lines joined by SEPARATOR
    starts: np.ndarray  # int64: offset of each line in ``text``
    cut: int  # lines past MAX_BLOCKS that were left out
    cut_chars: int  # characters past MAX_CHARS that were left out

    def owner(self, offsets: np.ndarray) -> np.ndarray:
        """Index of the line that holds each offset of ``text``."""
        return np.searchsorted(self.starts, offsets, side="right") - 1


def segment(dump: str) -> TextPage:
    cut_chars = max(0, len(dump) - MAX_CHARS)
    if cut_chars:
        dump = dump[:MAX_CHARS]
    lines = [line.strip() for line in dump.splitlines()]
    blank = np.fromiter(map(operator.not_, lines), dtype=bool, count=len(lines))
    blocks = list(filter(None, lines))
    if blank.any():
        gaps = np.cumsum(blank)[~blank]  # blank lines above each line: equal within a paragraph
        paragraph = np.cumsum(np.diff(gaps, prepend=gaps[:1]) != 0)
    else:
        paragraph = np.arange(len(blocks))
    cut = max(0, len(blocks) - MAX_BLOCKS)
    if cut:
        blocks, paragraph = blocks[:MAX_BLOCKS], paragraph[:MAX_BLOCKS]
    sizes = np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks))
    starts = np.zeros(len(blocks), dtype=np.int64)
    np.cumsum(sizes[:-1] + len(SEPARATOR), out=starts[1:])
    return TextPage(
        blocks=blocks,
        paragraph=paragraph.astype(np.int64),
        text=SEPARATOR.join(blocks),
        starts=starts,
        cut=cut,
        cut_chars=cut_chars,
    )
