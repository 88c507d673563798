"""The WCXB metric, checked against scores computed by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from winnow.evaluate import Score, mean_score, score_text, score_tokens, tokenize


def test_tokenize_lowercases_and_splits_on_non_word_characters() -> None:
    assert tokenize("Hello, World! it's e-mail_2") == ["hello", "world", "it", "s", "e", "mail_2"]


def test_tokenize_keeps_unicode_letters_and_digits() -> None:
    assert tokenize("Café — naïve 42€") == ["café", "naïve", "42"]


def test_identical_texts_score_one() -> None:
    assert score_text("The cat sat.", "the CAT sat") == Score(1.0, 1.0, 1.0)


def test_partial_overlap() -> None:
    # predicted: a b c d (4 tokens); truth: a b e (3 tokens); overlap a b = 2.
    # P = 2/4, R = 2/3, F1 = 2 * 0.5 * 2/3 / (0.5 + 2/3) = 4/7.
    score = score_text("a b c d", "a b e")
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(4 / 7)


def test_repeated_tokens_count_as_a_multiset() -> None:
    # predicted: the x3, cat (4); truth: the x1, cat x2 (3); overlap: the 1 + cat 1 = 2.
    # P = 2/4, R = 2/3, F1 = 4/7. A set-based metric would give 1.0 here.
    score = score_text("the the the cat", "the cat cat")
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(4 / 7)


def test_word_order_is_ignored() -> None:
    assert score_text("sat cat the", "the cat sat").f1 == pytest.approx(1.0)


def test_superset_prediction_has_full_recall() -> None:
    # predicted: 10 tokens, truth: 2 of them. P = 2/10, R = 1, F1 = 2*0.2/1.2 = 1/3.
    score = score_text("menu home about news a b login share cookie footer", "a b")
    assert score.precision == pytest.approx(0.2)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(1 / 3)


def test_no_overlap_scores_zero() -> None:
    assert score_text("alpha beta", "gamma delta") == Score(0.0, 0.0, 0.0)


def test_both_empty_is_perfect() -> None:
    assert score_text("", "") == Score(1.0, 1.0, 1.0)
    # Punctuation only has no tokens either.
    assert score_text(" -- ", "!?") == Score(1.0, 1.0, 1.0)


def test_empty_prediction_scores_zero() -> None:
    assert score_text("", "some real content") == Score(0.0, 0.0, 0.0)


def test_prediction_for_empty_truth_scores_zero() -> None:
    assert score_text("cookie banner", "") == Score(0.0, 0.0, 0.0)


def test_score_tokens_matches_score_text() -> None:
    predicted = Counter(tokenize("a b c d"))
    truth = Counter(tokenize("a b e"))
    assert score_tokens(predicted, truth) == score_text("a b c d", "a b e")


def test_mean_score_is_a_macro_average_per_field() -> None:
    scores = [Score(1.0, 0.5, 2 / 3), Score(0.0, 0.0, 0.0), Score(0.5, 1.0, 2 / 3)]
    mean = mean_score(scores)
    assert mean.precision == pytest.approx(0.5)
    assert mean.recall == pytest.approx(0.5)
    # The mean F1 is the mean of per-page F1s (4/9), not the F1 of the means (0.5).
    assert mean.f1 == pytest.approx(4 / 9)


def test_mean_score_accepts_a_generator() -> None:
    assert mean_score(s for s in [Score(1.0, 1.0, 1.0)]) == Score(1.0, 1.0, 1.0)


def test_mean_score_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        mean_score([])
