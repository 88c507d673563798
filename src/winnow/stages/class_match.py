"""``patterns.CLASS_PATTERN`` taken apart and compiled for a small matcher in C.

``blocks._attr_bits`` is where the C walk (``winnow._segment``) used to call
back into Python: once per class/id/role/itemprop key not seen before on the
page, 240 a dev page at 3.5 us each, most of it ``CLASS_PATTERN.finditer``.
Here the pattern is read with Python's own regular-expression parser
(``re._parser``, which ``re.compile`` uses) and its tree becomes a program
for ``winnow._segment.ClassMatcher``, a backtracking matcher with Python's
semantics for str patterns: leftmost match, first alternative wins, greedy
repeats give back, ``\\w``/``\\d``/``\\s`` as ``re`` reads them in Unicode,
``$`` also before a final newline, and finditer's rule for empty matches.
With the role and itemprop vocabularies it gives the walk the same bits as
``blocks._attr_bits``, without leaving C.

Only what a class vocabulary needs is compiled: literals, character classes
(ranges, negation, ``\\d \\s \\w`` and their negations), ``.``, groups,
alternation, greedy and lazy repeats (of a single character, or of a part
that cannot match empty), ``^ $ \\A \\Z \\b \\B`` and lookaround. Each
top-level alternative must be one named group, as in ``CLASS_PATTERN``.
Anything else (flags, back-references, nested capturing groups, ...) makes
``program`` return None, and the walk keeps calling ``blocks._attr_bits``:
an edit to ``patterns.py`` can make the walk slower, never wrong. So does a
disagreement with ``CLASS_PATTERN.finditer`` on the probe strings at load.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from winnow import patterns as P
from winnow.compiled import pure_python
from winnow.stages import blocks

if TYPE_CHECKING:
    from winnow import _segment

__all__ = ["Program", "matcher", "probe_names", "program"]

# Python's regex parser and its node names: private modules of the standard
# library, stable since 3.11. Without them, or if they change, program() says
# None and the walk calls blocks._attr_bits as before.
try:
    _parser: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - a Python without them
    _parser = _c = None

# The node kinds of the program (the CM_* of _classmatch.h).
TEST, AT, BRANCH, REPEAT, ASSERT = range(5)
# Assertions AT takes, in _classmatch.h's order.
_AT_KINDS: Final = (
    "AT_BEGINNING",
    "AT_BEGINNING_STRING",
    "AT_END",
    "AT_END_STRING",
    "AT_BOUNDARY",
    "AT_NON_BOUNDARY",
)
# A character class's items: a range of code points, or a category.
RANGE, CATEGORY = range(2)
_CATEGORIES: Final = (
    "CATEGORY_DIGIT",
    "CATEGORY_NOT_DIGIT",
    "CATEGORY_SPACE",
    "CATEGORY_NOT_SPACE",
    "CATEGORY_WORD",
    "CATEGORY_NOT_WORD",
)
UNBOUNDED: Final = -1
_MAX_CHAR: Final = 0x10FFFF


class Program(NamedTuple):
    """What ``winnow._segment.ClassMatcher`` runs.

    ``nodes``: (kind, next, a, b, c, d), ``next`` the node that follows in
    its sequence (-1: the sequence ends); a node refers only to nodes after
    it. TEST (class), AT (assertion), BRANCH (first alternative in
    ``alternatives``, count), REPEAT (body, min, max or UNBOUNDED, greedy),
    ASSERT (body, negative, -1 ahead or the width looked behind).
    ``classes``: (negated, items), an item (RANGE, low, high) or (CATEGORY,
    index in _CATEGORIES, 0). ``top``: (first node, category bit) per
    top-level alternative, in the pattern's order.
    """

    nodes: list[tuple[int, int, int, int, int, int]]
    classes: list[tuple[bool, list[tuple[int, int, int]]]]
    alternatives: list[int]
    top: list[tuple[int, int]]


class _Unsupported(Exception):
    """The pattern uses something the C matcher does not do."""


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[list[int]] = []
        self.classes: list[tuple[bool, list[tuple[int, int, int]]]] = []
        self.alternatives: list[int] = []

    def sequence(self, items: Iterable[tuple[Any, Any]]) -> int:
        """Nodes for ``items`` in order; the first one's index (-1: none)."""
        first = previous = -1
        for op, av in _spliced(items):
            index = self.node(op, av)
            if previous < 0:
                first = index
            else:
                self.nodes[previous][1] = index
            previous = index
        return first

    def node(self, op: Any, av: Any) -> int:
        index = len(self.nodes)
        self.nodes.append([0, -1, 0, 0, 0, 0])
        if op is _c.LITERAL:
            fields = [TEST, self.char_class(False, [(RANGE, av, av)])]
        elif op is _c.NOT_LITERAL:
            fields = [TEST, self.char_class(True, [(RANGE, av, av)])]
        elif op is _c.ANY:  # "." without DOTALL: anything but a newline
            fields = [TEST, self.char_class(True, [(RANGE, 10, 10)])]
        elif op is _c.IN:
            fields = [TEST, self.in_class(av)]
        elif op is _c.AT:
            if str(av) not in _AT_KINDS:
                raise _Unsupported(str(av))
            fields = [AT, _AT_KINDS.index(str(av))]
        elif op is _c.BRANCH:
            fields = [BRANCH, *self.branch(av[1])]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = av
            fields = [REPEAT, *self.repeat(low, high, body, greedy=op is _c.MAX_REPEAT)]
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            direction, body = av
            behind = -1 if direction == 1 else _fixed_width(body)
            fields = [ASSERT, self.sequence(body), int(op is _c.ASSERT_NOT), behind]
        else:
            raise _Unsupported(str(op))
        self.nodes[index][0] = fields[0]
        self.nodes[index][2 : 2 + len(fields) - 1] = fields[1:]
        return index

    def branch(self, alternatives: Sequence[Any]) -> tuple[int, int]:
        # The alternatives' slots first, so that each body comes after its BRANCH.
        first = len(self.alternatives)
        self.alternatives.extend([-1] * len(alternatives))
        for k, alternative in enumerate(alternatives):
            self.alternatives[first + k] = self.sequence(alternative)
        return first, len(alternatives)

    def repeat(self, low: int, high: Any, body: Any, greedy: bool) -> tuple[int, int, int, int]:
        if _min_width(body) == 0:
            raise _Unsupported("a repeat of what can match empty")  # re's own rules then
        high_value = UNBOUNDED if high is _c.MAXREPEAT else int(high)
        return self.sequence(body), int(low), high_value, int(greedy)

    def in_class(self, items: Sequence[tuple[Any, Any]]) -> int:
        negated = bool(items) and items[0][0] is _c.NEGATE
        converted: list[tuple[int, int, int]] = []
        for op, av in items[1:] if negated else items:
            if op is _c.LITERAL:
                converted.append((RANGE, av, av))
            elif op is _c.RANGE:
                converted.append((RANGE, av[0], av[1]))
            elif op is _c.CATEGORY and str(av) in _CATEGORIES:
                converted.append((CATEGORY, _CATEGORIES.index(str(av)), 0))
            else:
                raise _Unsupported(str(op))
        return self.char_class(negated, converted)

    def char_class(self, negated: bool, items: list[tuple[int, int, int]]) -> int:
        for kind, low, high in items:
            if kind == RANGE and not 0 <= low <= high <= _MAX_CHAR:
                raise _Unsupported("a range out of Unicode")
        self.classes.append((negated, items))
        return len(self.classes) - 1


def _spliced(items: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """``items`` with each non-capturing group ``(?:...)`` replaced by its content."""
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is _c.SUBPATTERN:
            group, add_flags, del_flags, body = av
            if group is not None or add_flags or del_flags:
                raise _Unsupported("a capturing group or flags inside an alternative")
            out.extend(_spliced(body))
        else:
            out.append((op, av))
    return out


def _min_width(body: Any) -> int:
    return int(body.getwidth()[0])


def _fixed_width(body: Any) -> int:
    low, high = body.getwidth()
    if low != high:
        raise _Unsupported("a look-behind of varying width")
    return int(low)


def program(pattern: re.Pattern[str], bits: Mapping[str, int]) -> Program | None:
    """``pattern`` as a ClassMatcher program whose matches give ``bits[group]``,
    or None if the matcher cannot run it as ``re`` does.

    Each top-level alternative must be one named group, listed in ``bits``;
    a group that is one alternation becomes one top-level alternative per
    branch (tried in the same order, so the same one wins).
    """
    if _parser is None or not isinstance(pattern.pattern, str) or pattern.flags != re.UNICODE:
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        if tree.state.flags != re.UNICODE:  # inline global flags such as (?i)
            return None
        names = {number: name for name, number in tree.state.groupdict.items()}
        items = list(tree)
        if len(items) == 1 and items[0][0] is _c.BRANCH:
            alternatives = list(items[0][1][1])
        else:
            alternatives = [items]
        builder = _Builder()
        top: list[tuple[int, int]] = []
        for alternative in alternatives:
            parts = list(alternative)
            if len(parts) != 1 or parts[0][0] is not _c.SUBPATTERN:
                return None
            group, add_flags, del_flags, body = parts[0][1]
            if add_flags or del_flags or names.get(group) not in bits:
                return None
            bit = bits[names[group]]
            body = list(body)
            branches = body[0][1][1] if len(body) == 1 and body[0][0] is _c.BRANCH else [body]
            top.extend((builder.sequence(branch), bit) for branch in branches)
    except (_Unsupported, re.error, AttributeError, TypeError, ValueError, IndexError):
        return None
    nodes = [(n[0], n[1], n[2], n[3], n[4], n[5]) for n in builder.nodes]
    return Program(nodes, builder.classes, builder.alternatives, top)


# --- the matcher the walk uses -----------------------------------------------------


def _words(body: str) -> list[str]:
    """The letters-and-hyphens runs of a vocabulary body: its words, roughly."""
    return re.findall(r"[a-z][a-z\-]*", body.replace("-?", "-"))


def probe_names() -> list[str]:
    """Class strings the matcher must read as ``CLASS_PATTERN`` does before
    the walk uses it: every vocabulary word, bare, glued and between each
    kind of separator, and the edges of ``^``, ``$``, ``\\w*`` and ``(?!d)``."""
    words = [w for body in P.CLASS_CATEGORIES.values() for w in _words(body)]
    names = [
        " ".join(words),
        "".join(words),
        "_".join(words),
        ":".join(w + "2" for w in words),
        "\t".join("x" + w for w in words),
        "\u3000".join(w + "\u00e9" for w in words),
        "-".join(w.replace("-", "") for w in words),
        "ad",
        "ad\n",
        "ad\n\n",
        "x ad",
        "xad",
        "ads-1",
        "ad\u0663",
        "advertorial-box",
        "sponsoredcontent2 promo_x",
        "collapsed collapse",
        "collapse",
        "",
        " ",
        "\u00e9t\u00e9 \u4e2d\u6587 caf\u00e9-nav",
    ]
    return names


def _agrees(compiled: _segment.ClassMatcher, names: Iterable[str]) -> bool:
    return all(compiled.class_bits(name) == blocks._class_bits_finditer(name) for name in names)


def build() -> _segment.ClassMatcher | None:
    """A ClassMatcher for ``CLASS_PATTERN`` and the role and itemprop
    vocabularies, unchecked; None if the pattern uses what it cannot run.
    Raises ImportError when ``winnow._segment`` is not built."""
    from winnow import _segment

    compiled = program(P.CLASS_PATTERN, {name: blocks.BIT[name] for name in P.CLASS_CATEGORIES})
    if compiled is None:
        return None
    roles = {key: blocks.BIT[cat] for key, cat in P.ROLE_CATEGORIES.items() if cat}
    itemprops = {key: blocks.BIT[cat] for key, cat in P.ITEMPROP_CATEGORIES.items() if cat}
    try:
        return _segment.ClassMatcher(*compiled, roles=roles, itemprops=itemprops)
    except (ValueError, TypeError, OverflowError):
        return None


@functools.cache
def matcher() -> _segment.ClassMatcher | None:
    """The checked ClassMatcher, or None: ``WINNOW_PURE_PYTHON`` is set, the
    extension is not built, the pattern is beyond it, or it disagrees with
    ``CLASS_PATTERN.finditer`` on ``probe_names()``. Decided once."""
    if pure_python():
        return None
    try:
        compiled = build()
    except ImportError:
        return None
    if compiled is None or not _agrees(compiled, probe_names()):
        return None
    return compiled
