"""Fit a lexicon (``winnow.stages.lexicon``) and the lexical columns trees learn from.

Both classifiers have one: the text-dump line model (``text_train.py``) and
the HTML block model (``train.py``). A lexicon is a logistic regression over
each row's L2-normalised binary bag of hashed terms (its words, word pairs and
place-tagged words). The trees must learn from lexical scores the lexicon
did not fit, so the scores of training rows come from an inner split of the
training domains (``lexical_oof``): cross-validation is nested.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from winnow.stages import lexicon as L

INNER_FOLDS = 4
# Inverse L2 strength of the lexicon. C = 1 beat 0.3 and 3 on the
# cross-validated F1 of WCXB dev dumps (0.831 against 0.827 and 0.830).
LEXICON_C = 1.0


def bags(term_line: np.ndarray, term_bucket: np.ndarray, lines: int) -> csr_matrix:
    """Each row's L2-normalised binary bag of hashed terms (rows x 2**BUCKET_BITS)."""
    count = np.bincount(term_line, minlength=lines)
    values = 1.0 / np.sqrt(count[term_line])
    indptr = np.concatenate(([0], np.cumsum(count)))
    return csr_matrix((values, term_bucket, indptr), shape=(lines, 1 << L.BUCKET_BITS))


def fit_lexicon(H: csr_matrix, target: np.ndarray, w: np.ndarray) -> L.Lexicon:
    model = LogisticRegression(C=LEXICON_C, solver="liblinear", max_iter=200)
    model.fit(H, target, sample_weight=w)
    return L.Lexicon(weights=model.coef_[0].astype(np.float64), bias=float(model.intercept_[0]))


def score_rows(lexicon: L.Lexicon, H: csr_matrix) -> np.ndarray:
    return np.asarray(H @ lexicon.weights) + lexicon.bias


def lexical_oof(H, target, w, groups, rows: np.ndarray, folds: int) -> np.ndarray:
    """Lexical scores of ``rows``, each from a lexicon that never saw its domain."""
    out = np.zeros(rows.size)
    for tr, te in GroupKFold(n_splits=folds).split(rows, groups=groups[rows]):
        lexicon = fit_lexicon(H[rows[tr]], target[rows[tr]], w[rows[tr]])
        out[te] = score_rows(lexicon, H[rows[te]])
    return out


def with_lexical(X: np.ndarray, lex: np.ndarray, page: np.ndarray) -> np.ndarray:
    """The measured columns plus the lexical columns, computed page by page."""
    bounds = np.flatnonzero(np.diff(page)) + 1
    parts = [L.columns(part) for part in np.split(lex, bounds)]
    return np.hstack([X, np.vstack(parts)]).astype(np.float32)


def fold_lexical(H, target, w, domains, tr, te, cache: Path | None) -> tuple[np.ndarray, L.Lexicon]:
    """One outer fold's lexical scores (training rows: inner out-of-fold) and its lexicon.

    With ``cache`` (a file), they are read from it if it exists, else written to
    it: the lexicon depends only on the rows' terms, labels and weights, so
    experiments with the measured features or the trees can skip refitting it.
    """
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            return saved["lex"], L.Lexicon(saved["weights"], float(saved["bias"]))
    lex = np.zeros(len(target))
    lex[tr] = lexical_oof(H, target, w, domains, tr, INNER_FOLDS)
    lexicon = fit_lexicon(H[tr], target[tr], w[tr])
    lex[te] = score_rows(lexicon, H[te])
    if cache is not None:
        np.savez(cache, lex=lex, weights=lexicon.weights, bias=lexicon.bias)
    return lex, lexicon


def shipped_lexical(H, target, w, domains, folds: int) -> tuple[np.ndarray, L.Lexicon]:
    """For the model trained on every row: out-of-fold lexical scores (what its
    trees learn from) and the lexicon fitted on all rows (what it ships)."""
    lex = lexical_oof(H, target, w, domains, np.arange(len(target)), folds)
    return lex, fit_lexicon(H, target, w)


def add_lexicon(path: Path, lexicon: L.Lexicon) -> None:
    """Add ``lexicon`` to the model file at ``path`` (trees already exported there)."""
    with np.load(path) as arrays:
        both = L.save(dict(arrays), lexicon.weights, lexicon.bias)
    np.savez_compressed(path, **both)
