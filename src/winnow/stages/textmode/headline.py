"""Which line of a dump is its headline: a learned ranking of the candidate lines.

A dump has lost the ``<title>``, the ``<h1>`` tag and every class that said
"headline". What is left is the line itself and what stands around it: its
length and casing, whether a date line or a byline is beside it, how far it
is from the body, whether the URL's slug spells it out, and all the columns
the line model reads (``features.FEATURE_NAMES``: the lexicon's score, how
often the page repeats the line, …). Hand-weighted rules over a few of these
(``structure._title``, ``structure._slug_title``) found the title of 43% of
the WCXB dev dumps (cross-validated by domain); gradient-boosted trees over
all of them rank the candidates better (``training/headline_train.py``).

Candidates are the lines of 1 to ``HEADING_MAX_WORDS`` words that are no date,
time or byline line, from REACH_ABOVE lines above the first body line to
REACH_BELOW lines into the body (a story's headline can stand far above its
body, under a long menu, or inside what the line model kept): above the
body, the lines shaped like a headline; inside it, its headings. The line
with the highest score is the headline.

The trees travel in the text model file under the ``headline/`` prefix
(``headline/names``, ``headline/feature``, …); a model file without them
falls back to the hand rules.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from winnow.patterns import WORD
from winnow.stages.score import Forest, forest_of, model_bytes
from winnow.stages.textmode.features import FEATURE_NAMES

# Lines looked at above the first body line and into the body. On WCXB dev
# dumps (out of fold, folds split by domain), the truth's title is a candidate
# of 64%, 66% and 67% of the dumps with 60/20, 100/30 and 200/40 lines, and
# the ranking finds 52.7%, 54.1% and 54.3% of the titles (the hand rules
# 43.6%); each candidate costs its columns and a walk of the trees, and 100/30
# costs about 0.2 ms a dump (7% of text mode's time), 200/40 about 0.35 ms.
REACH_ABOVE = 100
REACH_BELOW = 30
PREFIX = "headline/"
# What the ranking reads of a candidate besides the line model's columns.
COLUMNS: tuple[str, ...] = (
    "to_body", "heading", "could_be", "meta_beside", "meta_below", "under_kicker",
    "slug_share", "slug_own_share", "kept", "position", "separator", "question",
    "heading_above", "heading_below",
)  # fmt: skip
# A title and a site name or section joined ("Night ferry returns | The Courier").
_SEPARATOR = re.compile(r" [|\-–—] ")


@dataclass(frozen=True, slots=True)
class Shape:
    """What structure knows of every line of a dump, as the ranking reads it."""

    texts: Sequence[str]
    words: np.ndarray  # int64, words per line
    # bool: heading-shaped (structure._Lines.heading_like), read from two
    # lines above REACH_ABOVE to one line past REACH_BELOW (``reach``)
    heading: np.ndarray
    # bool: heading-shaped but maybe repeated (``_Lines.headline_shaped``), read alike
    shaped: np.ndarray
    meta: np.ndarray  # bool: a date, time or byline line
    keep: np.ndarray  # bool: kept by the line model


def reach(start: int, lines: int) -> tuple[int, int]:
    """The lines whose shape ``columns`` reads: [lo, hi)."""
    return max(0, start - REACH_ABOVE - 2), min(lines, start + REACH_BELOW + 1)


def candidates(shape: Shape, start: int, max_words: int) -> np.ndarray:
    """The candidate lines' indices, in dump order."""
    lo, hi = max(0, start - REACH_ABOVE), min(len(shape.texts), start + REACH_BELOW)
    lines = np.arange(lo, hi)
    words = shape.words[lo:hi]
    # Above the body, a headline-shaped line (not glued icon labels, not a
    # button, not a line that ends a sentence or a clause); into it, a heading
    # after its first line (a line of prose, or a lone line, stays the body's).
    above = (lines < start) & shape.shaped[lo:hi]
    into = (lines > start) & shape.heading[lo:hi]
    chosen: np.ndarray = lines[
        (words >= 1) & (words <= max_words) & ~shape.meta[lo:hi] & (above | into)
    ]
    return chosen


def columns(
    shape: Shape,
    lines: np.ndarray,
    start: int,
    slug: frozenset[str],
    could_be: np.ndarray,
    under_kicker: np.ndarray,
) -> np.ndarray:
    """The ``COLUMNS`` of each candidate line in ``lines`` (rows in that order).

    ``could_be`` and ``under_kicker`` say, for each of ``lines``, what
    structure's hand rules read of it: whether it could be the headline, and
    whether a kicker stands right above it.
    """
    n = len(shape.texts)
    texts = [shape.texts[i] for i in lines.tolist()]
    pad = np.concatenate(([False], shape.heading, [False]))  # line i at i + 1
    heading, above, below = pad[lines + 1], pad[lines], pad[lines + 2]
    meta_at = np.cumsum(np.concatenate(([0], shape.meta)))  # meta lines before an index

    def meta_in(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        found: np.ndarray = meta_at[np.minimum(hi, n)] - meta_at[np.clip(lo, 0, n)] > 0
        return found

    slug_share, own_share = _slug_shares(texts, slug)
    return np.column_stack(
        [
            start - lines,
            heading,
            could_be,
            meta_in(lines - 1, lines + 3),
            meta_in(lines + 1, lines + 5),
            under_kicker,
            slug_share,
            own_share,
            shape.keep[lines],
            lines / max(n, 1),
            [_SEPARATOR.search(t) is not None for t in texts],
            ["?" in t for t in texts],
            above,
            below,
        ]
    ).astype(np.float64)


def _slug_shares(texts: list[str], slug: frozenset[str]) -> tuple[list[float], list[float]]:
    """Of each line: the share of the slug's words it holds, and of its words in the slug.

    -1 for both when the URL has no slug of two words or more.
    """
    if len(slug) < 2:
        return [-1.0] * len(texts), [-1.0] * len(texts)
    shares, own = [], []
    for text in texts:
        lowered = text.lower()
        if not any(word in lowered for word in slug):
            shares.append(0.0)
            own.append(0.0)
            continue
        words = set(WORD.findall(lowered))
        shared = len(words & slug)
        shares.append(shared / len(slug))
        own.append(shared / max(len(words), 1))
    return shares, own


@cache
def load(name: str, path: str | None = None) -> Forest | None:
    """The ranking trees of ``score.model_bytes(name, path)``, read once per process and
    file; None if the file has none or they read other columns than ``names_read()``."""
    arrays = np.load(io.BytesIO(model_bytes(name, path)), allow_pickle=False)
    if f"{PREFIX}names" not in arrays:
        return None
    names = tuple(str(n) for n in arrays[f"{PREFIX}names"])
    return forest_of(arrays, names, PREFIX) if names == names_read() else None


def names_read() -> tuple[str, ...]:
    """The columns the ranking reads: ``COLUMNS``, then the line model's."""
    return (*COLUMNS, *(f"line:{name}" for name in FEATURE_NAMES))


def save(arrays: dict[str, np.ndarray], forest: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``arrays`` (a model file's) with the ranking trees (``train.flat_trees``) added."""
    out = {k: v for k, v in arrays.items() if not k.startswith(PREFIX)}
    out[f"{PREFIX}names"] = np.asarray(names_read())
    out.update({f"{PREFIX}{k}": v for k, v in forest.items()})
    return out
