"""Page metadata: JSON-LD, then <meta>/OpenGraph, then the DOM.

Order of trust, per field, first source that has a value wins:
``json-ld`` (structured data written for machines), ``meta`` (OpenGraph,
Twitter, Dublin Core, plain ``<meta name>``), ``dom`` (``<h1>``, ``<title>``,
``<html lang>``). Each field records in ``sources`` where it came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_ARTICLE_TYPES = re.compile(
    r"Article|BlogPosting|Report|Posting|WebPage|Recipe|Review|Product", re.IGNORECASE
)
_JSONLD_MAX = 2_000_000  # characters of one JSON-LD block that are parsed
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»]\s+")
# A title taken from the DOM is at most this long. An unclosed <h1> or
# <title> swallows the rest of the page; the longest ground-truth title of the
# 1,358 WCXB dev pages has 257 characters.
_MAX_DOM_TITLE_CHARS = 300

_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "dcterms.title"),
    "site_name": ("og:site_name", "application-name", "publisher"),
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "image": ("og:image", "og:image:url", "twitter:image", "twitter:image:src"),
    "published": (
        "article:published_time",
        "datepublished",
        "dc.date",
        "dcterms.created",
        "date",
        "pubdate",
        "publishdate",
        "sailthru.date",
        "parsely-pub-date",
    ),
    "updated": ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"),
    "author": ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"),
    "section": ("article:section", "parsely-section"),
    "tags": ("article:tag", "keywords", "news_keywords", "parsely-tags"),
}


@dataclass(slots=True)
class Metadata:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # schema.org types and "og:" + og:type, lower-cased: what kind of page this says it is.
    types: list[str] = field(default_factory=list)

    def offer(self, name: str, value: Any, source: str) -> None:
        """Set ``name`` unless a more trusted source already did."""
        if name in self.values or value in (None, "", []):
            return
        self.values[name] = value
        self.sources[name] = source

    def get(self, name: str) -> Any:
        return self.values.get(name)


def read(tree: Any) -> Metadata:
    meta = Metadata()
    items = _jsonld_items(tree)
    for item in items:
        _offer_jsonld(meta, item)
    meta.types = _types(tree, items)
    _offer_meta(meta, tree)
    _offer_dom(meta, tree)
    return meta


def _jsonld_items(tree: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        raw = (node.text() or "")[:_JSONLD_MAX]
        # json recurses once per nesting level: a block nested deeper than the
        # interpreter's recursion limit is unreadable, not a reason to fail the page.
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.strip().rstrip(";")))
            except (ValueError, RecursionError):
                continue
        stack = [data]
        while stack and len(items) < 200:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
            elif isinstance(cur, dict):
                if "@graph" in cur:
                    stack.append(cur["@graph"])
                items.append(cur)
    items.sort(key=_trust)
    return items


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


def _names(value: Any) -> list[str]:
    """Person/organisation names from a JSON-LD author value."""
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            v = v.get("name")
        if isinstance(v, str) and v.strip() and not v.strip().startswith("http"):
            out.append(" ".join(v.split()))
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("name") or value.get("@id")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _offer_jsonld(meta: Metadata, item: dict[str, Any]) -> None:
    if not _ARTICLE_TYPES.search(str(item.get("@type", ""))):
        if "WebSite" in str(item.get("@type", "")):
            meta.offer("site_name", _text(item.get("name")), "json-ld")
        return
    meta.offer("title", _text(item.get("headline")) or _text(item.get("name")), "json-ld")
    meta.offer("published", _text(item.get("datePublished")), "json-ld")
    meta.offer("updated", _text(item.get("dateModified")), "json-ld")
    meta.offer("authors", _names(item.get("author")), "json-ld")
    meta.offer("description", _text(item.get("description")), "json-ld")
    meta.offer("image", _text(item.get("image")), "json-ld")
    meta.offer("section", _text(item.get("articleSection")), "json-ld")
    publisher = item.get("publisher")
    if isinstance(publisher, dict):
        meta.offer("site_name", _text(publisher.get("name")), "json-ld")


def _offer_meta(meta: Metadata, tree: Any) -> None:
    found: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key, []).append(" ".join(content.split()))
    for name, keys in _META_KEYS.items():
        for key in keys:
            if key in found:
                if name == "author":
                    meta.offer(
                        "authors", [a for a in found[key] if not a.startswith("http")], "meta"
                    )
                elif name == "tags":
                    tags = [t.strip() for v in found[key] for t in v.split(",") if t.strip()]
                    meta.offer("tags", list(dict.fromkeys(tags)), "meta")
                else:
                    meta.offer(name, found[key][0], "meta")
                break


def _dom_title(raw: str) -> str:
    """The element's text, whitespace folded; "" when too long to be a title."""
    text = " ".join(raw[: 4 * _MAX_DOM_TITLE_CHARS].split())
    return text if len(text) <= _MAX_DOM_TITLE_CHARS else ""


def _offer_dom(meta: Metadata, tree: Any) -> None:
    h1 = tree.css_first("h1")
    if h1 is not None:
        meta.offer("title", _dom_title(h1.text()), "dom")
    title = tree.css_first("title")
    if title is not None:
        text = _dom_title(title.text())
        meta.offer("title", _TITLE_SEPARATORS.split(text)[0] if text else text, "dom")
        meta.offer("page_title", text, "dom")
    html = tree.css_first("html")
    if html is not None:
        lang = html.attributes.get("lang") or html.attributes.get("xml:lang")
        if lang:
            meta.offer("language", lang.strip().replace("_", "-"), "dom")
