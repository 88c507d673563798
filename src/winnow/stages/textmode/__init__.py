"""The text front door: a flattened text dump in, the same Document out.

Many corpora keep pages only as the text a crawler flattened them to: every
visible string, navigation and icon labels and paywall banners included,
one block-level element per paragraph. The stages mirror the HTML ones:

1. ``segment``: lines, grouped in paragraphs (``segment.py``);
2. ``features``: what the text gives about each line (``features.py``);
3. ``score``: the shipped text classifier (``data/text.npz``, trained by
   ``training/text_train.py``), walked by the same numpy Forest as HTML blocks;
4. ``select``: the lines whose set maximises the page's expected F1, as for HTML,
   without repeats, without lines that are only a media file's address or a
   machine's time stamp, and without what a story or a product ends with: readers'
   comments and the reply form, customers' reviews, related posts, links to
   the previous and next posts, a prompt for feedback, references, the site's
   buttons and links past the last paragraph (``comments.py``);
5. ``structure``: title, kicker, subtitle, dateline, figures with credits,
   headings, lists, tables, paragraphs (``structure.py``); short lines kept
   above the headline (a breadcrumb, a filter's entries) are dropped and the
   rest built again;
6. ``reasons``: a Decision naming why each dropped line was dropped (``reasons.py``).
"""

from __future__ import annotations

import numpy as np

from winnow import text_patterns as T
from winnow.errors import ExtractionError
from winnow.model import Decision, Document
from winnow.options import Options
from winnow.stages import authors, dates, header, language, lexicon, score, select
from winnow.stages.textmode import comments, features, headline, reasons, segment, structure
from winnow.stages.trace import Trace

# The shipped text-line classifier and its lexicon (trained by training/text_train.py).
MODEL = "text.npz"
_LOG_WORDS = features.FEATURE_NAMES.index("log_words")
# A kept line of at least this many words whose words repeat a line kept
# earlier is dropped: a dump often holds a promo or a pull quote twice, and the
# reader reads it once. On the cross-validated WCXB dev dumps this raised mean
# F1 by 0.002 (0.831 to 0.833); thresholds 1, 3, 5 and 8 words were within 0.0006.
DEDUP_MIN_WORDS = 5
# A line of at most this many words with sponsorship wording ("Sponsored
# Content", "Advertisement", "Paid post") is a label, never main content: on
# WCXB dev dumps 4% of the words of such lines are content (805 lines). The
# lines right after a label that speak of sponsorship too are its disclosure
# (5% content, 99 lines).
LABEL_MAX_WORDS = 6
_SPONSORED = features.FEATURE_NAMES.index("sponsored")
_TEMPLATE = features.FEATURE_NAMES.index("template")
# A lone date on the page is read as its date up to this many lines into the
# body (``_date_by_body``). On WCXB dev dumps with no date line by the
# headline, a reach of 5 lines from 20 above the body found the right day on
# 14 pages of domain half a, a wrong one on 4, one where the truth has none
# on 3 (half b, not read: 12, 0 and 2); any date by the body, however many
# days the page shows, 20, 8 and 13.
DATE_AFTER_BODY = 5
# Lines scored below this are never kept (HTML blocks have select.MIN_SCORE,
# 0.2, tuned on HTML). Out-of-fold mean page F1 of WCXB dev dumps as selected
# here, on four sets of cross-validated scores (models differing in trees,
# labels or lexical columns), by floor: 0.2 -> 0.8290 0.8303 0.8274 0.8284;
# 0.1 -> 0.8299 0.8309 0.8281 0.8299; 0.15 -> 0.8297 0.8304 0.8286 0.8298;
# 0.05 -> 0.8285 (first set). A text line scored 0.1-0.2 is more often
# content than an HTML block so scored (listing and product pages gain most).
MIN_SCORE = 0.1
# How much a line's score leans on its paragraph's (word-weighted mean): the
# lines of one element of the page stand or fall together. Neutral on the
# cross-validated F1 of WCXB dev dumps (0.8325 at 0, 0.8326 at 0.5), it keeps
# a paragraph broken by <br> whole.
PARAGRAPH_WEIGHT = 0.5
# Kept lines above the headline are dropped when none has more than this many
# words: a breadcrumb, a menu's or a filter's entries, a tag, a label, not the
# story (which starts under its headline); the rest is built again. On the
# cross-validated WCXB dev dumps this brings 18 pages of 15 sites closer to
# their truth (+0.0002 to +0.06: 4 rei.com category pages, docs.docker.com,
# 4dayweek.io, projectorscreenstore.com, scps.virginia.edu, typescriptlang.org,
# uschamber.com, shop.bombas.com, git-scm.com, logan.edu, ...) and 3 further
# (-0.005 to -0.001); mean F1 +0.00024 (+0.0001 without rei.com). At 4 words:
# +0.00002 (7 gain); at 8: +0.0005 but 7 lose (-0.046: a shop's product cards
# over a title read among them); at 10: +0.0005, 9 lose; every kept line
# above the headline: -0.00005 (33 lose: forum posts and listings whose
# headline is read low on the page); at most 3, 5 or 10 such lines at 8 words:
# +0.00002 (the gains are pages with many).
HEAD_MAX_WORDS = 6


def extract(dump: str, url: str | None, options: Options, removed: list[Decision]) -> Document:
    """The Document of one text dump; ``removed`` holds what earlier stages cut."""
    return traced(dump, url, options, removed)[0]


def traced(
    dump: str, url: str | None, options: Options, removed: list[Decision]
) -> tuple[Document, Trace]:
    """``extract()``, with the per-line scores and choices behind the Document."""
    page = segment.segment(dump)
    removed = [*removed, *_segment_cuts(page)]
    if not page.blocks:
        removed.append(Decision("parse", "empty", "the dump has no text"))
        return Document(url=url, removed=removed), Trace("text", page, floor=MIN_SCORE)
    forest = score.forest(MODEL, options.model)
    if forest.names != features.FEATURE_NAMES:
        raise ExtractionError("the text model was trained on other features; retrain it")
    lexical = lexicon.load(MODEL, options.model)
    lines = features.compute(page, lexical)
    X = lines.X
    words = np.expm1(X[:, _LOG_WORDS])
    scores = _by_paragraph(forest.predict(X), words, page.paragraph)
    labels = sponsorship(X, words)
    residue = glued_templates(page, X)
    chosen = np.where(labels | residue, 0.0, scores)
    keep = select.expected_best(chosen, words, select.BETAS[options.favor], MIN_SCORE)
    after = _after_selection(page, keep, lines.key, words, chosen)
    if not keep.any():
        removed.append(Decision("select", "no-content", "no line looks like main content"))
    ranking = headline.load(MODEL, options.model)
    built = structure.build(page, X, keep, options, url, ranking)
    head = above_headline(page.blocks, built.title_line, keep)
    if head.any() and (keep & ~head).any():
        keep &= ~head
        built = structure.build(page, X, keep, options, url, ranking)
    else:
        head[:] = False
    overruled = {"sponsored": labels, "template-residue": residue, **after, "above-headline": head}
    drops = reasons.runs(page, X, scores, keep, built.used, overruled, MIN_SCORE)
    decisions = [decision for _, decision in drops]
    removed += decisions
    doc = Document(
        url=url,
        title=built.title,
        kicker=built.kicker,
        subtitle=built.subtitle,
        dateline=built.dateline,
        blocks=built.blocks,
        removed=removed,
        sources={name: "text" for name in built.fields()},
    )
    _header_metadata(doc, page.blocks, built)
    covers = [lines for lines, _ in drops]
    kept = np.flatnonzero(keep)
    used = frozenset(built.used)
    return doc, Trace("text", page, scores, kept, decisions, covers, used, floor=MIN_SCORE)


def _segment_cuts(page: segment.TextPage) -> list[Decision]:
    """What segmenting the dump left out, past its limits."""
    out = []
    if page.cut_chars:
        what = f"{page.cut_chars} characters past MAX_CHARS={segment.MAX_CHARS}"
        out.append(Decision("segment", "too-large", what))
    if page.cut:
        what = f"{page.cut} lines past MAX_BLOCKS={segment.MAX_BLOCKS}"
        out.append(Decision("segment", "too-many-lines", what))
    return out


def _after_selection(
    page: segment.TextPage, keep: np.ndarray, key: np.ndarray, words: np.ndarray, scores: np.ndarray
) -> dict[str, np.ndarray]:
    """The lines the rules drop though the classifier kept them, per rule, in
    the order the rules apply: repeats, media addresses, machine stamps, then
    what a page appends under its content (``comments.py``). Each rule's
    lines are taken out of ``keep`` (in place) before the next reads it."""
    out = {"duplicate": later_copies(keep, key, words)}
    keep &= ~out["duplicate"]
    out["media-link"] = media_links(page.blocks, keep)
    keep &= ~out["media-link"]
    out["machine-stamp"] = machine_stamps(page.blocks, keep)
    keep &= ~out["machine-stamp"]
    appended = comments.appended(page.blocks, keep, words, scores)  # comments, reviews, …
    for cut in appended.values():
        keep &= ~cut
    return out | appended


def _header_metadata(doc: Document, lines: list[str], built: structure.Built) -> None:
    """Byline, date line and language: what a dump says of itself, as the HTML door reads it.

    With no date line by the headline (or no headline), the one day a page
    shows is its date if a line by the body's start gives it (``_date_by_body``);
    else the date of its first line labelled as the publication (``header.labelled``).
    A line saying when the piece was originally published (``header.original``)
    overrules them all, as it does in the HTML door.
    """
    if built.title_line is not None:
        found = header.scan_at(lines, built.title_line)
        doc.authors = authors.clean(found.authors)
        doc.published = found.publication or found.date
    thread = header.thread(lines)
    if thread.starter:  # a forum thread names who opened it
        doc.authors = thread.starter
    if doc.published is None:  # a thread: the date by its first post's "#1"
        doc.published = thread.first_post
    if doc.published is None and built.body_start is not None:
        doc.published = _date_by_body(lines, built.body_start)
    if doc.published is None:  # a line labelled "Published …", wherever it stands
        doc.published = header.labelled(lines)
    doc.published = header.original(lines) or doc.published
    doc.sources.update({k: "text" for k in ("authors", "published") if getattr(doc, k)})
    language.fill(doc)


def _date_by_body(lines: list[str], start: int) -> str | None:
    """The date of the line nearest the body's start, if it is the only day the page shows.

    Looked for from structure.TITLE_REACH lines above the first body line to
    DATE_AFTER_BODY lines into it. A page showing several days is a listing or
    has comments and related links: which day is the story's is not told.
    """
    near = range(max(0, start - structure.TITLE_REACH), min(len(lines), start + DATE_AFTER_BODY))
    for i in sorted(near, key=lambda i: abs(i - start)):
        if len(lines[i].split()) <= header.MAX_LINE_WORDS and (date := dates.search(lines[i])):
            # Counting the page's days reads every line: only once a date is found.
            return date if header.days_shown(lines) == 1 else None
    return None


def later_copies(keep: np.ndarray, key: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Kept lines of DEDUP_MIN_WORDS words or more that repeat an earlier kept line."""
    out = np.zeros(keep.size, dtype=bool)
    kept = np.flatnonzero(keep & (words >= DEDUP_MIN_WORDS - 0.5))
    if kept.size:
        _, first = np.unique(key[kept], return_index=True)
        out[kept] = True
        out[kept[first]] = False
    return out


def above_headline(lines: list[str], title: int | None, keep: np.ndarray) -> np.ndarray:
    """The kept lines above the headline's line, if none has more than
    HEAD_MAX_WORDS words (split at white space: "Road-Running Shoes (171)"
    is three)."""
    out = np.zeros(keep.size, dtype=bool)
    if title is not None:
        above = np.flatnonzero(keep[:title]).tolist()
        if all(len(lines[i].split()) <= HEAD_MAX_WORDS for i in above):
            out[above] = True
    return out


def media_links(lines: list[str], keep: np.ndarray) -> np.ndarray:
    """Kept lines that are nothing but the address of an image, a video or a sound
    (``text_patterns.MEDIA_URL``): a media element's ``src``, not text.

    Dropped from the kept lines, as repeats are. On the cross-validated WCXB
    dev dumps this brings 4 pages of 4 sites closer to their truth (+0.18
    ascolour.com's thumbnails, +0.023 petplace.com's videos, +0.005
    nutritionfacts.org, +0.001 gamefaqs.gamespot.com), none further; mean F1
    +0.00015. Every lone link instead: +0.00016, but 9 pages lose (-0.019 to
    -0.0005: forum posts that link to a page, as their truth keeps).
    """
    out = np.zeros(len(lines), dtype=bool)
    for i in np.flatnonzero(keep).tolist():
        out[i] = " " not in lines[i] and T.MEDIA_URL.fullmatch(lines[i]) is not None
    return out


def machine_stamps(lines: list[str], keep: np.ndarray) -> np.ndarray:
    """Kept lines that are nothing but a machine's time stamp
    (``text_patterns.MACHINE_STAMP``): a ``<time>`` element's attribute, not text.

    On the cross-validated WCXB dev dumps this brings 9 forum pages of 9 sites
    closer to their truth (+0.003 to +0.031; all of them threads of one Q&A
    network, which shows each post's stamp so), none further; mean F1 +0.00008.
    """
    out = np.zeros(len(lines), dtype=bool)
    for i in np.flatnonzero(keep).tolist():
        out[i] = lines[i][:1].isdigit() and T.MACHINE_STAMP.fullmatch(lines[i]) is not None
    return out


def _by_paragraph(scores: np.ndarray, words: np.ndarray, paragraph: np.ndarray) -> np.ndarray:
    """Each line's score moved PARAGRAPH_WEIGHT of the way to its paragraph's mean."""
    weight = words + 1.0
    mean = np.bincount(paragraph, weights=scores * weight) / np.bincount(paragraph, weights=weight)
    return np.asarray((1.0 - PARAGRAPH_WEIGHT) * scores + PARAGRAPH_WEIGHT * mean[paragraph])


def sponsorship(X: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Sponsorship labels, and the lines right after one that speak of sponsorship too."""
    vocab = X[:, _SPONSORED] > 0
    out = vocab & (words <= LABEL_MAX_WORDS + 0.5)
    for i in np.flatnonzero(vocab[1:] & ~out[1:]) + 1:
        out[i] = out[i - 1]
    return out


def glued_templates(page: segment.TextPage, X: np.ndarray) -> np.ndarray:
    """Lines with a template placeholder glued into their words (``text_patterns``)."""
    out = np.zeros(len(page.blocks), dtype=bool)
    for i in np.flatnonzero(X[:, _TEMPLATE] > 0):
        out[i] = T.GLUED_TEMPLATE.search(page.blocks[i]) is not None
    return out
