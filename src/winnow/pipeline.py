"""The stage list: page in, Document out. Short enough to read in one screen."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from winnow.errors import ExtractionError
from winnow.model import Block, Decision, Document
from winnow.options import DEFAULT, InputKind, Options
from winnow.stages import (
    decode,
    features,
    header,
    language,
    lexicon,
    metadata,
    pagetype,
    score,
    select,
    structure,
    textmode,
)
from winnow.stages.blocks import BIT, MAX_BLOCKS, Page, segment
from winnow.stages.parse import cap_depth, content_root, input_kind, parse_html
from winnow.stages.textmode.structure import split_dateline
from winnow.stages.trace import Trace

# The shipped block classifier (trained by training/train.py).
MODEL = "blocks.npz"


def extract(
    page: bytes | str,
    url: str | None = None,
    options: Options | None = None,
    *,
    input: InputKind | None = None,
) -> Document:
    """Extract the main content and metadata of one page.

    ``page`` is the raw HTML as bytes (the encoding is detected) or str.
    Raises ``ExtractionError`` when the input cannot be read as a page at all;
    never any other exception.
    """
    return traced(page, url, options, input=input)[0]


def traced(
    page: bytes | str,
    url: str | None = None,
    options: Options | None = None,
    *,
    input: InputKind | None = None,
) -> tuple[Document, Trace]:
    """``extract()``, with the per-block scores and choices behind the Document."""
    opts = options or DEFAULT
    if input is not None and input != opts.input:
        opts = replace(opts, input=input)
    try:
        return _extract(page, url, opts)
    except ExtractionError:
        raise
    except RecursionError as exc:  # pragma: no cover - guarded by iterative walks
        raise ExtractionError(f"page too deeply nested: {exc}") from exc
    except Exception as exc:
        raise ExtractionError(f"internal error: {type(exc).__name__}: {exc}") from exc


def _extract(page: bytes | str, url: str | None, opts: Options) -> tuple[Document, Trace]:
    removed: list[Decision] = []
    html = _read(page, opts, removed)
    if not html.strip():
        empty = Decision("parse", "empty", "the page has no text")
        return Document(url=url, removed=[empty]), Trace("html")
    if input_kind(html, opts.input) == "text":  # the second front door: a flattened dump
        return textmode.traced(html, url, opts, removed)
    html, uncapped = cap_depth(html, opts.max_depth)
    if uncapped:
        what = f"{uncapped} tags nested deeper than max_depth={opts.max_depth} unwrapped; text kept"
        removed.append(Decision("parse", "too-deep", what))
    seen = analyse(html, url)
    metadata.settle_header(seen.meta, [block.text for block in seen.page.blocks], url)
    if seen.page.truncated:
        removed.append(
            Decision("segment", "too-many-blocks", f"the page was read up to {MAX_BLOCKS} blocks")
        )
    if not seen.page.blocks:
        removed.append(Decision("segment", "no-text", "the page has no visible text"))
        return _document(url, seen.meta, [], removed), Trace("html", seen.page)
    forest = score.forest(MODEL, opts.model)
    if forest.names != features.FEATURE_NAMES:
        raise ExtractionError("the model was trained on other features; retrain it")
    lexical = lexicon.load(MODEL, opts.model)
    scores = forest.predict(features.with_lexicon(seen.X, seen.terms, lexical))
    words = np.expm1(seen.X[:, features.MEASURED_NAMES.index("log_words")])
    page_type = pagetype.type_model(opts.type_model).classify(seen.X, scores)
    kept, dropped = select.select(
        seen.page, scores, words, opts.favor, opts.include_figures, page_type
    )
    if not kept:
        dropped.append(Decision("select", "no-content", "no block looks like main content"))
        page_type = None
    deck_class = bool(kept) and _deck_class(seen.page, kept[0])
    blocks, subtitle = _with_subtitle(
        structure.build(seen.page, kept, opts.include_tables),
        seen.meta.get("description"),
        deck_class,
    )
    blocks, dateline = _with_dateline(blocks)
    metadata.settle_type(seen.meta, page_type, url)
    doc = _document(url, seen.meta, blocks, removed + dropped)
    doc.dateline = dateline
    doc.page_type = page_type
    if subtitle:
        doc.subtitle = subtitle
        doc.sources["subtitle"] = "dom"
    if doc.language is None:  # the markup does not say: the text does
        language.fill(doc)
    return doc, Trace("html", seen.page, scores, kept, dropped)


# A deck is a sentence or two: between these many words.
DECK_WORDS = (6, 60)


def _deck_class(page: Page, index: int) -> bool:
    """Whether the element of block ``index`` is classed as a deck ("standfirst", "dek", …)."""
    node = page.blocks[index].node
    return node >= 0 and bool(page.nodes[node].own & BIT["c_subtitle"])


def _with_subtitle(
    blocks: list[Block], description: str | None, deck_class: bool
) -> tuple[list[Block], str | None]:
    """Move the deck (standfirst) out of the body: a first paragraph that is one.

    It is one when its element is classed as a deck, or when it reads as the
    page's meta description (publishers reuse the deck there; one may read as
    the start of the other, as descriptions are cut). Text mode keeps its
    subtitle out of the body too.
    """
    if not blocks or blocks[0].kind != "paragraph":
        return blocks, None
    first = blocks[0].text
    if not DECK_WORDS[0] <= len(first.split()) <= DECK_WORDS[1]:
        return blocks, None
    if not deck_class and not _reads_as(first, description):
        return blocks, None
    return blocks[1:], first


def _reads_as(text: str, description: str | None) -> bool:
    meta = header.fold(description or "").rstrip(".…")
    if len(meta) < 20:
        return False
    own = header.fold(text)
    return own.startswith(meta) or meta.startswith(own.rstrip(".…"))


def _with_dateline(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Move a dateline ("PORT ARDEN -- For the first …") out of the first paragraph.

    The same rule as text mode, so both front doors give the same Document.
    """
    for i, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        rest, dateline = split_dateline(block.text)
        if dateline is None:
            return blocks, None
        return [*blocks[:i], replace(block, text=rest), *blocks[i + 1 :]], dateline
    return blocks, None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the HTML front door knows of a page before scoring it."""

    meta: metadata.Metadata
    page: Page
    X: np.ndarray  # features.MEASURED_NAMES
    terms: lexicon.Terms  # each block's hashed words, for the model's lexicon


def analyse(html: str, url: str | None) -> Analysis:
    """Parse, read metadata, segment and compute features: the classifier's input.

    ``training/dataset.py`` calls this too, so the model is trained on exactly
    the features it is served.
    """
    tree = parse_html(html)
    meta = metadata.read(tree, url)
    page = segment(content_root(tree))
    hint = features.page_hint(url, meta.types)
    X = features.compute(page, meta.get("page_title") or "", hint)
    return Analysis(meta, page, X, features.terms(page, X))


def _read(page: bytes | str, opts: Options, removed: list[Decision]) -> str:
    """The page as text, cut to ``max_bytes`` (noted in ``removed``); binary input raises."""
    if isinstance(page, bytes):
        binary = decode.looks_binary(page[:4096])
        if binary:
            raise ExtractionError(f"not a web page: {binary}")
        if len(page) > opts.max_bytes:
            removed.append(_truncated(len(page), opts.max_bytes))
            page = page[: opts.max_bytes]
        return decode.decode(page)
    if len(page) > opts.max_bytes:
        removed.append(_truncated(len(page), opts.max_bytes))
        return page[: opts.max_bytes]
    return page


def _truncated(size: int, limit: int) -> Decision:
    return Decision("parse", "too-large", f"input of {size} bytes cut to max_bytes={limit}")


def _document(
    url: str | None, meta: metadata.Metadata, blocks: list[Block], removed: list[Decision]
) -> Document:
    sources = {k: v for k, v in meta.sources.items() if k != "page_title"}
    return Document(
        url=url,
        title=meta.get("title"),
        kicker=meta.get("section"),
        authors=meta.get("authors") or [],
        published=meta.get("published"),
        updated=meta.get("updated"),
        site_name=meta.get("site_name"),
        language=meta.get("language"),
        description=meta.get("description"),
        image=meta.get("image"),
        tags=meta.get("tags") or [],
        blocks=blocks,
        removed=removed,
        sources=sources,
    )
