"""Why each dropped line of a dump was dropped: one Decision per line.

The classifier drops a line for its score; the rule named in the Decision
says what kind of boilerplate the line is, so that ``doc.removed`` reads as
the page does (icon labels, sponsored slots, paywall offers, template
residue, repeated promos, navigation, footer). The first rule that matches
wins, in the order of ``RULES``; the last ones go by where the line stands
relative to the kept body.
"""

from __future__ import annotations

import numpy as np

from winnow.model import Decision
from winnow.stages.textmode.features import FEATURE_NAMES
from winnow.stages.textmode.segment import TextPage

_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}
_SNIPPET = 200  # characters of a dropped line kept in its Decision
# A line with at least this share of lower→upper seams per word is glued icon
# labels ("ShareIcon TwitterIcon EmailPrint").
_GLUED = 0.3
# Before the body, a line of at most this many words is a menu entry.
NAV_MAX_WORDS = 6

# (rule, what the line is), in the order they are tried.
RULES: tuple[tuple[str, str], ...] = (
    ("template-residue", "an unrendered template placeholder such as {{name}}"),
    ("sponsored", "a sponsored or advertising label"),
    ("paywall", "a paywall, metering or subscription offer"),
    ("ui-label", "icon and button labels"),
    ("duplicate", "a repeat of a line earlier on the page"),
    ("footer", "legal or copyright wording"),
    ("call-to-action", "a call to action"),
    ("navigation", "a short line above the body, as menus are"),
    ("header", "above the body"),
    ("footer", "below the body"),
    ("low-score", "between body lines"),
)


def _rule_index(X: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Index into RULES of the first rule each line matches."""

    def col(name: str) -> np.ndarray:
        return X[:, _COLUMN[name]]

    kept = np.flatnonzero(keep)
    idx = np.arange(X.shape[0])
    before = idx < (kept[0] if kept.size else X.shape[0])
    after = idx > (kept[-1] if kept.size else -1)
    words = np.expm1(col("log_words"))
    conditions = [
        col("template") > 0,
        col("sponsored") > 0,
        col("paywall") > 0,
        (col("ui_label") > 0) | (col("glue_ratio") >= _GLUED),
        (col("repeats") > 0) & (col("first_copy") == 0),
        (col("legal") > 0) | (col("copyright") > 0),
        col("cta") > 0,
        before & (words <= NAV_MAX_WORDS + 0.5),
        before,
        after,
    ]
    out = np.full(X.shape[0], len(conditions))
    for k in range(len(conditions) - 1, -1, -1):  # the first match wins: it is written last
        out[conditions[k]] = k
    return out


# What the rules applied after the classifier drop (see ``textmode.extract``).
OVERRIDES: dict[str, str] = {
    "duplicate": "a repeat of a line kept earlier on the page",
    "sponsored": "a sponsorship label or its disclosure",
    "template-residue": "a template placeholder glued into the words",
    "media-link": "the address of an image, a video or a sound, alone on its line",
    "machine-stamp": "a machine's time stamp, alone on its line",
    "comments": "readers' comments, from the comments heading under the story on",
    "reviews": "customers' reviews, from the reviews heading under the description on",
    "comment-form": "the reply form under the story and what follows it, from its heading on",
    "related": "a list of other posts under the story, from its heading on",
    "post-navigation": "the links to the previous and next posts or pages and what follows them",
    "feedback": "a prompt for feedback on the page, over its answers, and what follows it",
    "references": "the story's list of references, from its heading on",
    "page-chrome": "the site's buttons and links past the story's last paragraph, and what follows",
    "above-headline": "short lines above the headline: a breadcrumb, a menu's entries, a label",
}


def runs(
    page: TextPage,
    X: np.ndarray,
    scores: np.ndarray,
    keep: np.ndarray,
    used: set[int],
    overruled: dict[str, np.ndarray],
    floor: float,
) -> list[tuple[list[int], Decision]]:
    """One Decision per dropped run of lines, in page order, with the run's lines.

    A run is consecutive dropped lines that fall under the same rule (a menu
    of thirty entries is one navigation Decision); its text is the run's first
    lines. Lines that structure used (title, captions) are not dropped.
    ``overruled`` maps a rule of ``OVERRIDES`` to the lines it dropped though
    the classifier kept them; ``floor`` is the score under which no line is kept.
    """
    dropped = ~keep
    dropped[list(used)] = False
    rule = _rule_index(X, keep)
    names = list(OVERRIDES)
    for name, lines_dropped in overruled.items():
        rule[lines_dropped] = len(RULES) + names.index(name)
    lines = np.flatnonzero(dropped)
    if lines.size == 0:
        return []
    breaks = (np.diff(lines) != 1) | (np.diff(rule[lines]) != 0)
    starts = np.concatenate(([0], np.flatnonzero(breaks) + 1)).tolist()
    ends = [*starts[1:], lines.size]
    at, best = lines.tolist(), np.maximum.reduceat(scores[lines], starts).tolist()
    rules = rule[lines].tolist()
    blocks = page.blocks
    out = []
    for a, b, top in zip(starts, ends, best, strict=True):
        if b - a == 1:
            text = blocks[at[a]][:_SNIPPET]
        else:
            text = "\n".join(blocks[i] for i in at[a : min(b, a + _SNIPPET_LINES)])[:_SNIPPET]
        out.append((at[a:b], _decision(rules[a], top, text, b - a, floor)))
    return out


_SNIPPET_LINES = 8  # lines of a dropped run kept in its Decision (at most _SNIPPET chars)


def _decision(rule: int, score: float, text: str, lines: int, floor: float) -> Decision:
    count = f"{lines} lines: " if lines > 1 else ""
    if rule >= len(RULES):
        name, what = list(OVERRIDES.items())[rule - len(RULES)]
        reason = f"{count}{what}, never kept (classifier score {score:.2f})"
        return Decision("select", name, reason, text)
    name, what = RULES[rule]
    below = "the floor" if score < floor else "this page's cut"
    reason = f"{count}{what}; classifier score {score:.2f} below {below}"
    return Decision("select", name, reason, text)
