"""The lines by a headline: its date line and its byline.

Pages put who wrote a story and when right around its headline: a kicker
and a date above it, a byline and a date line below it ("By Maren Holt",
"Updated Nov. 14, 2025 · 4 min read"). Both front doors use this: the HTML
one over the page's text blocks, the text one over the dump's lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from winnow import meta_patterns as M
from winnow.stages import authors
from winnow.stages import dates as D

# How far from the headline its date line and byline are looked for, in
# lines: below it (byline, date, deck) and above it (section, kicker, date).
# Page conventions: a header rarely holds more than a kicker, a deck, a
# byline, a date line and a share bar. Three lines above rather than two
# gave 2 more right dates of 708 on WCXB dev, and none where there is none.
LINES_BELOW = 8
LINES_ABOVE = 3
# Every line THREAD_STARTER, ASKED or FIRST_POST matches holds one of these
# (as pages write the labels: "Thread starter", "Started by", "Original
# poster", "asked", "#1", phpBB's "»"): substrings, so that no lower-casing
# of the page is needed.
_THREAD_WORDS = ("tarte", "riginal", "sked", "#1", "»")
# A thread starter's name has at most this many words: "Started by two
# islanders in 2010, the line …" is a sentence, not a label.
STARTER_MAX_WORDS = 4
# A date line or byline has at most this many words ("Published on Nov. 14,
# 2025 at 10:00 by Maren Holt and Ilse Brandt · 4 min read" has 15).
MAX_LINE_WORDS = 16
# A line is compared with the title only if its length is within this many
# characters of the title's: folding white space and compatibility characters
# changes little, and a long line is never folded for nothing.
_SLACK = 40


# A first post's number on a line of its own ("#1", "#1 | Link") has at most
# this many words: its date is on the line beside it.
FIRST_POST_MAX_WORDS = 3
# Lines read to count the days a page shows, and how long a date line can be.
READ_FOR_DAYS = 2_000
_SHORT_LINE_CHARS = 120
# A line whose date is followed by this many words or more, and that ends as
# a sentence ends, is prose mentioning a date, not a date line. Date lines go
# on after the date with a byline or a read time ("· 4 min read", "Posted by
# Maren Holt 59 Comments"), never ending in a full stop after six words.
PROSE_WORDS_AFTER = 6
_SENTENCE_ENDS = ".:!?"
# A member label on the line above a date stands alone ("Joined", "Member since:").
_MEMBER_LABEL_WORDS = 3
# A date by a byline is on the name's line or on one of this many lines after it
# ("Maren Holt" / "Senior Editor" / "May 31, 2024").
BYLINE_DATE_LINES = 2
# A line that says when the piece was originally published is a sentence
# or two at the story's foot, not a paragraph (the WCXB dev page's has 128
# characters; a paragraph that mentions it is longer).
_ORIGINAL_LINE_CHARS = 200
# Names shorter than this are not looked for in the page's lines.
_MIN_NAME_CHARS = 5
# A publication label's date starts within this many characters of it
# ("Published on: the 15/12/2025").
_LABEL_GAP = 4


@dataclass(slots=True)
class Found:
    dates: list[str] = field(default_factory=list)  # every date line, nearest below first
    # The dates after the first on those lines ("May 21, 2025 April 24, 2025 by …":
    # an update and the publication side by side).
    also: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    # The publication as the reader sees it: the date of the first date line
    # not labelled as an update ("Updated …", "last post by …"), if it reads
    # without doubt (not "8/1/2025").
    publication: str | None = None
    # That line's readings when it is an ambiguous numeric date ("03/01/2017"):
    # another date on the page may say which it is.
    doubtful: tuple[str, ...] = ()

    @property
    def date(self) -> str | None:
        return self.dates[0] if self.dates else None


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def scan(lines: list[str], title: str) -> Found | None:
    """The date line and byline by the line that reads ``title`` (folded); None if absent."""
    width = len(title)  # folding keeps a line's length within a few characters
    at = next(
        (
            i
            for i, line in enumerate(lines)
            if abs(len(line) - width) <= _SLACK and fold(line) == title
        ),
        None,
    )
    if at is None:
        return None
    return scan_at(lines, at)


def scan_at(lines: list[str], at: int) -> Found:
    """The date line and byline by the headline at line ``at``."""
    below = range(at + 1, min(len(lines), at + 1 + LINES_BELOW))
    above = range(at - 1, max(-1, at - 1 - LINES_ABOVE), -1)
    found = Found()
    dated: list[int] = []
    publication_read = False  # the first date line that is not an update is behind
    for i in [*below, *above]:
        line = lines[i]
        if len(line.split()) > MAX_LINE_WORDS:
            continue
        date = D.find(line)
        if date is not None and (_joined(lines, i, date.start) or _prose(line, date)):
            date = None
        if date is not None:
            found.dates.append(date.iso)
            dated.append(i)
            if (second := D.find(line[date.end :])) is not None:
                found.also.append(second.iso)
            update = M.UPDATE_LABEL.search(line, 0, date.start) is not None
            if not update and not publication_read:
                publication_read = True
                if not date.ambiguous:
                    found.publication = date.iso
                else:
                    found.doubtful = date.readings
        if not found.authors:
            found.authors = _byline(lines, i)
    if not found.authors and dated:
        found.authors = _name_by_date(lines, dated[0], at)
    return found


def _prose(line: str, date: D.Found) -> bool:
    """Whether ``line`` is a sentence that mentions a date ("On 2 Dec 2024, I received
    this message from …:"), not a date line: a clause of PROSE_WORDS_AFTER words or
    more follows the date, and the line ends as a sentence does."""
    after = line[date.end :].split()
    return len(after) >= PROSE_WORDS_AFTER and line.rstrip()[-1:] in _SENTENCE_ENDS


def _joined(lines: list[str], i: int, start: int) -> bool:
    """Whether the date at ``start`` of line ``i`` is when a member joined (MEMBER_LABEL)."""
    if M.MEMBER_LABEL.search(lines[i], 0, start):
        return True
    above = lines[i - 1] if i > 0 else ""
    return len(above.split()) <= _MEMBER_LABEL_WORDS and M.MEMBER_LABEL.search(above) is not None


def labelled(lines: list[str]) -> str | None:
    """The date on the first line labelled as the publication, among the first READ_FOR_DAYS.

    "Published on: 15 August 2025", "Posted on April 13, 2023", or a bare
    "Published" with the date on the next line: wherever it stands (a
    sidebar, the foot of the story), the page says in words which day it
    was published. The date must follow the label and read without doubt
    (not "8/1/2025").
    """
    joined = "\n".join(lines[:READ_FOR_DAYS])
    for start, end in _lines_with(joined, M.PUBLICATION_WORDS):
        label = M.PUBLICATION_LABEL.match(joined, start, end)
        if label is None:
            continue
        rest = joined[label.end() : end]
        if not rest.strip():  # the label alone: the date is on the next line
            rest = _line_after(joined, end)
        date = _opening_date(rest)
        if date is not None and not date.ambiguous:
            return date.iso
    return None


def original(lines: list[str]) -> str | None:
    """The date a line says the piece was originally published on, among the first READ_FOR_DAYS.

    "This article was originally published on 26 Sep 2019 at 4:12pm but has
    been regularly updated": a page restamped with each update shows the
    update by its headline and says in words, often at the story's foot,
    when it was first published. The date must follow the words and read
    without doubt (not "8/1/2025"); the line holds at most
    _ORIGINAL_LINE_CHARS characters. Only the places that hold
    ``M.ORIGINAL_WORD`` are matched, found by substring scans: most pages
    hold none.
    """
    joined = "\n".join(lines[:READ_FOR_DAYS])
    at = joined.find(M.ORIGINAL_WORD)
    while at != -1:
        start = joined.rfind("\n", 0, at) + 1
        end = joined.find("\n", at)
        end = len(joined) if end == -1 else end
        match = M.ORIGINAL_LABEL.match(joined, max(at - 1, 0), end)
        if match is not None and end - start <= _ORIGINAL_LINE_CHARS:
            date = _opening_date(joined[match.end() : end])
            if date is not None and not date.ambiguous:
                return date.iso
        at = joined.find(M.ORIGINAL_WORD, at + 1)
    return None


def by_name(lines: list[str], names: list[str]) -> str | None:
    """The date beside the first byline that names one of ``names``, among the first READ_FOR_DAYS.

    A page puts its date by its byline ("Maren Holt" / "May 31, 2024"):
    when the headline's lines miss it (a long deck, a share bar, a headline
    read from elsewhere), the author's name still finds it. The date is on
    the name's short line, or opens one of the BYLINE_DATE_LINES lines after
    it, and reads without doubt (not "8/1/2025").
    """
    wanted = [name for name in names if len(name) >= _MIN_NAME_CHARS]
    if not wanted:
        return None
    for i, line in enumerate(lines[:READ_FOR_DAYS]):
        if len(line) > _SHORT_LINE_CHARS or not any(name in line for name in wanted):
            continue
        own = D.find(line)
        beside = [_opening_date(after) for after in lines[i + 1 : i + 1 + BYLINE_DATE_LINES]]
        for date in [own, *beside]:
            if date is not None and not date.ambiguous:
                return date.iso
        return None
    return None


def days_shown(lines: list[str]) -> int:
    """Distinct days written on the short lines among the first READ_FOR_DAYS lines."""
    short = [line for line in lines[:READ_FOR_DAYS] if len(line) <= _SHORT_LINE_CHARS]
    days = set()
    for line in D.with_year(short):
        if date := D.search(line):
            days.add(date[:10])
    return len(days)


@dataclass(frozen=True, slots=True)
class Thread:
    """What a forum thread's lines say of it: who opened it, and when."""

    starter: list[str]  # one clean name, or []
    first_post: str | None  # the date by its first post's "#1" (ISO 8601)


def thread(lines: list[str]) -> Thread:
    """The thread starter and the first post's date among the first READ_FOR_DAYS lines.

    The starter is the name after the first "Thread starter" / "Started by"
    label, or the asker on the line after a question's "asked <date>" card:
    a forum thread names who opened it, while replies and "similar threads"
    lists further down name others, so only the first label counts. One name
    of at most STARTER_MAX_WORDS words. The first post's date is on the first
    short line that numbers it "#1", on phpBB's "Post by … » <date>", or on
    the "asked <date>" card.

    Only the lines that hold a word of those labels are matched, found by
    substring scans of the joined lines: most pages hold none.
    """
    joined = "\n".join(lines[:READ_FOR_DAYS])
    raw, first_post = None, None
    for start, end in _lines_with(joined, _THREAD_WORDS):
        line = joined[start:end]
        if raw is None and (found := M.THREAD_STARTER.match(line)):
            raw = found.group(1)
        elif raw is None and M.ASKED.match(line) and (asked := D.search(line)) is not None:
            raw = _line_after(joined, end) or None
            first_post = first_post or asked  # a question is dated by its asking
        if first_post is None and M.FIRST_POST.search(line):
            first_post = D.search(line) or _date_beside(joined, start, end)
        if raw is not None and first_post is not None:
            break
    names = authors.clean([raw]) if raw else []
    if len(names) != 1 or len(names[0].split()) > STARTER_MAX_WORDS:
        names = []
    return Thread(names, first_post)


def _date_beside(joined: str, start: int, end: int) -> str | None:
    """The date of a first post whose "#1" stands alone on its line: the
    flattened post header puts its stamp on the line after ("#1" /
    "2019-02-23, 09:14 PM") or before ("30th March 2025, 16:26" / "#1 | Link").
    The date must open that line; None if neither does."""
    if len(joined[start:end].split()) > FIRST_POST_MAX_WORDS:
        return None
    before = joined.rfind("\n", 0, max(start - 1, 0)) + 1
    for beside in (_line_after(joined, end), joined[before : start - 1]):
        if (found := _opening_date(beside)) is not None:
            return found.iso
    return None


def _line_after(joined: str, end: int) -> str:
    """The line after the one that ends at ``end`` in ``joined``; "" after the last."""
    after = joined.find("\n", end + 1)
    return joined[end + 1 : len(joined) if after == -1 else after]


def _opening_date(text: str) -> D.Found | None:
    """The date ``text`` opens with (within _LABEL_GAP characters of its start); None if none."""
    found = D.find(text[:_SHORT_LINE_CHARS])
    return found if found is not None and found.start <= _LABEL_GAP else None


def _lines_with(joined: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) in ``joined`` of its short lines that hold one of ``words``, in order."""
    spans = set()
    for word in words:
        at = joined.find(word)
        while at != -1:
            start = joined.rfind("\n", 0, at) + 1
            end = joined.find("\n", at)
            end = len(joined) if end == -1 else end
            if end - start <= _SHORT_LINE_CHARS:
                spans.add((start, end))
            at = joined.find(word, end)
    return sorted(spans)


def _byline(lines: list[str], i: int) -> list[str]:
    """The names of a byline at line ``i``: "By Maren Holt", or "By" over "Maren Holt"."""
    line = lines[i]
    byline = M.BYLINE.match(line)
    if byline:
        return [byline.group(1)]
    if M.BY_LABEL.fullmatch(line.strip()) and i + 1 < len(lines):
        name = lines[i + 1].strip()
        if len(name.split()) <= MAX_LINE_WORDS and D.search(name) is None:
            return [name]
    return []


def _name_by_date(lines: list[str], dated: int, title: int) -> list[str]:
    """A bare name on the line next to the date line ("Maren Holt" / "Nov. 14, 2025").

    A byline without "By" is told from a kicker or a label only by its shape
    (two to four capitalised words, no digits) and by standing beside the date,
    or right below the headline with the date line a few lines further down.
    """
    for i in (dated - 1, dated + 1, title + 1):
        if 0 <= i < len(lines) and i != title and M.BARE_NAME.fullmatch(lines[i].strip()):
            return [lines[i].strip()]
    return []
