"""Choose the main blocks from their scores; every drop gets a Decision.

The keep threshold depends on ``Options.favor``. When the classifier keeps
nothing on a page that has text, named fallbacks are tried in order, and the
first that keeps something wins:

1. ``FALLBACK_BEST_CONTAINER``: the blocks inside the container whose
   paragraphs hold the most text (Readability's idea);
2. ``FALLBACK_RELAXED``: the classifier again, at ``RELAXED_THRESHOLD``.
"""

from __future__ import annotations

import numpy as np

from winnow.model import Decision
from winnow.options import Favor
from winnow.stages.blocks import BIT, Page

# Keep thresholds on the stage-2 probability. 0.4 maximised mean page F1 in
# the domain-grouped cross-validation of training/train.py on WCXB dev
# (0.5 and 0.3 were within 0.005); precision/recall move it by 0.2 each way.
THRESHOLDS: dict[Favor, float] = {"balanced": 0.4, "precision": 0.6, "recall": 0.2}
RELAXED_THRESHOLD = 0.1
FALLBACK_BEST_CONTAINER = "best-container"
FALLBACK_RELAXED = "relaxed-threshold"

# The category named in a drop's rule: first match in this order wins.
_DROP_RULES: tuple[tuple[str, str], ...] = (
    ("c_consent", "cookie-consent"),
    ("c_modal", "popup"),
    ("c_ad", "advertising"),
    ("c_subscribe", "subscription"),
    ("c_social", "share-bar"),
    ("t_nav", "navigation"),
    ("c_nav", "navigation"),
    ("t_footer", "footer"),
    ("c_footer", "footer"),
    ("t_header", "header"),
    ("c_comment", "comments"),
    ("c_related", "related-links"),
    ("t_aside", "sidebar"),
    ("c_sidebar", "sidebar"),
    ("c_meta", "metadata-line"),
    ("c_tags", "tags"),
    ("t_form", "form"),
)
_SNIPPET = 200  # characters of a dropped block kept in its Decision


def _rule(chain: int, link_density: float) -> str:
    for category, rule in _DROP_RULES:
        if chain & BIT[category]:
            return rule
    return "link-list" if link_density > 0.5 else "low-score"


def select(
    page: Page, scores: np.ndarray, favor: Favor, best: int
) -> tuple[list[int], list[Decision]]:
    """Indices of kept blocks (in page order) and a Decision for each dropped one."""
    threshold = THRESHOLDS[favor]
    kept = [i for i in range(len(page.blocks)) if scores[i] >= threshold]
    fallback = ""
    if not kept and page.blocks:
        kept = _inside(page, best)
        fallback = FALLBACK_BEST_CONTAINER
        if not kept:
            kept = [i for i in range(len(page.blocks)) if scores[i] >= RELAXED_THRESHOLD]
            fallback = FALLBACK_RELAXED
    keep = set(kept)
    removed = []
    for i, block in enumerate(page.blocks):
        if i in keep:
            continue
        density = block.link_chars / len(block.text) if block.text else 0.0
        rule = _rule(block.chain, density)
        reason = f"classifier score {scores[i]:.2f} below {threshold:.2f}"
        if fallback:
            reason += f"; fallback {fallback} kept other blocks"
        removed.append(Decision("select", rule, reason, block.text[:_SNIPPET]))
    return kept, removed


def _inside(page: Page, best: int) -> list[int]:
    if best < 0:
        return []
    nodes = page.nodes
    out = []
    for i, block in enumerate(page.blocks):
        j = block.node
        while j >= 0 and j != best:
            j = nodes[j].parent
        if j == best:
            out.append(i)
    return out
