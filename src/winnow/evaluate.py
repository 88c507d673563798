"""The WCXB metric: bag-of-words precision, recall and F1 between two texts.

This is the scoring rule of the Web Content Extraction Benchmark (WCXB,
Foley, 2026), written out so that winnow's quality gate and benchmarks score
exactly as the published numbers do:

* a text becomes tokens with ``re.findall(r"\\w+", text.lower())``;
* tokens are compared as multisets (a word counts as many times as it occurs
  in both texts, no more), so word order is ignored;
* precision = overlap / predicted tokens, recall = overlap / true tokens,
  F1 = their harmonic mean, per page. A set of pages is scored by averaging
  the per-page values (macro average), not by pooling tokens.

Edge cases: when both texts have no tokens the prediction is perfect (1.0 for
all three); when exactly one of them has no tokens it is worthless (0.0 for
all three).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one prediction, or an average of several."""

    precision: float
    recall: float
    f1: float


PERFECT = Score(1.0, 1.0, 1.0)
WORTHLESS = Score(0.0, 0.0, 0.0)


def tokenize(text: str) -> list[str]:
    """The WCXB tokens of ``text``: lower-cased runs of word characters."""
    return _TOKEN.findall(text.lower())


def score_text(predicted: str, truth: str) -> Score:
    """Score an extracted text against the ground-truth text of the same page."""
    return score_tokens(Counter(tokenize(predicted)), Counter(tokenize(truth)))


def score_tokens(predicted: Counter[str], truth: Counter[str]) -> Score:
    """Score two token multisets (as built by ``Counter(tokenize(text))``)."""
    n_predicted = predicted.total()
    n_truth = truth.total()
    if n_predicted == 0 and n_truth == 0:
        return PERFECT
    if n_predicted == 0 or n_truth == 0:
        return WORTHLESS
    overlap = (predicted & truth).total()
    if overlap == 0:
        return WORTHLESS
    precision = overlap / n_predicted
    recall = overlap / n_truth
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def mean_score(scores: Iterable[Score]) -> Score:
    """The macro average of per-page scores. Raises ``ValueError`` when empty."""
    items = list(scores)
    if not items:
        raise ValueError("mean_score() needs at least one score")
    n = len(items)
    return Score(
        precision=sum(s.precision for s in items) / n,
        recall=sum(s.recall for s in items) / n,
        f1=sum(s.f1 for s in items) / n,
    )
