"""One row per block of the page, in reading order: kept or dropped, by which rule, why.

The rows come from the ``Trace`` of the run that made the Document, never from
a second run. Kept blocks get a rule too, so that every row answers "why":

* ``chosen``: the classifier's score is at or over this page's cut (the
  expected-F1 selection of ``stages/select.py``);
* ``figure-in-region``: a figure between the first and last kept block;
* ``whole-table``: a cell of a data table kept whole;
* ``structure`` (text dumps): a line that structure used as the title, kicker,
  subtitle or a caption, though the body does not hold it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from winnow.evaluate import tokenize
from winnow.model import Decision, Document
from winnow.stages.blocks import BIT, Page
from winnow.stages.select import page_cut
from winnow.stages.trace import Trace

Status = Literal["kept", "dropped", "used"]


@dataclass(frozen=True, slots=True)
class Row:
    """One block (HTML) or line (text dump) and the decision about it."""

    index: int
    text: str
    status: Status
    stage: str
    rule: str
    reason: str
    score: float
    # The Document field this block gave its text to ("title", "figure
    # caption", ...), if any; body blocks have none.
    role: str = ""

    @property
    def words(self) -> int:
        return len(tokenize(self.text))


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of one page, the scores that decided them, and the page-level Decisions."""

    rows: list[Row]
    cut: float
    floor: float
    # Decisions about the page as a whole (too large, no text, no content).
    page_decisions: list[Decision]

    def summary(self) -> list[tuple[Status, str, int, int]]:
        """(status, rule, blocks, words) for each pair that occurs, kept first, then by blocks."""
        blocks: Counter[tuple[Status, str]] = Counter()
        words: Counter[tuple[Status, str]] = Counter()
        for row in self.rows:
            blocks[row.status, row.rule] += 1
            words[row.status, row.rule] += row.words
        order = {"kept": 0, "used": 1, "dropped": 2}
        keys = sorted(blocks, key=lambda k: (order[k[0]], -blocks[k], k[1]))
        return [(status, rule, blocks[status, rule], words[status, rule]) for status, rule in keys]


def rows_of(doc: Document, trace: Trace) -> Rows:
    """The rows of the page that ``doc`` and ``trace`` came from."""
    texts = trace.texts()
    if len(trace.scores) != len(texts):  # the run stopped before scoring
        return Rows([], 1.0, trace.floor, list(doc.removed))
    keep = trace.keep()
    cut = page_cut(trace.scores, keep, trace.floor)
    drops = trace.drops()
    dropped: dict[int, Decision] = {}
    for indices, decision in drops:
        for i in indices:
            dropped[i] = decision
    listed = {id(decision) for _, decision in drops}
    roles = _roles(doc)
    rows = [
        replace(
            _row(i, text, float(trace.scores[i]), cut, trace, bool(keep[i]), dropped.get(i), doc),
            role=roles.get(" ".join(text.split()), ""),
        )
        for i, text in enumerate(texts)
    ]
    page_decisions = [d for d in doc.removed if id(d) not in listed]
    return Rows(rows, cut, trace.floor, page_decisions)


def _row(
    i: int,
    text: str,
    score: float,
    cut: float,
    trace: Trace,
    kept: bool,
    drop: Decision | None,
    doc: Document,
) -> Row:
    if drop is not None:
        return Row(i, text, "dropped", drop.stage, drop.rule, drop.reason, score)
    if not kept:
        what = _structure_use(text, doc)
        return Row(i, text, "used", "structure", "structure", f"used as {what}", score)
    if score >= cut:
        reason = f"classifier score {score:.2f} at or over this page's cut {cut:.2f}"
        return Row(i, text, "kept", "select", "chosen", reason, score)
    if isinstance(trace.page, Page) and trace.page.blocks[i].chain & BIT["t_figure"]:
        reason = f"a figure between kept blocks (its text scored {score:.2f})"
        return Row(i, text, "kept", "select", "figure-in-region", reason, score)
    reason = f"a cell of a table whose words are mostly kept (it scored {score:.2f})"
    return Row(i, text, "kept", "select", "whole-table", reason, score)


def _roles(doc: Document) -> dict[str, str]:
    """Header fields and figure captions by their text (whitespace folded)."""
    out: dict[str, str] = {}
    for block in doc.blocks:
        if block.kind == "figure":
            out[" ".join(block.text.split())] = "figure caption"
    for name in ("subtitle", "kicker", "title"):  # the title wins a tie
        value = getattr(doc, name)
        if value:
            out[" ".join(value.split())] = name
    return out


def _structure_use(text: str, doc: Document) -> str:
    """Which field of the Document a line that structure used went to."""
    for name in ("title", "kicker", "subtitle", "dateline"):
        value = getattr(doc, name)
        if value and (value == text or value in text):
            return f"the {name}"
    return "a figure caption"
