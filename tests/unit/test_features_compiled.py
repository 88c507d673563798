"""The C text statistics (winnow._textstats, used by stages/features.py) against
their Python twin (``_text_scalars`` and the title overlap): the same rows, bit
for bit, on hostile and ordinary texts, and the same feature matrices.

``WINNOW_EXTENSIONS=required`` (set by .ci/run) says that the extension must
have been built here: then its absence fails instead of skipping.
"""

from __future__ import annotations

import gzip
import random
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from winnow import patterns as P
from winnow.compiled import PURE_PYTHON, pure_python
from winnow.compiled import function as compiled_function
from winnow.stages import decode, features
from winnow.stages.blocks import segment
from winnow.stages.parse import content_root, parse_html
from winnow.stages.textmode import features as text_features
from winnow.stages.textmode import words as text_words
from winnow.stages.textmode.segment import segment as text_segment

PAGES = Path(__file__).resolve().parents[1] / "pages"


@pytest.fixture(scope="module")
def scanner(extension: Callable[[str], ModuleType]) -> Any:
    """A Scanner as features builds it, without the check at import: a wrong
    count must fail these tests, not be left unused."""
    Scanner = extension("_textstats").Scanner
    return Scanner(**scanner_arguments())


def scanner_arguments(**changes: Any) -> dict[str, Any]:
    return {**features._scanner_arguments(), **changes}


def assert_same(scanner: Any, texts: list[str], title: str = "") -> None:
    title_words = set(features._words(title))
    compiled = features._text_rows(texts, title_words, scanner)
    python = features._text_rows(texts, title_words, None)
    for i, text in enumerate(texts):
        assert compiled[i].tobytes() == python[i].tobytes(), (
            f"{text[:60]!r}: C {compiled[i].tolist()} Python {python[i].tolist()}"
        )


# --- texts -------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\n",
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000 ",  # every kind of whitespace
    "\x00",
    "a\x00b\x00 C\x00.",
    "x" * 1_000_000,
    "Ein Satz. " * 100_000,  # 1 MB of sentences
    "\n" * 5000 + "end",
    "\ud800",
    "lone \udfff surrogates \udbff\udc00 between words.",
    "astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 and emoji 🙂👩‍👩‍👧‍👦 🇫🇷.",
    "İ",
    "İstanbul İZMİR",  # lower() makes each İ two characters
    "İ" * 1500 + " tail words",  # lowered, the head is longer than the text read
    "İ" * 2500,
    "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΟΦΟΣ",  # final sigma
    "Straße ẞ ß ǅ ǈ ǋ ǲ",  # titlecase letters
    "e\u0301 a\u0308 o\u0303 n\u0303o",  # combining marks: not \w
    "\u0301\u0308 leading marks",
    "我能吞下玻璃而不伤身体。这是一个句子！還有？",
    "いろはにほへと。カタカナ！한국어 문장입니다.",
    "٠١٢٣٤٥٦٧٨٩ ०१२३४५६७८९ ໐໑໒ ௧௨௩ ๑๒๓ １２３",  # decimal digits of other scripts
    "² ³ ¹ ¼ ½ Ⅻ ⅻ ① ⑴",  # digits and numerics that are not decimal: \w, not \d
    "_under_score_ __init__ _",
    "KELVIN K ſ ı ǰ ﬁ ﬀ",  # case oddities
    "‏עברית ‎العربية‎ mixed‏",
    "\x7f\x80\x9f control characters",
    "{}[]();=<>_\\$#|&* all the code symbols",
    ".,;:!?。，、；：！？ all the punctuation",
    ". ! ? 。 ！ ？",
    "end.",
    "end. ",
    "end.\n",
    'quote"',
    "quote”  \n",
    "•",
    "• item",
    "·-–—*►▸›»| bullets",
]

GATES = [
    "Share",
    "share »",
    "Read more …",
    "skip to main content",
    "Skip To Content",
    "Log in:",
    "x",
    "x.",
    "xx",
    "Home>",
    "e-mail",
    "shared",
    "previous post",
    "By Jane Doe",
    "by",
    "by ",
    "BY  JANE",
    "  von Ernst",
    "Door de redactie",
    "dİ Rossi",  # İ matches i when case is ignored?
    "dı Rossi",
    "Kelvin by Bob",
    "bylines are not by x",
    "© 2026",
    "(c) Jane",
    "Photo: AP",
    "photos by Getty Images",
    "AFP",
    "reuters",
    "the map of the gap",  # 'ap' only inside words
    "Source/Epa",
    "All Rights Reserved",
    "Sign up for our newsletter",
    "sign\nup  for",
    "Terms of Service",
    "Cookie settings",
    "{{ template }}",
    "Powered by winnow",
    "3 minutes ago",
    "2026-11-28",
    "28.11.2026",
    "Nov 28, 2026",
    "28 November 2026",
    "2026年11月28日",
    "Updated: 5 hours ago by the desk",
    "5 DAYS AGO",
    "1/2/26",
    "12 .3",
    "٢٠٢٦-١١-٢٨",  # decimal digits of another script are \d too
    "2026",
    "Page 2 of 10",
    "12 34 567",
]


def at_bounds(base: str) -> list[str]:
    lengths = [0, 1, 39, 40, 41, 99, 100, 101, 199, 200, 201, 299, 300, 301, 399, 400, 401]
    lengths += [1999, 2000, 2001, 4000]
    return [(base * (4001 // len(base) + 1))[:n] for n in lengths]


def test_hostile_texts(scanner: Any) -> None:
    assert_same(scanner, HOSTILE, title="İstanbul end item")


def test_every_pattern_gate(scanner: Any) -> None:
    assert_same(scanner, GATES, title="Share the news by Jane")
    assert_same(scanner, [text.upper() for text in GATES])
    assert_same(scanner, ["  " + text + "  \n" for text in GATES])


@pytest.mark.parametrize(
    "base",
    [
        "By Reuters, 3 hours ago. © 2026 all rights reserved. ",
        "Шёл дождь 12.03.2026! Ёлка? ",
        "日期2026年11月28日。",
        "İ x ",
    ],
)
def test_at_the_length_bounds(scanner: Any, base: str) -> None:
    assert_same(scanner, at_bounds(base), title=base)


def test_title_overlap(scanner: Any) -> None:
    title = "The Title, the title: of a Story (2026)"
    texts = ["the title", "TITLE title title", "of a story 2026", "story" * 100, "nothing"]
    texts += ["the title " * 40]  # 400 characters: no overlap counted
    assert_same(scanner, texts, title=title)
    assert_same(scanner, texts, title="")
    assert_same(scanner, texts, title="...")


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_from_many_scripts(scanner: Any, seed: int) -> None:
    rng = random.Random(seed)
    ranges = [(0x00, 0x7F), (0xA0, 0x24F), (0x370, 0x4FF), (0x590, 0x6FF), (0x900, 0x97F)]
    ranges += [(0x2000, 0x206F), (0x3000, 0x30FF), (0x4E00, 0x4F00), (0xD7F0, 0xE010)]
    ranges += [(0xFF00, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF)]
    vocabulary = [*P.UI_WORDS, *P.BYLINE_WORDS, *P.BOILERPLATE_TRIGGERS, *P.CREDIT_TRIGGERS]
    texts = []
    for _ in range(300):
        parts = []
        for _ in range(rng.randrange(0, 40)):
            if rng.random() < 0.3:
                parts.append(rng.choice(vocabulary))
            else:
                low, high = rng.choice(ranges)
                parts.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 9))))
        texts.append(rng.choice([" ", "\n", "  ", ". ", ""]).join(parts))
    assert_same(scanner, texts, title=" ".join(texts[:3]))


def test_the_feature_matrices_of_the_fixture_pages(
    scanner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = sorted(PAGES.glob("*/source.html.gz"))
    assert sources
    for source in sources:
        html = decode.decode(gzip.decompress(source.read_bytes()))
        page = segment(content_root(parse_html(html)))
        title = page.blocks[0].text if page.blocks else ""
        monkeypatch.setattr(features, "_SCANNER", scanner)
        compiled = features.compute(page, title, "/news/")
        monkeypatch.setattr(features, "_SCANNER", None)
        python = features.compute(page, title, "/news/")
        assert compiled.tobytes() == python.tobytes(), source.parent.name


# --- the gates rule out only what the patterns cannot match ------------------


def test_ui_text_is_made_of_its_words_and_tail() -> None:
    for word in P.UI_WORDS:
        for tail in ("", " ", "...", " »", ": ›", "…!"):
            assert P.UI_TEXT.match(word + tail)
    assert not P.UI_TEXT.match("shared") and not P.UI_TEXT.match("home page")


def test_byline_letters_match_no_other_ascii_character() -> None:
    """The byline gate lowers ASCII and lets every other character through."""
    letters = {c for word in P.BYLINE_WORDS for c in word}
    for code in range(128):
        char = chr(code)
        matches = {c for c in letters if re.fullmatch(c, char, re.IGNORECASE)}
        assert matches <= {char.lower()}


# --- the extension and the fallbacks ------------------------------------------


def test_the_extension_is_used_where_it_is_built(scanner: Any) -> None:
    if pure_python():
        pytest.skip("WINNOW_PURE_PYTHON is set")
    assert features.COMPILED  # built, and it passed the check at import


def test_pure_python_in_the_environment_leaves_the_extension_unused(
    pure_python_prints: Callable[[str], str],
) -> None:
    code = "from winnow.stages import features; print(features.COMPILED)"
    assert pure_python_prints(code) == "False"


def test_a_scanner_that_disagrees_at_import_is_not_used(
    scanner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from winnow import _textstats

    monkeypatch.delenv(PURE_PYTHON, raising=False)  # _scanner() reads it on every call
    wrong = _textstats.Scanner(**scanner_arguments(punct=P.PUNCTUATION + "x"))
    monkeypatch.setattr(_textstats, "Scanner", lambda **_: wrong)
    assert features._scanner() is None
    monkeypatch.setattr(_textstats, "Scanner", lambda **_: scanner)
    assert features._scanner() is scanner


def test_rows_refuses_what_it_cannot_fill(scanner: Any) -> None:
    texts = ["a", "b"]
    with pytest.raises(ValueError):
        scanner.rows(texts, np.zeros((3, features._TEXT_WIDTH)), ())
    with pytest.raises(ValueError):
        scanner.rows(texts, np.zeros((2, features._TEXT_WIDTH), dtype=np.float32), ())
    with pytest.raises(ValueError):
        scanner.rows(texts, np.zeros((features._TEXT_WIDTH, 2)).T, ())  # not C-contiguous
    with pytest.raises(BufferError):
        scanner.rows(texts, np.zeros((2, features._TEXT_WIDTH)).tobytes(), ())  # read-only
    with pytest.raises(TypeError):
        scanner.rows(["a", 2], np.zeros((2, features._TEXT_WIDTH)), ())
    with pytest.raises(TypeError):
        scanner.rows(texts, np.zeros((2, features._TEXT_WIDTH)), ("",))
    with pytest.raises(TypeError):
        scanner.rows(texts, np.zeros((2, features._TEXT_WIDTH)))
    assert scanner.rows([], np.zeros((0, features._TEXT_WIDTH)), ()) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"scan": 0}, ValueError),
        ({"date_digits": 0}, ValueError),
        ({"short": 0}, ValueError),
        ({"punct": 5}, TypeError),
        ({"ui_words": ("ok", "")}, TypeError),
        ({"boilerplate_triggers": "abc"}, None),  # a str is a sequence of 1-character str
        ({"credit_triggers": 7}, TypeError),
    ],
)
def test_scanner_arguments(scanner: Any, change: dict[str, Any], error: type | None) -> None:
    Scanner = type(scanner)
    if error is None:
        Scanner(**scanner_arguments(**change))
        return
    with pytest.raises(error):
        Scanner(**scanner_arguments(**change))
    with pytest.raises(TypeError):
        scanner.__init__(**scanner_arguments())  # built once
    with pytest.raises(ValueError, match="not built"):
        Scanner.__new__(Scanner).rows([], np.zeros((0, features._TEXT_WIDTH)), ())


# --- the lexicon's word hashes (textmode.features.block_terms) ----------------


def compiled_hashes(texts: list[str], word_hashes: Any) -> tuple[np.ndarray, np.ndarray]:
    lower = text_features.lowered("\n".join(texts))
    owner, hashes = word_hashes(
        lower, text_features._starts(texts), text_features._CLASSES, int(text_features._WORD)
    )
    return np.frombuffer(owner, np.int64), np.frombuffer(hashes, np.uint64)


@pytest.mark.parametrize("seed", range(3))
def test_word_hashes_equal_the_numpy_ones(
    extension: Callable[[str], ModuleType], seed: int
) -> None:
    word_hashes = extension("_textstats").word_hashes
    rng = random.Random(seed)
    alphabet = "abcXYZ_ 0\n\t-.İıßΣσ我玻٣४😀\u00a0\u2028\ud800"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(60)]
    texts += ["", "x" * 100, " ", "word"]
    for c, py in zip(
        compiled_hashes(texts, word_hashes), text_features._owned_hashes(texts), strict=True
    ):
        assert c.tobytes() == py.tobytes()


def test_the_word_hashes_in_use_are_the_compiled_ones_where_built(
    extension: Callable[[str], ModuleType],
) -> None:
    extension("_textstats")
    expect = "_owned_hashes" if pure_python() else "compiled"
    assert text_features._WORD_HASHES.__name__ == expect


def test_word_hashes_refuse_a_wrong_table(extension: Callable[[str], ModuleType]) -> None:
    word_hashes = extension("_textstats").word_hashes
    starts = np.zeros(1, np.int64)
    with pytest.raises(ValueError, match="65536"):
        word_hashes("a b", starts, np.zeros(10, np.uint16), 1)
    with pytest.raises(TypeError):
        word_hashes(b"a b", starts, text_features._CLASSES, int(text_features._WORD))


# --- the text dump's one-pass scan (textmode.features.measure) ---------------


def random_dump(rng: random.Random) -> str:
    alphabet = "abcXYZ_ 0©${}\t-.:!İıßΣσ我玻٣४😀\u00a0\u2028\ud800"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30))) for _ in range(40)]
    return "\n\n".join([*lines, "A", "End.Next", "x" * 100, "9"])


@pytest.mark.parametrize("seed", range(3))
def test_dump_scan_equals_the_numpy_scan(extension: Callable[[str], ModuleType], seed: int) -> None:
    scan = text_features.scan_with(extension("_textstats").dump_scan)
    page = text_segment(random_dump(random.Random(seed)))
    assert page.blocks
    assert text_features.same_scan(scan, page)


def test_dump_scan_sums_a_line_that_starts_where_the_next_does_as_numpy_does(
    extension: Callable[[str], ModuleType],
) -> None:
    # numpy's add.reduceat gives such a line its first character's flags.
    dump_scan = extension("_textstats").dump_scan
    text = "Ab.\tC ©"
    starts = np.array([0, 0, 2, 2, 5], np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    cls = text_features._CLASSES[cp]
    args = (text_features._CLASSES, text_features._SCAN_MASKS, text_features._COPYRIGHT)
    sums = np.frombuffer(dump_scan(text, text.lower(), starts, *args)[0], np.int32)
    numpy_sums = text_features._shape_flags(starts, cp, cls)
    assert sums.tolist() == numpy_sums.astype(np.int32).ravel().tolist()


def test_the_scan_in_use_is_the_compiled_one_where_built(
    extension: Callable[[str], ModuleType],
) -> None:
    extension("_textstats")
    expect = "_scanned" if pure_python() else "compiled"
    assert text_features._SCAN.__name__ == expect


@pytest.mark.parametrize(
    ("text", "lower", "starts", "table", "error"),
    [
        ("ab", "ab", [0], np.zeros(10, np.uint16), "65536"),
        ("ab", "abc", [0], None, "same length"),
        ("ab", "ab", [], None, "one or more"),
        ("ab", "ab", [1, 0], None, "sorted"),
        ("ab", "ab", [2], None, "sorted"),
    ],
)
def test_dump_scan_refuses_what_it_cannot_read(
    extension: Callable[[str], ModuleType],
    text: str,
    lower: str,
    starts: list[int],
    table: np.ndarray | None,
    error: str,
) -> None:
    dump_scan = extension("_textstats").dump_scan
    table = text_features._CLASSES if table is None else table
    with pytest.raises(ValueError, match=error):
        dump_scan(
            text,
            lower,
            np.array(starts, np.int64),
            table,
            text_features._SCAN_MASKS,
            text_features._COPYRIGHT,
        )
    with pytest.raises(TypeError):
        dump_scan(b"ab", "ab", np.zeros(1, np.int64), table, text_features._SCAN_MASKS, 169)


def test_compiled_function_is_none_when_pure_python_is_asked_or_the_name_is_missing(
    extension: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = extension("_textstats").dump_scan
    monkeypatch.delenv(PURE_PYTHON, raising=False)
    assert compiled_function("winnow._textstats", "dump_scan") is built
    assert compiled_function("winnow._textstats", "no_such_function") is None  # a stale build
    assert compiled_function("winnow._no_such_extension", "dump_scan") is None
    monkeypatch.setenv(PURE_PYTHON, "1")
    assert compiled_function("winnow._textstats", "dump_scan") is None


# --- the dump's word lookups and counts (textmode.words.looked_up) -----------


@pytest.mark.parametrize("seed", range(3))
def test_word_table_equals_the_numpy_lookups_and_counts(
    extension: Callable[[str], ModuleType], seed: int
) -> None:
    tabled = text_words.tabled_with(extension("_textstats").word_table)
    rng = np.random.default_rng(seed)
    vocabulary = text_words._SINGLES.key[text_words._SINGLES.key != 0]
    hashes = np.concatenate(
        (
            rng.choice(vocabulary, 300),  # words of the vocabulary, repeated
            rng.integers(0, 2**64 - 1, 300, dtype=np.uint64, endpoint=True),
            np.array([0, 2**64 - 1, 0], dtype=np.uint64),
        )
    )
    rng.shuffle(hashes)
    for c, py in zip(tabled(hashes), text_words._tabled(hashes), strict=True):
        assert c.tobytes() == py.tobytes() and c.dtype == py.dtype
    assert [a.size for a in tabled(hashes[:0])] == [0, 0, 0]


def test_the_word_lookups_in_use_are_the_compiled_ones_where_built(
    extension: Callable[[str], ModuleType],
) -> None:
    extension("_textstats")
    expect = "_tabled" if pure_python() else "compiled"
    assert text_words._TABLED.__name__ == expect


def test_word_table_refuses_a_table_it_cannot_read(
    extension: Callable[[str], ModuleType],
) -> None:
    word_table = extension("_textstats").word_table
    hashes = np.arange(3, dtype=np.uint64)
    good = (text_words._SINGLES.key, text_words._SINGLES.value, 1, 60)
    with pytest.raises(ValueError, match="int32 values"):
        word_table(hashes, text_words._SINGLES.key, np.zeros(3, np.int32), 1, 60, *good, 7)
    with pytest.raises(ValueError, match="below 64"):
        word_table(hashes, *good[:3], 64, *good, 7)
    with pytest.raises(TypeError):
        word_table(hashes, *good)


@pytest.mark.parametrize("seed", range(3))
def test_group_keys_equal_the_numpy_ones(extension: Callable[[str], ModuleType], seed: int) -> None:
    grouped = text_words.grouped_with(extension("_textstats").group_keys)
    rng = np.random.default_rng(seed)
    n = 400
    hashes = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    group = np.sort(rng.integers(0, 60, n)).astype(np.int64)  # some groups have no words
    group[-300:] = 61  # one group longer than the powers
    numpy_keys = text_words._group_keys(hashes, group, 64)
    assert grouped(hashes, group, 64).tobytes() == numpy_keys.tobytes()
    assert grouped(hashes[:0], group[:0], 5).tolist() == [0] * 5


def test_group_keys_refuse_groups_out_of_order(extension: Callable[[str], ModuleType]) -> None:
    keys_of = extension("_textstats").group_keys
    hashes = np.arange(3, dtype=np.uint64)
    with pytest.raises(ValueError, match="non-decreasing"):
        keys_of(hashes, np.array([0, 2, 1]), 3, text_words._SEQ_POW)
    with pytest.raises(ValueError, match="non-decreasing"):
        keys_of(hashes, np.array([0, 1, 3]), 3, text_words._SEQ_POW)
    with pytest.raises(ValueError, match="same length"):
        keys_of(hashes, np.array([0, 1]), 3, text_words._SEQ_POW)


def test_the_group_keys_in_use_are_the_compiled_ones_where_built(
    extension: Callable[[str], ModuleType],
) -> None:
    extension("_textstats")
    assert text_words._GROUPED.__name__ == ("_group_keys" if pure_python() else "compiled")
