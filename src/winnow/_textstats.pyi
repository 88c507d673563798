"""The text statistics of winnow.stages.features, and the word hashes of the
lexicon (src/winnow/_textstats.c).

It writes into any writable C-contiguous float64 buffer; winnow hands it a
numpy array, so the stub says so.
"""

from collections.abc import Sequence

import numpy as np

WIDTH: int  # columns of a row: _text_scalars' 17, then the title overlap

class Scanner:
    """The character sets, trigger substrings and words the counts read,
    copied once, here."""

    def __init__(
        self,
        *,
        scan: int,  # characters of a text read (its head)
        short: int,  # characters of the lowered head folded for UI/boilerplate/date
        title_below: int,  # texts this long or longer have no title overlap
        ui_below: int,  # ... are not read by UI_TEXT
        credit_below: int,  # ... by CREDIT_TEXT
        date_below: int,  # ... by DATE_TEXT
        byline_below: int,  # ... by BYLINE_TEXT
        punct: str,  # characters counted as punctuation
        sentence_end: str,  # a sentence ends with one of these before whitespace or the end
        code: str,  # characters counted as code symbols
        enders: str,  # a text ending with one of these ends a sentence
        bullets: str,  # a text starting with one of these starts a list item
        ui_tail: str,  # what may follow a UI label
        date_separators: str,  # a date may have a digit before one of these
        boilerplate_triggers: Sequence[str],
        credit_triggers: Sequence[str],
        credit_agencies: Sequence[str],
        ui_words: Sequence[str],
        byline_words: Sequence[str],
        date_words: Sequence[str],
        date_digits: int,  # a date may have this many digits in a row
    ) -> None: ...
    def rows(
        self, texts: Sequence[str], out: np.ndarray, title_words: Sequence[str], /
    ) -> list[tuple[int, int, str]]:
        """Fill ``out`` (len(texts) x WIDTH float64) with a row per text; return
        (index, gates, folded start) of the texts a pattern must still read:
        gate bit k for UI, boilerplate, credit, date and byline in that order."""

def word_hashes(
    lower: str, starts: np.ndarray, table: np.ndarray, word_bit: int, /
) -> tuple[bytes, bytes]:
    """Each word's text (int64: the last of ``starts`` at or before it) and hash
    (uint64), as bytes: what ``textmode.words.hashes_of`` and a searchsorted
    give. ``lower`` is the texts joined by "\\n" and lower-cased, ``table`` the
    uint16 class bits of each BMP code point, a word a run of ``word_bit``."""

def dump_scan(
    text: str,
    lower: str,
    starts: np.ndarray,
    table: np.ndarray,
    masks: np.ndarray,
    copyright: int,
    /,
) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes]:
    """A text dump read once: int32 per-line counts of the 15 character flags
    of ``textmode.features._shape_flags`` (flag-major), then each word's start
    and length (int64), whether it is all digits (bool), its hash (uint64) and
    its line (int64), as bytes: what ``_shape_flags``, ``textmode.words.find``
    and ``TextPage.owner`` give.
    ``lower`` is ``text`` lower-cased one code point for one, ``starts`` the
    lines' offsets, ``masks`` the uint16 bits of the classes
    ``features._SCAN_CLASSES`` names, ``copyright`` the code point of ©."""

def word_table(
    hashes: np.ndarray,
    singles_key: np.ndarray,
    singles_value: np.ndarray,
    singles_mix: int,
    singles_shift: int,
    pairs_key: np.ndarray,
    pairs_value: np.ndarray,
    pairs_mix: int,
    pairs_shift: int,
    pair_mult: int,
    /,
) -> tuple[bytes, bytes, bytes]:
    """Each word's vocabulary bits (int32), the bits of the pair it starts
    (int64) and how often its hash occurs among ``hashes`` (float64), as bytes:
    what ``textmode.words._tabled`` gives. A table is uint64 keys and int32
    values, collision-free: a key's slot is (key * mix) >> shift."""

def group_keys(hashes: np.ndarray, group: np.ndarray, groups: int, powers: np.ndarray, /) -> bytes:
    """A key per group (uint64, as bytes): the sum over the group's words of
    hash * powers[min(position, len(powers) - 1)], modulo 2**64; ``group``
    (int64) is each word's group, non-decreasing and below ``groups``: what
    ``textmode.words.group_keys`` gives."""
