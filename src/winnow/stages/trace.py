"""What the select stage decided for each block of one page, for ``winnow explain``.

``extract()`` builds a ``Trace`` from objects the stages made anyway (the
segmented page, the score array, the kept indices, the Decisions), so keeping
one costs a few pointers; pairing Decisions with blocks waits until ``winnow
explain`` asks. The report shows the very run that made the Document instead of
a second, possibly different one. Not public API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from winnow.model import Decision
from winnow.stages.blocks import Page
from winnow.stages.select import MIN_SCORE
from winnow.stages.textmode.segment import TextPage


@dataclass(frozen=True, slots=True)
class Trace:
    """Scores and choices per block (HTML) or per line (text dump), in reading order."""

    kind: Literal["html", "text"]
    # The segmented page: ``Page`` (its ``blocks`` are RawBlocks) or ``TextPage`` (lines).
    page: Page | TextPage | None = None
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))  # P(main content)
    kept: Sequence[int] | np.ndarray = ()  # indices of the body's blocks
    # The select stage's Decisions in page order (a Decision past the last
    # dropped block is about the page, as "no-content" is).
    decisions: Sequence[Decision] = ()
    # The lines each Decision covers (text mode gives one Decision to a run of
    # lines); None: one Decision per dropped block, in order (HTML).
    covers: Sequence[Sequence[int]] | None = None
    # Dropped from the body but used by structure (a dump's title, captions).
    used: frozenset[int] = frozenset()
    # No block under this score is kept (select.MIN_SCORE, text mode's own for dumps).
    floor: float = MIN_SCORE

    def texts(self) -> list[str]:
        """The text of every block, in reading order."""
        if self.page is None:
            return []
        if isinstance(self.page, TextPage):
            return list(self.page.blocks)
        return [block.text for block in self.page.blocks]

    def keep(self) -> np.ndarray:
        """Mask of the kept blocks."""
        mask = np.zeros(len(self.scores), dtype=bool)
        mask[np.asarray(self.kept, dtype=np.intp)] = True
        return mask

    def drops(self) -> list[tuple[Sequence[int], Decision]]:
        """Each Decision with the blocks it covers."""
        if self.covers is not None:
            return list(zip(self.covers, self.decisions, strict=True))
        dropped = np.flatnonzero(~self.keep()).tolist()
        return [((i,), d) for i, d in zip(dropped, self.decisions, strict=False)]
