"""Author values as pages write them, made into a clean list of names.

``clean`` takes whatever a source holds (a JSON-LD author value: a string, a
Person or Organization object, a list of them; a ``<meta>`` content; a byline
line) and returns names: no "By", no "and", no roles ("Shipping Expert"), no
credentials ("MD"), no dates, no addresses, no social handles unless handles
are all there is. It never raises and always returns ``list[str]``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from winnow import meta_patterns as M
from winnow import patterns as P
from winnow.stages import dates as D

# A name has at most this many words; longer is a sentence or a title.
MAX_NAME_WORDS = 6
# Characters of one author value that are read.
MAX_VALUE_CHARS = 500
# Author objects and lists nested deeper than this are not read.
MAX_DEPTH = 4
_TAG = re.compile(r"<[^>]*>")
# Marks a byline element adds after the name ("Maren Holt ●"): a name ends in
# a letter, a digit, "." (Jr.) or ")" ("maren (Maren Holt)").
_TRAILING_MARKS = re.compile(r"[^\w.)]+$")


def values(value: Any, depth: int = 0) -> list[tuple[str, bool]]:
    """(text, is_organisation) of every name-like string in a JSON-LD author value."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(value, str):
        return [(value, False)]
    if isinstance(value, list):
        return [v for item in value[:50] for v in values(item, depth + 1)]
    if isinstance(value, dict):
        kind = str(value.get("@type", ""))
        name = value.get("name")
        if isinstance(name, list | dict):
            return values(name, depth + 1)
        if isinstance(name, str):
            return [(name, "Organization" in kind or "Corporation" in kind)]
    return []


def clean(raw: list[str]) -> list[str]:
    """Clean names, in order, each once; handles only when they are all there is."""
    names: list[str] = []
    for value in raw:
        if isinstance(value, str):
            names.extend(_split(_tidy(value)))
    names = list(dict.fromkeys(n for n in names if n))
    people = [n for n in names if not M.HANDLE.match(n)]
    return people or names


def is_handle(name: str) -> bool:
    return M.HANDLE.match(name) is not None


def _tidy(value: str) -> str:
    text = html.unescape(_TAG.sub(" ", value[:MAX_VALUE_CHARS]))
    text = " ".join(text.split()).strip(" \"'“”‘’")
    text = M.GLUED_BYLINE_TAIL.sub(" · ", text, count=1)  # cut below by BYLINE_NOISE
    byline = M.BYLINE.match(text)
    if byline:
        text = byline.group(1)
    text = M.BYLINE_NOISE.sub("", text)
    # "Maren Holt, Nov. 14, 2025", "Maren Holt 2025-11-14T08:10+02:00": the names end there.
    cut = len(text)
    if (shown := P.DATE_TEXT.search(text)) is not None:
        cut = shown.start()
    if (written := D.find(text)) is not None:
        cut = min(cut, written.start)
    text = text[:cut]
    return M.TRAILING_JOINER.sub("", text.strip(" ,;:|-–—·•")).strip(" ,;:|-–—·•")


def _split(text: str) -> list[str]:
    """Names of one author string: "A, B and C" is three; "A, Editor" and "A, MD" one."""
    if not text or M.NOT_A_NAME.search(text):
        return []
    parts = [p.strip(" .,;:|-–—·•\"'") for p in M.NAME_SEPARATOR.split(text)]
    parts = [p for p in parts if p]
    if not parts:
        return []
    # "Name, Role" and "Name, MD" name one person: roles and credentials go.
    parts = parts[:1] + [p for p in parts[1:] if not _descriptor(p)]
    out = []
    for part in parts:
        part = _without_role(re.sub(r"^(?:by|and)\s+", "", part, flags=re.IGNORECASE))
        part = _TRAILING_MARKS.sub("", part)
        if (
            part
            and len(part.split()) <= MAX_NAME_WORDS
            and not M.NOT_A_NAME.search(part)
            and not P.UI_TEXT.match(part.lower())
            and not set(part.lower().split()) <= M.NOT_NAME_WORDS
        ):
            out.append(part)
    return out


def _without_role(name: str) -> str:
    """ "Harry Rabinowitz Tech Reporter" → "Harry Rabinowitz": a job title glued after a name.

    The name is the words before the role phrase: the first two ("Harry
    Rabinowitz"), three with a middle initial ("Justin C. Meserole").
    """
    words = name.split()
    at = next((i for i, w in enumerate(words) if w.lower().strip(".,") in M.ROLE_WORDS), None)
    if at is None or at < 2:
        return name
    keep = 3 if len(words) > 2 and re.fullmatch(r"[A-Z]\.", words[1]) else 2
    return " ".join(words[: min(at, keep)])


def _descriptor(part: str) -> bool:
    """A role or credential, not a name."""
    if M.CREDENTIAL.match(part):
        return True
    words = set(re.findall(r"[a-z-]+", part.lower()))
    return bool(words & M.ROLE_WORDS)
