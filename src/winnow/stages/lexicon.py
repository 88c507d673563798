"""The lexical score of a line or a block: a linear model over its words and word pairs.

Both front doors use it: the text model reads it for each line of a dump,
the block model for each block of a page (``stages.features.with_lexicon``);
each model file carries its own.

Hand-made vocabularies cover the boilerplate words one can think of; the
lexicon learns the rest from the training dumps and pages ("Sign Me Up",
"Opens in a new window", "Add to bag", in any language). Each line's distinct
terms are hashed into ``2**BUCKET_BITS`` buckets: its words, its pairs of
neighbouring words, and its words tagged with where the line stands (in a
dump: before, inside or after the page's main run of prose,
``textmode.features._main_run``; on a page: ``features.places``), so that
"Share" above a story and "Share" below it can weigh differently (that raised
the cross-validated F1 on WCXB dev dumps from 0.831 to 0.834). Its score is
``bias + sum(weight[bucket]) / sqrt(number of buckets)``, the decision
function of a logistic regression over the line's L2-normalised binary bag of
words (``training/lexicon_fit.py`` fits it). The tree models read the score of
the line, of its neighbours and of windows around it (``COLUMNS``).

The weights travel in the same model file as the trees (arrays
``lexicon_weights`` and ``lexicon_bias``; ``score.load_forest`` ignores them).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import numpy as np

from winnow.stages.score import model_bytes

BUCKET_BITS = 20
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads hashes before their top bits pick a bucket
_PAIR = np.uint64(0xC2B2AE3D27D4EB4F)  # odd multiplier of the word-pair hash
_TAG = np.uint64(0x165667B19E3779F9)  # odd multiplier of the word-and-place hash
_SHIFT = np.uint64(64 - BUCKET_BITS)
_MISSING = -10.0  # the score read where a neighbour does not exist
_WINDOWS = (3, 10)
COLUMNS: tuple[str, ...] = (
    "lex", "lex_n-2", "lex_n-1", "lex_n+1", "lex_n+2", *(f"lex_w{h}" for h in _WINDOWS),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Terms:
    """Each line's distinct buckets, as (line, bucket) pairs sorted by line."""

    line: np.ndarray  # int64
    bucket: np.ndarray  # int64
    lines: int


def no_terms() -> Terms:
    empty = np.zeros(0, dtype=np.int64)
    return Terms(empty, empty, 0)


def terms(hashes: np.ndarray, owner: np.ndarray, lines: int, place: np.ndarray) -> Terms:
    """The distinct term buckets of every line, from its words' hashes
    (``words.find``) and ``owner`` (each word's line); ``place`` is 0, 1 or 2
    per line (before, inside, after the main run) in a dump, 0 to 3 per block
    in a page (``features.places``)."""
    same = owner[:-1] == owner[1:]
    pairs = (hashes[:-1] * _PAIR + hashes[1:])[same]
    placed = hashes * _TAG + (place[owner].astype(np.uint64) + np.uint64(1))
    keys = np.concatenate((hashes, pairs, placed))
    line = np.concatenate((owner, owner[:-1][same], owner)).astype(np.int64)
    bucket = ((keys * _MIX) >> _SHIFT).astype(np.int64)
    both = np.sort((line << BUCKET_BITS) | bucket)
    if both.size:
        both = both[np.concatenate(([True], both[1:] != both[:-1]))]
    return Terms(both >> BUCKET_BITS, both & ((1 << BUCKET_BITS) - 1), lines)


@dataclass(frozen=True)
class Lexicon:
    weights: np.ndarray  # float32, 2**BUCKET_BITS
    bias: float

    def score(self, terms: Terms) -> np.ndarray:
        """The decision value of each line (``bias`` for a line without words)."""
        count = np.bincount(terms.line, minlength=terms.lines)
        total = np.bincount(terms.line, weights=self.weights[terms.bucket], minlength=terms.lines)
        return self.bias + total / np.sqrt(np.maximum(count, 1))


def columns(lex: np.ndarray) -> np.ndarray:
    """The lexical columns of one dump's lines, in ``COLUMNS`` order."""
    n = lex.size
    out = [lex]
    for offset in (-2, -1, 1, 2):
        shifted = np.full(n, _MISSING)
        if offset < 0 and n > -offset:
            shifted[-offset:] = lex[:offset]
        elif offset > 0 and n > offset:
            shifted[:-offset] = lex[offset:]
        out.append(shifted)
    total = np.concatenate(([0.0], np.cumsum(lex)))
    idx = np.arange(n)
    for half in _WINDOWS:
        lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, n)
        out.append((total[hi] - total[lo]) / np.maximum(hi - lo, 1))
    return np.column_stack(out) if n else np.zeros((0, len(COLUMNS)))


def _load(data: bytes) -> Lexicon:
    arrays = np.load(io.BytesIO(data), allow_pickle=False)
    if "lexicon_weights" not in arrays:
        raise ValueError("the model file has no lexicon (lexicon_weights)")
    weights = np.asarray(arrays["lexicon_weights"], dtype=np.float32)
    if weights.size != 1 << BUCKET_BITS:
        raise ValueError(f"the lexicon has {weights.size} buckets, not 2**{BUCKET_BITS}")
    return Lexicon(weights=weights, bias=float(arrays["lexicon_bias"]))


@cache
def load(name: str, path: str | None = None) -> Lexicon:
    """The lexicon in ``score.model_bytes(name, path)``, read once per process and file."""
    return _load(model_bytes(name, path))


def save(arrays: dict[str, np.ndarray], weights: np.ndarray, bias: float) -> dict[str, np.ndarray]:
    """``arrays`` (a model file's) with the lexicon added, ready for ``np.savez_compressed``."""
    out = dict(arrays)
    out["lexicon_weights"] = np.asarray(weights, dtype=np.float32)
    out["lexicon_bias"] = np.asarray(bias, dtype=np.float64)
    return out
