"""The C walk of winnow.stages.score (src/winnow/_forest.c).

It reads any C-contiguous buffer of the right item type; winnow hands it
numpy arrays, so the stub says so.
"""

import numpy as np

class Trees:
    """A forest packed for walking; every index is checked once, here."""

    def __init__(
        self,
        feature: np.ndarray,  # int32 per node: the column each node reads
        threshold: np.ndarray,  # float64 per node: go left when x <= threshold
        threshold32: np.ndarray,  # float32 per node: the same for float32 rows
        left: np.ndarray,  # int32 per node; a leaf's children are itself
        right: np.ndarray,
        value: np.ndarray,  # float64 per node: the leaf values
        roots: np.ndarray,  # int32, each tree's root, in tree order
        depth: int,  # steps walked down each tree
        width: int,  # columns per row
    ) -> None: ...
    def margin(self, X: np.ndarray, out: np.ndarray, /) -> None:
        """For each row of the C-contiguous float32/float64 X, the summed leaf
        values of every tree in tree order, written into the float64 out."""
