"""Score blocks with the shipped gradient-boosted trees, in numpy.

The trees are trained by ``training/train.py`` (LightGBM) and exported as
flat arrays, so the runtime needs numpy only. All trees are walked at once:
a few flat ``take`` gathers per tree level for the whole (blocks x trees) grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

# Rows scored per step. Bounds the (rows x trees) work arrays (256 x 200 trees
# x 8 bytes = 400 KB each) on pages with thousands of blocks; on 225 dev pages
# 128-256 rows per step were as fast as one step for the whole page.
_ROWS_PER_STEP = 256


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
    # Walking layout, derived from the arrays above: node k sits at slot 2k, and
    # _child[2k + went_left] is the slot of its next node, so one step is
    # "slot += (x <= threshold); slot = _child[slot]" with no np.where.
    _walk: _Walk = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_walk", _Walk.of(self))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability that each row is main content."""
        if X.ndim != 2 or X.shape[1] != len(self.names):
            raise ValueError(
                f"the forest was trained on {len(self.names)} features; X has shape {X.shape}"
            )
        if X.shape[0] == 0:
            return np.zeros(0)
        walk = self._walk
        if X.dtype == np.float32:
            threshold = walk.threshold32
        else:
            X = np.asarray(X, dtype=np.float64)
            threshold = walk.threshold
        X = np.ascontiguousarray(X)
        margin = np.concatenate(
            [
                walk.margin(X[start : start + _ROWS_PER_STEP], threshold, self.depth)
                for start in range(0, X.shape[0], _ROWS_PER_STEP)
            ]
        )
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-margin))
        return probability


@dataclass(frozen=True)
class _Walk:
    feature: np.ndarray  # intp, per slot
    threshold: np.ndarray  # float64, per slot
    # For float32 rows: each threshold rounded down to a float32, so that for
    # every float32 x, ``x <= threshold32`` exactly when ``x <= threshold``
    # (compared in float64). Comparing in float32 is several times faster.
    threshold32: np.ndarray
    child: np.ndarray  # intp: slot of the right child at 2k, of the left at 2k + 1
    value: np.ndarray  # float64, per slot
    roots: np.ndarray  # intp, slot of each tree's root

    @staticmethod
    def of(forest: Forest) -> _Walk:
        n = forest.feature.size
        feature = np.zeros(2 * n, dtype=np.intp)
        feature[0::2] = forest.feature
        threshold = np.zeros(2 * n, dtype=np.float64)
        threshold[0::2] = forest.threshold
        threshold32 = threshold.astype(np.float32)
        over = threshold32.astype(np.float64) > threshold
        threshold32[over] = np.nextafter(threshold32[over], np.float32(-np.inf))
        child = np.empty(2 * n, dtype=np.intp)
        child[0::2] = 2 * np.asarray(forest.right, dtype=np.intp)
        child[1::2] = 2 * np.asarray(forest.left, dtype=np.intp)
        value = np.zeros(2 * n, dtype=np.float64)
        value[0::2] = forest.value
        return _Walk(
            feature=feature,
            threshold=threshold,
            threshold32=threshold32,
            child=child,
            value=value,
            roots=2 * np.asarray(forest.roots, dtype=np.intp),
        )

    def margin(self, X: np.ndarray, threshold: np.ndarray, depth: int) -> np.ndarray:
        """Summed leaf values of every tree for each row of a C-contiguous X."""
        rows, width = X.shape
        flat = X.ravel()
        # Flat position of each row's first column: X[r, f] is flat[start[r] + f].
        start = np.arange(0, rows * width, width, dtype=np.intp)[:, None]
        slot = np.empty((rows, self.roots.size), dtype=np.intp)
        slot[:] = self.roots
        feature, child = self.feature, self.child
        for _ in range(depth):
            at = feature.take(slot)
            at += start
            slot += flat.take(at) <= threshold.take(slot)
            slot = child.take(slot)
        margin: np.ndarray = self.value.take(slot).sum(axis=1)
        return margin


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


def model_bytes(name: str, path: str | None = None) -> bytes:
    """A model file: the one at ``path`` (``Options.model``), else ``name`` in winnow/data."""
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    return resources.files("winnow.data").joinpath(name).read_bytes()


@cache
def forest(name: str, path: str | None = None) -> Forest:
    """The forest of ``model_bytes(name, path)``, read once per process and file."""
    return load_forest(model_bytes(name, path))
