"""Named vocabularies for flattened text dumps, one per category.

``winnow.patterns`` holds the vocabularies both front doors share (UI labels,
boilerplate phrases, calls to action, credits, dates, bylines). A text dump
has lost its markup, so the text front door leans on words more: paywall and
sponsorship wording, legal and navigation words, icon labels, unrendered
template placeholders, datelines, list bullets. Each is defined once, here,
and none of them names a site.

Most vocabularies here are *word sets* and *word pairs*, not regexes: the
text front door looks every word of a dump up in all of them at once, by
hash, in numpy (``stages/textmode/words.py``). One regex pass per vocabulary
over a whole dump cost 0.2-1.7 ms each on WCXB dev dumps, against a budget of
3.3 ms per dump for everything (300 dumps/s). Words are matched lower-cased,
as whole ``\\w+`` tokens.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _pairs(*phrases: str) -> frozenset[tuple[str, str]]:
    out = set()
    for phrase in phrases:
        first, second = phrase.split()
        out.add((first, second))
    return frozenset(out)


# --- word vocabularies ---------------------------------------------------------

# Entries of menus, breadcrumbs and site footers.
NAV_WORDS = _words(
    "home about contact careers jobs faq faqs help blog news search menu login logout signin "
    "signup register account cart basket checkout shop store pricing categories category "
    "archive archives tags topics sections sitemap skip navigation"
)

# Sharing buttons and the icon labels of inline SVGs.
SOCIAL_WORDS = _words(
    "facebook twitter linkedin whatsapp pinterest reddit instagram youtube telegram tiktok "
    "mastodon bluesky flipboard email print share shares tweet icon icons chevron arrow"
)

# Paywalls, metering and subscription offers.
PAYWALL_WORDS = _words(
    "subscribe subscribed subscriber subscribers subscription subscriptions paywall unlimited "
    "premium trial membership"
)
PAYWALL_PAIRS = _pairs(
    "free article", "free articles", "articles left", "articles remaining", "per month",
    "already subscribed", "continue reading", "subscribe now", "digital access",
)  # fmt: skip

# Sponsorship and advertising labels.
SPONSORED_WORDS = _words(
    "sponsored sponsor sponsors advertisement advertisements advertising advertiser "
    "advertorial promoted affiliate"
)
SPONSORED_PAIRS = _pairs("paid post", "paid content", "partner content", "promoted content")

# Legal wording of footers and consent banners.
LEGAL_WORDS = _words(
    "copyright privacy terms cookie cookies imprint impressum disclaimer trademark trademarks gdpr"
)
LEGAL_PAIRS = _pairs("rights reserved", "privacy policy", "terms of", "cookie policy")

# Calls to action and "more" links.
CTA_PAIRS = _pairs(
    "read more", "learn more", "see more", "show more", "load more", "view all", "see all",
    "view more", "find out", "sign up", "shop now", "buy now", "order now", "get started",
    "click here", "download now", "book now", "contact us", "join now", "try free",
)  # fmt: skip

# Date and time words of metadata lines ("3 hours ago", "Updated", "5 min read").
TIME_WORDS = _words("ago updated published posted edited am pm gmt utc yesterday today")
# Month names: a date when a number stands next to one ("May 14", "14 May 2024").
MONTH_WORDS = _words(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december"
)
TIME_PAIRS = _pairs("min read", "minute read", "minutes read", "last updated")

# Headings that open a section after the story: related links, comments,
# newsletters, author boxes, tags, sharing. A short line with one of these
# marks where a story may end.
RELATED_WORDS = _words("related recommended recommendations popular trending latest similar")
RELATED_PAIRS = _pairs(
    "read next", "more from", "more in", "you may", "also like", "see also", "more stories",
    "top stories", "most read", "editors picks", "more articles", "more news", "keep reading",
    "further reading", "you might", "up next", "watch next", "more videos", "latest news",
    "most viewed", "recent posts",
)  # fmt: skip
SECTION_WORDS = _words(
    "comments comment replies responses discussion newsletter newsletters author authors "
    "tags topics categories advertisement footer"
)
SECTION_PAIRS = _pairs(
    "leave a", "about the", "written by", "filed under", "share this", "follow us",
    "sign up", "join the",
)  # fmt: skip

# Words that say what kind of page a dump is (shop, forum, listing, docs): the
# classifier sees how dense each is on the whole page.
SHOP_WORDS = _words(
    "cart basket checkout shipping delivery stock buy price prices sale size sizes color colour "
    "quantity qty review reviews rating ratings sku wishlist returns"
)
FORUM_WORDS = _words(
    "replies reply posts post joined members member quote thread topic views likes solved "
    "solution moderator wrote said"
)
LISTING_WORDS = _words("results sort filter filters showing page pages next previous")
LISTING_PAIRS = _pairs("sort by", "load more", "view all", "see all", "next page")
DOC_WORDS = _words(
    "api function functions parameter parameters returns example examples install "
    "documentation docs version import class method methods"
)

# Credit words of captions ("Photo: ...", "... /Getty Images").
CREDIT_WORDS = _words(
    "photo photos photograph photographer image images credit credits courtesy getty reuters "
    "afp epa shutterstock istock alamy"
)

# Function words of the languages most common on the web: prose is dense with
# them, menus and labels are not (the signal jusText is built on).
STOP_WORDS = _words(
    # English
    "a about above after again all also am an and any are as at be because been before being "
    "between both but by can could did do does doing down during each few for from further had "
    "has have having he her here hers him his how i if in into is it its itself just me more "
    "most my no nor not now of off on once only or other our ours out over own same she should "
    "so some such than that the their theirs them then there these they this those through to "
    "too under until up very was we were what when where which while who whom why will with "
    "would you your yours"
    # German, French, Spanish, Italian, Portuguese, Dutch: the commonest few of each
    " der die das und ist nicht ein eine zu den mit sich auf für dem des auch es wird "
    "le la les et est un une des du dans que qui pour pas sur au avec ce il sont "
    "el los las y es en del se por con una para como más pero sus al lo "
    "il di che è per non della sono gli nel alla anche "
    "o os e do da em um uma não com mais na "
    "de het een en van is dat op te zijn voor met niet"
)

# Currency signs: prices mark shop and listing pages.
CURRENCY = frozenset("$€£¥₹")
# Characters of code: documentation pages are dense with them.
CODE_CHARS = frozenset("(){}[];=<>")

# --- shapes --------------------------------------------------------------------

# Unrendered template placeholders: {{name}}, {% tag %}, ${name}. Scanned
# over a whole dump: it starts with a literal, so the scan is fast.
TEMPLATE_RESIDUE = re.compile(r"\{\{[^{}\n]{0,80}\}\}|\{%[^%\n]{0,80}%\}|\$\{[^{}\n]{1,60}\}")

# A ``{{...}}`` or ``{%...%}`` placeholder glued to a word ("article{{plural}}"):
# a template rendered without its data, inside running text. Documentation
# shows template code with the placeholders standing apart.
GLUED_TEMPLATE = re.compile(r"\w(?:\{\{|\{%)|(?:\}\}|%\})\w")

# A line that is nothing but the address of an image, a video or a sound
# ("https://cdn…/uploaded_images/5001_TEE_BONE_THUMB.jpg", "/videos/kaylee.mp4"):
# the ``src`` of a media element the flattener let through, never text a
# reader reads. Matched whole, on lines without a space.
MEDIA_URL = re.compile(
    r"(?:https?://|www\.|/)\S+\."
    r"(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|ico|mp4|webm|mov|m4v|mp3|m4a|ogg|wav)"
    r"(?:[?#]\S*)?",
    re.IGNORECASE,
)

# A line that is nothing but a machine's time stamp ("2019-03-26 23:07:39
# +00:00", "2018-06-08T11:32:33.397Z"): the ``datetime`` or ``title`` of a
# ``<time>`` element the flattener let through, which a reader sees as "Mar
# 26, 2019 at 23:07" on the line beside it. Matched whole.
MACHINE_STAMP = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT)?(?:\s*[+-]\d\d:?\d\d)?"
)

# The dateline that opens a news story: "BERLIN -- ", "WASHINGTON (Reuters) - ",
# "PORT ARDEN, Maine — ". Group 1 is the place. Matched at a paragraph start.
DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'\u2019-]*)(?:[ \t][A-Z][A-Z.'\u2019-]*){0,3})"  # the place, in capitals
    r"(?:,[ \t][A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?"  # an optional region ("Maine", "N.Y.")
    r"(?:[ \t]\([^()\n]{1,40}\))?"  # an optional agency "(Reuters)"
    r"[ \t]*(?:--|[\u2014\u2013]|-(?=[ \t]))[ \t]*"  # the separator
    r"(?=\S)"
)

# Characters that open a list item when followed by a space: bullets and dashes.
BULLETS = frozenset("\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043*\u2013-")
# A list item numbered "1." or "a)".
NUMBERED_ITEM = re.compile(r"^(?:\d{1,3}|[a-z])[.)]\s")

# Characters that end a sentence, and closing quotes or brackets that may follow one.
TERMINAL = frozenset(".!?\u3002\uff01\uff1f\u2026")
CLOSERS = frozenset("\"'\u201d\u2019)]\u00bb")

# --- shapes that rule a line out as a headline ------------------------------------

# A breadcrumb trail: "Home / Blog / <title>", "You are here: Home > Guides",
# or any line with two crumb separators ("Blog » Tips » <title>").
BREADCRUMB = re.compile(
    r"^(?:home|you\s+are\s+here:?)\s*[/>\u00bb\u203a|\u00b7]|(?:\s[/>\u00bb\u203a\u00b7]\s.*){2}",
    re.IGNORECASE,
)
# A sentence ending inside the line and another beginning: a blurb or a
# disclosure ("We may earn commission ... we back. Why Trust Us?"), not a
# headline. Only a full stop after a lower-case word of three letters or more:
# headlines hold "?" and "!" between clauses, and "vs." or "U.S." before a word.
SENTENCE_BREAK = re.compile(r"[a-z]{3}\.\s+[A-Z]")
# The heading of a page's table of contents, never its headline.
CONTENTS_HEADING = re.compile(
    r"^(?:table\s+of\s+contents?|contents|in\s+this\s+(?:article|post|guide)|on\s+this\s+page)"
    r"\W*$",
    re.IGNORECASE,
)
# A line cut after a function word ("... for priority, faster, and"): a teaser
# or a form label cut short, never a whole headline.
DANGLING_END = re.compile(r"\b(?:and|or|the|of|to|for|with|a|an|in|on)$", re.IGNORECASE)
# A label that opens a metadata line: "Date: ...", "Last updated ...".
META_LABEL = re.compile(r"^(?:date|posted|published|updated|last\s+updated)\b", re.IGNORECASE)
