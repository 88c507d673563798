"""What the select stage decided for each block of one page, for ``winnow explain``.

``extract()`` builds a ``Trace`` from objects the stages made anyway (the
segmented page, the score array, the keep mask, the Decisions), so keeping one
costs a few pointers, and ``winnow explain`` shows the very run that made the
Document instead of a second, possibly different one. Not public API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from winnow.model import Decision
from winnow.stages.blocks import Page
from winnow.stages.textmode.segment import TextPage


@dataclass(frozen=True, slots=True)
class Trace:
    """Scores and choices per block (HTML) or per line (text dump), in reading order."""

    kind: Literal["html", "text"]
    # The segmented page: ``Page`` (its ``blocks`` are RawBlocks) or ``TextPage`` (lines).
    page: Page | TextPage | None = None
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))  # P(main content)
    keep: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Each Decision of the select stage with the blocks it covers (text mode
    # gives one Decision to a run of lines).
    drops: Sequence[tuple[Sequence[int], Decision]] = ()
    # Dropped from the body but used by structure (a dump's title, captions).
    used: frozenset[int] = frozenset()

    def texts(self) -> list[str]:
        """The text of every block, in reading order."""
        if self.page is None:
            return []
        if isinstance(self.page, TextPage):
            return list(self.page.blocks)
        return [block.text for block in self.page.blocks]
