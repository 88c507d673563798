"""Every word of a dump looked up in every word vocabulary at once, in numpy.

A word is a run of ``\\w`` characters (as in the WCXB tokenizer). Each word
gets a 64-bit polynomial hash of its lower-cased characters, computed for all
words together with ``np.add.reduceat``; pairs of neighbouring words get a
hash of their two hashes. The vocabularies of ``winnow.text_patterns`` are
hashed the same way once, at import, into sorted tables of (hash, category
bits), and a dump's words are looked up with one ``searchsorted``.
A 64-bit collision between a vocabulary word and another word is possible in
principle and harmless: it moves one feature of one block by one count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from winnow import text_patterns as T
from winnow.compiled import function as compiled_function

_BASE = 1_000_003  # odd multiplier of the character hash
_PAIR = 0x9E3779B97F4A7C15  # odd multiplier of the pair hash (the golden ratio in 64 bits)
_MASK = (1 << 64) - 1
_MAX_POS = 63  # characters past this position share the last power (hashes still differ)
_POW = np.array([pow(_BASE, k, 1 << 64) for k in range(_MAX_POS + 1)], dtype=np.uint64)

# Category bits, in the order of the feature columns they feed.
CATEGORIES: tuple[str, ...] = (
    "nav", "social", "paywall", "sponsored", "legal", "cta", "time", "related", "section",
    "shop", "forum", "listing", "doc", "stop",
)  # fmt: skip
_BIT = {name: 1 << k for k, name in enumerate(CATEGORIES)}
_BIT["credit"] = 1 << len(CATEGORIES)
_BIT["month"] = 1 << (len(CATEGORIES) + 1)


def _hash(word: str) -> int:
    """The hash ``hashes`` gives this word, computed in Python."""
    total = 0
    for pos, char in enumerate(word):
        total += (ord(char) + 1) * pow(_BASE, min(pos, _MAX_POS), 1 << 64)
    return total & _MASK


def _pair_hash(first: int, second: int) -> int:
    return (first * _PAIR + second) & _MASK


@dataclass(frozen=True)
class _Table:
    """A collision-free hash table: ``key[slot(h)] == h`` for every key it holds.

    Looking a dump's words up is two gathers and a compare, instead of a
    binary search per word (0.11 ms per dump for ``searchsorted``, on dev dumps).
    """

    mix: np.uint64  # odd multiplier; a key's slot is the top ``bits`` of key * mix
    shift: np.uint64
    key: np.ndarray  # uint64 per slot (0 where empty)
    value: np.ndarray  # int32 per slot

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        slot = ((hashes * self.mix) >> self.shift).astype(np.intp)
        return np.where(self.key[slot] == hashes, self.value[slot], 0)


def _table(entries: dict[int, int]) -> _Table:
    """The smallest table with at most 1/64 load whose slots do not collide."""
    bits = max(8, (len(entries) * 64).bit_length())
    for attempt in range(1000):
        mix = (_PAIR + 2 * attempt) & _MASK  # odd, different on every attempt
        slots = {((k * mix) & _MASK) >> (64 - bits) for k in entries}
        if len(slots) == len(entries):
            break
    else:  # pragma: no cover - 1000 misses at 1/64 load do not happen
        raise RuntimeError("no collision-free word table")
    key = np.zeros(1 << bits, dtype=np.uint64)
    value = np.zeros(1 << bits, dtype=np.int32)
    for k, v in entries.items():
        slot = ((k * mix) & _MASK) >> (64 - bits)
        key[slot], value[slot] = k, v
    return _Table(np.uint64(mix), np.uint64(64 - bits), key, value)


def _build_tables() -> tuple[_Table, _Table]:
    singles: dict[int, int] = {}
    pairs: dict[int, int] = {}
    vocab_words = (
        ("nav", T.NAV_WORDS),
        ("social", T.SOCIAL_WORDS),
        ("paywall", T.PAYWALL_WORDS),
        ("sponsored", T.SPONSORED_WORDS),
        ("legal", T.LEGAL_WORDS),
        ("time", T.TIME_WORDS),
        ("stop", T.STOP_WORDS),
        ("related", T.RELATED_WORDS),
        ("section", T.SECTION_WORDS),
        ("shop", T.SHOP_WORDS),
        ("forum", T.FORUM_WORDS),
        ("listing", T.LISTING_WORDS),
        ("doc", T.DOC_WORDS),
        ("credit", T.CREDIT_WORDS),
        ("month", T.MONTH_WORDS),
    )
    for name, vocab in vocab_words:
        for word in vocab:
            h = _hash(word)
            singles[h] = singles.get(h, 0) | _BIT[name]
    vocab_pairs = (
        ("paywall", T.PAYWALL_PAIRS),
        ("sponsored", T.SPONSORED_PAIRS),
        ("legal", T.LEGAL_PAIRS),
        ("cta", T.CTA_PAIRS),
        ("time", T.TIME_PAIRS),
        ("related", T.RELATED_PAIRS),
        ("section", T.SECTION_PAIRS),
        ("listing", T.LISTING_PAIRS),
    )
    for name, vocab_pair in vocab_pairs:
        for first, second in vocab_pair:
            h = _pair_hash(_hash(first), _hash(second))
            pairs[h] = pairs.get(h, 0) | _BIT[name]
    return _table(singles), _table(pairs)


_SINGLES, _PAIRS = _build_tables()


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a dump: where each starts, its length, and its category bits."""

    start: np.ndarray  # int64 offset of each word's first character
    length: np.ndarray  # int64
    digits: np.ndarray  # bool: the word is all digits
    hashes: np.ndarray  # uint64: hash of the lower-cased word
    bits: np.ndarray  # int32 (int64 when empty): category bits of the word
    pair_bits: np.ndarray  # int64: category bits of the pair this word starts
    freq: np.ndarray  # float64: how often the word occurs in the dump


def find(lower_cp: np.ndarray, word: np.ndarray, digit: np.ndarray) -> Words:
    """The words of a dump from its lower-cased code points and \\w / digit masks."""
    chars, heads, hashes = _runs(lower_cp, word)
    if chars.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return looked_up(empty, empty, np.zeros(0, dtype=bool), hashes)
    length = np.diff(np.concatenate((heads, [chars.size])))
    digits = np.add.reduceat(digit[chars].astype(np.int64), heads) == length
    return looked_up(chars[heads].astype(np.int64), length.astype(np.int64), digits, hashes)


def looked_up(
    start: np.ndarray, length: np.ndarray, digits: np.ndarray, hashes: np.ndarray
) -> Words:
    """``Words`` from where each word starts, its length, whether it is all
    digits and its hash: its vocabulary bits and its pair's looked up, and
    how often it occurs (``_TABLED``)."""
    return Words(start, length, digits, hashes, *_TABLED(hashes))


def _tabled(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each word's vocabulary bits, the bits of the pair it starts, and how
    often its hash occurs among ``hashes``, in numpy."""
    pair_bits = np.zeros(hashes.size, dtype=np.int64)
    if hashes.size > 1:
        pair_bits[:-1] = _PAIRS.lookup(hashes[:-1] * np.uint64(_PAIR) + hashes[1:])
    bits = _SINGLES.lookup(hashes) if hashes.size else np.zeros(0, dtype=np.int64)
    return bits, pair_bits, _counts(hashes)


def _counts(keys: np.ndarray) -> np.ndarray:
    """How many items share each item's key."""
    if keys.size == 0:
        return np.zeros(0)
    order = np.argsort(keys)
    ordered = keys[order]
    group = np.cumsum(np.concatenate(([True], ordered[1:] != ordered[:-1]))) - 1
    out = np.empty(keys.size)
    out[order] = np.bincount(group)[group]
    return out


Tabled = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


def tabled_with(word_table: Callable[..., tuple[bytes, bytes, bytes]]) -> Tabled:
    """``_tabled``'s twin that calls ``word_table`` (``winnow._textstats``')."""

    def compiled(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if hashes.size == 0:
            return _tabled(hashes)
        tables = [
            value
            for table in (_SINGLES, _PAIRS)
            for value in (table.key, table.value, int(table.mix), int(table.shift))
        ]
        bits, pair_bits, freq = word_table(hashes, *tables, _PAIR)
        return (
            np.frombuffer(bits, np.int32),
            np.frombuffer(pair_bits, np.int64),
            np.frombuffer(freq, np.float64),
        )

    return compiled


def _compiled_tabled() -> Tabled:
    """``_tabled`` by ``winnow._textstats.word_table`` (one pass in C instead of
    two gathers, a sort and a count), unless not built, ``WINNOW_PURE_PYTHON``
    is set, or the two disagree on the vocabulary's own words."""
    word_table = compiled_function("winnow._textstats", "word_table")
    if word_table is None:
        return _tabled
    compiled = tabled_with(word_table)
    sample = np.concatenate((_SINGLES.key[_SINGLES.key != 0], _SAMPLE_HASHES))
    same = all(
        a.tobytes() == b.tobytes() and a.dtype == b.dtype
        for a, b in zip(compiled(sample), _tabled(sample), strict=True)
    )
    return compiled if same else _tabled


def hashes_of(lower_cp: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each word starts and its hash, exactly as ``find`` gives them,
    without the vocabulary lookups (what a lexicon needs and no more)."""
    chars, heads, hashes = _runs(lower_cp, word)
    return chars[heads].astype(np.int64), hashes


def _runs(lower_cp: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word characters' offsets, the index among them of each word's first
    one, and each word's hash (``_hash``'s, for every word at once)."""
    chars = np.flatnonzero(word)
    if chars.size == 0:
        return chars, chars, np.zeros(0, dtype=np.uint64)
    first = np.ones(chars.size, dtype=bool)
    first[1:] = np.diff(chars) > 1
    heads = np.flatnonzero(first)
    pos = np.arange(chars.size) - heads[np.cumsum(first) - 1]
    h = (lower_cp[chars].astype(np.uint64) + np.uint64(1)) * _POW[np.minimum(pos, _MAX_POS)]
    return chars, heads, np.add.reduceat(h, heads)


def bit(name: str) -> int:
    return _BIT[name]


# Words past this position in a line or paragraph share the last power.
_MAX_SEQ = 255
_SEQ_POW = np.array([pow(_PAIR, k, 1 << 64) for k in range(_MAX_SEQ + 1)], dtype=np.uint64)


def group_keys(hashes: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """A hash of the word sequence of each group (line or paragraph); 0 for no words.

    ``group`` gives each word's group and is sorted. Punctuation, spacing and
    case do not enter the key, so two copies of one promo flattened with
    different line breaks or a stray full stop get the same key.
    """
    return _GROUPED(hashes, group, groups)


def _group_keys(hashes: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """``group_keys`` in numpy."""
    keys = np.zeros(groups, dtype=np.uint64)
    if hashes.size == 0:
        return keys
    first = np.searchsorted(group, np.arange(groups))
    present = np.bincount(group, minlength=groups) > 0
    place = np.arange(hashes.size) - first[group]
    weighted = hashes * _SEQ_POW[np.minimum(place, _MAX_SEQ)]
    keys[present] = np.add.reduceat(weighted, first[present])
    return keys


# Hashes the lookups are checked on beside the vocabulary's own (repeated, so
# that counts above one are read too): words and a pair of the vocabulary, a
# hash of 0, the largest hash.
_SAMPLE_HASHES = np.array(
    [_hash("share"), _hash("share"), _hash("read"), _hash("more"), 0, _MASK, _hash("share")],
    dtype=np.uint64,
)
_TABLED = _compiled_tabled()


Grouped = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


def grouped_with(keys_of: Callable[..., bytes]) -> Grouped:
    """``_group_keys``' twin that calls ``keys_of`` (``winnow._textstats.group_keys``)."""

    def compiled(hashes: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
        keys = keys_of(hashes, np.ascontiguousarray(group, np.int64), groups, _SEQ_POW)
        return np.frombuffer(keys, np.uint64).copy()  # writable, as numpy's

    return compiled


def _compiled_grouped() -> Grouped:
    """``_group_keys`` by ``winnow._textstats.group_keys`` (one pass in C),
    unless not built, ``WINNOW_PURE_PYTHON`` is set, or the two disagree on a
    sample: groups without words, groups longer than the powers, the largest hash."""
    keys_of = compiled_function("winnow._textstats", "group_keys")
    if keys_of is None:
        return _group_keys
    compiled = grouped_with(keys_of)
    hashes = np.concatenate((_SAMPLE_HASHES, np.full(_MAX_SEQ + 5, _MASK, np.uint64)))
    group = np.concatenate(([0, 0, 2, 2, 2, 5, 5], np.full(_MAX_SEQ + 5, 6))).astype(np.int64)
    same = all(
        compiled(h, g, n).tobytes() == _group_keys(h, g, n).tobytes()
        for h, g, n in ((hashes, group, 8), (hashes[:0], group[:0], 3))
    )
    return compiled if same else _group_keys


_GROUPED = _compiled_grouped()
