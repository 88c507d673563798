"""What a page appends under its content, in a dump: readers' comments under a
story, customers' reviews under a product, and the other sections a story ends with.

A blog or news page ends its story with a comments heading ("59 Comments on
“…”", "3 thoughts on …", "Reader Interactions") and then one comment after
another, each under its author's name and a stamp of its day and time
("December 18, 2025, 9:46 pm"). A shop's product page ends its description
with a reviews heading ("Customer Reviews", "Reviews (29)") and then one
review after another, each with its rating ("5 out of 5 stars", "★★★★☆",
"Verified Buyer"). The line model reads a comment or a review as the prose it
is, and keeps it; neither is the page's content.

The HTML door cuts at a comments heading on pages the page-type classifier
calls articles, and at a reviews heading over ratings on any page
(``stages.select``). A dump has no page type, so here either heading must be
followed by what marks each comment or review, and the story
above a comments heading must not be stamped so itself: a forum thread stamps
every post, the first included ("asked Mar 28, 2014 at 11:38"), and its
replies are its content.

Where a dump shows no stamp of day and time, a comment is marked by its
reply link, its author's "… says:" or its age ("3 years ago",
``patterns.COMMENT_MARK``); a comments heading over the end of a web form
(``patterns.FORM_END``) heads the reply form, and the story ends there too,
whether or not comments follow. Four more sections end a story or a doc page,
each read by the same heading-over-marks rule: a prompt for feedback on
the page ("Was this page helpful?") with its answers under it ("Yes No"),
a references heading over citations ("(2017)", "et al.", links), a
related-posts heading over the dates of the posts it lists, over their
teasers cut short ("…") or over their "Read more" links, and a blog's
links to its previous and next posts.
A related-posts heading or a pager's "Previous"/"Next" line needs no marks
when nothing but titles is kept under it: no line as long as a paragraph.
Past the story's last paragraph, the site's own buttons and links ("Share",
"Menu", "Back to top") end it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from winnow import patterns as P
from winnow.stages import dates, select

# A heading has at most this many words ("59 Comments on “<the story's
# headline>”" repeats the headline).
HEADING_MAX_WORDS = 25
# A comments heading follows at least STORY_MIN_WORDS kept words, and has
# STAMPS_UNDER stamps within STAMP_REACH lines under it; at most STAMPS_ABOVE
# stamps stand between the first kept line and the heading: a story shows its
# own at most, a thread one per post. A reviews heading is read by the HTML
# door's numbers (``select.REVIEWS_*``, ``select.rating``). On the WCXB dev
# dumps (out-of-fold lines) comments cut 8 dumps and no line the truth keeps;
# reviews cut 9 product dumps, 7,104 words the truth leaves out and 70 it keeps.
STORY_MIN_WORDS = 150
STAMP_REACH = 12
STAMPS_UNDER = 2
STAMPS_ABOVE = 1
STAMP_MAX_WORDS = 12  # a stamp is a short line
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
# A reply form ends within STAMP_REACH lines of its comments heading. On the
# cross-validated WCXB dev dumps it ends 3 article pages of 3 sites closer
# to their truth (+0.005 to +0.22), none further; mean F1 +0.0002.
#
# A related-posts heading has POST_DATES_UNDER dates (lines of at most
# POST_DATE_MAX_WORDS words) within STAMP_REACH lines under it: the dates of
# the posts it lists. On the cross-validated WCXB dev dumps it ends 6 article
# pages of 6 sites closer to their truth (+0.004 to +0.35), none further;
# mean F1 +0.0006. Without "Latest"/"Recent" headings: with them it cut a
# blog's front page at its list of latest posts (-0.67).
POST_DATES_UNDER = 2
POST_DATE_MAX_WORDS = 8
# Or it has TEASERS_UNDER teasers within STAMP_REACH lines: lines of at least
# TEASER_MIN_WORDS words cut short with an ellipsis ("Did you know that 60% of
# American travelers value great coffee at..."). Dates and teasers are counted
# apart: a listing that repeats "More from this brand" by each item shows one
# item's date over the next one's teaser. On the cross-validated WCXB dev dumps
# teasers end 7 pages of 7 sites closer to their truth (+0.014 to +0.23:
# uforocks.com, franshares.com, melissaneill.com, iceland-photo-tours.com,
# blog.engora.com, tayst.com, quora.com), none further; mean F1 +0.0004.
TEASERS_UNDER = 2
TEASER_MIN_WORDS = 5
_ELLIPSES = ("...", "…")
# Or it has READ_LINKS_UNDER links on to the listed posts or their reading
# times ("Read More...", "Continue reading", "4 min read") within STAMP_REACH
# lines. On the cross-validated WCXB dev dumps this ends 3 pages of 3 sites
# closer to their truth (+0.05 enphase.com, +0.02 craft-music.com, +0.0006
# store.steampowered.com), none further; mean F1 +0.00005.
READ_LINKS_UNDER = 2
#
# A related-posts heading (not a bare "Popular", "Trending" or "Recommended":
# a plan's badge, a section menu's entry, a game's requirements) or a pager's
# line ("Previous", "Next »", ``patterns.PAGER``) ends the story too, marked or
# not, when no kept line under it holds LINK_MAX_WORDS words: what follows is
# a list of titles, not more story ("Related" over a Q&A page's related
# questions, "More from <author>" over their headlines, a doc page's pager over
# the site's index). On the cross-validated WCXB dev dumps this ends 24 pages
# of 18 sites closer to their truth (+0.002 to +0.31; most: 5 Stack Exchange
# pages of 3 sites, 4 developer.mozilla.org pages, 2 of one game shop,
# cnx-software.com, reventals.com, travelnoire.com, wsetglobal.com,
# securityweek.com, arxiv.org) and 2 listings further (-0.10 infoq.com,
# -0.07 apnews.com: a news front page's "More news" lists its content); mean
# F1 +0.0011. Limits of 20 and 40 words (related headings alone): +0.0000
# and +0.0007 against +0.0007 at 30. Requiring the lines under it to end
# unlike sentences instead: +0.0001 (a related question ends in "?").
# Unmarked, not a heading over the site's own feed ("More news", "More
# stories", "More from the project"; "More from <author>" stays): on a
# listing its titles are the content. That gives back the two listings (+0.07
# each), and costs none; mean F1 +0.0001.
LINK_MAX_WORDS = 30
#
# The page's own chrome ends a story too: the first button or link label
# (``patterns.UI_TEXT``: "Share", "Menu", "Back to top", "LinkedIn",
# "Loading...", "View all") among the kept lines after the last one of
# LINK_MAX_WORDS words or more, STORY_MIN_WORDS kept words down the page. Not
# the labels that act within the content (an expander's "Read more", a
# post's "Reply", "Like", "Comments"), nor a label over dated lines: a
# thread's short replies. Labels have at most CHROME_MAX_WORDS words (a
# cheap test first). On the cross-validated WCXB dev dumps this ends 32 pages
# of 23 sites closer to their truth (+0.002 to +0.50; inria.fr,
# cloud.google.com, redfin.com, forestwholefoods.co.uk, 7 pages of one game
# shop, 2 of ifixit.com, emplifi.io, health.harvard.edu, ...) and 5 further
# (-0.14 a newsletter's "Subscribe" over the rest of its post, -0.09 a shop's
# "Loading..." over its own products, three by 0.006 or less); mean F1
# +0.0017. With every label: +0.0008 ("Read more" alone -0.0007: 7 pages
# lose), without the dated-lines test: +0.0016 (4 forum threads lose).
# A footer column's heading there ("Contact us", "Connect with us", "About",
# "Support") is the site's chrome as well: 8 more pages of 8 sites closer
# (+0.002 to +0.34: kroll.com's contact cards; cornell.edu, readingandmath.org,
# leverx.com, qcy.com, makeitallwork.com, consumerfinance.gov, goshopia.com),
# 5 further (-0.031 to -0.002); +0.0003, +0.0001 without kroll.com.
CHROME_MAX_WORDS = 8
# Not a label whose kept lines under it score as the story does (word-weighted
# mean CHROME_STORY_SCORE or more): the story goes on past a button inside it
# (a newsletter's "Subscribe" between two parts of a post, a "Contact Us" call
# to action between a service page's sections). On the cross-validated WCXB
# dev dumps this gives back 2 pages of 2 sites their ends (+0.14
# aimaker.substack.com, +0.03 suitecrm.com) and costs none; mean F1
# +0.00012. The gaining pages score 0.88 and 0.82 under the label, the labels
# that rightly end a story 0.76 at most: 0.75 loses 3 pages of 3 sites
# (-0.05 to -0.01), 0.85 gives back only the first page.
CHROME_STORY_SCORE = 0.8
#
# A post-navigation line has another within POST_LINK_REACH lines under it
# (the previous post's link over the next one's, or "Post navigation" over
# either). On the cross-validated WCXB dev dumps this ends 4 pages closer to
# their truth (+0.002 to +0.12: blog.turbotax.intuit.com, freederia.com,
# protiviti.com and one page with no domain given), none further; +0.0002.
POST_LINK_REACH = 4
#
# A feedback prompt has its answers within FEEDBACK_REACH lines under it
# ("Was this page helpful?" / "Yes No"; a newsletter's "How was this issue?"
# has a line of explanation between). A references heading has
# CITATIONS_UNDER citations within CITATION_REACH lines. Both follow
# STORY_MIN_WORDS kept words. On the cross-validated WCXB dev dumps feedback
# prompts end 6 pages of 5 sites closer to their truth (+0.003 to +0.105) and
# one further (-0.042, a doc page whose truth keeps the site's footer note);
# mean F1 +0.00014. References end 7 pages of 7 sites closer (+0.016 to
# +0.129) and 2 further (-0.028, -0.005: truths that keep the list); +0.0003.
FEEDBACK_REACH = 3
CITATION_REACH = 6
CITATIONS_UNDER = 2


def _stamp(line: str) -> bool:
    """A short line holding a date and a time of day."""
    return (
        len(line.split()) <= STAMP_MAX_WORDS
        and _CLOCK.search(line) is not None
        and dates.search(line) is not None
    )


def _comment_mark(line: str) -> bool:
    """A comment's stamp, or a short line with its reply link, author's "says:" or age."""
    if len(line.split()) > STAMP_MAX_WORDS:
        return False
    return P.COMMENT_MARK.match(line) is not None or _stamp(line)


def _form_end(line: str) -> bool:
    return P.FORM_END.match(line) is not None


def _post_date(line: str) -> bool:
    """A listed post's date line ("December 19, 2025", "Tuhin Bhatt 19 Jun 2025").

    Not a table's row ("1/1/2013<tab>+12.8%"): its cells are tab-separated."""
    if len(line.split()) > POST_DATE_MAX_WORDS or "\t" in line:
        return False
    return dates.search(line) is not None


def _teaser(line: str) -> bool:
    """A listed post's teaser, cut short ("Did you know that 60% of American travelers …")."""
    words = line.split()
    return len(words) >= TEASER_MIN_WORDS and words[-1].endswith(_ELLIPSES)


def _read_link(line: str) -> bool:
    """A listed post's link on ("Read More...", "Continue reading") or its reading time."""
    return P.READ_LINK.match(line) is not None


def _post_link(line: str) -> bool:
    return len(line.split()) <= HEADING_MAX_WORDS and P.POST_NAVIGATION.match(line) is not None


def _answers(line: str) -> bool:
    """A line of the answers a feedback prompt offers ("Yes No", "👍")."""
    return P.FEEDBACK_ANSWERS.match(line) is not None


def _citation(line: str) -> bool:
    return P.CITATION.search(line) is not None


@dataclass(frozen=True)
class Kind:
    """What a page appends under its content, and how a dump shows it."""

    rule: str  # the Decision's rule
    pattern: re.Pattern[str]  # matches a heading at the line's start
    # A line that marks one item (stamp, rating); None: the kept lines under
    # the heading are all titles (``LINK_MAX_WORDS``), whatever marks them.
    mark: Callable[[str], bool] | None
    reach: int = STAMP_REACH  # lines under the heading read for marks
    marks_under: int = 1  # marks needed among them
    above_words: int = STORY_MIN_WORDS  # kept words the heading must follow
    marks_above: int | None = None  # at most this many marks above it (None: not read)


KINDS = (
    Kind(
        rule="comments",
        pattern=P.COMMENTS_HEADING,
        mark=_comment_mark,
        reach=STAMP_REACH,
        marks_under=STAMPS_UNDER,
        above_words=STORY_MIN_WORDS,
        marks_above=STAMPS_ABOVE,
    ),
    Kind(
        rule="reviews",
        pattern=P.REVIEWS_HEADING,
        mark=select.rating,
        reach=select.REVIEWS_REACH,
        marks_under=select.RATINGS_UNDER,
        above_words=select.REVIEWS_AFTER_WORDS,
        marks_above=None,
    ),
    Kind(rule="comment-form", pattern=P.COMMENTS_HEADING, mark=_form_end),
    Kind(
        rule="related",
        pattern=P.RELATED_HEADING,
        mark=_post_date,
        marks_under=POST_DATES_UNDER,
    ),
    Kind(rule="related", pattern=P.RELATED_HEADING, mark=_teaser, marks_under=TEASERS_UNDER),
    Kind(
        rule="related",
        pattern=P.RELATED_HEADING,
        mark=_read_link,
        marks_under=READ_LINKS_UNDER,
    ),
    Kind(rule="related", pattern=P.RELATED_LIST_HEADING, mark=None),
    Kind(rule="post-navigation", pattern=P.PAGER, mark=None),
    Kind(
        rule="post-navigation",
        pattern=P.POST_NAVIGATION,
        mark=_post_link,
        reach=POST_LINK_REACH,
    ),
    Kind(rule="feedback", pattern=P.FEEDBACK_PROMPT, mark=_answers, reach=FEEDBACK_REACH),
    Kind(
        rule="references",
        pattern=P.REFERENCES_HEADING,
        mark=_citation,
        reach=CITATION_REACH,
        marks_under=CITATIONS_UNDER,
    ),
)


def appended(
    lines: list[str], keep: np.ndarray, words: np.ndarray, scores: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Per rule of ``KINDS``, the lines from its heading to the last kept line
    (kept or not: one run), where a dump shows such a section; rules without
    one are left out. ``words`` holds each line's word count, ``scores`` the
    classifier's score of each line (None: the page chrome's labels are not
    checked against the scores under them)."""
    out: dict[str, np.ndarray] = {}
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        return out
    first, last = int(kept[0]), int(kept[-1])
    above = np.cumsum(np.where(keep, words, 0)) - np.where(keep, words, 0)  # kept words before
    may = (above >= _LEAST_ABOVE) & (words <= HEADING_MAX_WORDS + 0.5)  # counts as floats
    at = _chrome(lines, keep, words, above, scores, last)
    if at is not None:
        out["page-chrome"] = np.zeros(len(lines), dtype=bool)
        out["page-chrome"][at : last + 1] = True
    # One pattern for every kind's heading: most dumps have none.
    headings = [
        i
        for i in (np.flatnonzero(may[first + 1 : last + 1]) + first + 1).tolist()
        if _ANY_HEADING.match(lines[i])
    ]
    if not headings:
        return out
    # The longest kept line from each line on, and past the last line (none).
    longest = np.append(np.maximum.accumulate(np.where(keep, words, 0.0)[::-1])[::-1], 0.0)
    for kind in KINDS:
        candidates = [i for i in headings if above[i] >= kind.above_words]
        at = _heading(lines, kind, candidates, first, longest)
        if at is not None:  # two kinds of one rule: it cuts from the upper heading
            out.setdefault(kind.rule, np.zeros(len(lines), dtype=bool))[at : last + 1] = True
    return out


def _chrome(
    lines: list[str],
    keep: np.ndarray,
    words: np.ndarray,
    above: np.ndarray,
    scores: np.ndarray | None,
    last: int,
) -> int | None:
    """The first button or link label (``patterns.UI_TEXT``) or footer column's
    heading after the last kept paragraph (LINK_MAX_WORDS words) and up to
    the ``last`` kept line, if STORY_MIN_WORDS kept words stand above it and
    the kept lines under it do not score as the story (CHROME_STORY_SCORE)."""
    prose = np.flatnonzero(keep & (words >= LINK_MAX_WORDS - 0.5))
    if prose.size == 0 or above[prose[-1]] + words[prose[-1]] < STORY_MIN_WORDS:
        return None
    for i in range(int(prose[-1]) + 1, last + 1):
        if words[i] <= CHROME_MAX_WORDS + 0.5:
            label = " ".join(lines[i].lower().split())
            button = P.UI_TEXT.match(label) and not P.IN_CONTENT_LABEL.match(label)
            if button or P.FOOTER_HEADING.match(label):
                # Dated lines under it: a thread's short replies, each dated.
                if any(map(_post_date, lines[i + 1 : last + 1])):
                    return None
                return None if _story_goes_on(keep, words, scores, i) else i
    return None


def _story_goes_on(keep: np.ndarray, words: np.ndarray, scores: np.ndarray | None, at: int) -> bool:
    """Whether the kept lines under line ``at`` score as the story does
    (word-weighted mean score CHROME_STORY_SCORE or more)."""
    if scores is None:
        return False
    under = np.flatnonzero(keep[at + 1 :]) + at + 1
    if under.size == 0:
        return False
    mean = np.average(scores[under], weights=words[under] + 1.0)
    return bool(mean >= CHROME_STORY_SCORE)


def _heading(
    lines: list[str], kind: Kind, candidates: list[int], first: int, longest: np.ndarray
) -> int | None:
    """The first of ``candidates`` heading ``kind`` over its marks, if the content
    above allows; ``longest`` holds the longest kept line from each line on."""
    for i in candidates:
        if not kind.pattern.match(lines[i]):
            continue
        if kind.mark is None:
            if longest[i + 1] < LINK_MAX_WORDS:
                return i  # nothing but titles under it
            continue
        if sum(map(kind.mark, lines[i + 1 : i + 1 + kind.reach])) < kind.marks_under:
            continue  # a heading over nothing of the kind ("Comments are closed")
        limit = kind.marks_above
        if limit is not None and sum(map(kind.mark, lines[first:i])) > limit:
            return None  # the content above is marked so too: a thread
        return i
    return None


_LEAST_ABOVE = min(kind.above_words for kind in KINDS)
# Each distinct heading pattern once (kinds share some): a quarter faster.
_ANY_HEADING = re.compile(
    "|".join(f"(?:{pattern})" for pattern in dict.fromkeys(k.pattern.pattern for k in KINDS)),
    re.IGNORECASE,
)
