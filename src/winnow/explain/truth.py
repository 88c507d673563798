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
from collections.abc import Callable, Iterator
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
    return _pieces(text, _last(Counter(tokenize(text)), surplus))


def block_marks(
    texts: list[str], kept: list[bool], extracted: str, truth: Truth
) -> list[list[tuple[str, bool]]]:
    """Per block: kept blocks' words beyond the truth, dropped blocks' words it misses.

    As ``compare`` marks them: in kept blocks the last occurrences of the
    words the kept text holds more often than the truth; in dropped blocks,
    in reading order, the words the truth holds more often than ``extracted``
    (the Document's text). A guide to where a missed or extra word sits; the
    exact counts are ``compare``'s.
    """
    theirs = Counter(tokenize(truth.text))
    ours = Counter(tokenize("\n".join(text for text, k in zip(texts, kept, strict=True) if k)))
    flag_extra = _last(ours.copy(), ours - theirs)
    missed = theirs - Counter(tokenize(extracted))

    def flag_missed(token: str) -> bool:
        if missed[token] <= 0:
            return False
        missed[token] -= 1
        return True

    return [
        list(_pieces(text, flag_extra if k else flag_missed))
        for text, k in zip(texts, kept, strict=True)
    ]


def _last(left: Counter[str], surplus: Counter[str]) -> Callable[[str], bool]:
    """A flag for the last ``surplus[t]`` of the ``left[t]`` occurrences still to come."""

    def flag(token: str) -> bool:
        flagged = 0 < left[token] <= surplus[token]
        left[token] -= 1
        return flagged

    return flag


def _pieces(text: str, flag: Callable[[str], bool]) -> Iterator[tuple[str, bool]]:
    """``text`` as tokens (flagged by ``flag`` of their lower-cased form) and what is between."""
    start = 0
    for match in _TOKEN.finditer(text):
        if match.start() > start:
            yield text[start : match.start()], False
        yield match.group(), flag(match.group().lower())
        start = match.end()
    if start < len(text):
        yield text[start:], False
