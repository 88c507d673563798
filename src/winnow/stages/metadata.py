"""Page metadata: structured data, then ``<meta>``, then the DOM, then the URL.

``read`` collects what each source says (``Sources``) and settles every field
with the rules written in ``docs/metadata.md``; ``settle_header`` adds what the
lines around the headline show (a date line, a byline) once the page has been
cut into blocks. Each field records in ``Metadata.sources`` which source gave
it: ``json-ld``, ``microdata``, ``meta``, ``dom``, ``header`` (the lines by the
headline), ``url`` or ``detected`` (language only).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from winnow import meta_patterns as M
from winnow import patterns as P
from winnow.stages import authors as A
from winnow.stages import dates as D
from winnow.stages import header
from winnow.stages.features import page_hint
from winnow.stages.header import fold

_ARTICLE_TYPES = re.compile(
    r"Article|BlogPosting|Report|Posting|WebPage|Recipe|Review|Product", re.IGNORECASE
)
_JSONLD_MAX = 2_000_000  # characters of one JSON-LD block that are parsed
_JSONLD_ITEMS = 200  # items read from all blocks of a page
_WORDS = re.compile(r"\w{3,}")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»•/]\s+|\s*[|»•]\s*")
# A title taken from the DOM is at most this long. An unclosed <h1> or
# <title> swallows the rest of the page; the longest ground-truth title of the
# 1,358 WCXB dev pages has 257 characters.
_MAX_DOM_TITLE_CHARS = 300
# An <h1> that a meta title contains must have at least this many characters
# to count as agreeing with it ("News" is in every title of a news site).
_MIN_AGREEING_CHARS = 10
_H1_READ = 5  # <h1> elements read, in page order
_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# Anchor marks that documentation generators append to headings ("Quickstart¶").
_HEADING_ANCHORS = "¶§#🔗\uf0c1"
# Page kinds (``patterns.PAGE_HINTS``) that are one dated piece, and kinds
# that are not: a listing shows the dates of its items, a docs page the date
# of its last edit, neither a publication date of the page.
# A page that shows at least this many distinct days on its short lines lists
# dated items (news index, archive, search results). Page convention: a
# story shows its publication and perhaps its update, and a few more in a
# "latest" box; checked on WCXB dev half a, then on half b.
LISTING_DAYS = 5
# <time> elements read to count the days they show, in page order: a listing
# of LISTING_DAYS items or more shows its days within its first items.
_TIMES_READ = 30
_UNDATED_HINTS = ("h_listing", "h_product", "h_docs", "h_service", "h_faq")

_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "dcterms.title", "citation_title"),
    "site_name": ("og:site_name", "application-name", "publisher"),
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "image": ("og:image", "og:image:url", "twitter:image", "twitter:image:src"),
    "published": (
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "datepublished",
        "citation_publication_date",
        "citation_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.issued",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "published-date",
        "published",
        "publish_date",
        "published_date",
        "publication_date",
        "date_published",
        "sailthru.date",
        "parsely-pub-date",
    ),
    "updated": (
        "article:modified_time",
        "og:updated_time",
        "og:modified_time",
        "datemodified",
        "dcterms.modified",
        "last-modified",
    ),
    "authors": (
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "citation_author",
        "parsely-author",
        "sailthru.author",
    ),
    "section": ("article:section", "parsely-section"),
    "tags": ("article:tag", "keywords", "news_keywords", "parsely-tags"),
    "language": ("content-language", "dc.language", "og:locale"),
}
# DOM elements that may hold a byline or a date, found in one query (each
# query walks the whole tree: on a 20 MB page that is a tenth of a second).
_DOM_QUERY = (
    '[itemprop], a[rel="author"], [class*="author"], [class*="Author"], [class*="byline"], '
    'a[href*="/author/"]'
)
_DOM_READ = 500  # elements of that query that are looked at, in page order
# An itemprop=name is an author's name when an itemprop=author is at most
# this many levels above it (Person markup nests a link or a span or two).
_AUTHOR_NAME_DEPTH = 4
# Bylines found only by a class that says "author" or "byline" (rank 5) are
# containers as often as names: they count only when each name they give has
# at most this many words ("Jane Roe", "Mary Ann de la Cruz" has five).
_LOOSE_RANK = 5
_LOOSE_MAX_WORDS = 5
# A DOM byline element holds at most this many characters.
_MAX_BYLINE_CHARS = 120
# Page types whose title is the one they declare (JSON-LD, OpenGraph, <meta>)
# rather than their <h1>: a service's landing page heads itself with a
# tagline ("Make anything possible"), a forum thread's <h1> carries its
# board's prefix ("Tips/Techniques …"). On WCXB dev, typed by the
# cross-validated page-type models, where the two differ the declared title
# is the truth's on 42 service pages and the <h1> on 19; on forums 9 and 2.
# Every other type: the <h1> wins.
DECLARED_TITLE_TYPES = ("service", "forum")
# Page types dated by the publication line by their headline even when their
# lines read as a listing (``_typed_date``). On WCXB dev, typed by the
# cross-validated page-type models: 7 more right dates, 1 more where the
# truth has none (it gave 2 more of those on listings and 1 on products).
DATED_TYPES = ("article", "forum")
# Page types that are not a dated piece at all: a shop's product page, a
# service's landing page. Their structured dates are the template's or the
# last edit's. On WCXB dev, typed by the cross-validated models, the dates
# winnow gave them were the truth's on 3 pages and stood where the truth has
# none on 15 (12 service, 3 product).
UNDATED_TYPES = ("product", "service")
# Page types that list dated items (a news topic, an archive, a course
# catalogue), and the sources of a date that on such a page are an item's:
# its first <time>, a line away from the headline, the URL. On WCXB dev,
# typed by the cross-validated models, dropping those dates took 5 off the
# 46 pages dated where the truth has none, and no right date.
LISTING_TYPES = ("listing",)
ITEM_DATE_SOURCES = ("dom", "url")
# A page typed a listing whose URL or declared types say so too (a
# collection, a category, a search: ``patterns.PAGE_HINTS``'s listing hint)
# keeps no structured date either, unless its headline's line shows one: it
# is the collection's stamp. On WCXB dev, typed by the cross-validated
# models: 2 fewer dates where the truth has none (0659, 3068, half a), no
# right date lost (the 3 right-dated listings have no such hint).
# A page typed documentation that declares a ``TechArticle`` (schema.org's
# type for technical documentation, which docs generators declare) keeps no
# structured date its headline's line does not show: it is the page's build
# or last edit. On WCXB dev: 4 fewer dates where the truth has none (0686,
# 2878 in half a; 2867, 2868 in half b), no right date lost (the 2
# right-dated docs pages declare none).
DOCS_TYPES = ("documentation",)
_DOCS_DECLARED = "techarticle"
# The time zones' reach from UTC: a moment is a day's on some clock from
# UTC-12 to UTC+14.
_WEST = timedelta(hours=12)
_EAST = timedelta(hours=14)
# The sources of a structured date, and a structured time without an offset
# ("2024-05-27T07:11:40"): its clock is unknown. On WCXB dev, such a time a
# day from a day the page shows was that shown day's on 3 pages of 3.
_STRUCTURED = ("json-ld", "meta", "microdata")
_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$")
# The schema.org types of a forum thread or a question with its answers.
# Read from every JSON-LD block, also one that is not strict JSON (the page
# kind the block classifier reads keeps only strict blocks), for metadata
# alone: a thread typed a service or a product keeps its date.
_THREAD_TYPES = re.compile(r"DiscussionForumPosting|QAPage")
# The schema.org types of replies on a page: their dates are not the page's.
_REPLY_TYPES = re.compile(r"(?:Answer|Comment|Review)\b")
# How many levels above a microdata property its item's element is looked for.
_ITEM_DEPTH = 30


@dataclass(slots=True)
class Sources:
    """What each source says, before the rules settle a field."""

    titles: list[tuple[str, str]] = field(default_factory=list)  # (text, source), by trust
    h1s: list[str] = field(default_factory=list)
    h1s_spaced: list[str] = field(default_factory=list)  # the same, child elements spaced
    h2s: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)  # (iso, source), by trust
    page_dates: list[tuple[str, str]] = field(default_factory=list)  # a WebPage's own dates
    updated: list[tuple[str, str]] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # <time> elements, in page order
    reply_dates: list[tuple[str, str]] = field(default_factory=list)  # the first reply's
    first_post: str | None = None  # the date by a forum's "#1", from the page's lines
    headline_date: str | None = None  # the publication line by the headline (header.Found)
    labelled: str | None = None  # the date of the first "Published …" line (header.labelled)
    original: str | None = None  # "originally published on <date>" (header.original)
    byline_date: str | None = None  # the date beside the author's byline (header.by_name)
    times_days: int = 0  # distinct days of the first _TIMES_READ <time> elements
    thread: bool = False  # a JSON-LD item, strict or not, declares a forum thread
    authors: list[tuple[list[str], str, bool]] = field(default_factory=list)  # names, src, org


@dataclass(slots=True)
class Metadata:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # schema.org types and "og:" + og:type, lower-cased: what kind of page this says it is.
    types: list[str] = field(default_factory=list)
    said: Sources = field(default_factory=Sources)

    def offer(self, name: str, value: Any, source: str) -> None:
        """Set ``name`` unless a more trusted source already did."""
        if name in self.values or value in (None, "", []):
            return
        self.values[name] = value
        self.sources[name] = source

    def put(self, name: str, value: Any, source: str) -> None:
        """Set ``name`` whatever was there: a rule overrules the order of trust."""
        if value in (None, "", []):
            return
        self.values[name] = value
        self.sources[name] = source

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def drop(self, name: str) -> None:
        """Unset ``name``: a rule says the page has none."""
        self.values.pop(name, None)
        self.sources.pop(name, None)


def read(tree: Any, url: str | None = None) -> Metadata:
    meta = Metadata()
    metas = tree.css("meta")  # one walk of the tree for both readers
    items, strict = _jsonld_items(tree, metas)
    for item in items:
        _offer_jsonld(meta, item)
    meta.said.thread = any(_THREAD_TYPES.search(str(item.get("@type", ""))) for item in items)
    # The page-kind hint the block classifier reads keeps the JSON-LD it was
    # trained with: only blocks that parse as strict JSON (control characters
    # in strings make a block unreadable there). Retraining may drop this.
    meta.types = _types(tree, [item for item in items if id(item) in strict])
    _offer_meta(meta, metas)
    _offer_dom(meta, tree)
    _settle_title(meta)
    _settle_authors(meta, header=[])
    _settle_dates(meta, header=[], url=url)
    return meta


def settle_header(meta: Metadata, lines: list[str], url: str | None) -> None:
    """Add what the lines by the headline show: its date line and byline.

    ``lines`` are the page's text blocks in order; the headline is the line
    equal to the settled title.
    """
    thread = header.thread(lines)
    starter = thread.starter
    meta.said.first_post = thread.first_post
    meta.said.labelled = header.labelled(lines)
    meta.said.original = header.original(lines)
    title = meta.get("title")
    found = header.scan(lines, fold(title)) if title and lines else None
    if found is not None and not found.dates and meta.said.h1s:
        by_h1 = _under_h1(lines, meta.said.h1s[0])
        if by_h1 is not None:
            found.dates, found.publication = [by_h1], by_h1
    if found is None:
        if starter:
            _settle_authors(meta, header=[], starter=starter)
        meta.said.byline_date = header.by_name(lines, meta.get("authors") or [])
        if meta.said.first_post or meta.said.byline_date or meta.said.original:
            _settle_dates(meta, [], url, header.days_shown(lines))
        return
    _settle_authors(meta, header=found.authors, starter=starter)
    meta.said.byline_date = header.by_name(lines, meta.get("authors") or [])
    publication = found.publication or _resolved(found.doubtful, meta.said)
    meta.said.headline_date = publication
    days = header.days_shown(lines)
    _settle_dates(meta, [*found.dates, *found.also], url, days, publication)


def _under_h1(lines: list[str], h1: str) -> str | None:
    """The publication line right under the first ``<h1>``, for a title read elsewhere.

    A page may declare as its title a section heading further down (an
    ``<h2>`` with no date line by it) while its headline, the ``<h1>``, has
    its date line under it. Only the line right under it, and only a
    publication line (not "Updated …", not an ambiguous numeric date).
    """
    folded = fold(h1)
    at = next((i for i, line in enumerate(lines) if fold(line) == folded), None)
    return None if at is None else header.scan_at(lines[at : at + 2], 0).publication


def _resolved(readings: tuple[str, ...], said: Sources) -> str | None:
    """The one reading of an ambiguous date line ("03/01/2017") that the page dates elsewhere.

    A ``<time>`` element or a structured date of the page that gives one of
    its two days, and not the other, says how the line is written.
    """
    given = {D.day(d) for d in said.shown}
    given |= {D.day(d) for d, _ in [*said.published, *said.updated, *said.page_dates]}
    matching = [r for r in readings if D.day(r) in given]
    return matching[0] if len(matching) == 1 else None


# --- JSON-LD ----------------------------------------------------------------


def _jsonld_items(tree: Any, metas: list[Any]) -> tuple[list[dict[str, Any]], set[int]]:
    """The JSON-LD items by trust, and the ids of those whose block is strict JSON."""
    items: list[dict[str, Any]] = []
    strict: set[int] = set()
    blocks = [(node.text() or "", False) for node in tree.css('script[type="application/ld+json"]')]
    blocks += [(text, True) for text in _jsonld_metas(metas)]
    for text, in_meta in blocks:
        data, lenient = _load_json(text[:_JSONLD_MAX])
        lenient = lenient or in_meta
        stack = [data]
        while stack and len(items) < _JSONLD_ITEMS:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
            elif isinstance(cur, dict):
                if "@graph" in cur:
                    stack.append(cur["@graph"])
                items.append(cur)
                if not lenient:
                    strict.add(id(cur))
    items.sort(key=_trust)
    return items, strict


def _jsonld_metas(metas: list[Any]) -> list[str]:
    """JSON-LD that a ``<meta>`` carries in its content (``name="script:ld+json"``).

    A head manager that writes every entry of a page's head as a ``<meta>``
    puts its JSON-LD there, entities escaped, instead of in a script: the
    content opens as a JSON object and names a ``@type``. Counted
    as lenient: the page-kind hint the block classifier reads keeps the
    script blocks it was trained with. On WCXB dev: 1 more right date (4053,
    half a), none where the truth has none.
    """
    found = []
    for node in metas:
        content = (node.attributes.get("content") or "").lstrip()
        if content[:1] == "{" and "@type" in content:
            found.append(content)
    return found


def _load_json(raw: str) -> tuple[Any, bool]:
    """A JSON-LD block and whether it needed leniency (control characters in strings).

    Trailing commas are dropped on a second try.
    """
    # json recurses once per nesting level: a block nested deeper than the
    # interpreter's recursion limit is unreadable, not a reason to fail the page.
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw.strip().rstrip(";"))):
        for strict in (True, False):
            try:
                return json.loads(attempt, strict=strict), not strict
            except (ValueError, RecursionError):
                continue
    return None, True


def _trust(item: dict[str, Any]) -> int:
    """Sort key: the item that describes the page's own content first.

    An Article-like item beats a WebPage (whose name is often the page title
    with the site's name), which beats anything else. The sort is stable, so
    among equals the order of appearance stays.
    """
    kind = str(item.get("@type", ""))
    if not _ARTICLE_TYPES.search(kind):
        return 2
    return 1 if "WebPage" in kind else 0


def _types(tree: Any, items: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for item in items:
        kind = item.get("@type")
        for k in kind if isinstance(kind, list) else [kind]:
            if isinstance(k, str):
                found.append(k.lower())
    for node in tree.css("[itemtype]"):
        found.append((node.attributes.get("itemtype") or "").rsplit("/", 1)[-1].lower())
    og = tree.css_first('meta[property="og:type"]')
    if og is not None:
        found.append("og:" + (og.attributes.get("content") or "").strip().lower())
    return list(dict.fromkeys(t for t in found if t))


def _text(value: Any) -> str | None:
    """One string of a JSON-LD value: entities decoded, tags dropped, space folded."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("name") or value.get("@id")
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(re.sub(r"<[^>]{0,200}>", " ", html.unescape(value[:10_000])).split())
    return text or None


def _offer_jsonld(meta: Metadata, item: dict[str, Any]) -> None:
    kind = str(item.get("@type", ""))
    if not _ARTICLE_TYPES.search(kind):
        if "WebSite" in kind or "Organization" in kind:
            meta.said.site_names.append(_text(item.get("name")) or "")
        return
    said = meta.said
    page = "WebPage" in kind
    title = _text(item.get("headline")) or _text(item.get("name"))
    if title:
        said.titles.append((title, "json-ld"))
    published = D.parse(item.get("datePublished") or item.get("dateCreated"))
    if published:
        (said.page_dates if page else said.published).append((published, "json-ld"))
    updated = D.parse(item.get("dateModified"))
    if updated:
        said.updated.append((updated, "json-ld"))
    names = A.values(item.get("author") or item.get("creator"))
    if names:
        org = all(is_org for _, is_org in names)
        said.authors.append((A.clean([n for n, _ in names]), "json-ld", org))
    meta.offer("description", _text(item.get("description")), "json-ld")
    meta.offer("image", _text(item.get("image")), "json-ld")
    meta.offer("section", _text(item.get("articleSection")), "json-ld")
    publisher = item.get("publisher")
    if isinstance(publisher, dict):
        meta.said.site_names.append(_text(publisher.get("name")) or "")


# --- microdata, <meta>, DOM -------------------------------------------------


def _offer_meta(meta: Metadata, nodes: list[Any]) -> None:
    found: dict[str, list[str]] = {}
    for node in nodes:
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        key = key or (attrs.get("http-equiv") or "").lower()
        content = attrs.get("content")
        if "itemprop" in attrs and _of_a_reply(node):
            continue
        if key and content and content.strip():
            found.setdefault(key, []).append(" ".join(html.unescape(content).split()))
    said = meta.said
    for name, keys in _META_KEYS.items():
        for key in (k for k in keys if k in found):
            values = found[key]
            if name == "title":
                said.titles.append((values[0], "meta"))
            elif name == "site_name":
                said.site_names.append(values[0])
            elif name in ("published", "updated"):
                day = D.parse(values[0])
                if day:
                    (said.published if name == "published" else said.updated).append((day, "meta"))
            elif name == "authors":
                said.authors.append((A.clean(values), "meta", False))
            elif name == "tags":
                tags = [t.strip() for v in values for t in v.split(",") if t.strip()]
                meta.offer("tags", list(dict.fromkeys(tags)), "meta")
            elif name == "language":
                meta.offer("language", language_tag(values[0]), "meta")
            else:
                meta.offer(name, values[0], "meta")
    known = set(_META_KEYS["published"])
    for key in (k for k in found if k not in known and M.VENDOR_PUBLISHED.search(k)):
        if day := D.parse(found[key][0]):
            said.published.append((day, "meta"))


def _dom_title(raw: str) -> str:
    """The element's text, whitespace folded; "" when too long to be a title."""
    text = " ".join(raw[: 4 * _MAX_DOM_TITLE_CHARS].split())
    return text if len(text) <= _MAX_DOM_TITLE_CHARS else ""


def _heading(raw: str) -> str:
    """A heading's text for a title: space folded, anchor marks dropped, "" if too long."""
    return _dom_title(raw).rstrip(_HEADING_ANCHORS).rstrip()


def _offer_dom(meta: Metadata, tree: Any) -> None:
    said = meta.said
    heads = tree.css("h1, h2, time")
    said.h2s = [
        t
        for n in itertools.islice((n for n in heads if n.tag == "h2"), _H1_READ)
        if (t := _heading(n.text()))
    ]
    for node in itertools.islice((n for n in heads if n.tag == "h1"), _H1_READ):
        # Two readings: as written, and with a space where child elements
        # meet ("Data<br>Agency"); the second is used only if a meta title agrees.
        glued, spaced = (_heading(node.text(separator=sep)) for sep in ("", " "))
        if glued:
            said.h1s.append(glued)
            said.h1s_spaced.append(spaced)
    for node in itertools.islice((n for n in heads if n.tag == "time"), _TIMES_READ):
        found = D.parse(node.attributes.get("datetime") or node.text()[:100])
        if found:
            said.shown.append(found)
    said.times_days = len({found[:10] for found in said.shown})
    title = tree.css_first("title")
    if title is not None:
        text = _dom_title(title.text())
        if text:
            said.titles.append((text, "dom"))
        meta.offer("page_title", text, "dom")
    html_node = tree.css_first("html")
    if html_node is not None:
        lang = html_node.attributes.get("lang") or html_node.attributes.get("xml:lang")
        meta.put("language", language_tag(lang or ""), "dom")
    _offer_marked(meta, tree.css(_DOM_QUERY)[:_DOM_READ])


def _offer_marked(meta: Metadata, nodes: list[Any]) -> None:
    """Microdata dates and the first DOM byline, from the elements marked as such.

    Bylines by how surely the markup says so: ``itemprop=author`` (its
    ``name`` inside if any), ``rel=author``, a class naming the author or
    byline, a link to an author page. The first of the surest kind wins: the
    first byline in page order is the story's; later ones belong to comments,
    replies and related stories.
    """
    said = meta.said
    best: tuple[int, list[str]] | None = None
    for node in nodes:
        attrs = node.attributes
        prop = (attrs.get("itemprop") or "").lower()
        if prop in ("datepublished", "datemodified"):
            found = D.parse(attrs.get("content") or attrs.get("datetime") or node.text()[:200])
            target = said.published if prop == "datepublished" else said.updated
            if _of_a_reply(node):
                target = said.reply_dates if prop == "datepublished" else []
            if found and not any(source == "microdata" for _, source in target):
                target.append((found, "microdata"))
            continue
        rank = _byline_rank(node, prop)
        if rank is None or (best is not None and best[0] <= rank):
            continue
        text = " ".join((node.text(separator=" ") or "").split())
        if text and len(text) <= _MAX_BYLINE_CHARS:
            names = A.clean([text])
            # An element only named "author…" holds the name and little else.
            loose = rank >= _LOOSE_RANK and any(len(n.split()) > _LOOSE_MAX_WORDS for n in names)
            if names and not loose:
                best = (rank, names)
    said.authors.append((best[1] if best else [], "dom", False))


def _of_a_reply(node: Any) -> bool:
    """Whether a microdata property belongs to a reply's item (an answer, a comment, a review).

    A question-and-answer or review page marks up each reply with its own
    dates; the page's date is its question's or its own, not the first
    reply's. The property belongs to the nearest element above it with
    ``itemscope``.
    """
    for _ in range(_ITEM_DEPTH):
        node = node.parent
        if node is None:
            return False
        attrs = node.attributes
        if "itemscope" in attrs:
            return _REPLY_TYPES.search(attrs.get("itemtype") or "") is not None
    return False


def _inside_author(node: Any) -> bool:
    """Whether an ``itemprop=name`` element belongs to an ``itemprop=author`` one."""
    for _ in range(_AUTHOR_NAME_DEPTH):
        node = node.parent
        if node is None:
            return False
        if (node.attributes.get("itemprop") or "").lower() == "author":
            return True
    return False


def _byline_rank(node: Any, prop: str) -> int | None:
    """How surely an element is a byline: 0 surest; None when it is not one."""
    attrs = node.attributes
    if prop == "author":
        inner = node.css_first('[itemprop="name"]')
        return 0 if inner is None or inner is node else 1
    if prop == "name":
        return 0 if _inside_author(node) else None
    if node.tag == "a" and (attrs.get("rel") or "").lower() == "author":
        return 2
    classes = (attrs.get("class") or "").lower()
    if "author-name" in classes or "authorname" in classes or "author__name" in classes:
        return 3
    if node.tag == "a" and "/author/" in (attrs.get("href") or ""):
        return 4
    if "byline" in classes or "author" in classes:
        return 5
    return None


def language_tag(value: str) -> str | None:
    """A BCP 47 tag from a ``lang`` attribute or locale ("en_US" → "en-US")."""
    parts = [p for p in re.split(r"[-_]", value.strip()) if p]
    if not parts or not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]):
        return None
    out = [parts[0].lower()]
    for p in parts[1:3]:
        if re.fullmatch(r"[A-Za-z]{2}|\d{3}", p):
            out.append(p.upper())
        elif re.fullmatch(r"[A-Za-z]{4}", p):
            out.append(p.title())
        else:
            break
    return "-".join(out)


# --- the rules --------------------------------------------------------------


def _settle_title(meta: Metadata) -> None:
    """The headline: an <h1> a meta title agrees with, else the first <h1>, else a meta title.

    An <h1> that is the site's name (a logo) is not a headline. An <h1> and a
    meta title that differ only in typography (curly or straight quotes,
    dashes) are one title, reported as the meta title writes it: that is the
    text the publisher typed, the page may have set it with smart quotes. A
    ``<title>`` or OpenGraph title loses the site's name it carries
    ("Headline | Site"); a JSON-LD headline is taken as written.
    """
    said = meta.said
    sites = _sites(said)
    page_title = meta.get("page_title") or ""
    # The parts of "Headline | Site" after the first name the site, unless
    # another declared title reads that part: "Site - Headline" puts it first.
    declared = {fold(t) for t, _ in said.titles if t != page_title}
    site_parts = {fold(p) for p in _TITLE_SEPARATORS.split(page_title)[1:]} - declared
    metas = [(_plain(t), t, source) for t, source in said.titles]
    pairs = [
        (h, spaced)
        for h, spaced in zip(said.h1s, said.h1s_spaced, strict=True)
        if fold(h) not in sites and fold(h) not in site_parts
    ]
    h1s = [h for h, _ in pairs]
    for h1, spaced in pairs:
        keys = {_plain(h1), _plain(spaced)}
        same = next(((t, source) for plain, t, source in metas if plain in keys), None)
        if same is not None:
            meta.put("title", *same)
            break
        inside = [
            text
            for text in (h1, spaced)
            if len(key := _plain(text)) >= _MIN_AGREEING_CHARS
            and any(key in plain for plain, _, _ in metas)
        ]
        if inside:
            meta.put("title", inside[0], "dom")
            break
    else:
        # A blog whose <h1> is its name titles the post with an <h2>: one
        # that a meta title agrees with exactly is the headline.
        h2 = next((h for h in said.h2s for plain, _, _ in metas if _plain(h) == plain), None)
        if h2 is not None:
            meta.put("title", h2, "dom")
        elif (found := _unmatched_title(said.titles, h1s, metas, sites, site_parts)) is not None:
            meta.put("title", *found)
    if said.site_names:
        meta.offer("site_name", next((s for s in said.site_names if s), None), "json-ld")


def settle_type(meta: Metadata, page_type: str | None, url: str | None) -> None:
    """The rules that wait for the page's type (``stages.pagetype``); docs/metadata.md.

    A service or forum page is titled by its declared title; a product or
    service page has no publication date (unless it declares a forum
    thread), a listing none from its items' dates, nor a structured one
    when its URL or declared types say listing too, a docs page that
    declares a ``TechArticle`` no structured one; an undated story or thread is dated
    by the publication line by its headline (an update earlier than that
    date is dropped, as ``_settle_dates`` drops one).
    """
    if page_type in DECLARED_TITLE_TYPES and (declared := _declared_title(meta)):
        meta.put("title", *declared)
    if page_type in UNDATED_TYPES and not meta.said.thread:
        meta.drop("published")
    source = meta.sources.get("published")
    if page_type in LISTING_TYPES and source in ITEM_DATE_SOURCES:
        meta.drop("published")
    # A structured date the headline's line does not show is a stamp there.
    stamp = source in _STRUCTURED and meta.said.headline_date is None
    if stamp and (
        (page_type in LISTING_TYPES and _listing_hint(meta, url))
        or (page_type in DOCS_TYPES and _DOCS_DECLARED in meta.types)
    ):
        meta.drop("published")
    if page_type in DATED_TYPES and (day := _typed_date(meta, url)):
        meta.put("published", day, "header")
        updated = D.day(meta.get("updated"))
        if updated is not None and updated < (D.day(day) or updated):
            meta.drop("updated")


def _listing_hint(meta: Metadata, url: str | None) -> bool:
    """Whether the page's URL or declared types say it lists items (``patterns.PAGE_HINTS``)."""
    return P.PAGE_HINT_PATTERNS["h_listing"].search(page_hint(url, meta.types)) is not None


def _typed_date(meta: Metadata, url: str | None) -> str | None:
    """The publication line by the headline of an undated page typed a story or a thread.

    ``_one_dated_piece`` reads the page's kind from its URL, its declared
    types and the days its lines show, and a story beside a list of dated
    stories can read as a listing. Once the page-type classifier has called
    it a story or a thread, the publication line by its headline dates it
    (not a site's front page, not after every structured date). None when the
    page has a date already or shows no such line.
    """
    said = meta.said
    shown = said.headline_date
    if shown is None or meta.get("published") or _front_page(url):
        return None
    latest = _latest_structured(said)
    day = D.day(shown)
    return None if day is None or (latest is not None and day > latest) else shown


def _declared_title(meta: Metadata) -> tuple[str, str] | None:
    """The title the page declares beyond its ``<title>``, and its source; None if none.

    The most trusted JSON-LD, OpenGraph or ``<meta>`` title, without the
    site's name it carries; None when that is all it is.
    """
    said = meta.said
    if not said.titles or said.titles[0][1] == "dom":
        return None
    sites = _sites(said)
    title, source = _first_title(said.titles, sites)
    return (title, source) if title and fold(title) not in sites else None


def _unmatched_title(
    titles: list[tuple[str, str]],
    h1s: list[str],
    metas: list[tuple[str, str, str]],
    sites: set[str],
    site_parts: set[str],
) -> tuple[str, str] | None:
    """The title of a page whose <h1>s no declared title agrees with, and its source.

    The first <h1>, unless the page declares a title of its own (JSON-LD,
    OpenGraph, ``<meta>``: more than its ``<title>``, which app shells leave
    at the site's name) and no <h1> shares a word with any declared title:
    then that <h1> is a dialog's or a widget's ("Subscribe to RSS", "Search",
    "Contact Us") and the declared title is the headline.
    """
    if not titles:
        return (h1s[0], "dom") if h1s else None
    declared, source = _first_title(titles, sites)
    if not h1s:
        return declared, source
    if source == "dom" or not declared or fold(declared) in sites | site_parts:
        return h1s[0], "dom"
    h1 = _sharing_words(h1s, metas)
    return (h1, "dom") if h1 is not None else (declared, source)


def _first_title(titles: list[tuple[str, str]], sites: set[str]) -> tuple[str, str]:
    """The most trusted title and its source; a JSON-LD one loses only a known site name."""
    text, source = titles[0]
    return _without_site(text, sites, known_only=source == "json-ld"), source


def _sharing_words(h1s: list[str], metas: list[tuple[str, str, str]]) -> str | None:
    """The first <h1> that shares a word of three letters or more with a meta title; else None."""
    declared = {w for plain, _, _ in metas for w in _WORDS.findall(plain)}
    return next((h for h in h1s if declared & set(_WORDS.findall(_plain(h)))), None)


def _sites(said: Sources) -> set[str]:
    """The site's names the page gives (og:site_name, WebSite, publisher), folded."""
    return {fold(s) for s in said.site_names if s}


def _plain(text: str) -> str:
    """``_fold`` with typography set aside: one kind of quote, one kind of dash."""
    return fold(text).translate(_TYPOGRAPHY)


def _without_site(title: str, sites: set[str], known_only: bool = False) -> str:
    """``title`` without the site's name at its start or end ("Headline | Site").

    With ``known_only`` (a JSON-LD name, which is often the page's headline
    as written) only a known site name goes; otherwise the last part goes
    when no part is a known site name.
    """
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if not seps:
        return title
    head, tail = title[: seps[0].start()], title[seps[-1].end() :]
    if fold(tail) in sites:
        return title[: seps[-1].start()]
    if fold(head) in sites:
        return title[seps[0].end() :]
    if known_only:
        return title
    return title[: seps[-1].start()]  # no known site name: "Headline | Site" puts it last


def _settle_authors(meta: Metadata, header: list[str], starter: list[str] | None = None) -> None:
    """The first source that names people; an organisation or handle yields to a person.

    Sources by trust: JSON-LD, ``<meta>``, a forum's thread starter, DOM
    byline elements, the byline by the headline. A source whose names are all
    an organisation (a JSON-LD Organization, or the site's own name) or all
    handles gives way to a later source that names a person; a thread
    starter is a username and never does (on a thread the DOM bylines name
    the posters of replies too).
    """
    said = meta.said
    sites = _sites(said)

    def weak(names: list[str], org: bool) -> bool:
        return org or all(fold(n) in sites or A.is_handle(n) for n in names)

    said_by = [(names, source, weak(names, org)) for names, source, org in said.authors]
    byline = A.clean(header)
    candidates = [
        *[c for c in said_by if c[1] != "dom"],
        *([(starter, "dom", False)] if starter else []),  # a username, and never weak
        *[c for c in said_by if c[1] == "dom"],
        (byline, "header", weak(byline, False)),
    ]
    fallback: tuple[list[str], str] | None = None
    for names, source, is_weak in candidates:
        if not names:
            continue
        if not is_weak:
            meta.put("authors", names, source)
            return
        fallback = fallback or (names, source)
    if fallback is not None:
        meta.put("authors", *fallback)


def _settle_dates(
    meta: Metadata,
    header: list[str],
    url: str | None,
    days_shown: int = 0,
    shown: str | None = None,
) -> None:
    """Published and updated dates; docs/metadata.md has the rule.

    Order: the publication date the headline's lines show (``shown``: not an
    update, not an ambiguous numeric date; else, when structured data gives
    a publication date, the first line labelled as the publication), the
    structured publication date
    (JSON-LD Article, microdata, ``<meta>``), the date line by the headline,
    the date beside the author's byline, the first line labelled as the
    publication ("Published on …") wherever it stands,
    a WebPage's own date when the page shows it or its URL has its year and
    month, the first ``<time>`` element, the first reply's microdata date, a
    date path in the URL; none on a site's front page. A date of those later
    than every structured date of the page is not its publication; an update
    earlier than the publication is dropped.
    """
    said = meta.said
    updated = said.updated[0] if said.updated else None
    latest = _latest_structured(said)
    shown_source = "header"
    if said.original:
        shown, shown_source = said.original, "dom"
    elif shown is None and said.labelled and said.published:
        shown, shown_source = said.labelled, "dom"
    seen = _seen(said, header, (shown, shown_source))
    weak = _weak_dates(said, header, url)
    if not _one_dated_piece(meta, url, days_shown, dated_headline=bool(header)):
        seen, weak = [], []
    # A date the page shows that is later than every date its structured data
    # holds is not its publication (an event, a deadline, a related story).
    seen, weak = (
        [(d, s) for d, s in dates if latest is None or (D.day(d) or latest) <= latest]
        for dates in (seen, weak)
    )
    for value, source in [] if _front_page(url) else [*seen, *said.published, *weak]:
        if D.day(value) is not None:
            meta.put("published", value, source)
            break
    # A structured time on no known clock yields to a day the page shows beside it.
    if meta.sources.get("published") in _STRUCTURED and (
        day_shown := _naive_day_shown(meta.get("published"), (shown, shown_source), said)
    ):
        meta.put("published", *day_shown)
    published = D.day(meta.get("published"))
    if updated is not None:
        day = D.day(updated[0])
        if day is not None and (published is None or day >= published):
            meta.put("updated", updated[0], updated[1])


def _seen(said: Sources, header: list[str], shown: tuple[str | None, str]) -> list[tuple[str, str]]:
    """The publication the reader sees, as (value, source): the day the
    headline's lines show, unless a structured publication date can be that
    day on some clock (``_near``): then that structured value, not merely the
    first one. It has the time, and the page may show the day in the
    reader's or the server's time zone."""
    day, source = shown
    if day is None:
        return []
    near = [(d, s) for d, s in said.published if _near(day, d)]
    # A shown day that structured data calls the update, beside a date line (or
    # a second date on its line) that structured data calls the publication:
    # the page shows both, the structured publication is the one.
    if not near and _is_update(day, said):
        near = [(d, s) for d, s in said.published if any(_near(h, d) for h in header)]
    return near[:1] or [(day, source)]


def _weak_dates(said: Sources, header: list[str], url: str | None) -> list[tuple[str, str]]:
    """The dates after the structured publication, in ``_settle_dates``' order."""
    return [
        *[(d, "header") for d in header[:1]],
        *([(said.byline_date, "dom")] if said.byline_date else []),
        *([(said.labelled, "dom")] if said.labelled else []),
        *([(said.first_post, "dom")] if said.first_post else []),
        *[
            (d, s)
            for d, s in said.page_dates
            if _shown(d, header[:1], said.shown) or _in_url_month(d, url)
        ],
        *([(said.shown[0], "dom")] if said.shown else []),
        *said.reply_dates,
        *([(u, "url")] if (u := _url_date(url)) else []),
    ]


def _is_update(shown: str, said: Sources) -> bool:
    """Whether the day ``shown`` is a structured update's day and no structured publication's."""
    day = D.day(shown)
    return any(D.day(d) == day for d, _ in said.updated) and all(
        D.day(d) != day for d, _ in said.published
    )


def _naive_day_shown(
    value: str, shown: tuple[str | None, str], said: Sources
) -> tuple[str, str] | None:
    """The day the page shows for a structured time without an offset, a day from its own.

    A structured time with no offset is on an unknown clock (often the
    server's UTC): a day either side of it is the same moment on some
    reader's clock. When the page shows the day before or after it (the
    publication line by the headline, the byline's date, the first post's,
    the first ``<time>``), the reader's day is the page's day: that value and
    its source.
    """
    own = D.day(value)
    if own is None or not _NAIVE_TIME.match(value):
        return None
    candidates = [shown, (said.byline_date, "dom"), (said.first_post, "dom")]
    for candidate, source in [*candidates, *[(d, "dom") for d in said.shown[:1]]]:
        day = D.day(candidate)
        if candidate and day is not None and abs((day - own).days) == 1:
            return candidate, source
    return None


def _latest_structured(said: Sources) -> date | None:
    """The latest day any structured date of the page gives (published, updated, WebPage)."""
    structured = [*said.published, *said.updated, *said.page_dates]
    return max((day for d, _ in structured if (day := D.day(d))), default=None)


def _near(value: str, structured: str) -> bool:
    """Whether a structured publication date could be the day ``value`` shows.

    A structured date with a time and an offset is one moment: the day a
    reader's clock shows for it is that moment's day somewhere between UTC-12
    and UTC+14. Without an offset, within a day either side.
    """
    day = D.day(value)
    return day is not None and _same_moment(day, structured)


def _same_moment(day: date, structured: str) -> bool:
    """Whether ``structured`` (ISO 8601) can be a moment of ``day`` on some reader's clock."""
    other = D.day(structured)
    if other is None:
        return False
    try:
        moment = datetime.fromisoformat(structured)
        if moment.tzinfo is not None:
            utc = moment.astimezone(UTC)
            return (utc - _WEST).date() <= day <= (utc + _EAST).date()
    except (ValueError, OverflowError):  # not a full ISO value, or at the calendar's ends
        pass
    return abs((other - day).days) <= 1  # a date, or a time without an offset


def _one_dated_piece(
    meta: Metadata, url: str | None, days_shown: int, dated_headline: bool = False
) -> bool:
    """Whether the page is one dated piece rather than a listing, product, docs or service page.

    Read from the URL's path and the page's declared types with the page-kind
    vocabulary of ``patterns.PAGE_HINTS``: a forum hint or a dated "#1" post
    says yes (a thread shows a date per post); a page whose ``<time>`` elements show
    LISTING_DAYS distinct days or more is a listing of dated items; a page
    whose declared types say article is one (its related stories and
    comments show more days on its lines); a page that shows LISTING_DAYS
    days on its short lines is a listing; otherwise an article hint in the
    URL or a date line by the headline (``dated_headline``) says yes, and a
    listing, product, docs or service hint says no: an article often
    declares an FAQPage or Service beside itself, and its date line is read
    by its headline.
    """
    hint = page_hint(url, meta.types)
    if P.PAGE_HINT_PATTERNS["h_forum"].search(hint) or meta.said.first_post:
        return True
    if meta.said.times_days >= LISTING_DAYS:
        return False
    if P.PAGE_HINT_PATTERNS["h_article"].search(" ".join(meta.types)):
        return True
    if days_shown >= LISTING_DAYS:
        return False
    if dated_headline or P.PAGE_HINT_PATTERNS["h_article"].search(hint):
        return True
    return not any(P.PAGE_HINT_PATTERNS[k].search(hint) for k in _UNDATED_HINTS)


def _shown(value: str, header: list[str], shown: list[str]) -> bool:
    """Whether the page shows its reader the day of ``value`` (by the headline or in a <time>)."""
    day = D.day(value)
    return day is not None and any(D.day(d) == day for d in [*header, *shown])


def _front_page(url: str | None) -> bool:
    """Whether ``url`` is a site's front page, which lists its latest pieces.

    No date of a front page is its publication, not even a structured one
    (it is the site's, or its latest post's).
    """
    return bool(url) and urlsplit(url or "").path in ("", "/")


def _in_url_month(value: str, url: str | None) -> bool:
    """Whether the URL's path holds the year and month of ``value`` ("/2018/11/slug")."""
    match = M.URL_MONTH.search(url or "")
    return match is not None and value[:7] == f"{match[1]}-{int(match[2]):02d}"


def _url_date(url: str | None) -> str | None:
    match = M.URL_DATE.search(url or "")
    if match:
        return D.parse("-".join(match.groups()))
    named = M.URL_NAMED_DATE.search(url or "")
    return D.parse(f"{named[3]} {named[2]} {named[1]}") if named else None
