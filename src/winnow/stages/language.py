"""The language of a page's text, when its markup does not say.

Detected with py3langid (the maintained fork of langid.py): a naive Bayes
model over byte n-grams for 97 languages that ships inside its wheel and
needs only numpy. On the 1,288 WCXB dev pages whose ``<html lang>`` is
set, it names the same language from the first 500 characters of the
ground-truth text on 1,275 and abstains on 12 (``benchmarks/language.py``).
Its byte automaton is walked in C where winnow's extension is built
(``langid_dfa``), with the same answers, bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from winnow.model import Document

# Text shorter than this is not enough to tell a language by (a menu label,
# a title alone); the detector then abstains.
MIN_CHARS = 40
# The detector reads at most this much of the text: a paragraph or two decide.
# On the 1,288 WCXB dev pages with <html lang> (benchmarks/language.py), 500
# characters agree with the markup on 1,275, 1,000 on 1,276 and 5,000 on
# 1,281, at 1/10, 1/6 and 1/3 of the time of the whole text: the detector walks
# every byte (in Python when these figures were taken; in C now where built), and
# in text mode it runs on every dump.
MAX_CHARS = 500
# Below this probability the detector's answer is not reported. langid's
# probabilities are near 1 for any paragraph of one language; mixed or
# symbol-heavy text falls below.
MIN_PROBABILITY = 0.5


@cache
def _identifier() -> Any:
    from winnow.stages import langid_dfa  # imports py3langid: only once a text is detected

    return langid_dfa.load()


def compiled() -> bool:
    """Whether the detector walks its automaton in C (loads it if need be)."""
    from winnow.stages import langid_dfa

    return langid_dfa.is_compiled(_identifier())


def fill(doc: Document) -> None:
    """Set ``doc.language`` from its blocks' text, and its source, when the text tells."""
    doc.language = detect_blocks(block.text for block in doc.blocks)
    if doc.language:
        doc.sources["language"] = "detected"


def detect_blocks(texts: Iterable[str]) -> str | None:
    """``detect`` on the first MAX_CHARS characters of some texts (a Document's blocks)."""
    sample: list[str] = []
    size = 0
    for text in texts:
        if size >= MAX_CHARS:
            break
        sample.append(text[: MAX_CHARS - size])
        size += len(sample[-1]) + 1
    return detect(" ".join(sample))


def detect(text: str) -> str | None:
    """The BCP 47 primary language subtag of ``text``, or None when unsure."""
    sample = " ".join(text[:MAX_CHARS].split())
    if len(sample) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(sample)
    if probability < MIN_PROBABILITY or not isinstance(language, str):
        return None
    return language
