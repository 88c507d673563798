"""Readers' comments under a story, found in a dump by their heading and their stamps.

A blog or news page ends its story with a comments heading ("59 Comments on
“…”", "3 thoughts on …", "Reader Interactions") and then one comment after
another, each under its author's name and a stamp of its day and time
("December 18, 2025, 9:46 pm"). The line model reads a comment as prose, as
it is, and keeps it. The HTML door cuts at such a heading on pages the page-type
classifier calls articles (``stages.select``); a dump has no page type, so
the heading must be followed by the stamps of comments, and the story above
must not be stamped so itself: a forum thread stamps every post, the first
included ("asked Mar 28, 2014 at 11:38"), and its replies are its content.
"""

from __future__ import annotations

import re

import numpy as np

from winnow import patterns as P
from winnow.stages import dates

# A comments heading has at most this many words ("59 Comments on “<the
# story's headline>”" repeats the headline).
HEADING_MAX_WORDS = 25
# Kept words above the heading before it can end a story: a heading over
# nothing kept heads a page of comments.
STORY_MIN_WORDS = 150
# Within this many lines under the heading, at least STAMPS_UNDER stamps: the
# comments' own. At most STAMPS_ABOVE stamps between the first kept line and
# the heading: a story shows its own at most, a thread one per post. On the
# WCXB dev dumps these cut 8 dumps (5 articles, a listing, 2 more articles
# whose heading repeats the headline) and no line the truth keeps.
STAMP_REACH = 12
STAMPS_UNDER = 2
STAMPS_ABOVE = 1
# A stamp is a short line holding a date and a time of day.
STAMP_MAX_WORDS = 12
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def readers_comments(lines: list[str], keep: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The lines from a comments heading to the last kept line (see the
    module's docstring), kept or not: one run of comments; all False if none.

    ``words`` holds each line's word count.
    """
    out = np.zeros(len(lines), dtype=bool)
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        return out
    first, last = int(kept[0]), int(kept[-1])
    above = np.cumsum(np.where(keep, words, 0)) - np.where(keep, words, 0)  # kept words before
    may = (above >= STORY_MIN_WORDS) & (words <= HEADING_MAX_WORDS + 0.5)  # counts as floats
    for i in np.flatnonzero(may[first + 1 : last + 1]).tolist():
        i += first + 1
        if not P.COMMENTS_HEADING.match(lines[i]):
            continue
        if sum(map(_stamp, lines[i + 1 : i + 1 + STAMP_REACH])) < STAMPS_UNDER:
            continue  # a heading over no comments ("Comments are closed")
        if sum(map(_stamp, lines[first:i])) <= STAMPS_ABOVE:
            out[i : last + 1] = True
        return out  # the first heading over comments decides
    return out


def _stamp(line: str) -> bool:
    return (
        len(line.split()) <= STAMP_MAX_WORDS
        and _CLOCK.search(line) is not None
        and dates.search(line) is not None
    )
