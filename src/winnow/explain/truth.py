"""A page's ground truth, its WCXB score, and which words were missed or extra.

``--truth FILE`` takes a WCXB ground-truth record (``{"ground_truth":
{"main_content": …}}``, as in WCXB's ``ground-truth/NNNN.json``) or the flat
form that ``tests/pages/*/truth.json`` keeps (``{"main_content": …}``). The
score is ``winnow.evaluate.score_text`` of ``Document.text``: the number the
benchmarks report. Words are compared as WCXB compares them, as multisets of
lower-cased ``\\w+`` tokens; a word is *extra* when the extracted text holds it
more often than the truth does, *missed* in the opposite case, and the
occurrences marked are the last ones in reading order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from winnow.evaluate import Score, score_text, tokenize

_TOKEN = re.compile(r"\w+")


class TruthError(ValueError):
    """The truth file cannot be read as a ground truth."""


@dataclass(frozen=True, slots=True)
class Truth:
    text: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """The extracted text against the truth, for the report."""

    score: Score
    extracted: list[tuple[str, bool]]  # (piece, is an extra word)
    truth: list[tuple[str, bool]]  # (piece, is a missed word)
    extra_words: int
    missed_words: int


def load_truth(path: str | Path) -> Truth:
    """The ground truth in ``path``; raises ``TruthError`` when it holds none."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TruthError(f"cannot read the truth file: {exc}") from exc
    if isinstance(record, dict) and isinstance(record.get("ground_truth"), dict):
        record = record["ground_truth"]
    if not isinstance(record, dict) or not isinstance(record.get("main_content"), str):
        raise TruthError("the truth file has no main_content (a WCXB ground-truth record)")
    title = record.get("title")
    return Truth(record["main_content"], title if isinstance(title, str) else None)


def compare(extracted: str, truth: Truth) -> Comparison:
    """Score ``extracted`` against the truth and mark the words that differ."""
    ours = Counter(tokenize(extracted))
    theirs = Counter(tokenize(truth.text))
    extra = ours - theirs
    missed = theirs - ours
    return Comparison(
        score=score_text(extracted, truth.text),
        extracted=list(marked(extracted, extra)),
        truth=list(marked(truth.text, missed)),
        extra_words=extra.total(),
        missed_words=missed.total(),
    )


def marked(text: str, surplus: Counter[str]) -> Iterator[tuple[str, bool]]:
    """``text`` in pieces, each token flagged when it is one of the ``surplus`` occurrences.

    A token occurring n times of which k are surplus has its last k
    occurrences flagged (the first ones are taken to be the matched ones).
    """
    left = Counter(tokenize(text))  # occurrences still to come, this one included
    start = 0
    for match in _TOKEN.finditer(text):
        token = match.group().lower()
        flagged = 0 < left[token] <= surplus[token]
        left[token] -= 1
        if match.start() > start:
            yield text[start : match.start()], False
        yield match.group(), flagged
        start = match.end()
    if start < len(text):
        yield text[start:], False


def block_marks(
    texts: list[str], kept: list[bool], truth: Truth
) -> list[list[tuple[str, bool]]]:
    """Per block: kept blocks' words beyond the truth, dropped blocks' words the truth holds.

    The truth's words are handed out to the kept blocks first, in reading
    order, then what is left to the dropped ones: a rough guide to which block
    a missed or extra word sits in (the exact counts are ``compare``'s).
    """
    budget = Counter(tokenize(truth.text))
    out: list[list[tuple[str, bool]]] = [[] for _ in texts]
    for wanted in (True, False):
        for i, text in enumerate(texts):
            if kept[i] != wanted:
                continue
            out[i] = list(_take(text, budget, flag_found=not wanted))
    return out


def _take(text: str, budget: Counter[str], flag_found: bool) -> Iterator[tuple[str, bool]]:
    start = 0
    for match in _TOKEN.finditer(text):
        token = match.group().lower()
        found = budget[token] > 0
        if found:
            budget[token] -= 1
        if match.start() > start:
            yield text[start : match.start()], False
        yield match.group(), found == flag_found
        start = match.end()
    if start < len(text):
        yield text[start:], False
