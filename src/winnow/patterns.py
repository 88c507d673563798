"""Named vocabularies: one pattern set per boilerplate (or content) category.

Each vocabulary is defined once, here. The block classifier sees whether a
block or one of its ancestors matches a category; it never sees a site's
name. Class/id vocabularies are matched against the lower-cased ``class``
and ``id`` attribute values joined by a space; text vocabularies against the
block's own text.
"""

from __future__ import annotations

import re

# --- tags -----------------------------------------------------------------

# Elements whose content is never visible page text.
SKIP_TAGS = frozenset(
    "script style template svg math iframe object embed canvas video audio "
    "picture source track map head title meta link select option optgroup textarea "
    "input datalist dialog".split()
)

# Elements that start a new block of text (everything else is inline).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main "
    "menu nav ol p pre section summary table caption tbody thead tfoot tr td th ul "
    "legend".split()
)

HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# Landmark tags, each a category the classifier sees on the ancestor chain.
TAG_CATEGORIES: dict[str, str] = {
    "article": "t_article",
    "main": "t_main",
    "nav": "t_nav",
    "header": "t_header",
    "footer": "t_footer",
    "aside": "t_aside",
    "form": "t_form",
    "li": "t_li",
    "table": "t_table",
    "figure": "t_figure",
    "blockquote": "t_quote",
    "a": "t_link",
    "button": "t_button",
    "label": "t_label",
    "pre": "t_pre",
    "code": "t_code",
    "dl": "t_dl",
    "strong": "t_strong",
    "b": "t_strong",
    "em": "t_em",
    "i": "t_em",
    "time": "t_time",
    "section": "t_section",
    "noscript": "t_noscript",
}

ROLE_CATEGORIES: dict[str, str] = {
    "main": "r_main",
    "article": "r_main",
    "navigation": "t_nav",
    "menu": "t_nav",
    "menubar": "t_nav",
    "banner": "t_header",
    "contentinfo": "t_footer",
    "complementary": "t_aside",
    "dialog": "c_modal",
    "alertdialog": "c_modal",
    "button": "t_button",
    "heading": "r_heading",
    "search": "t_form",
}

# --- class / id vocabularies ------------------------------------------------
# Word-ish fragments. They are matched inside class/id strings, so "nav" also
# hits "navbar" and "site-nav"; fragments that would hit too much ("ad") are
# anchored on separators.

_SEP = r"(?:^|[\s_\-:])"
_END = r"(?:$|[\s_\-:\d])"

CLASS_CATEGORIES: dict[str, str] = {
    "c_nav": r"nav|menu|breadcrumb|toolbar|skip-?link|masthead|topbar|megamenu|drawer",
    "c_footer": r"footer|copyright|colophon|legal|site-?info|bottom-?bar",
    "c_sidebar": r"sidebar|side-?bar|widget|rail|aside|secondary|sidecol|right-?col|left-?col",
    "c_comment": r"comment|disqus|respond|reply|discussion|replies",
    "c_social": r"share|social|sharing|follow-?us|facebook|twitter|linkedin|whatsapp|pinterest",
    "c_related": r"related|recommend|more-?stories|read-?more|also-?like|trending|popular|"
    r"outbrain|taboola|suggest|you-?may|next-?post|prev-?post|pagination|pager",
    "c_ad": _SEP + r"(?:ad|ads|advert\w*|advertisement|sponsor\w*|promo\w*|dfp|banner\w*|"
    r"gpt|adslot|ad-?unit|commercial|affiliate)" + _END,
    "c_consent": r"cookie|consent|gdpr|privacy-?notice|onetrust|cmp",
    "c_subscribe": r"newsletter|subscri|signup|sign-?up|paywall|register|login|log-?in|"
    r"membership|piano|regwall|meter",
    "c_modal": r"modal|popup|pop-?up|overlay|lightbox|toast|dialog|flyout",
    "c_meta": r"byline|author|dateline|timestamp|date|posted|published|meta|info-?bar|"
    r"article-?info|entry-?meta|post-?meta|credit|caption",
    "c_tags": r"tags|tag-?list|categor|topics|keywords|label",
    "c_hidden": r"hidden|sr-?only|visually-?hidden|screen-?reader|offscreen|invisible|"
    r"d-none|is-?hidden|collapse(?!d)",
    "c_content": r"article|content|post|entry|story|body|text|main|prose|markdown|"
    r"rich-?text|blog|page-?content|single|detail|description|copy|editorial|abstract|"
    r"answer|question|message|thread|review|product|documentation|docs",
    "c_title": r"title|headline|heading|header-?text|hed",
    "c_subtitle": r"subtitle|sub-?title|standfirst|dek|deck|summary|lede|lead|intro|excerpt|"
    r"teaser|strapline|subhead",
    "c_kicker": r"kicker|eyebrow|overline|section-?label|rubric|supertitle|flag|category-?label",
    "c_card": r"card|tile|teaser|item|grid|list|feed|thumb|cell",
}

CLASS_PATTERN = re.compile(
    "|".join(f"(?P<{name}>{body})" for name, body in CLASS_CATEGORIES.items())
)

# itemprop values that mark structure.
ITEMPROP_CATEGORIES: dict[str, str] = {
    "articlebody": "i_body",
    "text": "i_body",
    "description": "i_body",
    "reviewbody": "i_body",
    "headline": "c_title",
    "name": "c_title",
    "author": "c_meta",
    "datepublished": "c_meta",
    "datemodified": "c_meta",
    "comment": "c_comment",
}

# --- text vocabularies ------------------------------------------------------
# Matched against a block's whole text (lower-cased, whitespace-folded).

# Labels of buttons and links, each a whole text (with trailing punctuation).
UI_WORDS = (
    "share", "tweet", "print", "email", "e-mail", "comment", "comments", "reply", "like", "save",
    "follow", "subscribe", "sign in", "sign up", "log in", "login", "register", "menu", "search",
    "close", "open", "back", "next", "previous", "prev", "more", "read more", "see more",
    "show more", "load more", "view all", "see all", "skip to content", "skip to main content",
    "home", "top", "back to top", "advertisement", "sponsored", "ad", "copy link", "copied",
    "listen", "play", "pause", "loading", "cancel", "ok", "accept", "reject", "submit",
    "download", "facebook", "twitter", "x", "linkedin", "whatsapp", "pinterest", "reddit",
    "instagram", "youtube", "telegram",
)  # fmt: skip
# What may follow a label (besides whitespace).
UI_TAIL = ".!:›»>…"
UI_TEXT = re.compile(rf"^(?:{'|'.join(map(re.escape, UI_WORDS))})[\s{re.escape(UI_TAIL)}]*$")

BOILERPLATE_TEXT = re.compile(
    r"all rights reserved|©|\bcopyright\b|privacy policy|terms of (?:use|service)|"
    r"cookie|newsletter|subscribe|sign up for|log in to|sign in to|follow us|"
    r"share this|related (?:articles|posts|stories)|you may also like|advertisement|"
    r"sponsored|read more|click here|skip to|javascript|your browser|"
    r"\{\{[^}]*\}\}|\bpowered by\b"
)

# Substrings at least one of which every BOILERPLATE_TEXT match contains (in
# lower case): texts with none of them skip the regex, which is the costliest
# per-block step otherwise. Keep the two in step.
BOILERPLATE_TRIGGERS = (
    "rights", "©", "copyright", "privacy", "terms of", "cookie", "newsletter", "subscribe",
    "sign ", "log in", "follow us", "share this", "related", "also like", "advertisement",
    "sponsored", "read more", "click here", "skip to", "javascript", "your browser", "{{",
    "powered by",
)  # fmt: skip

CREDIT_TEXT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b|\b(?:photo|photograph|image|picture|credit|source|foto|"
    r"illustration|video)s?\s*(?:by|:|/)|\bvia\b|\bgetty images\b|\b(?:ap|afp|reuters|epa)\b)",
    re.IGNORECASE,
)

# The same for CREDIT_TEXT: substrings of its lower-cased matches, and the
# agency names it takes only as whole words.
CREDIT_TRIGGERS = (
    "©", "(c)", "copyright", "photo", "image", "picture", "credit", "source", "foto",
    "illustration", "video", "via", "getty",
)  # fmt: skip
CREDIT_AGENCIES = frozenset(("ap", "afp", "reuters", "epa"))

# Every DATE_TEXT alternative contains a digit: texts without one skip it.
DATE_TEXT = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|"
    r"\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago|\d{4}年\d{1,2}月\d{1,2}日)\b",
    re.IGNORECASE,
)
# More: every DATE_TEXT match holds DATE_DIGITS decimal digits in a row (the
# ISO date, the dates with a month name or 年), a digit followed by one of
# DATE_SEPARATORS (12.03.26, 3/12/2026) or DATE_WORDS ("3 hours ago"; the
# matched text is lower-cased): the C text statistics (winnow._textstats) read
# DATE_TEXT only where one of them is there. Keep them in step.
DATE_DIGITS = 4
DATE_SEPARATORS = "./"
DATE_WORDS = ("ago",)

BYLINE_WORDS = ("by", "von", "par", "por", "di", "door", "av", "af")
BYLINE_TEXT = re.compile(rf"^\s*(?:{'|'.join(BYLINE_WORDS)})\s+\S", re.IGNORECASE)

WORD = re.compile(r"\w+")
CAPITALISED = re.compile(r"(?<!\w)[^\W\d_a-z]")  # a word that starts upper-case
DIGIT = re.compile(r"\d")
# Characters that are frequent in source code and rare in prose.
CODE_SYMBOLS = "{}[]();=<>_\\$#|&*"
CODE_SYMBOL = re.compile(f"[{re.escape(CODE_SYMBOLS)}]")
# A sentence ends with one of these before whitespace or the end of the text.
SENTENCE_ENDS = ".!?。！？"
SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}](?:\\s|$)")
PUNCTUATION = ".,;:!?。，、；：！？"
PUNCT = re.compile(f"[{re.escape(PUNCTUATION)}]")
WHITESPACE = re.compile(r"\s+")

# A heading that opens the readers' comments under a story: "59 Comments on
# ...", "3 thoughts on ...", "Leave a Reply", "Reader Interactions". Matched
# at the start of a heading's text, case-insensitively. Not "N replies": that
# heads the posts of a forum thread, which are its content. On WCXB dev
# (cross-validated) it ends the text of 6 article pages, each closer to its
# truth (+0.003 to +0.30), and of none that loses.
COMMENTS_HEADING = re.compile(
    r"(?:\d[\d,.]*\s+)?(?:comments?|responses?|thoughts?\s+on|reactions)\b"
    r"|(?:leave|post|add|write)\s+an?\s+(?:comment|reply)|reader\s+(?:comments|interactions)"
    r"|join\s+the\s+(?:discussion|conversation)|discussion\s*$"
    r"|kommentare|commentaires|comentarios|commenti|reacties|komentarze",
    re.IGNORECASE,
)

# A short line that marks one reader's comment under a comments heading where
# the dump shows no stamp of day and time: its reply link ("Reply", "Log in
# to Reply"), its author's "Maren says:" or "… wrote:", its age ("3 years
# ago"). Matched against the whole line. On the cross-validated WCXB dev dumps
# these marks let the comments cut reach 7 more article pages, each of
# another site, each closer to its truth (+0.005 to +0.18), and no page that loses.
COMMENT_MARK = re.compile(
    r"\s*(?:reply(?:\s*↓)?|log\s+in\s+to\s+reply)\s*$"
    r"|.{0,60}\b(?:says|wrote)\s*:?\s*$"
    r"|.{0,40}\b(?:\d+|an?)\s+(?:minute|hour|day|week|month|year)s?\s+ago\s*$",
    re.IGNORECASE,
)

# The last line a web form leaves in a dump: "Δ", the label of the hidden
# anti-spam field of WordPress's comment and sign-up forms (Akismet). Under
# a comments heading it ends the reply form: the story is over above it.
FORM_END = re.compile(r"\s*Δ\s*$")

# A heading over a list of other posts that follows a story ("Related
# articles", "You might also like", "Recommended for you", "More from …",
# "Also in the news"), matched whole. Alone it proves little (more content
# than not follows such a heading on WCXB dev: it heads a story's own links
# and teasers as well); ``textmode.comments`` cuts there only when dated
# lines follow it, one per listed post. Not "Latest …" or "Recent …": on a
# blog's front page they head the listing that is its content.
RELATED_HEADING = re.compile(
    r"\W*(?:related(?:\s+(?:posts|articles|stories|reading|content))?"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)"
    r"|recommended(?:\s+(?:for\s+you|reading|articles|posts))?"
    r"|read\s+next|up\s+next|keep\s+reading|further\s+reading|don'?t\s+miss"
    r"|more\s+(?:stories|articles|posts|news)|more\s+from\s+[\w .'’-]+"
    r"|popular(?:\s+(?:posts|articles|stories))?|trending(?:\s+now)?|also\s+in\s+the\s+news)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)

# The same heading, unmarked: no bare badge ("Popular" over a plan,
# "Trending" in a section menu, a game's "Recommended:" requirements) and no
# heading over the site's own feed ("More news", "More from the project").
RELATED_LIST_HEADING = re.compile(
    r"(?!\W*(?:popular|trending(?:\s+now)?|recommended"
    r"|more\s+(?:stories|articles|posts|news)|more\s+from\s+the\s+\w+)\W*$)"
    + RELATED_HEADING.pattern,
    re.IGNORECASE,
)
# A listed post's link on to it or its reading time ("Read More...",
# "Continue reading", "Read the full story", "4 min read"), matched whole.
READ_LINK = re.compile(
    r"\W*(?:read\s+more|continue\s+reading|read\s+(?:the\s+)?(?:full\s+)?(?:article|story|post)"
    r"|\d+\s+min(?:ute)?s?\s+read)\W*$",
    re.IGNORECASE,
)

# A blog's links to the posts before and after a story ("Post navigation",
# "Previous Post: …", "Next article"), matched at a line's start. Not bare
# "Previous"/"Next": those also page a carousel or a doc's chapters.
POST_NAVIGATION = re.compile(
    r"\W*(?:(?:post|article)\s+navigation"
    r"|(?:previous|prev|next|older|newer)\s+(?:post|article|story|entry|blog\s+post)s?)\b",
    re.IGNORECASE,
)

# Button and link labels that act within the content, not leave it (an
# expander's "Read more", a post's "Reply", "Like" or "Comments"), and the
# heading of a site footer's column ("Contact us", "Connect with us",
# "About", "Company", "Support", "Follow us"); both matched whole in lower
# case by ``textmode.comments``' page-chrome cut.
IN_CONTENT_LABEL = re.compile(r"(?:(?:read|see|show|load)\s+)?more|reply|comments?|like")
FOOTER_HEADING = re.compile(
    r"(?:contact(?:\s+us)?|connect\s+with\s+us|get\s+in\s+touch|about(?:\s+us)?|company"
    r"|support|follow\s+us)\W*$"
)

# A pager's line alone ("Previous", "Next", "« Previous Next »"), matched
# whole: over nothing but titles it ends a story or a doc page (``textmode.comments``).
PAGER = re.compile(r"\W*(?:(?:previous|prev)\W*(?:next)?|next)\W*$", re.IGNORECASE)

# A page's prompt for feedback on itself ("Was this page helpful?", "Did you
# find what you needed?", "Rate this article", "How was this issue?"), matched
# at a line's start, and a line of the answers it offers ("Yes No", "YesNo",
# "Yes", "👍", "😄 Good", "★★★★★"), matched whole. A story or a doc page
# ends at such a prompt when its answers follow it (``textmode.comments``):
# what a dump shows under it is the site's, not the page's.
FEEDBACK_PROMPT = re.compile(
    r"\s*(?:(?:was|is)\s+this\s+(?:(?:article|page|post|answer|information|content)\s+)?"
    r"(?:helpful|useful)"
    r"|did\s+(?:this|you)\s+(?:help|find|like|enjoy)"
    r"|rate\s+this\s+(?:article|page|post|story)"
    r"|how\s+(?:was|would\s+you\s+rate|helpful\s+was)\s+this)\b",
    re.IGNORECASE,
)
FEEDBACK_ANSWERS = re.compile(
    r"\s*(?:yes\s*/?\s*no|yes|no|thumbs\s+(?:up|down)|[★☆]+|[\U0001F44D\U0001F44E\U0001F600-\U0001F64F].*)\s*$",
    re.IGNORECASE,
)

# A heading over the story's list of references ("References", "Sources:",
# "Article Sources", "Works Cited", "Notes and references"), matched whole,
# and what marks a reference under it: a year in brackets, "et al.", a link,
# a DOI, "Retrieved". The reference list is the author's apparatus, not the
# text a reader reads (the WCXB truth leaves it out on most pages that have one).
REFERENCES_HEADING = re.compile(
    r"\W*(?:article\s+sources|sources|references|citations|bibliography|works\s+cited"
    r"|notes\s+and\s+references|reference\s+list)\s*:?\s*$",
    re.IGNORECASE,
)
CITATION = re.compile(
    r"\((?:1[89]|20)\d\d[a-z]?\)|\bet\s+al\b|https?://|\bdoi\b|\bretrieved\b",
    re.IGNORECASE,
)

# A whole line or block that heads customers' reviews ("Reviews", "Customer
# reviews", "12 Reviews", "Reviews (29)"), and a review's rating or its
# buyer's badge ("5 out of 5 stars", "4.5/5", "★★★★☆", "Verified Buyer"; not
# glued icon labels such as "starstarstar"). A shop's product page goes on from
# its description into its reviews; both front doors cut there when ratings
# follow the heading (``stages.select``, ``textmode.comments``).
REVIEWS_HEADING = re.compile(
    r"\s*(?:\d[\d,.]*\s+)?(?:customer\s+|product\s+)?reviews?(?:\s*\(\d[\d,.]*\))?\s*$",
    re.IGNORECASE,
)
RATING = re.compile(
    r"\b[1-5](?:[.,]\d)?\s*(?:out\s+of\s+5|/\s*5)\b|[★☆]|\b[1-5](?:[.,]\d)?\s+stars?\b"
    r"|\bverified\s+(?:buyer|purchase|owner|reviewer)",
    re.IGNORECASE,
)


# --- page-type hints ---------------------------------------------------------
# Matched against one lower-cased string: the URL's path, then the page's
# schema.org types (JSON-LD @type, microdata itemtype) and "og:" + og:type.
# Generic conventions of URLs and structured data, never a site's name: they
# let the classifier weigh a block differently on a forum thread than on a
# product page.

PAGE_HINTS: dict[str, str] = {
    "h_article": r"newsarticle|blogposting|\barticle\b|og:article|/news/|/blogs?/|/articles?/|"
    r"/stor(?:y|ies)/|/\d{4}/\d{1,2}/",
    "h_forum": r"discussionforumposting|qapage|\bquestion\b|/forums?/|/threads?/|/t/|/topics?/|"
    r"/questions/|/community/|/discussions?/|/comments/",
    "h_product": r"\bproduct\b|og:product|/products?/|/p/|/dp/|/items?/|/itm/|/shop/",
    "h_listing": r"itemlist|collectionpage|searchresults|/categor(?:y|ies)/|/collections?/|"
    r"/search|/tags?/|/browse/|/shop/?$",
    "h_docs": r"techarticle|apireference|/docs?/|/documentation/|/manual/|/reference/|/api/|"
    r"/guides?/|/tutorials?/|/learn/",
    "h_service": r"\bservice\b|aboutpage|contactpage|/pricing|/about|/services?/|/solutions?/|"
    r"/contact|/plans?/",
    "h_faq": r"faqpage|howto|/faqs?\b|/help/|/support/",
    "h_website": r"og:website",
}

PAGE_HINT_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(body) for name, body in PAGE_HINTS.items()
}
