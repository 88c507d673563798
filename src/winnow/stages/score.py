"""Score blocks with the shipped gradient-boosted trees.

The trees are trained by ``training/train.py`` (LightGBM) and exported as
flat arrays, so the runtime needs numpy only. Two walks give the same margins,
bit for bit: the C extension ``winnow._forest`` (built by ``pip install`` where
a C compiler is found) walks blocks of 64 rows down one tree after the other;
without it, numpy walks all trees at once, a few flat ``take`` gathers per tree
level for the whole (trees x blocks) grid. Both add each row's leaf values in
tree order.
``WINNOW_PURE_PYTHON=1`` in the environment leaves the extension unused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from winnow.compiled import pure_python

if TYPE_CHECKING:
    from winnow import _forest


def _compiled_trees() -> type[_forest.Trees] | None:
    """The C walk, unless it was not built or ``WINNOW_PURE_PYTHON`` is set."""
    if pure_python():
        return None
    try:
        from winnow._forest import Trees
    except ImportError:  # installed without a C compiler: the numpy walk
        return None
    return Trees


_TREES = _compiled_trees()
# Whether the forests of this process are walked by the C extension.
COMPILED = _TREES is not None

# Rows scored per step by numpy. Bounds the (trees x rows) work arrays (256 x 200 trees
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
    # The same forest packed for the C walk; None without the extension.
    _trees: _forest.Trees | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_walk", _Walk.of(self))
        object.__setattr__(self, "_trees", _pack(self, _TREES) if _TREES else None)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability that each row is main content."""
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-self.margin(X)))
        return probability

    def margin(self, X: np.ndarray, compiled: bool = True) -> np.ndarray:
        """Summed leaf values of every tree for each row (float64).

        ``compiled=False`` takes the numpy walk even where the C one is built
        (the tests compare the two).
        """
        if X.ndim != 2 or X.shape[1] != len(self.names):
            raise ValueError(
                f"the forest was trained on {len(self.names)} features; X has shape {X.shape}"
            )
        if X.dtype != np.float32:
            X = np.asarray(X, dtype=np.float64)
        X = np.ascontiguousarray(X)
        if compiled and self._trees is not None:
            margin = np.empty(X.shape[0])
            self._trees.margin(X, margin)
            return margin
        if X.shape[0] == 0:
            return np.zeros(0)
        walk = self._walk
        threshold = walk.threshold32 if X.dtype == np.float32 else walk.threshold
        return np.concatenate(
            [
                walk.margin(X[start : start + _ROWS_PER_STEP], threshold, self.depth)
                for start in range(0, X.shape[0], _ROWS_PER_STEP)
            ]
        )


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
        child = np.empty(2 * n, dtype=np.intp)
        child[0::2] = 2 * np.asarray(forest.right, dtype=np.intp)
        child[1::2] = 2 * np.asarray(forest.left, dtype=np.intp)
        value = np.zeros(2 * n, dtype=np.float64)
        value[0::2] = forest.value
        return _Walk(
            feature=feature,
            threshold=threshold,
            threshold32=_rounded_down(threshold),
            child=child,
            value=value,
            roots=2 * np.asarray(forest.roots, dtype=np.intp),
        )

    def margin(self, X: np.ndarray, threshold: np.ndarray, depth: int) -> np.ndarray:
        """Summed leaf values of every tree for each row of a C-contiguous X."""
        rows, width = X.shape
        flat = X.ravel()
        # One row of slots per tree, one column per row of X: X[r, f] is
        # flat[start[r] + f].
        start = np.arange(0, rows * width, width, dtype=np.intp)
        slot = np.empty((self.roots.size, rows), dtype=np.intp)
        slot[:] = self.roots[:, None]
        feature, child = self.feature, self.child
        for _ in range(depth):
            at = feature.take(slot)
            at += start
            slot += flat.take(at) <= threshold.take(slot)
            slot = child.take(slot)
        values = self.value.take(slot)
        # Added one tree after the other, in tree order, as the C walk adds
        # them. Summed down the slow axis of memory, numpy adds each item in
        # turn (its pairwise summation is for the fast axis only, see the
        # notes of numpy.sum), but a single row is the fast axis: cumsum.
        if rows == 1:
            return np.cumsum(values[:, 0])[-1:]
        margin: np.ndarray = np.add.reduce(values, axis=0)
        return margin


def _rounded_down(threshold: np.ndarray) -> np.ndarray:
    """Each threshold as the largest float32 not above it."""
    threshold32 = threshold.astype(np.float32)
    over = threshold32.astype(np.float64) > threshold
    threshold32[over] = np.nextafter(threshold32[over], np.float32(-np.inf))
    return threshold32


def _pack(forest: Forest, trees: type[_forest.Trees]) -> _forest.Trees:
    """The forest as the C walk reads it (the extension checks every index)."""
    threshold = np.ascontiguousarray(forest.threshold, dtype=np.float64)
    return trees(
        feature=np.ascontiguousarray(forest.feature, dtype=np.int32),
        threshold=threshold,
        threshold32=_rounded_down(threshold),
        left=np.ascontiguousarray(forest.left, dtype=np.int32),
        right=np.ascontiguousarray(forest.right, dtype=np.int32),
        value=np.ascontiguousarray(forest.value, dtype=np.float64),
        roots=np.ascontiguousarray(forest.roots, dtype=np.int32),
        depth=forest.depth,
        width=len(forest.names),
    )


def load_forest(data: bytes) -> Forest:
    import io

    arrays = np.load(io.BytesIO(data), allow_pickle=False)
    return forest_of(arrays, tuple(str(n) for n in arrays["names"]))


def forest_of(arrays: Mapping[str, np.ndarray], names: tuple[str, ...], prefix: str = "") -> Forest:
    """The forest a model file holds as ``{prefix}feature``, ``{prefix}threshold``, ..."""
    return Forest(
        names=names,
        feature=arrays[f"{prefix}feature"],
        threshold=arrays[f"{prefix}threshold"],
        left=arrays[f"{prefix}left"],
        right=arrays[f"{prefix}right"],
        value=arrays[f"{prefix}value"],
        roots=arrays[f"{prefix}roots"],
        depth=int(arrays[f"{prefix}depth"]),
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
