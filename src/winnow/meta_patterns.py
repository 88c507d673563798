"""Vocabularies of metadata: bylines, author roles and credentials, date lines.

General conventions of how pages write who wrote them and when, in the
languages winnow meets most; none is taken from one site.
"""

from __future__ import annotations

import re

# What opens a byline: "By", "Written by", "Posted by", "Author:", and their
# equivalents. Group 1 is the rest of the line.
BYLINE = re.compile(
    r"^\s*(?:(?:written|posted|post|published|reviewed|edited|words|story|text|reported|"
    r"submitted|created|contributed)\s+by|via|"
    r"by|author(?:s|ed by)?\s*:?|von|par|por|di|door|av|af|autor(?:in)?\s*:|auteur\s*:)"
    r"(?:\s*:\s*|\s+|(?<=[a-z])(?=(?-i:[A-Z])))(\S.*)$",
    re.IGNORECASE,
)
# phpBB's post line, "Post by felixen » Sat Feb 24, 2024", up to its name.
_PHPBB_POST = r"(?:post\s+)?by(?=\s[^»]+\s»\s)"
# A forum's label for who opened the thread, and the name after it: XenForo's
# "Thread starter" (its hidden label repeated: "Thread starter Thread starter
# felixen"), SMF's and vBulletin's "Started by …", "Original poster", and
# phpBB's first post line "Post by felixen » Sat Feb 24, 2024".
THREAD_STARTER = re.compile(
    r"^\s*(?:(?:thread|topic|discussion)\s+starter|started\s+by|original\s+poster|"
    + _PHPBB_POST
    + r")\b[\s:]*"
    r"(?:(?:thread|topic|discussion)\s+starter\b[\s:]*)?(\S.*)$",
    re.IGNORECASE,
)
# A forum's number of a thread's first post ("#1 · Jan 3, 2024", "Post #1 of
# 7") or phpBB's post line ("Post by felixen » Sat Feb 24, 2024"): the first
# such line carries the date the thread was opened.
FIRST_POST = re.compile(r"(?:^|\s)#1(?:\s|$)|^\s*" + _PHPBB_POST, re.IGNORECASE)
# A question-and-answer page's card of who asked: "asked Jun 29, 2012 at
# 10:51", the asker's name on the next line.
ASKED = re.compile(r"^\s*asked\b", re.IGNORECASE)
# Words of a role or job title: "Mike Marshall, Shipping Expert" names one
# person, not two. Matched as whole words, lower-cased.
ROLE_WORDS = frozenset(
    """editor editors writer writers contributor contributors reporter reporters correspondent
    columnist staff expert specialist analyst author founder cofounder co-founder ceo cto cfo
    coo president director manager head chief lead senior sr junior jr dietitian nutritionist
    therapist physician doctor nurse professor lecturer researcher scientist engineer developer
    designer photographer producer host anchor intern associate assistant partner owner officer
    consultant coach trainer instructor representative spokesperson fellow student candidate
    attorney lawyer counsel advisor adviser strategist marketer blogger coordinator
    moderator administrator admin member contributing""".split()
)
# A credential after a name: "MD", "Ph.D.", "RD", "FACLM", "CEPF®": one short
# token without lower-case letters, or a degree written with some.
CREDENTIAL = re.compile(
    r"^(?:[^\sa-z]{1,7}|(?i:ph\.?\s?d|[mb]\.?sc?|[mb]\.?a|d\.?o|m\.?d|r\.?n|esq|mph|msw|mba)\.?)$"
)
# Separators of several names in one author string.
NAME_SEPARATOR = re.compile(r"\s*(?:;|\||\s&\s|\s+(?:and|und|et|y|e|en|og|och)\s+|,)\s*")
# A value that cannot be a name: a web address, an e-mail address, a number,
# a template placeholder ("{{author}}", "page.head.author").
NOT_A_NAME = re.compile(
    r"^(?:https?:|www\.)|@\S+\.\w|^\d+$|\{\{|\}\}|\$\{|^\w+(?:\.\w+){2,}$|^[\W\d_]+$"
)
# Words that never make a name on their own: a byline's label ("Written By",
# "The Author", "Guide by", "From the"), a link beside it ("Learn More") or a
# date's weekday cut from it ("Sun").
NOT_NAME_WORDS = frozenset(
    """by the a an of from to for with written posted author authors guide editor
    read learn more view see all mon tue tues wed thu thur thurs fri sat sun monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
# A social handle: "@maren" or one lower-case token with digits, dots or underscores.
HANDLE = re.compile(r"^@\w|^(?=[^\s]*[\d._])[a-z0-9._-]+$")
# What bylines carry after the names and is never a name: "· 4 min read",
# "» Tue Aug 27", "on Friday", "says", "Share", "Updated …". Cut from there on.
BYLINE_NOISE = re.compile(
    r"(?:\s[»·•|]|\b(?:share|follow|email|e-mail|twitter|facebook|linkedin|instagram|updated|"
    r"published|posted|says|said|wrote|on\s+(?:mon|tue|wed|thu|fri|sat|sun)\w*|"
    r"(?:\d+\s+|an?\s+)?(?:min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\s+(?:ago|read)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?)\b).*$",
    re.IGNORECASE,
)
# A label that says a date is when a member joined a forum ("Joined",
# "Member since"), in the text before it on its line or on the line above:
# a poster's card beside the first post, not the thread's date. Not
# "Registered": bylines say "Registered Dietitian".
MEMBER_LABEL = re.compile(
    r"\b(?:joined|member\s+since|join\s+date|mitglied\s+seit|dabei\s+seit|membre\s+depuis|"
    r"miembro\s+desde)\b",
    re.IGNORECASE,
)
# What says a date line gives an update, not the publication: "Updated",
# "Last updated:", "Modified", "Edited", a forum's "last post by …", and
# their equivalents. Searched in the text before the date; a label may be
# glued to the word before it when it starts with a capital ("AnalystUpdated").
UPDATE_LABEL = re.compile(
    r"(?:(?<![^\W\d_])|(?-i:(?=[A-Z])))"
    r"(?:updated?|modified|edited|revised|last\s+(?:post|reply|activity|active)|"
    r"aktualisiert|geändert|mis\s+à\s+jour|modifié|actualizado|atualizado|aggiornato|"
    r"bijgewerkt)",
    re.IGNORECASE,
)
# A line that labels the publication: "Published on: 15 August 2025",
# "Posted on April 13, 2023", or a bare "Published" over the date. Matched at
# the start of a line (``match`` at the line's offset). PUBLICATION_WORDS are
# substrings every match holds (its label without the first letter, which may
# be upper- or lower-case), so that only the lines holding one are matched.
PUBLICATION_LABEL = re.compile(
    r"\W*(?:first\s+)?(?:published|posted|publication\s+date|date\s+published|"
    r"veröffentlicht|publié|publicado|pubblicato|gepubliceerd|opublikowano)\b(?:\s+on)?\W*",
    re.IGNORECASE,
)
# A line that says when the piece was first published, wherever the words
# stand in it ("This article was originally published on 26 Sep 2019 at
# 4:12pm but has been regularly updated"): the date must follow the words
# (a weekday may come between).
# Matched where ORIGINAL_WORD (the label without its first letter) stands.
ORIGINAL_LABEL = re.compile(
    r"(?<!\w)originally\s+(?:published|posted)(?:\s+on)?\s*:?\s*"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?",
    re.IGNORECASE,
)
ORIGINAL_WORD = "riginally"
PUBLICATION_WORDS = (
    "ublish", "osted", "ublication", "eröffentlicht", "ublié", "ublicado", "ubblicato",
    "epubliceerd", "publikowano",
)  # fmt: skip
# A vendor's prefix before a publication key ("w-published-date",
# "swiftype.publish_date"): read in metadata after every known key. On WCXB
# dev: 1 more right date (0237, half b), none where the truth has none.
VENDOR_PUBLISHED = re.compile(
    r"[:._-](?:datepublished|publishdate|publish-date|published-date|publish_date|"
    r"published_date|publication_date|date_published)$"
)
# A date path in a URL: /2024/05/14/ or /2024-05-14/.
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
# The same with the month's name: /2023/october/03/ (read by dates.parse).
URL_NAMED_DATE = re.compile(
    r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|-|$)", re.IGNORECASE
)
# A year and month in a URL's path ("/2018/11/slug"): WordPress's default permalink.
URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/")
# A bare person's name on a line of its own: two to four capitalised words
# (initials and name particles allowed), no digits, nothing else.
BARE_NAME = re.compile(
    r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s)?"
    r"[A-Z](?:[^\W\d_]|['’-])*\.?(?:\s(?:(?:van|von|de|der|da|di|del|la|le|bin|al|ten|ter)\s)*"
    r"[A-Z](?:[^\W\d_]|['’-])*\.?){1,3}"
)

# A line that is only a byline's label, the names on the next line: "By",
# "Written by:", "Author".
BY_LABEL = re.compile(
    r"(?:(?:written|posted|published|reviewed|edited|reported)\s+)?by\s*:?|authors?\s*:?",
    re.IGNORECASE,
)
# Words a flattened page glues onto the end of a byline's name, with no space
# at the seam ("Maren HoltPublished: Nov. 14", "Maren HoltMar 5"): the name
# ends where one of them begins after a lower-case letter.
GLUED_BYLINE_TAIL = re.compile(
    r"(?<=[a-z])(?=(?:Published|Updated|Posted|Follow|Share|Email|Reviewed|Edited)\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)"
)
# A joining word left at the end of a byline's names once its date is cut
# ("Maren Holt on" from "Maren Holt on Nov. 14, 2025").
TRAILING_JOINER = re.compile(r"\s+(?:on|at|in|and|with|el|le|am|op)$", re.IGNORECASE)
