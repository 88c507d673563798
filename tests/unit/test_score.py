"""The numpy forest: hand-built trees checked against hand computation."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from winnow.pipeline import MODEL
from winnow.stages import lexicon
from winnow.stages.features import FEATURE_NAMES
from winnow.stages.score import Forest, load_forest
from winnow.stages.score import forest as shipped_forest

INF = np.inf


def sigmoid(margin: float) -> float:
    return 1.0 / (1.0 + math.exp(-margin))


def tiny_forest() -> Forest:
    """Two trees over features ("a", "b"); leaves loop on themselves.

    Tree 0 (nodes 0-4):            Tree 1 (node 5):
        0: a <= 0.5                    5: leaf +0.25
          1: leaf +1.0
          2: b <= 2.0
            3: leaf -0.5
            4: leaf +2.0
    """
    return Forest(
        names=("a", "b"),
        feature=np.array([0, 0, 1, 0, 0, 0], dtype=np.int32),
        threshold=np.array([0.5, INF, 2.0, INF, INF, INF]),
        left=np.array([1, 1, 3, 3, 4, 5], dtype=np.int32),
        right=np.array([2, 1, 4, 3, 4, 5], dtype=np.int32),
        value=np.array([0.0, 1.0, 0.0, -0.5, 2.0, 0.25]),
        roots=np.array([0, 5], dtype=np.int32),
        depth=2,
    )


@pytest.mark.parametrize(
    ("row", "margin"),
    [
        ([0.0, 9.0], 1.0 + 0.25),  # a <= 0.5: left leaf, b never read
        ([0.5, 9.0], 1.0 + 0.25),  # a equal to the threshold goes left
        ([0.6, 2.0], -0.5 + 0.25),  # a > 0.5, b <= 2.0
        ([0.6, 2.1], 2.0 + 0.25),  # a > 0.5, b > 2.0
        ([-INF, INF], 1.0 + 0.25),
    ],
)
def test_tiny_forest_matches_hand_computation(row: list[float], margin: float) -> None:
    (p,) = tiny_forest().predict(np.array([row], dtype=np.float32))
    assert p == pytest.approx(sigmoid(margin), abs=1e-12)


def test_rows_are_scored_independently_and_in_order() -> None:
    X = np.array([[0.6, 3.0], [0.0, 0.0], [0.6, 1.0]], dtype=np.float32)
    expected = [sigmoid(2.25), sigmoid(1.25), sigmoid(-0.25)]
    assert tiny_forest().predict(X) == pytest.approx(expected, abs=1e-12)


def test_no_rows_give_no_scores() -> None:
    assert tiny_forest().predict(np.zeros((0, 2), dtype=np.float32)).shape == (0,)


def test_exported_arrays_load_into_the_same_forest() -> None:
    forest = tiny_forest()
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        names=np.asarray(forest.names),
        feature=forest.feature,
        threshold=forest.threshold,
        left=forest.left,
        right=forest.right,
        value=forest.value,
        roots=forest.roots,
        depth=np.asarray(forest.depth),
    )
    loaded = load_forest(buffer.getvalue())
    assert loaded.names == ("a", "b")
    assert loaded.depth == 2
    X = np.array([[0.0, 0.0], [0.6, 1.0], [0.6, 3.0]], dtype=np.float32)
    assert loaded.predict(X) == pytest.approx(forest.predict(X), abs=0)


def test_a_matrix_of_another_width_is_refused() -> None:
    X = np.zeros((1, 3), dtype=np.float32)  # the forest was trained on 2 features
    with pytest.raises(ValueError, match="feature"):
        tiny_forest().predict(X)


# --- the shipped model -----------------------------------------------------


def test_shipped_model_was_trained_on_the_current_features() -> None:
    assert shipped_forest(MODEL).names == FEATURE_NAMES


def test_shipped_model_carries_its_lexicon() -> None:
    lexical = lexicon.load(MODEL)
    assert lexical.weights.size == 1 << lexicon.BUCKET_BITS
    assert np.isfinite(lexical.weights).all() and np.abs(lexical.weights).max() > 0


def test_shipped_model_is_well_formed() -> None:
    forest = shipped_forest(MODEL)
    n = forest.feature.size
    assert forest.roots.size > 0
    assert all(a.size == n for a in (forest.threshold, forest.left, forest.right, forest.value))
    assert forest.feature.max() < len(forest.names)
    assert forest.left.min() >= 0 and forest.left.max() < n
    assert forest.right.min() >= 0 and forest.right.max() < n
    leaves = np.isinf(forest.threshold)
    # Leaves loop on themselves, so extra walking steps are harmless.
    assert (forest.left[leaves] == np.flatnonzero(leaves)).all()
    assert (forest.right[leaves] == np.flatnonzero(leaves)).all()


def test_shipped_model_scores_are_probabilities() -> None:
    forest = shipped_forest(MODEL)
    X = np.random.default_rng(0).normal(size=(50, len(forest.names))).astype(np.float32)
    p = forest.predict(X)
    assert p.shape == (50,)
    assert ((p > 0) & (p < 1)).all()
