"""py3langid's identifier with its byte automaton walked in C.

py3langid scores a text in two steps: a walk of a byte automaton that counts
the n-gram features the text's UTF-8 bytes visit (``visit_counts``, a Python
loop over every byte), then a naive Bayes score of those counts in numpy. The
extension ``winnow._langid`` (built by ``pip install`` where a C compiler is
found) does the walk; the scoring, the normalisation and the folding of script
aliases stay py3langid's own code, so ``classify`` gives the same language
and the same probability, bit for bit.

This module is the one place winnow relies on py3langid's internals (the
comment on the dependency in pyproject.toml says which release they were read from):

* ``LanguageIdentifier._raw_score(self, text)``: the step overridden here,
  called with the encoded bytes;
* ``LanguageIdentifier._sparse_score(self, visits, table)`` and ``nb_ptc``:
  what ``_raw_score`` does with the counts;
* ``tk_nextmove``, ``tk_row``, ``tk_output``: the automaton.

They are checked once, when the identifier loads. The walk stays py3langid's
Python loop when the extension is not built, when ``WINNOW_PURE_PYTHON=1`` is
set, when an internal is missing or has another signature, or when the two
walks do not classify a sample of several scripts identically.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from py3langid.langid import (  # type: ignore[import-untyped]
    MODEL_FILE,
    LanguageIdentifier,
)

from winnow.compiled import pure_python

if TYPE_CHECKING:
    from winnow import _langid

# The internals relied on, with their parameters in py3langid 0.4.0.
_METHODS = {"_raw_score": ["self", "text"], "_sparse_score": ["self", "visits", "table"]}
_TABLES = ("tk_nextmove", "tk_row", "tk_output", "nb_ptc")

# Classified by both walks at load: Latin, Cyrillic, Greek, Arabic, Devanagari,
# CJK, emoji and digits, so that one- to four-byte characters are walked.
SAMPLE = (
    "Der schnelle braune Fuchs springt über den faulen Hund. "
    "Съешь же ещё этих мягких французских булок. Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. "
    "نص حكيم له سر قاطع وذو شأن عظيم. "
    "यह एक छोटा वाक्य है। 我能吞下玻璃而不伤身体。 いろはにほへと 🙂 2026-11-28"
)


class Identifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's ``LanguageIdentifier``, walking its automaton with ``_dfa``
    when that is set."""

    __slots__ = ("_dfa",)

    def _raw_score(self, text: Any) -> Any:
        if self._dfa is not None and isinstance(text, bytes):
            visits = self._dfa.visits(text)
            if visits:
                return self._sparse_score(visits, self.nb_ptc)
        # No feature visited (py3langid's walk finds none either, and scores
        # the fill it has for that case), or no compiled walk.
        return super()._raw_score(text)


def load(compiled: bool = True) -> Any:
    """py3langid's shipped model with normalised probabilities, its automaton
    walked in C when ``compiled`` and everything that needs is in place."""
    if not (compiled and _walk_class() and _has_internals()):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier = Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._dfa = None
    identifier._dfa = _build(identifier)
    return identifier


def is_compiled(identifier: Any) -> bool:
    """Whether ``identifier`` (from ``load``) walks its automaton in C."""
    return getattr(identifier, "_dfa", None) is not None


def _walk_class() -> type[_langid.Dfa] | None:
    """The C walk, unless it was not built or ``WINNOW_PURE_PYTHON`` is set."""
    if pure_python():
        return None
    try:
        from winnow._langid import Dfa
    except ImportError:  # installed without a C compiler: py3langid's walk
        return None
    return Dfa


def _has_internals() -> bool:
    """Whether py3langid's methods that ``Identifier`` uses are there, with
    the parameters they had when it was written."""
    for name, parameters in _METHODS.items():
        method = getattr(LanguageIdentifier, name, None)
        if not callable(method) or list(inspect.signature(method).parameters) != parameters:
            return False
    return True


def _build(identifier: Identifier) -> _langid.Dfa | None:
    """The C walk of ``identifier``'s automaton, if its tables are the arrays
    it reads and both walks classify ``SAMPLE`` identically."""
    Dfa = _walk_class()
    if Dfa is None or not all(hasattr(identifier, name) for name in _TABLES):
        return None
    try:
        dfa = Dfa(identifier.tk_nextmove, identifier.tk_row, identifier.tk_output)
    except (TypeError, ValueError):  # tables of another layout
        return None
    python = identifier.classify(SAMPLE)
    identifier._dfa = dfa
    try:
        same = identifier.classify(SAMPLE) == python
    except (TypeError, ValueError):
        same = False
    identifier._dfa = None
    return dfa if same else None
