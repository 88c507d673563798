"""The C walk of the trees (winnow._forest) against the numpy walk and a plain
Python one: the same margins, bit for bit, on random forests and rows.

``WINNOW_EXTENSIONS=required`` (set by .ci/run) says that the extension must
have been built here: then its absence fails instead of skipping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest

from winnow.compiled import pure_python
from winnow.stages import score
from winnow.stages.score import Forest

compiled_only = pytest.mark.skipif(
    not score.COMPILED, reason="winnow._forest is not built here (numpy walk only)"
)


def test_the_extension_is_built_where_required(
    extension: Callable[[str], ModuleType],
) -> None:
    _forest = extension("_forest")
    if pure_python():
        pytest.skip("WINNOW_PURE_PYTHON is set")
    assert score.COMPILED
    assert _forest.__file__ is not None and not _forest.__file__.endswith(".py")


def test_pure_python_in_the_environment_leaves_the_extension_unused(
    pure_python_prints: Callable[[str], str],
) -> None:
    code = "from winnow.stages import score; print(score.COMPILED)"
    assert pure_python_prints(code) == "False"


# --- random forests ----------------------------------------------------------


def random_forest(rng: np.random.Generator, trees: int, depth: int, width: int) -> Forest:
    """Trees of random shapes up to ``depth``; leaves loop on themselves.

    Thresholds are drawn from a small grid (so rows land exactly on them) or
    are float64 values with no float32 equal; leaf values span 12 orders of
    magnitude, so that adding them in another order changes the sum's bits.
    """
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []

    def node(level: int) -> int:
        k = len(feature)
        feature.append(0)
        threshold.append(math.inf)
        left.append(k)
        right.append(k)
        value.append(0.0)
        if level == depth or rng.random() < 0.2:
            value[k] = float(rng.normal() * 10.0 ** rng.integers(-6, 6))
            return k
        feature[k] = int(rng.integers(width))
        grid = float(rng.integers(-4, 5)) / 2
        threshold[k] = grid if rng.random() < 0.5 else float(rng.normal())
        left[k] = node(level + 1)
        right[k] = node(level + 1)
        return k

    roots = [node(0) for _ in range(trees)]
    return Forest(
        names=tuple(f"f{i}" for i in range(width)),
        feature=np.array(feature, dtype=np.int32),
        threshold=np.array(threshold),
        left=np.array(left, dtype=np.int32),
        right=np.array(right, dtype=np.int32),
        value=np.array(value),
        roots=np.array(roots, dtype=np.int32),
        depth=depth,
    )


def random_rows(rng: np.random.Generator, rows: int, width: int, dtype: type) -> np.ndarray:
    """Rows on the thresholds' grid, off it, and with NaN, ±inf here and there."""
    X = np.where(
        rng.random((rows, width)) < 0.5,
        rng.integers(-4, 5, size=(rows, width)) / 2,
        rng.normal(size=(rows, width)),
    )
    X[rng.random((rows, width)) < 0.05] = np.nan
    X[rng.random((rows, width)) < 0.01] = np.inf
    X[rng.random((rows, width)) < 0.01] = -np.inf
    return X.astype(dtype)


def plain_margin(forest: Forest, row: np.ndarray) -> float:
    """One row walked in plain Python: left when x <= threshold (compared as
    float64, so NaN goes right), leaf values added in tree order."""
    total = 0.0
    for root in forest.roots:
        k = int(root)
        for _ in range(forest.depth):
            x = float(row[forest.feature[k]])
            k = int(forest.left[k] if x <= forest.threshold[k] else forest.right[k])
        total += float(forest.value[k])
    return total


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_walk_matches_a_plain_python_walk(dtype: type) -> None:
    rng = np.random.default_rng(1)
    forest = random_forest(rng, trees=40, depth=5, width=6)
    X = random_rows(rng, 300, 6, dtype)
    expected = np.array([plain_margin(forest, row) for row in X])
    np.testing.assert_array_equal(forest.margin(X, compiled=False), expected)


@compiled_only
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows", [0, 1, 2, 63, 64, 65, 255, 256, 257, 600])
def test_compiled_walk_matches_the_numpy_walk(dtype: type, rows: int) -> None:
    rng = np.random.default_rng(rows)
    forest = random_forest(rng, trees=50, depth=6, width=7)
    X = random_rows(rng, rows, 7, dtype)
    compiled = forest.margin(X)
    assert compiled.shape == (rows,) and compiled.dtype == np.float64
    np.testing.assert_array_equal(compiled, forest.margin(X, compiled=False))
    if rows:
        np.testing.assert_array_equal(compiled[:3], [plain_margin(forest, r) for r in X[:3]])


@compiled_only
def test_compiled_walk_matches_on_the_shipped_models() -> None:
    rng = np.random.default_rng(7)
    for name in ("blocks.npz", "text.npz"):
        forest = score.forest(name)
        X = rng.normal(size=(300, len(forest.names))).astype(np.float32)
        X[rng.random(X.shape) < 0.1] = np.nan
        np.testing.assert_array_equal(forest.margin(X), forest.margin(X, compiled=False))


@pytest.mark.parametrize("compiled", [True, False])
def test_nan_goes_right(compiled: bool) -> None:
    # Tree 0: a <= 0.5 ? leaf +1 : (b <= 2 ? leaf -0.5 : leaf +2); tree 1: leaf +0.25.
    forest = Forest(
        names=("a", "b"),
        feature=np.array([0, 0, 1, 0, 0, 0], dtype=np.int32),
        threshold=np.array([0.5, math.inf, 2.0, math.inf, math.inf, math.inf]),
        left=np.array([1, 1, 3, 3, 4, 5], dtype=np.int32),
        right=np.array([2, 1, 4, 3, 4, 5], dtype=np.int32),
        value=np.array([0.0, 1.0, 0.0, -0.5, 2.0, 0.25]),
        roots=np.array([0, 5], dtype=np.int32),
        depth=2,
    )
    X = np.array([[np.nan, 0.0], [np.nan, np.nan], [0.0, np.nan]], dtype=np.float32)
    margin = forest.margin(X, compiled=compiled)
    np.testing.assert_array_equal(margin, [-0.5 + 0.25, 2.0 + 0.25, 1.0 + 0.25])


@pytest.mark.parametrize("compiled", [True, False])
def test_other_dtypes_and_layouts_are_read_as_float64(compiled: bool) -> None:
    rng = np.random.default_rng(3)
    forest = random_forest(rng, trees=10, depth=4, width=5)
    X = random_rows(rng, 40, 5, np.float64)
    expected = forest.margin(X, compiled=False)
    np.testing.assert_array_equal(forest.margin(np.asfortranarray(X), compiled=compiled), expected)
    whole = np.round(X[:, ::-1] * 2)[:, ::-1]  # not contiguous
    np.testing.assert_array_equal(
        forest.margin(whole, compiled=compiled),
        forest.margin(np.ascontiguousarray(whole, dtype=np.float64), compiled=False),
    )


# --- what the extension refuses ---------------------------------------------


def trees_arguments() -> dict[str, object]:
    return {
        "feature": np.array([0, 0, 0], dtype=np.int32),
        "threshold": np.array([0.5, math.inf, math.inf]),
        "threshold32": np.array([0.5, math.inf, math.inf], dtype=np.float32),
        "left": np.array([1, 1, 2], dtype=np.int32),
        "right": np.array([2, 1, 2], dtype=np.int32),
        "value": np.array([0.0, 1.0, 2.0]),
        "roots": np.array([0], dtype=np.int32),
        "depth": 1,
        "width": 1,
    }


@compiled_only
@pytest.mark.parametrize(
    ("name", "bad", "error"),
    [
        ("feature", np.array([1, 0, 0], dtype=np.int32), ValueError),  # column 1 of 1
        ("left", np.array([3, 1, 2], dtype=np.int32), ValueError),  # node 3 of 3
        ("right", np.array([-1, 1, 2], dtype=np.int32), ValueError),
        ("roots", np.array([0, 9], dtype=np.int32), ValueError),
        ("value", np.array([0.0, 1.0]), ValueError),  # two values for three nodes
        ("feature", np.array([0, 0, 0], dtype=np.int64), TypeError),
        ("threshold", np.array([0.5, 1, 1], dtype=np.float32), TypeError),
        ("left", [1, 1, 2], TypeError),  # not a buffer
    ],
)
def test_trees_refuse_a_forest_that_points_outside_itself(
    name: str, bad: object, error: type[Exception]
) -> None:
    from winnow import _forest

    with pytest.raises(error):
        _forest.Trees(**{**trees_arguments(), name: bad})  # type: ignore[arg-type]


@compiled_only
def test_margin_refuses_rows_and_outputs_of_the_wrong_shape_or_type() -> None:
    from winnow import _forest

    trees = _forest.Trees(**trees_arguments())  # type: ignore[arg-type]
    out = np.zeros(2)
    trees.margin(np.array([[0.0], [1.0]]), out)
    assert out.tolist() == [1.0, 2.0]
    with pytest.raises(ValueError):
        trees.margin(np.zeros((2, 2)), out)  # two columns for one
    with pytest.raises(ValueError):
        trees.margin(np.zeros((3, 1)), out)  # three rows, two outputs
    with pytest.raises(TypeError):
        trees.margin(np.zeros((2, 1), dtype=np.int32), out)
    with pytest.raises(TypeError):
        trees.margin(np.zeros((2, 1)), np.zeros(2, dtype=np.float32))
    with pytest.raises(ValueError, match="contiguous"):  # numpy refuses the buffer
        trees.margin(np.zeros((4, 1))[::2], out)
    with pytest.raises(ValueError, match="contiguous"):
        trees.margin(np.zeros((2, 1)), np.zeros(4)[::2])
    with pytest.raises(ValueError):
        _forest.Trees.__new__(_forest.Trees).margin(np.zeros((2, 1)), out)
