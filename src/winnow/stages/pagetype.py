"""What kind of page it is: article, documentation, forum, listing, ...

The seven kinds are those of the WCXB benchmark (Foley, 2026). A page is
described by averages of its blocks' feature rows (``features.compute``):
over blocks, over words, and over words weighted by the block classifier's
score (what the main content is made of: code, tables, list items, dates,
bylines). The URL and structured-data hints are columns of those rows too.
Gradient-boosted trees, one forest per kind (a multiclass model trained by
``training/pagetype_train.py``), give each kind a margin; the page is the kind
with the largest. The same ``Forest`` walk that scores blocks walks them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np

from winnow.errors import ExtractionError
from winnow.stages import features
from winnow.stages.score import Forest, forest_of, model_bytes

# The WCXB page types, the order of the model's classes.
PAGE_TYPES: Final = (
    "article",
    "documentation",
    "service",
    "forum",
    "listing",
    "collection",
    "product",
)
# The shipped page-type classifier (trained by training/pagetype_train.py).
MODEL: Final = "pagetype.npz"

_WEIGHTINGS: Final = ("blocks", "words", "content")
# The names of page_features' columns: each block feature, averaged three ways.
PAGE_FEATURE_NAMES: Final = tuple(
    f"{how}_{name}" for how in _WEIGHTINGS for name in features.MEASURED_NAMES
)
_LOG_WORDS: Final = features.MEASURED_NAMES.index("log_words")


def page_features(X: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """One row describing the page: its blocks' features averaged three ways.

    Over blocks (the page's make-up), over words (where its text is), and
    over words weighted by each block's content score (what its main content
    is made of). ``X`` (float32, as ``features.compute`` makes it) has at
    least one row.
    """
    words = np.expm1(X[:, _LOG_WORDS].astype(np.float64)) + 1.0
    weights = np.stack([np.ones(X.shape[0]), words, words * scores])
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    # einsum, not the matmul operator: BLAS spreads a product this skinny over
    # threads and took 14 ms on a page of 2,600 blocks; einsum's own loop 0.2 ms.
    # In float32, as X is: half the time of float64 (0.036 against 0.072 ms a
    # page on 194 dev pages); the model is trained on these very rows.
    row: np.ndarray = np.einsum("kn,nf->kf", weights.astype(np.float32), X).reshape(1, -1)
    return row


@dataclass(frozen=True)
class TypeModel:
    """One forest per page type; the largest margin names the page."""

    classes: tuple[str, ...]
    forests: tuple[Forest, ...]

    def margins(self, row: np.ndarray) -> np.ndarray:
        """Each class's margin for a ``page_features`` row (classes in order)."""
        return np.array([forest.margin(row)[0] for forest in self.forests])

    def classify(self, X: np.ndarray, scores: np.ndarray) -> str | None:
        """The page's type, from its block features and scores; None without blocks."""
        if X.shape[0] == 0:
            return None
        margins = self.margins(page_features(X, scores))
        return self.classes[int(np.argmax(margins))]


def load_type_model(data: bytes) -> TypeModel:
    """A page-type model file: ``names`` and ``classes``, then per class k its
    forest's arrays as ``k/feature``, ``k/threshold``, ... (``score.Forest``)."""
    arrays = np.load(io.BytesIO(data), allow_pickle=False)
    names = tuple(str(n) for n in arrays["names"])
    if names != PAGE_FEATURE_NAMES:
        raise ExtractionError("the page-type model was trained on other features; retrain it")
    classes = tuple(str(c) for c in arrays["classes"])
    forests = tuple(forest_of(arrays, names, f"{k}/") for k in range(len(classes)))
    return TypeModel(classes, forests)


@cache
def type_model(path: str | None = None) -> TypeModel:
    """The page-type model at ``path`` (``Options.type_model``), else the shipped one."""
    return load_type_model(model_bytes(MODEL, path))
