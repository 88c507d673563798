"""The C class/id categoriser (winnow._segment.ClassMatcher, programmed by
stages/class_match.py) against Python: the same bits as
``CLASS_PATTERN.finditer`` for every string, the same as ``blocks._attr_bits``
for every key, on random strings built from the pattern's own words, on the
fixture pages' class names, and on random patterns against ``re``.

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

import pytest
from selectolax.lexbor import LexborHTMLParser

from winnow import patterns as P
from winnow.compiled import pure_python
from winnow.stages import blocks, class_match, lexbor_walk
from winnow.stages.parse import content_root, parse_html

PAGES = Path(__file__).parent.parent / "pages"


@pytest.fixture(scope="module")
def segment(extension: Callable[[str], ModuleType]) -> Any:
    return extension("_segment")


@pytest.fixture(scope="module")
def matcher(segment: Any) -> Any:
    """The matcher as built, without the check at load: a wrong one must fail
    these tests, not be left unused."""
    built = class_match.build()
    assert built is not None, "CLASS_PATTERN uses something the C matcher does not run"
    return built


def compiled(segment: Any, pattern: str) -> Any:
    """A ClassMatcher for ``pattern`` whose group ``gN`` gives bit N; None when unsupported."""
    regex = re.compile(pattern)
    bits = {name: 1 << int(name[1:]) for name in regex.groupindex}
    program = class_match.program(regex, bits)
    return None if program is None else segment.ClassMatcher(*program, roles={}, itemprops={})


def finditer_bits(pattern: str, text: str) -> int:
    regex = re.compile(pattern)
    bits = 0
    for m in regex.finditer(text):
        bits |= 1 << int((m.lastgroup or "")[1:])
    return bits


# --- CLASS_PATTERN ------------------------------------------------------------------------

WORDS = [w for body in P.CLASS_CATEGORIES.values() for w in class_match._words(body)]
# Separators and neighbours of every kind the pattern's edges treat apart:
# white space (ASCII, Unicode, the line ends "$" looks at), "_ - :", ASCII
# and other digits, letters that \w takes, ones lower() changes, astral ones.
PIECES = [
    *" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2003\u2028\u3000",
    *"-_:./#[]()0179\u0663\uff11\u00b2",
    *"adsx\u00e9\u00df\u01c5\u0130\u212a\u03a3\u4e2d\U0001d400\U0001f600",
    "ad",
    "ads",
    "collapse",
    "d-none",
    "",
]


def random_name(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randrange(0, 9)):
        roll = rng.random()
        if roll < 0.5:
            word = rng.choice(WORDS)
            if rng.random() < 0.3:  # something inside the word
                i = rng.randrange(len(word) + 1)
                word = word[:i] + rng.choice(PIECES) + word[i:]
            if rng.random() < 0.2:  # a prefix of it
                word = word[: rng.randrange(1, len(word) + 1)]
            if rng.random() < 0.1:
                word = word.upper()
            parts.append(word)
        elif roll < 0.85:
            parts.append(rng.choice(PIECES))
        else:  # any code point but a surrogate
            code = rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0xD800)])
            parts.append(chr(code))
    return "".join(parts)


def test_the_probe_names_agree(matcher: Any) -> None:
    for name in class_match.probe_names():
        assert matcher.class_bits(name) == blocks._class_bits_finditer(name), name


@pytest.mark.parametrize("seed", range(4))
def test_random_names_get_finditers_bits(matcher: Any, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5_000):
        name = random_name(rng)
        assert matcher.class_bits(name) == blocks._class_bits_finditer(name), repr(name)


def test_edges_of_the_ad_words(matcher: Any) -> None:
    # ^ and [\s_\-:] before, $ (also before a final newline) or [\s_\-:\d] after.
    for name in [
        "ad", "ad\n", "ad\n\n", "ad\r", "x ad", "xad", "ad2", "ad\u0663", "ad\u00b2",
        "ad\u2028", "ad\u3000x", "-ads-", ":gpt:", "_dfp_", "adx", "advertorial",
        "ad-unit", "adunit", "ad--unit", "sponsored-by", "promo\u00e9 x", "banner\U0001d400",
        "collapse", "collapsed", "collapse-d", "d-none",
    ]:  # fmt: skip
        assert matcher.class_bits(name) == blocks._class_bits_finditer(name), repr(name)


def test_long_names_do_not_reach_the_depth_limit(matcher: Any) -> None:
    for name in ["nav " * 5000, "a" * 20000, "advert" + "x" * 50000 + " ad", "\u00e9" * 9999]:
        assert matcher.class_bits(name) == blocks._class_bits_finditer(name)


def fixture_keys() -> list[tuple[Any, ...]]:
    keys: set[tuple[Any, ...]] = set()
    for source in sorted(PAGES.glob("*/source.html*")):
        data = source.read_bytes()
        data = gzip.decompress(data) if source.suffix == ".gz" else data
        root = LexborHTMLParser(data).root
        assert root is not None
        for node in root.traverse():
            attrs = node.attributes
            if attrs:
                get = attrs.get
                keys.add((get("class"), get("id"), get("role"), get("itemprop")))
    return sorted(keys, key=repr)


def encoded(key: tuple[Any, ...]) -> tuple[bytes | None, ...]:
    return tuple(None if value is None else value.encode() for value in key)


def test_every_key_of_the_fixture_pages(matcher: Any) -> None:
    keys = fixture_keys()
    assert len(keys) > 500
    for key in keys:
        assert matcher.attr_bits(*encoded(key)) == blocks._attr_bits(key), key


@pytest.mark.parametrize(
    "key",
    [
        (None, None, None, None),
        ("", "", "", ""),
        ("Nav", None, None, None),
        (None, "SideBar", None, None),
        ("", "menu", None, None),
        ("share", "", None, None),
        ("post", "comments", "NAVIGATION", "ArticleBody"),
        ("ad", "x", None, None),  # joined by a space: "ad x", the ad word stands alone
        ("x", "ad", None, None),
        ("nav\n", None, "main ", " text"),  # role and itemprop are not stripped
        ("\u0130TEM", None, None, None),  # lower() makes "i̇tem": no longer "item"
        ("\u212aICKER", None, None, None),  # the Kelvin sign lowers to "k": "kicker"
        ("NAV\u03a3", "\u03a3", None, None),  # final and non-final sigma
        ("caf\u00e9-menu", "\u4e2d\u6587", "Banner", "Headline"),
        ("x", None, "\u212aomplementary", "na\u212ae"),
        (None, None, "menu", "author"),
        (None, None, "MENUBAR", "DatePublished"),
        (None, None, "none", "nothing"),
    ],
)
def test_keys_get_attr_bits(matcher: Any, key: tuple[Any, ...]) -> None:
    assert matcher.attr_bits(*encoded(key)) == blocks._attr_bits(key)


def test_bad_utf8_is_decoded_as_selectolax_decodes_it(matcher: Any) -> None:
    for raw in [b"\xffnav", b"na\xc3v", b"\xc3", b"menu \xed\xa0\x80", b"\xf4\x90\x80\x80ad"]:
        for key in [(raw, None, None, None), (b"x", raw, raw, raw), (raw, raw, None, None)]:
            text = tuple(None if v is None else v.decode("utf-8", "replace") for v in key)
            assert matcher.attr_bits(*key) == blocks._attr_bits(text), key


def random_value(rng: random.Random) -> bytes | None:
    """An attribute value as the walk reads it: bytes, perhaps not UTF-8, or None."""
    if rng.random() < 0.2:
        return None
    vocabulary = [*WORDS, *P.ROLE_CATEGORIES, *P.ITEMPROP_CATEGORIES]
    parts = []
    for _ in range(rng.randrange(0, 5)):
        roll = rng.random()
        if roll < 0.5:
            word = rng.choice(vocabulary)
            parts.append("".join(c.upper() if rng.random() < 0.5 else c for c in word).encode())
        elif roll < 0.8:
            parts.append(rng.choice(PIECES).encode())
        else:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4))))
    return b"".join(parts)


@pytest.mark.parametrize("seed", range(2))
def test_random_keys_get_attr_bits(matcher: Any, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3_000):
        key = tuple(random_value(rng) for _ in range(4))
        text = tuple(None if v is None else v.decode("utf-8", "replace") for v in key)
        assert matcher.attr_bits(*key) == blocks._attr_bits(text), key


def test_attr_bits_takes_bytes_or_none(matcher: Any) -> None:
    with pytest.raises(TypeError):
        matcher.attr_bits("nav", None, None, None)
    with pytest.raises(TypeError):
        matcher.attr_bits(b"nav")


# --- the walk ----------------------------------------------------------------------------


def test_the_walk_categorises_in_c(segment: Any) -> None:
    if pure_python():
        assert class_match.matcher() is None
        return
    assert class_match.matcher() is not None
    assert lexbor_walk.build().categorises
    assert not lexbor_walk.build(classes=False).categorises


def test_both_ways_of_categorising_give_the_same_pages(segment: Any, matcher: Any) -> None:
    in_c = lexbor_walk.build()
    by_callback = lexbor_walk.build(classes=False)
    for source in sorted(PAGES.glob("*/source.html*")):
        data = gzip.decompress(source.read_bytes())
        for tree in (LexborHTMLParser(data), parse_html(data.decode("utf-8", "replace"))):
            root = content_root(tree)
            page = lexbor_walk.page_of(in_c, root)
            assert page == lexbor_walk.page_of(by_callback, root)
            assert page == blocks.segment_python(root)


def test_a_key_the_matcher_gives_up_on_goes_to_attr_bits(
    segment: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A repeat of a group nests one call an iteration: past the matcher's
    # depth it gives up, and the walk asks blocks._attr_bits instead.
    deep = compiled(segment, "(?P<g0>(?:ab)+c)")
    assert deep.class_bits("ab" * 20 + "c") == 1
    assert deep.class_bits("ab" * 2000 + "c") is None
    asked: list[tuple[Any, ...]] = []

    def attr_bits(key: tuple[Any, ...]) -> int:
        asked.append(key)
        return 1 << 5

    monkeypatch.setattr(class_match, "matcher", lambda: deep)
    monkeypatch.setattr(blocks, "_attr_bits", attr_bits)
    walker = lexbor_walk.build()
    assert walker.categorises
    html = f"<div class=x><p class={'ab' * 2000}c>deep</p><p class=abc>shallow</p></div>"
    page = lexbor_walk.page_of(walker, content_root(parse_html(html)))
    assert [node.own for node in page.nodes[-3:]] == [0, 1 << 5, 1]
    assert asked == [("ab" * 2000 + "c", None, None, None)]


def test_pure_python_turns_the_matcher_off(pure_python_prints: Callable[[str], str]) -> None:
    code = "from winnow.stages import class_match; print(class_match.matcher() is None)"
    assert pure_python_prints(code) == "True"


# --- the matcher on other patterns, against re ----------------------------------------------

ALPHABET = "ab-_ \n1\u0663\u00e9"


def random_pattern(rng: random.Random, depth: int = 0) -> str:
    def atom() -> str:
        roll = rng.random()
        if roll < 0.3:
            return re.escape(rng.choice("abc-_ 1\u00e9"))
        if roll < 0.4:
            return rng.choice([r"\w", r"\d", r"\s", r"\W", r"\D", r"\S", "."])
        if roll < 0.5:
            negate = rng.choice(["^", ""])
            items = rng.choice(["a-c", r"\s_", r"\d-", "b", r"\w\-", "\u00e9-\u00ff"])
            return f"[{negate}{items}]"
        if roll < 0.6:
            return rng.choice(["^", "$", r"\A", r"\Z", r"\b", r"\B"])
        if roll < 0.7 and depth < 3:
            return f"(?:{random_pattern(rng, depth + 1)})"
        if roll < 0.8 and depth < 3:
            return rng.choice(["(?=", "(?!"]) + random_pattern(rng, depth + 1) + ")"
        if roll < 0.85:
            return rng.choice(["(?<=a)", "(?<!b)", "(?<=ab)", "(?<![-_])", r"(?<=\d)"])
        return rng.choice("ab")

    def piece() -> str:
        text = atom()
        zero_width = ("^", "$", "\\A", "\\Z", "\\b", "\\B", "(?=", "(?!", "(?<")
        if rng.random() < 0.35 and not text.startswith(zero_width):
            text += rng.choice(["*", "+", "?", "{1,2}", "{0,3}", "{2}"])
            text += "?" if rng.random() < 0.3 else ""
        return text

    sequences = [
        "".join(piece() for _ in range(rng.randrange(0, 4))) for _ in range(rng.randrange(1, 4))
    ]
    return "|".join(sequences)


@pytest.mark.parametrize("seed", range(3))
def test_random_patterns_match_as_re_does(segment: Any, seed: int) -> None:
    rng = random.Random(seed)
    tried = 0
    for _ in range(400):
        groups = rng.randrange(1, 5)
        pattern = "|".join(f"(?P<g{k}>{random_pattern(rng)})" for k in range(groups))
        try:
            ours = compiled(segment, pattern)
        except re.error:
            continue
        except ValueError:  # a repeat of what can match empty: left to re
            continue
        if ours is None:
            continue
        tried += 1
        for _ in range(30):
            text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 10)))
            assert ours.class_bits(text) == finditer_bits(pattern, text), (pattern, text)
    assert tried > 250


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        # finditer's empty matches: after one, the next may not be empty where it was.
        ("(?P<g0>a?)|(?P<g1>b)", ["", "b", "ab", "ba", "xbx"]),
        ("(?P<g0>)|(?P<g1>x)", ["x", "xx", ""]),
        ("(?P<g0>a|)(?P<g1>)", []),  # two groups in one alternative: not compiled
        ("(?P<g0>x*?)|(?P<g1>x)", ["x", "xxx", "yx"]),
        ("(?P<g0>a+?b)|(?P<g1>a)", ["aab", "aaa", "ab a"]),
        ("(?P<g0>(?:ab|a)c)|(?P<g1>a)", ["abc", "ac", "abac"]),
        ("(?P<g0>$)|(?P<g1>\n)", ["\n", "a\n", "\n\n", ""]),
        (r"(?P<g0>\bx\B)|(?P<g1>\Bx\b)", ["xx", "x", "axa", "x\u00e9"]),
        (r"(?P<g0>(?<=\d)x)|(?P<g1>x(?!\s))", ["1x", "x ", "xa", "\u0663x"]),
        (r"(?P<g0>[^\W\d]+)|(?P<g1>\d)", ["a1", "\u00b2", "\u0663", "_"]),
    ],
)
def test_hand_written_patterns(segment: Any, pattern: str, texts: list[str]) -> None:
    ours = compiled(segment, pattern)
    if not texts:
        assert ours is None
        return
    for text in texts:
        assert ours.class_bits(text) == finditer_bits(pattern, text), (pattern, text)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?i)(?P<g0>nav)",  # flags
        "(?P<g0>(?i:nav))",
        "(?P<g0>(n)av)",  # a capturing group inside
        r"(?P<g0>(?P<g1>a)\1)",  # a back-reference
        "(?P<g0>(?>a+))",  # an atomic group
        "(?P<g0>a++)",  # a possessive repeat
        "(?P<g0>(?:a?)*)",  # a repeat of what can match empty
        "nav|(?P<g0>menu)",  # an alternative that is not a group
        "(?:nav)",
        "(?P<g0>(?<=a|bc)x)",  # a look-behind of varying width: re refuses it too
    ],
)
def test_what_the_matcher_does_not_run_is_left_to_re(segment: Any, pattern: str) -> None:
    try:
        regex = re.compile(pattern)
    except re.error:
        return
    assert class_match.program(regex, {"g0": 1, "g1": 2}) is None
    assert class_match.program(re.compile("(?P<g0>nav)", re.IGNORECASE), {"g0": 1}) is None


def test_without_pythons_regex_parser_nothing_is_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(class_match, "_parser", None)
    assert class_match.program(P.CLASS_PATTERN, dict.fromkeys(P.CLASS_CATEGORIES, 1)) is None


def test_a_program_out_of_shape_is_refused_not_run(segment: Any) -> None:
    # Each node may refer only to later nodes: no cycle, nothing out of range.
    good = class_match.program(re.compile("(?P<g0>ab|c)"), {"g0": 1})
    assert good is not None
    segment.ClassMatcher(*good, roles={}, itemprops={})
    nodes, classes, alternatives, top = good
    for bad in [
        ([(0, 0, 0, 0, 0, 0)], classes, [], [(0, 1)]),  # next: itself
        ([(0, -1, 99, 0, 0, 0)], classes, [], [(0, 1)]),  # no such class
        ([(2, -1, 0, 5, 0, 0)], classes, [], [(0, 1)]),  # alternatives out of range
        ([(3, -1, 0, 1, 2, 1)], classes, [], [(0, 1)]),  # a repeat whose body is itself
        ([(9, -1, 0, 0, 0, 0)], classes, [], [(0, 1)]),  # no such kind
        (nodes, [(False, [(0, 5, 2)]), *classes[1:]], alternatives, top),  # a range upside down
        (nodes, classes, alternatives, [(len(nodes), 1)]),
    ]:
        with pytest.raises(ValueError):
            segment.ClassMatcher(*bad, roles={}, itemprops={})
