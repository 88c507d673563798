"""Features of text blocks: what the text classifier sees about each line.

A dump has no tags, classes or links, so everything comes from the text:
lengths and shapes (words, punctuation, casing, digits, icon labels glued
together, tabs, code characters, prices), vocabularies (``winnow.text_patterns``
and the UI-label and byline vocabularies of ``winnow.patterns``), repetition
within the page, the line's paragraph, its position, the main run of prose,
section headings that end a story ("Related", "Comments"), how shop-, forum-,
listing- or docs-like the whole page reads, and the same measures for the
neighbours and for windows around the line. A lexical score (``stages/lexicon.py``,
a linear model over the line's words) is added by the caller.

Speed: a dump is scanned as one string. Character classes come from one table
lookup per code point and are summed per line with ``np.add.reduceat``; all
words are looked up in all word vocabularies at once (``words.py``); the two
anchored vocabularies and template residue are one ``finditer`` each. Python
loops run once per line at most, never per word or character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from winnow import patterns as P
from winnow import text_patterns as T
from winnow.compiled import function as compiled_function
from winnow.stages import lexicon as L
from winnow.stages.textmode import words as W
from winnow.stages.textmode.segment import SEPARATOR, TextPage, segment

# --- character classes --------------------------------------------------------

_CLASS_BITS = (
    "word upper lower digit space newline tab term punct symbol brace currency code bullet closer"
)
_C = {name: 1 << k for k, name in enumerate(_CLASS_BITS.split())}
_PUNCT_CHARS = ".,;:!?\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f"
_COPYRIGHT = ord("©")


def _class_table() -> np.ndarray:
    """A bit set per BMP code point (astral code points read as U+FFFF: no class)."""
    chars = [chr(i) for i in range(0x10000)]
    table = np.zeros(0x10000, dtype=np.uint16)
    tests: dict[str, Callable[[str], bool]] = {
        "word": lambda c: c.isalnum() or c == "_",  # what re's \w matches
        "upper": str.isupper,
        "lower": str.islower,
        "digit": str.isdecimal,
        "space": lambda c: c.isspace() and c not in "\n\t",
        "newline": lambda c: c == "\n",
        "tab": lambda c: c == "\t",
        "term": lambda c: c in T.TERMINAL,
        "punct": lambda c: c in _PUNCT_CHARS,
        "brace": lambda c: c in "{}",
        "symbol": lambda c: not (c.isalnum() or c.isspace() or c in _PUNCT_CHARS or c == "_"),
        "currency": lambda c: c in T.CURRENCY,
        "code": lambda c: c in T.CODE_CHARS,
        "bullet": lambda c: c in T.BULLETS,
        "closer": lambda c: c in T.CLOSERS,
    }
    for name, test in tests.items():
        table[[i for i, c in enumerate(chars) if test(c)]] |= _C[name]
    return table


_CLASSES = _class_table()
_WORD = np.uint16(_C["word"])

# UI labels ("Share", "Read more") are matched only on lines of at most this
# many words: ``P.UI_TEXT`` matches whole lines of one or two words (three with
# "skip to main content"); trying it on every line cost 0.1 ms per dump.
_UI_MAX_WORDS = 4
# A byline ("By Maren Holt, Staff Writer | May 14, 2024") has at most this many
# words; a longer line that starts with "By" is a sentence.
_BYLINE_MAX_WORDS = 12
# The longest of the words a byline of ``P.BYLINE_TEXT`` starts with ("door").
_BYLINE_WORD_MAX_CHARS = 4

# A paragraph is prose when it ends a sentence and has at least this many
# words. (On WCXB dev dumps, 88% of the words of such paragraphs are main
# content; of paragraphs of 3-9 words ending a sentence, 61%.)
PROSE_MIN_WORDS = 10
# A line of at most this many words is "short" (menu entries, labels).
SHORT_MAX_WORDS = 3
# A line of at most this many words with a section word is a section heading.
SECTION_MAX_WORDS = 6
_FAR = 50.0  # a distance this long or longer (in lines) reads as "none nearby"
_WINDOWS = (3, 10)  # symmetric windows, in lines on each side
_SIDES = (5, 15)  # one-sided windows (only before, only after), in lines
_OFFSETS = (-2, -1, 1, 2)  # neighbours seen one by one

_OWN = (
    "log_chars", "log_words", "avg_word_len", "punct_per_word", "sentences", "ends_terminal",
    "ends_colon", "starts_upper", "starts_lower", "starts_digit", "starts_bullet",
    "capital_ratio", "upper_ratio", "digit_ratio", "symbol_ratio", "glue_ratio", "tabs",
    "braces", "copyright", "currency", "code_chars",
)  # fmt: skip
_COUNTED = tuple(c for c in W.CATEGORIES if c != "stop")
_VOCAB = (
    *_COUNTED, "credit", "date", "ui_label", "byline", "template", "stop_ratio",
    "novel_share", "word_page_freq",
)  # fmt: skip
_PARAGRAPH = (
    "para_log_words", "para_lines", "line_in_para", "lines_after_in_para", "para_ends_terminal",
)  # fmt: skip
_PLACE = (
    "repeats", "first_copy", "para_repeats", "position", "char_position", "words_before",
    "prose", "in_span", "from_first_prose", "to_last_prose", "prev_prose_gap",
    "next_prose_gap", "rel_words", "in_main", "from_main_start", "to_main_end",
    "prose_words_before", "prose_words_after", "section_heading", "sections_in_main_before",
    "since_section", "sections_before",
)  # fmt: skip
_PAGE_KINDS = ("shop", "forum", "listing", "doc", "time", "currency", "code_chars")
_PAGE = (
    "page_log_lines", "page_log_words", "page_prose_share", "page_repeat_share",
    "page_main_share", "page_short_share", "page_tab_share", "page_bullet_share",
    "page_stop_ratio", *(f"page_{k}_rate" for k in _PAGE_KINDS),
    *(f"page_{k}_lines" for k in _PAGE_KINDS),
)  # fmt: skip
_NEIGHBOUR_OF = ("log_words", "repeats")
_NEIGHBOURS = tuple(f"n{o:+d}_{c}" for o in _OFFSETS for c in _NEIGHBOUR_OF)
_WINDOW_OF = ("prose", "log_words", "short", "repeats", "nav")
_REGION = tuple(f"w{h}_{c}" for h in _WINDOWS for c in _WINDOW_OF)
_SIDE_OF = ("prose", "log_words", "stop_ratio")
_SIDE = tuple(f"{side}{h}_{c}" for h in _SIDES for side in ("before", "after") for c in _SIDE_OF)
_BASE = _OWN + _VOCAB + _PARAGRAPH + _PLACE + _PAGE

# What ``measure`` computes, in column order; the model adds the lexicon's columns.
MEASURED_NAMES: tuple[str, ...] = _BASE + _NEIGHBOURS + _REGION + _SIDE
FEATURE_NAMES: tuple[str, ...] = MEASURED_NAMES + L.COLUMNS


@dataclass(frozen=True, slots=True)
class Measured:
    """The columns of a dump's lines, their words for the lexicon, and a key per line."""

    X: np.ndarray  # float32, one row per line: MEASURED_NAMES (or FEATURE_NAMES) order
    terms: L.Terms  # each line's distinct hashed words and word pairs
    key: np.ndarray  # uint64: lines with the same words in the same order share a key


def measure(page: TextPage) -> Measured:
    if not page.blocks:
        empty = np.zeros((0, len(MEASURED_NAMES)), dtype=np.float32)
        return Measured(empty, L.no_terms(), np.zeros(0, dtype=np.uint64))
    lower = lowered(page.text)
    cp = np.frombuffer(page.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _CLASSES[np.minimum(cp, 0xFFFF)]
    flag_sums, found, owner = _SCAN(page, lower, cp, cls)
    cols = _shape_columns(page, cp, cls, flag_sums)
    cols.update(_vocabulary_columns(page, lower, found, owner))
    cols.update(_paragraph_columns(page, cols))
    cols.update(_place_columns(page, cols))
    whole_page = _page_columns(cols)
    cols["short"] = (cols["words"] <= SHORT_MAX_WORDS).astype(np.float64)
    X = np.empty((len(page.blocks), len(MEASURED_NAMES)), dtype=np.float32)
    per_line = _BASE[: -len(_PAGE)]
    for j, name in enumerate(per_line):
        X[:, j] = cols[name]
    X[:, len(per_line) : len(_BASE)] = [whole_page[name] for name in _PAGE]
    k = len(_BASE)
    near = np.column_stack([cols[name] for name in _NEIGHBOUR_OF])
    for offset in _OFFSETS:
        X[:, k : k + near.shape[1]] = _shifted(near, offset, -1.0)
        k += near.shape[1]
    around = np.column_stack([cols[name] for name in _WINDOW_OF])
    for half in _WINDOWS:
        X[:, k : k + around.shape[1]] = _window_mean(around, half)
        k += around.shape[1]
    sides = np.column_stack([cols[name] for name in _SIDE_OF])
    for reach in _SIDES:
        before, after = _side_means(sides, reach)
        X[:, k : k + 2 * sides.shape[1]] = np.column_stack((before, after))
        k += 2 * sides.shape[1]
    place = np.where(cols["from_main_start"] < 0, 0, np.where(cols["to_main_end"] < 0, 2, 1))
    return Measured(X, L.terms(found.hashes, owner, len(page.blocks), place), cols["line_key"])


def block_terms(texts: Sequence[str], place: np.ndarray) -> L.Terms:
    """The lexicon's terms of each of ``texts`` (an HTML page's blocks), found
    exactly as a dump's lines' are; ``place`` as in ``lexicon.terms``."""
    if not texts:
        return L.no_terms()
    owner, hashes = _WORD_HASHES(texts)
    return L.terms(hashes, owner, len(texts), place)


def lowered(text: str) -> str:
    """``text`` lower-cased one character for one (U+0130 is the one char lower() widens)."""
    return text.replace("\u0130", "I").lower()


def _owned_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each word's text and hash (``words.hashes_of``), in numpy."""
    lower = lowered("\n".join(texts))
    lower_cp = np.frombuffer(lower.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    start, hashes = W.hashes_of(lower_cp, (_CLASSES[np.minimum(lower_cp, 0xFFFF)] & _WORD) != 0)
    owner = np.searchsorted(_starts(texts), start, side="right") - 1
    return owner, hashes


def _starts(texts: Sequence[str]) -> np.ndarray:
    """Where each of ``texts`` starts in ``"\n".join(texts)``."""
    return np.cumsum([0] + [len(text) + 1 for text in texts[:-1]], dtype=np.int64)


def _compiled_word_hashes() -> Callable[[Sequence[str]], tuple[np.ndarray, np.ndarray]]:
    """``_owned_hashes`` by ``winnow._textstats.word_hashes`` (one pass in C,
    0.2 ms less per page), unless not built, ``WINNOW_PURE_PYTHON`` is set, or
    the two disagree on ``_HASH_SAMPLE``."""
    word_hashes = compiled_function("winnow._textstats", "word_hashes")
    if word_hashes is None:
        return _owned_hashes

    def compiled(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        lower = lowered("\n".join(texts))
        owner, hashes = word_hashes(lower, _starts(texts), _CLASSES, int(_WORD))
        return np.frombuffer(owner, np.int64), np.frombuffer(hashes, np.uint64)

    same = all(
        a.tobytes() == b.tobytes()
        for a, b in zip(compiled(_HASH_SAMPLE), _owned_hashes(_HASH_SAMPLE), strict=True)
    )
    return compiled if same else _owned_hashes


# Texts both ways of hashing must agree on: empty texts, texts of no words,
# a text with a line break, long words, non-ASCII letters and digits, U+0130,
# an astral character, and an underscore inside a word.
_HASH_SAMPLE = (
    "", "Add to bag", " -- ", "two\nlines here", "x" * 80 + " end", "İstanbul'da Ünlü",
    "我能吞下玻璃 ٣٤٥ ४५६", "emoji 😀 here", "snake_case word", "",
)  # fmt: skip


_WORD_HASHES = _compiled_word_hashes()


def compute(page: TextPage, lexicon: L.Lexicon) -> Measured:
    """``measure``, with the lexicon's columns added: X in ``FEATURE_NAMES`` order."""
    measured = measure(page)
    lexical = L.columns(lexicon.score(measured.terms)).astype(np.float32)
    return Measured(np.hstack([measured.X, lexical]), measured.terms, measured.key)


def _scanned(
    page: TextPage, lower: str, cp: np.ndarray, cls: np.ndarray
) -> tuple[np.ndarray, W.Words, np.ndarray]:
    """The per-line sums of ``_shape_flags``, the dump's words and each word's
    line, in numpy."""
    lower_cp = np.frombuffer(lower.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    found = W.find(lower_cp, (cls & _C["word"]) != 0, (cls & _C["digit"]) != 0)
    return _shape_flags(page.starts, cp, cls), found, page.owner(found.start)


def _shape_flags(starts: np.ndarray, cp: np.ndarray, cls: np.ndarray) -> np.ndarray:
    """Per line (columns), how many of its characters have each flag (rows):
    word starts, word characters, capitalised word starts, upper-case, cased,
    digits, sentence ends, punctuation, symbols, glued words (lower then
    upper), tabs, braces, copyright signs, currency signs, code characters."""

    def has(name: str) -> np.ndarray:
        return np.asarray((cls & _C[name]) != 0)

    word, upper, lower = has("word"), has("upper"), has("lower")
    nxt = np.concatenate((cls[1:], [_C["space"]]))
    word_start = word & ~np.concatenate(([False], word[:-1]))
    flags = np.vstack(
        (
            word_start,
            word,
            word_start & upper,
            upper,
            upper | lower,
            has("digit"),
            has("term") & ((nxt & _C["word"]) == 0),
            has("punct"),
            has("symbol"),
            lower & ((nxt & _C["upper"]) != 0),
            has("tab"),
            has("brace"),
            cp == _COPYRIGHT,
            has("currency"),
            has("code"),
        )
    ).view(np.uint8)
    return np.add.reduceat(flags, starts, axis=1, dtype=np.int32).astype(np.float64)


# The classes ``winnow._textstats.dump_scan`` reads, in the order it reads them.
_SCAN_CLASSES = "word upper lower digit term punct symbol tab brace currency code space"
_SCAN_MASKS = np.array([_C[name] for name in _SCAN_CLASSES.split()], dtype=np.uint16)


Scan = Callable[[TextPage, str, np.ndarray, np.ndarray], tuple[np.ndarray, W.Words, np.ndarray]]


def _compiled_scan() -> Scan:
    """``_scanned`` by ``winnow._textstats.dump_scan`` (one pass in C, about
    0.2 ms less per dump), unless not built, ``WINNOW_PURE_PYTHON`` is set, or
    the two disagree on ``_SCAN_SAMPLE``."""
    dump_scan = compiled_function("winnow._textstats", "dump_scan")
    if dump_scan is None:
        return _scanned
    compiled = scan_with(dump_scan)
    return compiled if all(same_scan(compiled, page) for page in _SCAN_SAMPLE) else _scanned


def scan_with(dump_scan: Callable[..., tuple[bytes, ...]]) -> Scan:
    """``_scanned``'s twin that calls ``dump_scan`` (``winnow._textstats``')."""

    def compiled(
        page: TextPage, lower: str, cp: np.ndarray, cls: np.ndarray
    ) -> tuple[np.ndarray, W.Words, np.ndarray]:
        sums, start, length, digits, hashes, owner = dump_scan(
            page.text, lower, page.starts, _CLASSES, _SCAN_MASKS, _COPYRIGHT
        )
        flag_sums = np.frombuffer(sums, np.int32).reshape(-1, len(page.blocks))
        found = W.looked_up(
            np.frombuffer(start, np.int64),
            np.frombuffer(length, np.int64),
            np.frombuffer(digits, np.bool_),
            np.frombuffer(hashes, np.uint64),
        )
        return flag_sums.astype(np.float64), found, np.frombuffer(owner, np.int64)

    return compiled


def same_scan(scan: Scan, page: TextPage) -> bool:
    """Whether ``scan`` gives what ``_scanned`` gives on ``page``, bit for bit."""
    lower = lowered(page.text)
    cp = np.frombuffer(page.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _CLASSES[np.minimum(cp, 0xFFFF)]
    (a, x, p), (b, y, q) = scan(page, lower, cp, cls), _scanned(page, lower, cp, cls)
    return (
        a.tobytes() == b.tobytes()
        and p.tobytes() == q.tobytes()
        and p.dtype == q.dtype
        and all(
            getattr(x, name).tobytes() == getattr(y, name).tobytes()
            and getattr(x, name).dtype == getattr(y, name).dtype
            for name in ("start", "length", "digits", "hashes", "bits", "pair_bits", "freq")
        )
    )


def _shape_columns(
    page: TextPage, cp: np.ndarray, cls: np.ndarray, sums: np.ndarray
) -> dict[str, np.ndarray]:
    """Length, punctuation and casing measures, from the character classes
    and the per-line ``_shape_flags``."""
    starts = page.starts
    words, word_chars, caps, uppers, cased, digits, ends, punct, symbols, glue = sums[:10]
    tabs, braces, copyright_signs, currency, code = sums[10:]
    chars = np.diff(np.concatenate((starts, [len(page.text)]))).astype(np.float64)
    chars[:-1] -= len(SEPARATOR)
    safe_words = np.maximum(words, 1.0)
    safe_chars = np.maximum(chars, 1.0)
    first = cls[starts]
    second = cls[np.minimum(starts + 1, cls.size - 1)]
    bullet = ((first & _C["bullet"]) != 0) & ((second & _C["space"]) != 0) & (chars > 1)
    ends_terminal, ends_colon = _endings(cp, cls, starts, chars)
    return {
        "words": words,
        "log_chars": np.log1p(chars),
        "log_words": np.log1p(words),
        "avg_word_len": word_chars / safe_words,
        "punct_per_word": punct / safe_words,
        "sentences": np.log1p(ends),
        "ends_terminal": ends_terminal,
        "ends_colon": ends_colon,
        "starts_upper": ((first & _C["upper"]) != 0).astype(np.float64),
        "starts_lower": ((first & _C["lower"]) != 0).astype(np.float64),
        "starts_digit": ((first & _C["digit"]) != 0).astype(np.float64),
        "starts_bullet": bullet.astype(np.float64),
        "capital_ratio": caps / safe_words,
        "upper_ratio": uppers / np.maximum(cased, 1.0),
        "digit_ratio": digits / safe_chars,
        "symbol_ratio": symbols / safe_chars,
        "glue_ratio": glue / safe_words,
        "tabs": np.minimum(tabs, 20.0),
        "braces": np.minimum(braces, 20.0),
        "copyright": np.minimum(copyright_signs, 5.0),
        "currency": np.minimum(currency, 20.0),
        "code_chars": np.minimum(code, 50.0),
    }


def _endings(
    cp: np.ndarray, cls: np.ndarray, starts: np.ndarray, chars: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each line ends a sentence (up to two closing quotes aside), and ends with ':'."""
    last = starts + chars.astype(np.int64) - 1
    for _ in range(2):
        last = last - (((cls[last] & _C["closer"]) != 0) & (last > starts))
    terminal = (cls[last] & _C["term"]) != 0
    return terminal.astype(np.float64), (cp[last] == ord(":")).astype(np.float64)


def _vocabulary_columns(
    page: TextPage, lower: str, found: W.Words, owner: np.ndarray
) -> dict[str, np.ndarray]:
    """Vocabulary hits per line: words, word pairs, dates, anchored line patterns."""
    n = len(page.blocks)
    same_line = np.concatenate((owner[:-1] == owner[1:], [False]))
    bits = found.bits | np.where(same_line, found.pair_bits, 0)
    freq = found.freq  # how often each word occurs on the page
    month = (found.bits & W.bit("month")) != 0
    number_after = np.concatenate((found.digits[1:], [False])) & same_line
    number_before = np.concatenate(([False], (found.digits & same_line)[:-1]))
    categories = (bits[None, :] >> _CATEGORY_SHIFTS[:, None]) & 1
    per_word = np.vstack(
        (
            categories,
            (found.bits & W.bit("stop")) != 0,
            freq == 1,
            np.log2(np.maximum(freq, 1)),
            month & (number_before | number_after),
            np.ones(found.hashes.size),
        )
    )
    sums = _per_line(per_word, owner, n)
    per_line = np.maximum(sums[-1], 1.0)
    out = {name: np.minimum(sums[k], 20.0) for k, name in enumerate(_WORD_COUNTED)}
    stop, novel, log_freq, date = sums[len(_WORD_COUNTED) : -1]
    # Menu words recur on a page, story words less: the share of words seen once.
    out.update(stop_ratio=stop / per_line, novel_share=novel / per_line)
    out.update(word_page_freq=log_freq / per_line, date=np.minimum(date, 5.0))
    out["line_key"] = W.group_keys(found.hashes, owner, n)
    paragraphs = int(page.paragraph[-1]) + 1
    out["para_key"] = W.group_keys(found.hashes, page.paragraph[owner], paragraphs)
    first = np.minimum(np.searchsorted(owner, np.arange(n)), max(owner.size - 1, 0))
    first_len = found.length[first] if owner.size else np.zeros(n, dtype=np.int64)
    out.update(_line_patterns(page, lower, sums[-1], first_len))
    return out


_WORD_COUNTED = (*_COUNTED, "credit")
_CATEGORY_SHIFTS = np.array([W.bit(name).bit_length() - 1 for name in _WORD_COUNTED])


def _per_line(per_word: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Row sums of ``per_word`` (one column per word) for each line; words sorted by line."""
    out = np.zeros((per_word.shape[0], n))
    if owner.size:
        first = np.searchsorted(owner, np.arange(n))
        has = first < np.concatenate((first[1:], [owner.size]))  # the line holds at least one word
        out[:, has] = np.add.reduceat(per_word, first[has], axis=1)
    return out


def _line_patterns(
    page: TextPage, lower: str, words: np.ndarray, first_len: np.ndarray
) -> dict[str, np.ndarray]:
    """UI labels and bylines (whole-line patterns), and template residue.

    ``first_len`` is the length of each line's first word: a byline starts with
    one of the short words of ``P.BYLINE_TEXT`` (by, von, par, door, ...).
    """
    n = len(page.blocks)
    lines = lower.split(SEPARATOR)
    template = np.zeros(n)
    ui = _matches(P.UI_TEXT, lines, words <= _UI_MAX_WORDS)
    maybe = (words >= 2) & (words <= _BYLINE_MAX_WORDS) & (first_len <= _BYLINE_WORD_MAX_CHARS)
    byline = _matches(P.BYLINE_TEXT, lines, maybe)
    if "{" in lower:
        hits = np.fromiter((m.start() for m in T.TEMPLATE_RESIDUE.finditer(lower)), dtype=np.int64)
        template = np.minimum(np.bincount(page.owner(hits), minlength=n), 5).astype(np.float64)
    return {"ui_label": ui, "byline": byline, "template": template}


def _matches(pattern: re.Pattern[str], lines: list[str], tried: np.ndarray) -> np.ndarray:
    """1.0 where ``pattern`` matches the start of a tried line; each distinct line is
    tried once (menus and labels repeat on a page: a third of the tries on WCXB dev dumps)."""
    seen: dict[str, bool] = {}
    out = np.zeros(len(lines))
    for i in np.flatnonzero(tried).tolist():
        line = lines[i]
        hit = seen.get(line)
        if hit is None:
            hit = seen[line] = pattern.match(line) is not None
        out[i] = hit
    return out


def _paragraph_columns(page: TextPage, cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each line's paragraph: its size, the line's place in it, how it ends."""
    para = page.paragraph
    para_words = np.bincount(para, weights=cols["words"])
    para_lines = np.bincount(para)
    heads = np.flatnonzero(np.concatenate(([True], np.diff(para) != 0)))
    line_in = np.arange(para.size) - heads[para]
    last_line = heads[para] + para_lines[para] - 1
    return {
        "para_log_words": np.log1p(para_words[para]),
        "para_lines": np.minimum(para_lines[para], 50).astype(np.float64),
        "line_in_para": np.minimum(line_in, 50).astype(np.float64),
        "lines_after_in_para": np.minimum(last_line - np.arange(para.size), 50).astype(np.float64),
        "para_ends_terminal": cols["ends_terminal"][last_line],
        "para_words": para_words[para],
    }


def copies(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many items share each item's key, and whether the item is its key's first."""
    n = keys.size
    if n == 0:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    group = np.cumsum(new) - 1
    counts = np.bincount(group)
    count, first = np.empty(n), np.zeros(n)
    count[order] = counts[group]
    first[order[new]] = 1.0  # stable sort: a group's first element is its earliest item
    return count, first


def _place_columns(page: TextPage, cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Repetition, position, the prose span and main run, section headings."""
    n = len(page.blocks)
    words = cols["words"]
    repeats, first = copies(cols["line_key"])
    para_repeats, _ = copies(cols["para_key"])
    idx = np.arange(n, dtype=np.float64)
    total_words = max(float(words.sum()), 1.0)
    prose = (cols["para_ends_terminal"] > 0) & (cols["para_words"] >= PROSE_MIN_WORDS)
    prose_at = np.flatnonzero(prose)
    first_prose = prose_at[0] if prose_at.size else n
    last_prose = prose_at[-1] if prose_at.size else -1
    prev_gap, next_gap = _gaps(prose)
    main_start, main_end = _main_run(words, prose)
    prose_words = np.cumsum(np.where(prose, words, 0.0))
    total_prose = max(float(prose_words[-1]), 1.0)
    return {
        "repeats": np.log2(repeats),
        "first_copy": first,
        "para_repeats": np.log2(para_repeats[page.paragraph]),
        "position": idx / max(n - 1, 1),
        "char_position": page.starts / max(len(page.text), 1),
        "words_before": (np.cumsum(words) - words) / total_words,
        "prose": prose.astype(np.float64),
        "in_span": ((idx >= first_prose) & (idx <= last_prose)).astype(np.float64),
        "from_first_prose": np.clip(idx - first_prose, -_FAR, _FAR),
        "to_last_prose": np.clip(last_prose - idx, -_FAR, _FAR),
        "prev_prose_gap": prev_gap,
        "next_prose_gap": next_gap,
        "rel_words": np.log1p(words) - np.log1p(words.max()),
        "in_main": ((idx >= main_start) & (idx <= main_end)).astype(np.float64),
        "from_main_start": np.clip(idx - main_start, -_FAR, _FAR),
        "to_main_end": np.clip(main_end - idx, -_FAR, _FAR),
        "main_words": np.full(n, words[main_start : main_end + 1].sum()),
        "prose_words_before": (prose_words - np.where(prose, words, 0.0)) / total_prose,
        "prose_words_after": (total_prose - prose_words) / total_prose,
        **_section_columns(cols, idx >= main_start),
    }


def _section_columns(cols: dict[str, np.ndarray], past_start: np.ndarray) -> dict[str, np.ndarray]:
    """Section headings ("Related stories", "Comments", "Sponsored") and how far back
    the last one is: below the story, a page's other sections open with one."""
    vocab = cols["related"] + cols["section"] + cols["sponsored"] + cols["paywall"]
    heading = (vocab > 0) & (cols["words"] <= SECTION_MAX_WORDS)
    inside = heading & past_start
    idx = np.arange(heading.size)
    before_inside = np.cumsum(inside) - inside
    last = np.maximum.accumulate(np.where(inside, idx, -1))
    last = np.concatenate(([-1], last[:-1]))  # the last one strictly before the line
    return {
        "section_heading": heading.astype(np.float64),
        "sections_in_main_before": np.minimum(before_inside, 5).astype(np.float64),
        "since_section": np.where(last >= 0, np.minimum(idx - last, _FAR), _FAR),
        "sections_before": np.minimum(np.cumsum(heading) - heading, 10).astype(np.float64),
    }


def _page_columns(cols: dict[str, np.ndarray]) -> dict[str, float]:
    """Page-wide measures (one value per page; every line gets it)."""
    words = cols["words"]
    n = words.size
    total = max(float(words.sum()), 1.0)
    prose = cols["prose"] > 0
    out = {
        "page_log_lines": np.log1p(n),
        "page_log_words": np.log1p(total),
        "page_prose_share": words[prose].sum() / total,
        "page_repeat_share": _share(cols["repeats"]),
        "page_main_share": float(cols["main_words"][0]) / total,  # main_words: same on all lines
        "page_short_share": _share(words <= SHORT_MAX_WORDS),
        "page_tab_share": _share(cols["tabs"]),
        "page_bullet_share": _share(cols["starts_bullet"]),
        "page_stop_ratio": float(cols["stop_ratio"] @ words) / total,
    }
    for kind in _PAGE_KINDS:
        out[f"page_{kind}_rate"] = 100.0 * float(cols[kind].sum()) / total
        out[f"page_{kind}_lines"] = _share(cols[kind])
    return out


def _share(values: np.ndarray) -> float:
    """The share of lines where ``values`` is not zero (all are counts or flags, never negative)."""
    return np.count_nonzero(values) / values.size


def _main_run(words: np.ndarray, prose: np.ndarray) -> tuple[int, int]:
    """First and last line of the page's main run of prose.

    The run is the stretch of lines with the largest sum of ``words`` for
    prose lines minus ``1 + words`` for the others (the maximum-sum
    subarray): a heading or a caption inside a story costs a little, a menu
    of thirty entries ends it.
    """
    value = np.where(prose, words, -1.0 - words)
    total = np.concatenate(([0.0], np.cumsum(value)))
    lowest = np.minimum.accumulate(total[:-1])  # best start for a run ending at each line
    end = int(np.argmax(total[1:] - lowest))
    start = int(np.argmin(total[: end + 1]))
    return start, end


def _gaps(flag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines back to the previous flagged line, and on to the next one (capped)."""
    n = flag.size
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(flag, idx, -1))
    nxt = np.minimum.accumulate(np.where(flag, idx, n)[::-1])[::-1]
    prev_gap = np.minimum(np.where(prev >= 0, idx - prev, _FAR), _FAR)
    next_gap = np.minimum(np.where(nxt < n, nxt - idx, _FAR), _FAR)
    return prev_gap.astype(np.float64), next_gap.astype(np.float64)


# The helpers below take one column per feature (lines x features) or one vector.


def _shifted(values: np.ndarray, offset: int, missing: float) -> np.ndarray:
    """``values`` of the line ``offset`` lines away; ``missing`` where there is none."""
    out = np.full(values.shape, missing, dtype=np.float64)
    n = values.shape[0]
    if offset < 0 and n > -offset:
        out[-offset:] = values[:offset]
    elif offset > 0 and n > offset:
        out[:-offset] = values[offset:]
    return out


def _cumulative(values: np.ndarray) -> np.ndarray:
    """Running sums down the lines, with a leading row of zeros."""
    zero = np.zeros((1, *values.shape[1:]))
    return np.concatenate((zero, np.cumsum(values, axis=0)))


def _column(vector: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``vector`` shaped to broadcast along the lines of ``like``."""
    return vector.reshape((-1,) + (1,) * (like.ndim - 1))


def _window_mean(values: np.ndarray, half: int) -> np.ndarray:
    """Mean of ``values`` over the line and ``half`` lines on each side."""
    n = values.shape[0]
    total = _cumulative(values)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, n)
    return np.asarray((total[hi] - total[lo]) / _column(hi - lo, values))


def _side_means(values: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of ``values`` over the ``reach`` lines before, and the ``reach`` after (-1: none)."""
    n = values.shape[0]
    total = _cumulative(values)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - reach, 0), np.minimum(idx + 1 + reach, n)
    ahead, behind = _column(idx - lo, values), _column(hi - idx - 1, values)
    before = np.where(ahead > 0, (total[idx] - total[lo]) / np.maximum(ahead, 1), -1.0)
    after = np.where(behind > 0, (total[hi] - total[idx + 1]) / np.maximum(behind, 1), -1.0)
    return before, after


# Dumps both ways of scanning must agree on: one line, a blank-free run of
# words and digits, a tab-separated row, a line of one character, a sentence
# end glued to the next line's capital, U+0130, non-ASCII letters and digits,
# an astral character, braces, a copyright sign, currency and code characters.
_SCAN_SAMPLE = tuple(
    segment(dump)
    for dump in (
        "One line",
        "Add to bag\n\n2025 x1\tPrice\t$4.99\n\nA\n\nEnd.Next {{user}} © Reuters",
        "İstanbul'da Ünlü ٣٤٥ ४५६\n\n我能吞下玻璃 emoji 😀 here\n\nsnake_case = f(x) <b>; 50€",
    )
)
_SCAN = _compiled_scan()
