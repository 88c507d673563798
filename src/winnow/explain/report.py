"""The report as one self-contained HTML file.

Safe by construction: nothing of the page is copied as markup. Every string
that came from the page (block text, metadata, figure addresses, the truth)
goes through ``html.escape`` into text or a quoted attribute, and the
Content-Security-Policy allows no source at all (``default-src 'none'``) but
the report's own stylesheet and script, named by their SHA-256 hashes. So even
markup that escaping missed could neither run script, nor load anything, nor
send anything anywhere. The hashes, not a random nonce, keep the output a pure
function of the input.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from importlib import resources

from winnow.explain.rows import Row, Rows
from winnow.explain.truth import Comparison
from winnow.model import Document

_STATUS_WORD = {"kept": "KEPT", "dropped": "DROPPED", "used": "USED"}


@dataclass(frozen=True, slots=True)
class Report:
    """What one report shows."""

    name: str  # the input's name, as given on the command line
    doc: Document
    rows: Rows
    kind: str  # "html" or "text"
    comparison: Comparison | None = None
    marks: list[list[tuple[str, bool]]] | None = None  # per-row truth marks


def render(report: Report) -> str:
    """The whole report: one HTML document, no external resource."""
    css = _asset("report.css")
    js = _asset("report.js")
    csp = (
        "default-src 'none'; "
        f"style-src '{_hash(css)}'; script-src '{_hash(js)}'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    title = f"winnow explain: {report.name}"
    parts = [
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n",
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">\n",
        "<meta name='referrer' content='no-referrer'>\n",
        f"<title>{_e(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        f"<h1>{_e(title)}</h1>\n",
        _header(report),
        _summary(report),
        _structure(report.doc, report.kind),
        _truth(report.comparison) if report.comparison else "",
        _blocks(report),
        _extracted(report.doc) if report.comparison is None else "",
        f"<script>{js}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _asset(name: str) -> str:
    return resources.files("winnow.explain").joinpath(name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _header(report: Report) -> str:
    doc = report.doc
    kind = "an HTML page" if report.kind == "html" else "a flattened text dump"
    url = f" · address <code>{_e(doc.url)}</code>" if doc.url else ""
    return f"<p class='muted'>Read as {kind}{url}.</p>\n"


def _summary(report: Report) -> str:
    rows = report.rows
    kept = sum(row.status == "kept" for row in rows.rows)
    unit = "blocks" if report.kind == "html" else "lines"
    out = [
        "<h2 id='summary'>Summary</h2>\n",
        f"<p>{kept} of {len(rows.rows)} {unit} kept. ",
        f"This page's cut: <b>{rows.cut:.2f}</b>; the floor: <b>{rows.floor:.2f}</b> ",
        "(a block is kept when its classifier score is at or over the cut, ",
        "never under the floor).</p>\n",
        f"<table id='reasons'><tr><th>status</th><th>rule</th><th>{unit}</th>",
        "<th>words</th></tr>\n",
    ]
    for status, rule, blocks, words in rows.summary():
        out.append(
            f"<tr><td><span class='badge {status}'>{_STATUS_WORD[status]}</span></td>"
            f"<td><button class='rule' data-status='{status}' data-rule='{_e(rule)}'>"
            f"{_e(rule)}</button></td><td class='num'>{blocks}</td>"
            f"<td class='num'>{words}</td></tr>\n"
        )
    out.append("</table>\n")
    if rows.page_decisions:
        out.append("<p>About the page as a whole:</p>\n<ul id='page-decisions'>\n")
        out += [
            f"<li><code>{_e(d.stage)}/{_e(d.rule)}</code>: {_e(d.reason)}</li>\n"
            for d in rows.page_decisions
        ]
        out.append("</ul>\n")
    return "".join(out)


# (Document field, label, key in Document.sources)
_FIELDS = (
    ("title", "title", "title"),
    ("kicker", "kicker", "section"),
    ("subtitle", "subtitle", "subtitle"),
    ("authors", "authors", "authors"),
    ("published", "published", "published"),
    ("updated", "updated", "updated"),
    ("dateline", "dateline", "dateline"),
    ("site_name", "site name", "site_name"),
    ("language", "language", "language"),
    ("description", "description", "description"),
    ("page_type", "page type", "page_type"),
)
_SOURCE_WORDS = {
    "json-ld": "JSON-LD (schema.org)",
    "meta": "<meta> / OpenGraph tags",
    "dom": "the page's markup (<h1>, <title>, <html lang>)",
    "text": "the lines around the body (text dump)",
}


def _structure(doc: Document, kind: str) -> str:
    out = [
        "<h2 id='structure'>Recovered structure</h2>\n",
        "<table id='fields'><tr><th>field</th><th>value</th><th>from</th></tr>\n",
    ]
    for name, label, key in _FIELDS:
        value = getattr(doc, name)
        if isinstance(value, list):
            value = ", ".join(value)
        source = doc.sources.get(key) or doc.sources.get(name)
        if value and not source and name == "dateline":
            source = "the first paragraph's opening (PLACE —)"
        shown = _e(value) if value else "<span class='muted'>none</span>"
        origin = _e(_SOURCE_WORDS.get(source, source)) if source else ""
        out.append(f"<tr><th>{label}</th><td>{shown}</td><td>{origin}</td></tr>\n")
    out.append("</table>\n")
    out.append(_figures(doc, kind))
    return "".join(out)


def _figures(doc: Document, kind: str) -> str:
    figures = [block for block in doc.blocks if block.kind == "figure"]
    if not figures:
        return "<p class='muted'>No figures.</p>\n"
    origin = "a <figure> and its caption" if kind == "html" else "a caption line with a credit"
    out = [
        f"<p>Figures ({len(figures)}), each from {_e(origin)}; images are not loaded:</p>\n",
        "<table id='figures'><tr><th>caption</th><th>credit</th><th>image address</th></tr>\n",
    ]
    for fig in figures:
        out.append(
            f"<tr><td>{_e(fig.caption)}</td><td>{_e(fig.credit)}</td>"
            f"<td><code>{_e(fig.src)}</code></td></tr>\n"
        )
    out.append("</table>\n")
    return "".join(out)


def _truth(comparison: Comparison) -> str:
    s = comparison.score
    extracted = _marks(comparison.extracted, "extra")
    truth = _marks(comparison.truth, "missed")
    return "".join(
        [
            "<h2 id='truth'>Against the ground truth</h2>\n",
            f"<p id='truth-score'>WCXB word F1 <b>{s.f1:.3f}</b> ",
            f"(precision {s.precision:.3f}, recall {s.recall:.3f}): ",
            f"{comparison.extra_words} extra words, {comparison.missed_words} missed.</p>\n",
            "<h3>Extracted text, <mark class='extra'>extra words</mark> marked</h3>\n",
            f"<div class='panel text' id='extracted'>{extracted}</div>\n",
            "<h3>Ground truth, <mark class='missed'>missed words</mark> marked</h3>\n",
            f"<div class='panel text' id='truth-text'>{truth}</div>\n",
        ]
    )


def _marks(pieces: Iterable[tuple[str, bool]], css: str) -> str:
    return "".join(
        f"<mark class='{css}'>{_e(text)}</mark>" if flagged else _e(text)
        for text, flagged in pieces
    )


def _blocks(report: Report) -> str:
    rows = report.rows.rows
    rules = sorted({row.rule for row in rows})
    out = [
        "<h2 id='page-blocks'>Blocks in reading order</h2>\n",
        "<div id='filters'><label>Show <select id='filter-status'>",
        "<option value='all'>all blocks</option><option value='kept'>only kept</option>",
        "<option value='dropped'>only dropped</option>",
        "<option value='used'>only used by structure</option></select></label>\n",
        "<label>rule <select id='filter-rule'><option value=''>any rule</option>",
        *(f"<option value='{_e(rule)}'>{_e(rule)}</option>" for rule in rules),
        "</select></label>\n",
        _truth_filter() if report.marks is not None else "",
        "<span id='filter-count' class='muted'></span></div>\n",
    ]
    if report.marks is not None:
        out.append(
            "<p class='muted'>In kept blocks <mark class='extra'>words the truth lacks</mark>, "
            "in dropped ones <mark class='missed'>words the truth holds</mark> "
            "(the words the summary counts, placed: a guide to where they sit).</p>\n"
        )
    out.append("<ol id='blocks'>\n")
    for row in rows:
        marks = report.marks[row.index] if report.marks is not None else None
        out.append(_block(row, marks))
    out.append("</ol>\n")
    if not rows:
        out.append("<p class='muted'>The page has no blocks to show.</p>\n")
    return "".join(out)


def _truth_filter() -> str:
    return (
        "<label>truth <select id='filter-truth'><option value=''>any</option>"
        "<option value='missed'>dropped, mostly truth</option>"
        "<option value='extra'>kept, mostly not truth</option></select></label>\n"
    )


# A block disagrees with the truth when at least this share of its words is
# marked: a dropped block mostly made of truth words, a kept one mostly of others.
_DISAGREE_SHARE = 0.5


def _disagrees(row: Row, marks: list[tuple[str, bool]]) -> str:
    """ "missed", "extra" or "": how this block's words stand against the truth."""
    words = [flagged for piece, flagged in marks if piece[:1].isalnum() or piece[:1] == "_"]
    if not words or sum(words) < _DISAGREE_SHARE * len(words):
        return ""
    return "extra" if row.status == "kept" else "missed"


def _block(row: Row, marks: list[tuple[str, bool]] | None) -> str:
    css = "extra" if row.status == "kept" else "missed"
    text = _marks(marks, css) if marks is not None else _e(row.text)
    role = f" · <b class='role'>→ {_e(row.role)}</b>" if row.role else ""
    truth = f" data-truth='{_disagrees(row, marks)}'" if marks is not None else ""
    return (
        f"<li id='b{row.index}' class='{row.status}' data-status='{row.status}' "
        f"data-rule='{_e(row.rule)}'{truth}>"
        f"<div class='why'><span class='badge {row.status}'>{_STATUS_WORD[row.status]}</span> "
        f"#{row.index} · <code>{_e(row.stage)}/{_e(row.rule)}</code> · "
        f"score <b>{row.score:.2f}</b> · {_e(row.reason)}{role}</div>"
        f"<p class='text'>{text}</p></li>\n"
    )


def _extracted(doc: Document) -> str:
    return (
        "<details id='extracted-text'><summary>The extracted text (<code>Document.text</code>)"
        f"</summary><div class='panel text'>{_e(doc.text)}</div></details>\n"
    )
