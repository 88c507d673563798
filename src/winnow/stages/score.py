"""Score blocks with the shipped gradient-boosted trees, in numpy.

The trees are trained by ``training/train.py`` (LightGBM) and exported as
flat arrays, so the runtime needs numpy only. All trees are walked at once:
one fancy-indexing step per tree level for the whole (blocks x trees) grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Forest:
    names: tuple[str, ...]
    feature: np.ndarray  # int32, per node; leaves point at column 0
    threshold: np.ndarray  # float64; +inf at leaves so they loop on themselves
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray  # leaf values (0 at inner nodes)
    roots: np.ndarray  # node index of each tree's root
    depth: int  # deepest path, in steps

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability that each row is main content."""
        if X.shape[0] == 0:
            return np.zeros(0)
        rows = np.arange(X.shape[0])[:, None]
        idx = np.broadcast_to(self.roots, (X.shape[0], self.roots.size)).copy()
        for _ in range(self.depth):
            go_left = X[rows, self.feature[idx]] <= self.threshold[idx]
            idx = np.where(go_left, self.left[idx], self.right[idx])
        margin = self.value[idx].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-margin))


def load_forest(data: bytes) -> Forest:
    import io

    arrays = np.load(io.BytesIO(data), allow_pickle=False)
    return Forest(
        names=tuple(str(n) for n in arrays["names"]),
        feature=arrays["feature"],
        threshold=arrays["threshold"],
        left=arrays["left"],
        right=arrays["right"],
        value=arrays["value"],
        roots=arrays["roots"],
        depth=int(arrays["depth"]),
    )


@cache
def shipped(name: str) -> Forest:
    """The model file shipped in ``winnow/data`` (read once per process)."""
    return load_forest(resources.files("winnow.data").joinpath(name).read_bytes())
