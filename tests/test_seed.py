"""The seed page of issue 3: a real news page flattened to text, as the acceptance test.

``tests/pages/seed-text/source.txt`` is ``shared/data/seed/000_52576c8043d554c6.txt``
byte for byte. From it winnow must recover the header (kicker, title,
subtitle, dateline), the two photo captions as figures with their credits,
and the body, and drop the icon strip, the sponsored slot, the article
counter, the subscription offers and the closing promo, each with a rule that
says what it is. No string of this page may appear in winnow's code: the rules
that pass here are the general ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import winnow
from winnow import Document

SEED = Path(__file__).parent / "pages" / "seed-text" / "source.txt"
SRC = Path(__file__).parents[1] / "src" / "winnow"


@pytest.fixture(scope="module")
def doc() -> Document:
    return winnow.extract(SEED.read_bytes())


def fold(text: str) -> str:
    return " ".join(text.split())


def test_the_seed_is_read_as_text_without_being_told() -> None:
    auto = winnow.extract(SEED.read_bytes())
    told = winnow.extract(SEED.read_bytes(), input="text")
    assert auto.to_dict() == told.to_dict()


def test_header(doc: Document) -> None:
    assert doc.kicker == "Japan-South Korea rift"
    assert doc.title == "Tokyo, Seoul resume in-person talks, both asking other side to act"
    assert doc.subtitle == (
        "First meeting in eight months covers wartime labor and export restrictions"
    )
    assert doc.dateline == "SEOUL"


def test_figures_carry_their_credits_and_are_not_paragraphs(doc: Document) -> None:
    figures = [b for b in doc.blocks if b.kind == "figure"]
    assert [f.credit for f in figures] == ["© Reuters", "© Yonhap/Kyodo"]
    assert fold(figures[0].caption).startswith("Japan and South Korea recently reopened")
    assert fold(figures[1].caption).startswith("Shigeki Takizaki, director-general")
    paragraphs = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "©" not in paragraphs
    assert "Shigeki Takizaki, director-general for Asian affairs" not in fold(paragraphs)


def test_body_runs_from_the_dateline_to_the_last_paragraph(doc: Document) -> None:
    body = [b for b in doc.blocks if b.kind != "figure"]
    assert all(b.kind == "paragraph" for b in body)
    assert body[0].text.startswith("Japan urged South Korea")
    assert body[-1].text.endswith("provide an itinerary to authorities.")
    assert len(body) == 10  # every paragraph of the story, none of the promos


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Icon Facebook",
        "Sponsored Content",
        "{{numberArticlesLeft}}",
        "free article",
        "Try 1 month for",
        "subscription",
        "See all offers",
        "Stay ahead with our exclusives",
        "now known as Nikkei Asia",
        "Celebrate our next chapter",
        "Find out more",
    ],
)
def test_boilerplate_is_left_out(doc: Document, boilerplate: str) -> None:
    assert boilerplate not in fold(doc.text)
    assert boilerplate not in fold(doc.to_markdown())


@pytest.mark.parametrize(
    ("line_start", "rule"),
    [
        ("ArrowArtboardCreated with Sketch", "ui-label"),
        ("Sponsored Content", "sponsored"),
        ("You have {{numberArticlesLeft}}", "template-residue"),
        ("This is your last free article", "paywall"),
        ("You need a subscription to", "paywall"),
        ("Find out more", "call-to-action"),
        ("Celebrate our next chapter", "footer"),
    ],
)
def test_each_drop_names_what_it_dropped(doc: Document, line_start: str, rule: str) -> None:
    rules = {d.rule for d in doc.removed if line_start in d.text}
    assert rule in rules, f"{line_start!r} dropped by {rules or 'nothing'}"


def test_the_second_copy_of_a_promo_is_a_duplicate(doc: Document) -> None:
    copies = [d for d in doc.removed if "Get trusted insights from experts" in d.text]
    assert "duplicate" in {d.rule for d in copies}


def test_every_drop_says_why(doc: Document) -> None:
    assert doc.removed
    assert all(d.stage == "select" and d.rule and d.reason and d.text for d in doc.removed)


def _phrases(text: str, size: int) -> set[str]:
    tokens = re.findall(r"\w+", text.lower())
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


# Three-word phrases of the seed that are plain English, not the page's own.
COMMON_PHRASES = frozenset({"a long running"})


def test_no_string_of_the_seed_is_in_the_code() -> None:
    """No run of three words of the page appears in winnow's source."""
    seed = _phrases(SEED.read_text(encoding="utf-8"), 3) - COMMON_PHRASES
    for path in SRC.rglob("*.py"):
        found = seed & _phrases(path.read_text(encoding="utf-8"), 3)
        assert not found, f"{path.relative_to(SRC)} holds {sorted(found)[:5]}"
