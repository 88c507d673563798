"""The C walk of py3langid's byte automaton (winnow._langid, used by
stages/langid_dfa.py) against py3langid's own walk: the same feature counts in
the same order, and so the same language and probability, bit for bit.

``WINNOW_EXTENSIONS=required`` (set by .ci/run) says that the extension must
have been built here: then its absence fails instead of skipping.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts  # type: ignore[import-untyped]

from winnow.compiled import pure_python
from winnow.stages import langid_dfa, language


@pytest.fixture(scope="module")
def Dfa(extension: Callable[[str], ModuleType]) -> Any:
    return extension("_langid").Dfa


@pytest.fixture(scope="module")
def fast(Dfa: Any) -> Any:
    """The identifier with the C walk attached as it is, without the check at
    load: a wrong walk must fail these tests, not be left unused."""
    identifier = langid_dfa.Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._dfa = Dfa(identifier.tk_nextmove, identifier.tk_row, identifier.tk_output)
    return identifier


@pytest.fixture(scope="module")
def plain() -> Any:
    identifier = langid_dfa.load(compiled=False)
    assert type(identifier) is LanguageIdentifier
    return identifier


def python_visits(identifier: Any, data: bytes) -> list[tuple[int, int]]:
    """py3langid's walk: its Counter's items, in their order."""
    counts = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data)
    return list(counts.items()) if counts else []


def assert_same(fast: Any, plain: Any, text: str | bytes) -> None:
    data = fast._encode(text)
    assert list(fast._dfa.visits(data).items()) == python_visits(fast, data)
    (language, probability), (expected, expected_probability) = (
        fast.classify(text),
        plain.classify(text),
    )
    assert language == expected
    assert probability.hex() == expected_probability.hex()


# --- texts -------------------------------------------------------------------

TEXTS = [
    "",
    " ",
    "a",
    "é",  # two bytes
    "€",  # three
    "𝔘",  # four
    ".....",  # no feature at all
    "1234567890",
    'He said:\n"A line that opens with a quote."',  # visits feature 0
    "The quick brown fox jumps over the lazy dog, again and again and again.",
    "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
    "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر ومغلف بجلد أزرق",
    "עטלף אבק נס דרך מזגן שהתפוצץ כי חם",
    "यह एक छोटा सा वाक्य है जो हिन्दी में लिखा गया है।",
    "我能吞下玻璃而不伤身体。这是一个中文句子，用来测试语言识别。",
    "いろはにほへと ちりぬるを わかよたれそ つねならむ 日本語の文章です。",
    "키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다.",
    "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน",
    "THE WHOLE TEXT IN CAPITALS IS LOWERED BEFORE IT IS WALKED, SAYS PY3LANGID",
    "Mixed: English words, deutsche Wörter, русские слова, 中文字符 and العربية together.",
    "Emoji 🙂🙃🎉👩‍👩‍👧‍👦 between words 🇫🇷 and flags 🏳️‍🌈, plus ZWJ sequences.",
    "Combining: e\u0301 a\u0308 o\u0303 (NFC makes them one character each) café naïve",
    "Lone surrogates \ud800 and \udfff pass through encode('surrogatepass') \udbff\udc00",
    "\x00\x01\x02 control characters \x7f\x80\x9f and a tab\tand newline\n",
    "x" * 499 + "é",  # a two-byte character at character 500
    "€" * 500,
    "ab" * 1000,
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_c_walk_classifies_as_py3langid_does(fast: Any, plain: Any, text: str) -> None:
    assert_same(fast, plain, text)


def test_bytes_are_walked_as_py3langid_walks_them(fast: Any, plain: Any) -> None:
    for data in (
        b"",
        "Grüße aus Köln".encode(),
        "Grüße aus Köln".encode()[:-1] + b"\xc3",  # a cut character: trimmed
        b"\xff\xfe not UTF-8 at all \xc3\x28",  # undecodable: walked as it is
        bytes(range(256)),
    ):
        assert_same(fast, plain, data)


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_from_many_scripts(fast: Any, plain: Any, seed: int) -> None:
    rng = random.Random(seed)
    blocks = [
        (0x20, 0x7E),
        (0xA0, 0x24F),
        (0x370, 0x4FF),
        (0x590, 0x6FF),
        (0x900, 0x97F),
        (0x3040, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xD7A3),
        (0x1F300, 0x1FAFF),
    ]
    for _ in range(60):
        low, high = blocks[rng.randrange(len(blocks))]
        words = []
        for _ in range(rng.randrange(1, 80)):
            if rng.random() < 0.2:
                low, high = blocks[rng.randrange(len(blocks))]
            word = "".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 9)))
            words.append(word)
        assert_same(fast, plain, " ".join(words))
        assert_same(fast, plain, bytes(rng.randrange(256) for _ in range(rng.randrange(600))))


@pytest.mark.parametrize("length", [0, 1, 39, 40, 41, 499, 500, 501, 1000])
def test_detect_at_the_length_bounds(fast: Any, plain: Any, length: int) -> None:
    base = "Die Sprache dieses Satzes ist Deutsch, und er wird oft wiederholt. "
    text = (base * 20)[:length]
    sample = " ".join(text[: language.MAX_CHARS].split())
    assert_same(fast, plain, sample)
    assert language.detect(text) == (
        None
        if len(sample) < language.MIN_CHARS or plain.classify(sample)[1] < language.MIN_PROBABILITY
        else plain.classify(sample)[0]
    )


# --- the extension and the fallbacks ------------------------------------------


def test_the_extension_is_used_where_it_is_built(Dfa: Any) -> None:
    if pure_python():
        pytest.skip("WINNOW_PURE_PYTHON is set")
    from winnow import _langid

    assert _langid.__file__ is not None and not _langid.__file__.endswith(".py")
    assert language.compiled()  # built, and it passed the check at load


def test_pure_python_in_the_environment_leaves_the_extension_unused(
    pure_python_prints: Callable[[str], str],
) -> None:
    code = "from winnow.stages import language; print(language.compiled())"
    assert pure_python_prints(code) == "False"


def test_py3langid_internals_of_another_shape_leave_its_walk(
    fast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def other_sparse_score(self: Any, visits: Any) -> Any:
        raise AssertionError("not called when the internals do not match")

    monkeypatch.setattr(LanguageIdentifier, "_sparse_score", other_sparse_score)
    identifier = langid_dfa.load()
    assert type(identifier) is LanguageIdentifier and not langid_dfa.is_compiled(identifier)


class OffByOne:
    """A walk that counts one feature too many: the load check must catch it."""

    def __init__(self, nextmove: Any, row: Any, output: Any) -> None:
        from winnow._langid import Dfa

        self.dfa = Dfa(nextmove, row, output)

    def visits(self, data: bytes) -> dict[int, int]:
        visits = self.dfa.visits(data)
        if visits:
            first = next(iter(visits))
            visits[first] += 1
        return visits


def test_a_walk_that_disagrees_at_load_is_not_used(
    fast: Any, plain: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(langid_dfa, "_walk_class", lambda: OffByOne)
    identifier = langid_dfa.load()
    assert not langid_dfa.is_compiled(identifier)
    assert identifier.classify(langid_dfa.SAMPLE) == plain.classify(langid_dfa.SAMPLE)


# --- the extension on small hand-made automata ---------------------------------


def toy_tables(typecode: str = "I") -> tuple[array[int], array[int], list[int]]:
    """Three states, one row each: 'a' enters state 1 (feature 7), 'b' state 2
    (feature 0), any other byte state 0 (no feature)."""
    rows = []
    for _ in range(3):
        row = [0] * 256
        row[ord("a")], row[ord("b")] = 1, 2
        rows.extend(row)
    return array(typecode, rows), array("H", [0, 1, 2]), [-1, 7, 0]


@pytest.mark.parametrize("typecode", ["H", "I"])
def test_toy_automaton_counts_in_first_visit_order(Dfa: Any, typecode: str) -> None:
    dfa = Dfa(*toy_tables(typecode))
    assert list(dfa.visits(b"xbaab.b").items()) == [(0, 3), (7, 2)]
    assert list(dfa.visits(b"ab").items()) == [(7, 1), (0, 1)]
    assert dfa.visits(b"") == {} and dfa.visits(b"xyz") == {}
    assert dfa.visits(bytearray(b"a")) == {7: 1} and dfa.visits(memoryview(b"bb")) == {0: 2}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda t: (t[0][:-1], t[1], t[2]), ValueError),  # not rows of 256
        (lambda t: (t[0], array("H", [0, 1, 3]), t[2]), ValueError),  # row 3 of 3
        (lambda t: (t[0], t[1], [-1, 7]), ValueError),  # two outputs for three states
        (lambda t: (t[0], t[1], [-2, 7, 0]), ValueError),
        (lambda t: (t[0], t[1], [-1, 2**31, 0]), ValueError),
        (lambda t: (t[0], t[1], [-1, "7", 0]), TypeError),
        (lambda t: (t[0], array("H"), []), ValueError),  # no state
        (lambda t: (array("i", t[0]), t[1], t[2]), TypeError),  # signed
        (lambda t: (t[0], t[1].tolist(), t[2]), TypeError),  # not a buffer
        (lambda t: (t[0], t[1], 5), TypeError),
    ],
)
def test_dfa_refuses_tables_that_point_outside_themselves(
    Dfa: Any, change: Any, error: type
) -> None:
    with pytest.raises(error):
        Dfa(*change(toy_tables()))


def test_a_move_outside_the_states_is_an_error_not_a_crash(Dfa: Any) -> None:
    nextmove, row, output = toy_tables()
    nextmove[256 + ord("z")] = 3  # from state 1, 'z' leads to state 3 of 3
    dfa = Dfa(nextmove, row, output)
    assert dfa.visits(b"zza") == {7: 1}  # from state 0, 'z' stays in state 0
    with pytest.raises(ValueError, match="state 3"):
        dfa.visits(b"az")
    with pytest.raises(ValueError):
        Dfa.__new__(Dfa).visits(b"a")
    with pytest.raises(TypeError):
        dfa.visits("a")  # type: ignore[arg-type]


# --- long texts: walked in segments at once, with the same result -----------------


def reference_walk(
    nextmove: array[int], row: array[int], output: list[int], data: bytes
) -> list[tuple[int, int]]:
    """The walk one byte after the other, in Python: {feature: count} items in first-visit order."""
    counts: dict[int, int] = {}
    state = 0
    for byte in data:
        state = nextmove[(row[state] << 8) + byte]
        if output[state] >= 0:
            counts[output[state]] = counts.get(output[state], 0) + 1
    return list(counts.items())


def parity_tables() -> tuple[array[int], array[int], list[int]]:
    """Two states: each 'x' toggles between them; state 1 counts feature 5. The
    state depends on every byte read so far, so a segment's walk that starts
    from state 0 agrees with the whole walk only by chance."""
    even, odd = [0] * 256, [1] * 256
    even[ord("x")], odd[ord("x")] = 1, 0
    return array("I", even + odd), array("H", [0, 1]), [-1, 5]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("tables", [toy_tables, parity_tables])
def test_long_texts_count_as_the_byte_by_byte_walk(
    Dfa: Any, tables: Callable[[], Any], seed: int
) -> None:
    rng = random.Random(seed)
    nextmove, row, output = tables()
    dfa = Dfa(nextmove, row, output)
    for size in (255, 256, 257, 500, 1000, 4099):
        data = bytes(rng.choice(b"abxy.") for _ in range(size))
        assert list(dfa.visits(data).items()) == reference_walk(nextmove, row, output, data)


def test_a_segment_start_that_leads_outside_the_states_is_not_an_error(Dfa: Any) -> None:
    # From state 0, 'z' leads outside; the whole walk reads it only from state 1.
    start, inside = [0] * 256, [1] * 256
    start[ord("a")], start[ord("z")] = 1, 2
    dfa = Dfa(array("I", start + inside), array("H", [0, 1]), [-1, 7])
    assert dfa.visits(b"a" + b"z" * 999) == {7: 1000}
    with pytest.raises(ValueError, match="state 2"):
        dfa.visits(b"z" * 1000)
