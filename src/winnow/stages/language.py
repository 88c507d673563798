"""The language of a page's text, when its markup does not say.

Detected with py3langid (the maintained fork of langid.py): a naive Bayes
model over byte n-grams for 97 languages that ships inside its wheel and
needs only numpy. On the 1,288 WCXB dev pages whose ``<html lang>`` is
set, it names the same language from the ground-truth text on 1,287, at
about 1.6 ms a page (``benchmarks/README.md``, "Language").
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Text shorter than this is not enough to tell a language by (a menu label,
# a title alone); the detector then abstains.
MIN_CHARS = 40
# The detector reads at most this much of the text: a few paragraphs decide.
MAX_CHARS = 5_000
# Below this probability the detector's answer is not reported. langid's
# probabilities are near 1 for any paragraph of one language; mixed or
# symbol-heavy text falls below.
MIN_PROBABILITY = 0.5


@cache
def _identifier() -> Any:
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """The BCP 47 primary language subtag of ``text``, or None when unsure."""
    sample = " ".join(text[:MAX_CHARS].split())
    if len(sample) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(sample)
    if probability < MIN_PROBABILITY or not isinstance(language, str):
        return None
    return language
