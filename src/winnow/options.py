"""One frozen Options dataclass, built once at the edge (API or CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

InputKind = Literal["auto", "html", "text"]
Favor = Literal["balanced", "precision", "recall"]


@dataclass(frozen=True, slots=True)
class Options:
    """How to extract. Variants come from ``dataclasses.replace``.

    ``favor`` moves the keep threshold of the block classifier: ``precision``
    keeps less, ``recall`` keeps more. ``max_bytes`` bounds the input that is
    parsed; the rest of a larger page is ignored and recorded in ``removed``.
    ``max_depth`` is how deep tags may nest: deeper start tags are unwrapped
    before parsing (their text stays; ``removed`` says ``too-deep``), as the
    parser's time grows with the square of the depth. Blink stops at 512 too.
    ``model`` is the path of a block-classifier file written by
    ``training/train.py`` (for a model retrained on your own pages, or for
    cross-validation); ``None`` uses the model shipped with winnow.
    ``type_model`` is likewise the path of a page-type classifier written by
    ``training/pagetype_train.py``.
    """

    input: InputKind = "auto"
    favor: Favor = "balanced"
    include_tables: bool = True
    include_figures: bool = True
    max_bytes: int = 16 * 1024 * 1024
    max_depth: int = 512
    model: str | None = None
    type_model: str | None = None


DEFAULT = Options()
