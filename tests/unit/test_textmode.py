"""Unit tests for the text front door on small hand-written dumps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import winnow
from winnow import Document, Options
from winnow import patterns as P
from winnow.stages import lexicon as L
from winnow.stages import select, textmode
from winnow.stages.select import expected_best
from winnow.stages.textmode import comments, reasons, structure, words
from winnow.stages.textmode import features as F
from winnow.stages.textmode.segment import segment

STORY = [
    "The night ferry to the islands returns on Tuesday after eleven years, the operator "
    "said, and the first crossings are already nearly full.",
    "Crossings leave the mainland at a quarter past eleven on three nights a week, and "
    "cabins must be booked in advance while deck seats are sold on board.",
    "The harbour master expects the first winter to decide whether the service survives, "
    "because storms in January cancelled half the crossings of the old route.",
    "Islanders who work on the mainland say the late boat will let them stay for dinner "
    "and still sleep at home, which the day ferries never allowed.",
]


def run(dump: str, **options: object) -> Document:
    """The text front door on its own, as the pipeline calls it."""
    return textmode.extract(dump, None, Options(input="text", **options), [])  # type: ignore[arg-type]


NEWS = "\n\n".join(
    [
        "Home",
        "News",
        "Sport",
        "Weather",
        "Islands",
        "Night ferry returns after eleven years",
        *STORY,
        "Related stories",
        "Bridge plans shelved again",
        "Share this story",
        "© 2024 The Coastal Ledger. All rights reserved.",
        "Privacy policy",
    ]
)


# --- segmentation ----------------------------------------------------------------


def test_lines_are_blocks_and_blank_lines_end_paragraphs() -> None:
    page = segment("Title\n\nFirst line\nsecond line\n\n\n\nLast")
    assert page.blocks == ["Title", "First line", "second line", "Last"]
    assert page.paragraph.tolist() == [0, 1, 1, 2]
    assert [page.text[s : s + len(b)] for s, b in zip(page.starts, page.blocks, strict=True)] == (
        page.blocks
    )


def test_paragraphs_are_numbered_from_zero_whatever_blank_lines_lead_or_repeat() -> None:
    page = segment("\n\n\nA\n\n\nB\nC\n \n\nD\n\n")
    assert page.blocks == ["A", "B", "C", "D"]
    assert page.paragraph.tolist() == [0, 1, 1, 2]
    assert segment("\n \n\n").blocks == []


def test_a_dump_without_blank_lines_has_one_paragraph_per_line() -> None:
    page = segment("one\ntwo\nthree")
    assert page.paragraph.tolist() == [0, 1, 2]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "\u2028"])
def test_line_endings(ending: str) -> None:
    page = segment(ending.join(["a  ", "", " b", "c"]))
    assert page.blocks == ["a", "b", "c"]
    assert page.paragraph.tolist() == [0, 1, 1]


def test_lines_past_the_limit_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    from winnow.stages.textmode import segment as segmentation

    monkeypatch.setattr(segmentation, "MAX_BLOCKS", 3)
    page = segmentation.segment("a\nb\nc\nd\ne")
    assert page.blocks == ["a", "b", "c"] and page.cut == 2


# --- words and features --------------------------------------------------------


def test_numpy_word_hashes_match_the_vocabulary_hashes() -> None:
    text = "Privacy policy: subscribe now, Straße and 2024"
    page = segment(text)
    measured = F.measure(page)
    low = page.text.lower()
    cp = np.frombuffer(low.encode("utf-32-le"), dtype=np.uint32)
    found = words.find(
        cp, np.array([c.isalnum() for c in low]), np.array([c.isdecimal() for c in low])
    )
    tokens = [low[s : s + n] for s, n in zip(found.start, found.length, strict=True)]
    assert tokens == ["privacy", "policy", "subscribe", "now", "straße", "and", "2024"]
    assert [int(h) for h in found.hashes] == [words._hash(t) for t in tokens]
    assert measured.X.shape == (1, len(F.MEASURED_NAMES))


def column(X: np.ndarray, name: str) -> np.ndarray:
    return X[:, F.MEASURED_NAMES.index(name)]


def test_shape_and_vocabulary_features() -> None:
    page = segment(
        "Icon FacebookIcon TwitterIcon Mail\n\nSubscribe now for unlimited access\n\n"
        "You have {{count}} articles left\n\n" + STORY[0] + "\n\n• a bullet\n\nCell\tcell"
    )
    X = F.measure(page).X
    assert column(X, "glue_ratio")[0] > 0.3
    assert column(X, "paywall")[1] > 0
    assert column(X, "template")[2] == 1
    assert column(X, "ends_terminal").tolist() == [0, 0, 0, 1, 0, 0]
    assert column(X, "prose").tolist() == [0, 0, 0, 1, 0, 0]
    assert column(X, "starts_bullet").tolist() == [0, 0, 0, 0, 1, 0]
    assert column(X, "tabs").tolist() == [0, 0, 0, 0, 0, 1]


def test_repeats_ignore_spacing_punctuation_and_line_breaks() -> None:
    page = segment("Get the app today.\n\nGet the app\ntoday\n\nGet the app today!\n\nOther")
    measured = F.measure(page)
    repeats = np.exp2(column(measured.X, "repeats"))
    assert repeats.tolist() == [2, 1, 1, 2, 1]  # line by line: "Get the app" alone is new
    assert column(measured.X, "para_repeats").tolist()[:4] == [pytest.approx(np.log2(3))] * 4
    assert column(measured.X, "first_copy").tolist() == [1, 1, 1, 0, 1]


def test_the_main_run_covers_the_story() -> None:
    X = F.measure(segment(NEWS)).X
    inside = column(X, "in_main").astype(bool)
    lines = segment(NEWS).blocks
    assert [line for line, i in zip(lines, inside, strict=True) if i] == STORY


def test_lexicon_score_is_the_logistic_regression_decision() -> None:
    page = segment("alpha beta\n\nbeta gamma gamma\n\n...")
    terms = F.measure(page).terms
    rng = np.random.default_rng(0)
    lexicon = L.Lexicon(weights=rng.normal(size=1 << L.BUCKET_BITS), bias=0.25)
    dense = np.zeros((3, 1 << L.BUCKET_BITS))
    for line, bucket in zip(terms.line, terms.bucket, strict=True):
        dense[line, bucket] = 1.0
    dense /= np.maximum(np.sqrt(dense.sum(axis=1, keepdims=True)), 1.0)
    expected = dense @ lexicon.weights + lexicon.bias
    assert lexicon.score(terms) == pytest.approx(expected)
    # line 1: beta, gamma, "beta gamma", "gamma gamma", beta and gamma with their place
    assert terms.line.tolist().count(1) == 6
    assert L.columns(lexicon.score(terms)).shape == (3, len(L.COLUMNS))


def test_block_terms_hash_each_text_as_a_dump_hashes_its_lines() -> None:
    texts = ["Add to bag", "The İzmir ferry, again", "", "add TO bag"]
    terms = F.block_terms(texts, np.zeros(4, dtype=np.int64))
    by_block = [set(terms.bucket[terms.line == k].tolist()) for k in range(4)]
    assert terms.lines == 4
    assert by_block[0] == by_block[3]  # case does not matter
    assert by_block[2] == set()  # no words, no terms
    # "add", "to", "bag", two pairs, three placed words
    assert len(by_block[0]) == 8
    # Pairs do not join the last word of one text to the first of the next.
    one = F.block_terms(["Add to", "bag"], np.zeros(2, dtype=np.int64))
    assert set(one.bucket.tolist()) < by_block[0]


def test_block_terms_tag_words_with_their_place() -> None:
    same = F.block_terms(["Share this story"] * 2, np.array([0, 0]))
    moved = F.block_terms(["Share this story"] * 2, np.array([0, 3]))
    first, second = (set(moved.bucket[moved.line == k].tolist()) for k in (0, 1))
    assert set(same.bucket[same.line == 0].tolist()) == set(same.bucket[same.line == 1].tolist())
    assert len(first & second) == 5  # words and pairs stay; the three placed words differ
    assert len(first - second) == 3


# --- structure -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "roles"),
    [
        ([], (None, None, None)),
        (["Night ferry returns after eleven years"], (None, 0, None)),
        (["Islands", "Night ferry returns after eleven years"], (0, 1, None)),
        (["Night ferry returns after eleven years", "Islanders dine ashore again"], (None, 0, 1)),
        (
            ["Islands", "Night ferry returns after eleven years", "The late boat lets them stay"],
            (0, 1, 2),
        ),
        (["News", "Sport", "Night ferry returns after eleven years"], (None, 2, None)),
        (["Weather"], (None, 0, None)),
        (["News", "Sport"], (None, None, None)),
    ],
    ids=["none", "title", "kicker", "subtitle", "all three", "menu", "short title", "menu only"],
)
def test_header_roles(above: list[str], roles: tuple[int | None, ...]) -> None:
    page = segment("\n\n".join([*above, STORY[0]]))
    X = F.measure(page).X
    lines = structure._Lines(page, np.hstack([X, np.zeros((X.shape[0], len(L.COLUMNS)))]))
    title = structure._title(lines, len(above), {})
    assert structure._roles(lines, title, len(above), {}) == roles


def _header_lines(above: list[str]) -> structure._Lines:
    page = segment("\n\n".join([*above, STORY[0]]))
    X = F.measure(page).X
    return structure._Lines(page, np.hstack([X, np.zeros((X.shape[0], len(L.COLUMNS)))]))


@pytest.mark.parametrize(
    ("above", "title"),
    [
        # a time or a date right above the headline is never the title
        (["Maren Holt", "Nov. 14, 2025", "5:50 am", "Night ferry returns after eleven years"], 3),
        # the headline beside its date line beats a longer promo nearer the body
        (
            [
                "Night ferry returns after eleven years",
                "Nov. 14, 2025",
                "Listen to this story.",
                "Get our weekly harbour newsletter in your inbox every Friday",
            ],
            0,
        ),
        # a name under a "By" label is no headline
        (["Night ferry returns after eleven years", "By", "Maren Holt Ilse Brandt"], 0),
    ],
    ids=["time above", "date line beside", "name under by"],
)
def test_headline_choice(above: list[str], title: int) -> None:
    lines = _header_lines(above)
    assert structure._title(lines, len(above), {}) == title


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://example.org/2024/05/14/night-ferry-returns.html", {"night", "ferry", "returns"}),
        ("https://example.org/islands/night_ferry_returns/", {"night", "ferry", "returns"}),
        # the longer of the last two segments: an id after the slug is not it
        ("https://example.org/news/night-ferry-returns/12345", {"night", "ferry", "returns"}),
        ("https://example.org/news/a%C3%A9roport-rouvre", {"aéroport", "rouvre"}),
        ("https://example.org/", set()),
        (None, set()),
    ],
)
def test_slug_words(url: str | None, words: set[str]) -> None:
    assert structure.slug_words(url) == words


# The headline far from the body (a promo nearer it would win on shape alone)
# and spelt out by the URL's slug.
_SLUGGED = [
    "Night ferry returns after eleven years",
    *[f"Menu entry number {k} of the harbour site" for k in range(5)],
    "Get our weekly harbour newsletter in your inbox every Friday",
]


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://example.org/islands/night-ferry-returns-after-eleven-years", 0),
        # most of the slug's words, but the line is mostly other words: not a match
        ("https://example.org/islands/night-ferry", None),
        # no slug: the shape of the lines decides, as before
        ("https://example.org/story?id=7", None),
    ],
)
def test_the_line_the_slug_spells_out_is_the_headline(
    url: str, title: int | None, hand_rules: str
) -> None:
    lines = _header_lines(_SLUGGED)
    start = len(_SLUGGED)
    assert structure._slug_title(lines, structure.slug_words(url), start, {}) == title
    dump = "\n\n".join([*_SLUGGED, *STORY])
    doc = textmode.extract(dump, url, Options(input="text", model=hand_rules), [])
    shape_choice = _SLUGGED[structure._title(lines, start, {}) or 0]
    assert doc.title == (_SLUGGED[title] if title is not None else shape_choice)
    assert doc.title not in doc.text
    if title is not None:  # the shipped ranking reads the slug too
        ranked = textmode.extract(dump, url, Options(input="text"), [])
        assert ranked.title == _SLUGGED[title] and ranked.title not in ranked.text


def test_a_slug_line_inside_the_body_is_the_headline_not_a_paragraph() -> None:
    headline = "Night ferry returns after eleven years"
    dump = "\n\n".join(["Home", "News", STORY[0], headline, *STORY[1:]])
    url = "https://example.org/night-ferry-returns-after-eleven-years"
    doc = textmode.extract(dump, url, Options(input="text"), [])
    assert doc.title == headline
    assert "Night ferry returns" not in doc.text


@pytest.mark.parametrize(
    "line",
    [
        "Home / News / Islands / Night ferry returns",  # a breadcrumb trail
        "Islands » Ferries » Night ferry returns after eleven years",
        "We may earn a commission from links on this page. Why trust us?",  # a blurb
        "Use your work email for priority access, faster, and",  # cut after "and"
        "Table of Contents",
        "Written by Maren Holt",
        "Last updated Nov. 14, 2025",
    ],
)
def test_lines_that_are_never_a_headline(line: str) -> None:
    lines = _header_lines([line])
    assert not structure._could_be_title(lines, 0)


@pytest.mark.parametrize(
    "line",
    [
        "Night ferry returns after eleven years",
        "Why did the ferry stop? Islanders ask again",  # a question between clauses
        "Fares rise 5% as the U.S. Coast Guard inspects the fleet",  # "U.S." is no sentence end
    ],
)
def test_headline_shaped_lines_could_be_the_headline(line: str) -> None:
    lines = _header_lines([line])
    assert structure._could_be_title(lines, 0)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "SEOUL -- Japan urged its neighbour to act on a long-running case, officials said.",
            "SEOUL",
        ),
        (
            "WASHINGTON (Reuters) - The Senate voted on Tuesday to extend the program again.",
            "WASHINGTON",
        ),
        (
            "PORT ARDEN, Maine — For the first time since 2013, islanders can stay for dinner.",
            "PORT ARDEN",
        ),
        (
            "NEW YORK — Shares rose on Monday as investors weighed the latest jobs figures.",
            "NEW YORK",
        ),
        ("FAQ - What is new", None),
        ("Seoul -- Japan urged its neighbour to act on a long-running case, officials said.", None),
        ("AI - the technology that changes how everyone in the industry writes code today.", None),
    ],
)
def test_dateline(text: str, place: str | None) -> None:
    rest, found = structure.split_dateline(text)
    assert found == place
    if place:
        assert rest[0].isupper() and not rest.startswith(place)


def test_extract_builds_header_body_lists_tables_and_figures(hand_rules: str) -> None:
    dump = "\n\n".join(
        [
            "Home",
            "News",
            "Islands",
            "Night ferry returns after eleven years",
            "The late boat will let islanders stay on the mainland for dinner",
            "The ferry at the pier during sea trials last week. Photo: Ilse Brandt",
            "PORT ARDEN — " + STORY[0],
            *STORY[1:],
            "What changes for passengers",
            "• Crossings leave at 23:15 on Tuesdays, Thursdays and Fridays.\n"
            "• Cabins must be booked in advance; deck seats are sold on board.",
            STORY[3].replace("Islanders", "Commuters"),
            "Share this story",
            "© 2024 The Coastal Ledger. All rights reserved.",
        ]
    )
    headline = "Night ferry returns after eleven years"
    deck = "The late boat will let islanders stay on the mainland for dinner"
    # The shipped ranking may read the deck as the headline: under a short
    # label, the lower of two headline-shaped lines is the title of more WCXB
    # dev articles than the upper one. The hand rules read this header whole.
    assert run(dump).title in (headline, deck)
    doc = run(dump, model=hand_rules)
    assert (doc.title, doc.subtitle) == (headline, deck)
    assert doc.dateline == "PORT ARDEN"
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] == "figure" and doc.blocks[0].credit == "Photo: Ilse Brandt"
    assert doc.blocks[1].text.startswith("The night ferry to the islands returns")
    assert "list" in kinds
    items = next(b for b in doc.blocks if b.kind == "list").items
    assert items[0].startswith("Crossings leave at 23:15")
    assert "Share this story" not in doc.text and "All rights reserved" not in doc.text


def test_captions_need_a_credit_and_a_few_words() -> None:
    page = segment("\n\n".join(["Boats in the harbour at dawn. © Reuters", "© Reuters", STORY[0]]))
    X = F.measure(page).X
    lines = structure._Lines(page, np.hstack([X, np.zeros((3, len(L.COLUMNS)))]))
    assert lines.captions(0, 2) == {0: ("Boats in the harbour at dawn.", "© Reuters")}


def test_options_leave_out_figures_and_tables() -> None:
    dump = "\n\n".join([*STORY[:2], "Boats in the harbour at dawn. © Reuters", *STORY[2:]])
    with_figures = run(dump)
    without = run(dump, include_figures=False)
    assert [b for b in with_figures.blocks if b.kind == "figure"]
    assert not [b for b in without.blocks if b.kind == "figure"]


# --- reasons ---------------------------------------------------------------------


def test_dropped_lines_name_their_kind() -> None:
    doc = run(NEWS)

    def rules(line: str) -> set[str]:
        return {d.rule for d in doc.removed if line in d.text.split("\n")}

    assert rules("Home") == {"ui-label"}  # a label of winnow.patterns.UI_TEXT
    assert rules("Sport") == {"navigation"}
    menu = next(d for d in doc.removed if d.rule == "navigation")
    assert menu.text.split("\n")[:3] == ["News", "Sport", "Weather"]  # one Decision per run
    assert rules("© 2024 The Coastal Ledger. All rights reserved.") == {"footer"}
    assert all(d.stage == "select" for d in doc.removed)
    kept = " ".join(b.text for b in doc.blocks)
    assert all(story in kept for story in STORY)


def test_rules_are_tried_in_order() -> None:
    names = [name for name, _ in reasons.RULES]
    assert names.index("template-residue") < names.index("paywall") < names.index("navigation")


# --- the front door --------------------------------------------------------------


def test_text_lines_have_their_own_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    scores, counts = np.array([0.15, 0.15]), np.array([10.0, 10.0])
    assert textmode.MIN_SCORE < select.MIN_SCORE  # HTML's floor does not move
    assert expected_best(scores, counts, 1.0, textmode.MIN_SCORE).all()
    assert not expected_best(scores, counts, 1.0).any()
    monkeypatch.setattr(textmode, "MIN_SCORE", 1.01)  # the front door selects with it
    doc = run(NEWS)
    assert doc.blocks == []
    assert "no-content" in {d.rule for d in doc.removed}
    assert any("below the floor" in d.reason for d in doc.removed)


def test_favor_keeps_nested_sets_of_lines() -> None:
    texts = {
        favor: {b.text for b in run(NEWS, favor=favor).blocks}
        for favor in ("precision", "balanced", "recall")
    }
    assert texts["precision"] <= texts["balanced"] <= texts["recall"]


def test_same_dump_twice_gives_identical_output() -> None:
    assert run(NEWS).to_dict() == run(NEWS).to_dict()


def test_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    from winnow.pipeline import MODEL
    from winnow.stages import score

    html_model = tmp_path / "html.npz"
    html_model.write_bytes((Path(score.__file__).parent.parent / "data" / MODEL).read_bytes())
    with pytest.raises(winnow.ExtractionError, match="other features"):
        run(NEWS, model=str(html_model))


# --- header metadata -----------------------------------------------------------


def test_the_one_day_a_page_shows_by_its_body_is_its_date() -> None:
    lines = ["Menu", "Nov. 14, 2025", *STORY]
    assert textmode._date_by_body(lines, 2) == "2025-11-14"
    # a second day on the page: which one is the story's is not told
    assert textmode._date_by_body([*lines, "Comment posted Dec. 2, 2025"], 2) is None
    # a day far above the body is no date of the story
    far = ["Nov. 14, 2025", *["Menu entry"] * (structure.TITLE_REACH + 1), *STORY]
    assert textmode._date_by_body(far, structure.TITLE_REACH + 2) is None


# --- the headline ranking ----------------------------------------------------


def test_the_shipped_text_model_ranks_headlines_with_todays_columns(hand_rules: str) -> None:
    assert textmode.headline.load(textmode.MODEL) is not None
    assert textmode.headline.load(textmode.MODEL, hand_rules) is None


def _shape(texts: list[str], heading: list[bool], shaped: list[bool]) -> textmode.headline.Shape:
    n = len(texts)
    return textmode.headline.Shape(
        texts,
        np.array([len(t.split()) for t in texts]),
        np.array(heading),
        np.array(shaped),
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=bool),
    )


def test_headline_candidates_are_headline_shaped_above_the_body_and_headings_in_it() -> None:
    texts = [
        "ShareIcon FacebookIcon Twitter",  # glued icon labels: not headline-shaped
        "Flexbox",  # a menu entry the page repeats: shaped, not a heading
        "Night ferry returns after eleven years",
        STORY[0],  # the body's first line: never its headline
        "What changes for passengers",  # a heading inside the body
        STORY[1],  # prose inside the body
    ]
    shape = _shape(
        texts, [False, False, True, False, True, False], [False, True, True, False, True, False]
    )
    assert textmode.headline.candidates(shape, 3, 28).tolist() == [1, 2, 4]


# Lines that are only an attribute's value: a media file's address, a machine's time stamp.
ATTRIBUTE_LINES = [
    ("media-link", "https://cdn.example.com/images/160x160/5001_TEE_BONE_THUMB.jpg", True),
    ("media-link", "/videos/hannah-and-daisy.mp4", True),
    ("media-link", "https://example.com/photo.webp?w=640&q=80", True),
    ("media-link", "https://packages.example.org/search?suite=noble&keywords=Qt6", False),
    ("media-link", "See the chart at https://example.com/chart.png for the figures.", False),
    ("machine-stamp", "2019-03-26 23:07:39 +00:00", True),
    ("machine-stamp", "2018-06-08T11:32:33.397Z", True),
    ("machine-stamp", "2023-02-16T16:15:07.1Z+00:00", True),
    ("machine-stamp", "2005-03-19 15:10:26,612 - simple_example - DEBUG - debug message", False),
    ("machine-stamp", "March 26, 2019 at 23:07", False),
]


@pytest.mark.parametrize(("rule", "line", "dropped"), ATTRIBUTE_LINES)
def test_an_attribute_value_alone_on_its_line_is_dropped(
    rule: str, line: str, dropped: bool
) -> None:
    find = {"media-link": textmode.media_links, "machine-stamp": textmode.machine_stamps}[rule]
    lines = [STORY[0], line, STORY[1]]
    assert find(lines, np.ones(3, dtype=bool)).tolist() == [False, dropped, False]
    assert not find(lines, np.zeros(3, dtype=bool)).any()  # kept lines only
    if dropped:  # amid the story the classifier keeps it; the rule drops it
        dump = ["Night ferry returns after eleven years", *STORY[:2], line, *STORY[2:]]
        doc = winnow.extract("\n\n".join(dump), input="text")
        assert line not in doc.text
        assert any(d.rule == rule and d.text == line for d in doc.removed)


def test_short_lines_kept_above_the_headline_are_dropped() -> None:
    lines = ["Home", "Guides", "Ferries (12)", "Night ferry returns after eleven years", *STORY]
    keep = np.ones(len(lines), dtype=bool)
    assert textmode.above_headline(lines, 3, keep).tolist() == [True] * 3 + [False] * 5
    assert not textmode.above_headline(lines, None, keep).any()  # no headline: none
    keep[1] = False  # only kept lines are dropped
    assert textmode.above_headline(lines, 3, keep).tolist()[:3] == [True, False, True]
    # A line of more than HEAD_MAX_WORDS words above it may be the story's: none is dropped.
    lines[1] = "Crossings leave the mainland on three nights a week"
    assert not textmode.above_headline(lines, 3, np.ones(len(lines), dtype=bool)).any()


def test_extract_drops_a_kept_breadcrumb_above_the_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crumbs = ["Travel", "Ferries & boats", "Islands"]
    dump = "\n\n".join([*crumbs, "Night ferry returns after eleven years", *STORY])
    # The classifier keeps every line: the rule, not the scores, drops the breadcrumb.
    monkeypatch.setattr(textmode, "_by_paragraph", lambda s, w, p: np.ones_like(s))
    doc = run(dump)
    assert doc.title == "Night ferry returns after eleven years"
    assert all(story in doc.text for story in STORY)
    assert not any(crumb in doc.text for crumb in crumbs)
    assert {d.rule for d in doc.removed if d.text.split("\n")[0] == "Travel"} == {"above-headline"}
    monkeypatch.setattr(textmode, "HEAD_MAX_WORDS", 1)  # "Ferries & boats": three words
    assert all(crumb in run(dump).text for crumb in crumbs)


def test_a_lone_line_stays_the_body() -> None:
    doc = winnow.extract(STORY[0], input="text")
    assert doc.title != STORY[0] and STORY[0] in doc.text


# --- readers' comments ---------------------------------------------------------------

COMMENTS = [
    "3 Comments on “Night ferry returns after eleven years”",
    "Maren Holt",
    "December 18, 2025, 9:46 pm",
    "I took the old night boat every winter and I am glad it is back, storms or not.",
    "Ilse Brandt",
    "December 18, 2025, 10:02 pm",
    "Will the cabins be bookable online this time, or only at the harbour office?",
]


def comment_lines(story: list[str], tail: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Lines, a keep mask that keeps every line, and the lines' word counts."""
    lines = ["Night ferry returns after eleven years", *story, *tail]
    words = np.array([len(line.split()) for line in lines], dtype=np.float64)
    return lines, np.ones(len(lines), dtype=bool), words


def test_readers_comments_under_a_story_are_cut_at_their_heading() -> None:
    lines, keep, words = comment_lines(STORY * 2, COMMENTS)
    cut = comments.appended(lines, keep, words)["comments"]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(COMMENTS), len(lines)))


@pytest.mark.parametrize(
    ("story", "tail", "why"),
    [
        (STORY[:1], COMMENTS, "too little story above the heading"),
        (STORY * 2, [COMMENTS[0], COMMENTS[3], COMMENTS[6]], "no stamps under the heading"),
        (
            ["asked Mar 28, 2014 at 11:38", *STORY, "edited Apr 13, 2017 at 12:52", *STORY],
            COMMENTS,
            "a thread: its first post is stamped too",
        ),
    ],
)
def test_what_is_not_a_comment_thread_under_a_story(
    story: list[str], tail: list[str], why: str
) -> None:
    lines, keep, words = comment_lines(story, tail)
    assert "comments" not in comments.appended(lines, keep, words), why


def test_the_comments_a_dump_ends_with_are_dropped_with_their_reason() -> None:
    later = [f"Later, {line[0].lower()}{line[1:]}" for line in STORY]  # not repeats of STORY
    doc = run("\n\n".join(["Night ferry returns after eleven years", *STORY, *later, *COMMENTS]))
    assert "old night boat" not in doc.text  # the model keeps this comment as prose
    assert "eleven years, the operator" in doc.text
    dropped = [d for d in doc.removed if d.rule == "comments"]
    assert len(dropped) == 1  # the heading and the comments: one run
    assert dropped[0].text.startswith("3 Comments on") and "old night boat" in dropped[0].text


REVIEWS = [
    "Customer Reviews",
    "Maren H.",
    "5 out of 5 stars",
    "Verified Buyer",
    "Light, warm and it packs down to nothing. I wear it on every crossing.",
    "Ilse B.",
    "4 out of 5 stars",
    "The sleeves run a little long, otherwise perfect.",
]
DESCRIPTION = [
    "The Harbour jacket is cut from recycled nylon and filled with 200 g of down, "
    "enough for a night crossing in February without being too warm on the quay.",
    "Its hood folds into the collar, the cuffs close with a soft elastic, and two "
    "zipped pockets keep a ticket and a phone dry in the spray of the open deck.",
]


def test_customer_reviews_under_a_description_are_cut_at_their_heading() -> None:
    lines, keep, words = comment_lines(DESCRIPTION, REVIEWS)
    cut = comments.appended(lines, keep, words)["reviews"]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(REVIEWS), len(lines)))
    # A "Reviews (2)" tab over more of the description, with no ratings under it, is no cut.
    tab = ["Description", "Reviews (2)", *DESCRIPTION]
    assert comments.appended(*comment_lines(DESCRIPTION, tab)) == {}


def test_comments_marked_by_reply_links_and_says_lines_are_cut_too() -> None:
    # A dump that shows no day and time under each comment, only its author's
    # "… says:" and its reply link.
    tail = [
        "2 thoughts on “Night ferry returns after eleven years”",
        "Maren Holt says:",
        "I took the old night boat every winter and I am glad it is back, storms or not.",
        "Reply",
        "Ilse Brandt says:",
        "Will the cabins be bookable online this time, or only at the harbour office?",
        "Reply",
    ]
    lines, keep, words = comment_lines(STORY * 2, tail)
    cut = comments.appended(lines, keep, words)["comments"]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(tail), len(lines)))


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("Reply", True),
        ("Log in to Reply", True),
        ("Maren Holt says:", True),
        ("Ilse wrote", True),
        ("3 years ago", True),
        ("a month ago", True),
        ("Reply to the consultation by 5 March", False),
        ("The ferry says goodbye to its old route and sails", False),
    ],
)
def test_comment_marks(line: str, mark: bool) -> None:
    assert (P.COMMENT_MARK.match(line) is not None) is mark


# What else a story or a doc page ends with: (rule, the section as a dump
# shows it, the same heading over lines without its marks).
SECTIONS = [
    (
        "comment-form",  # a blog's reply form: its anti-spam field leaves "Δ"
        ["Leave a Reply", "Comment *", "Name *", "Post Comment", "Δ", "Recent Posts"],
        ["Comments are closed.", "Recent Posts"],
    ),
    (
        "related",  # the dates of the posts it lists
        [
            "Related articles",
            "Harbour office moves to the old customs house",
            "December 12, 2025",
            "New timetable for the island route",
            "November 28, 2025",
        ],
        ["Related", "Timetables for the winter season", "Fares and discounts"],
    ),
    (
        "related",  # the teasers of the posts it lists, cut short; a quote trailing off is one
        [
            "You might also like",
            "Harbour office moves to the old customs house",
            "After forty years on the quay the harbour office packs its files and …",
            "New timetable for the island route",
            "From March the first boat leaves at six, and the last one waits for the...",
        ],
        ["Related", "“We sail as long as there are passengers to carry and …”", "Fares"],
    ),
    (
        "related",  # the links on to the posts it lists; one expander's "Read more" is none
        [
            "Recommended reading",
            "Harbour office moves to the old customs house",
            STORY[0] + " " + STORY[1],
            "Read More...",
            "New timetable for the island route",
            STORY[2] + " " + STORY[3],
            "Read More...",
        ],
        ["Recommended reading", STORY[0] + " " + STORY[1], "Read more"],
    ),
    (
        "post-navigation",  # a pair of links; one "next article" teaser is no pair
        [
            "Previous Post: Harbour office moves to the old customs house",
            "Next Post: New timetable for the island route",
            "Popular on the blog",
        ],
        ["Next article in this series: the island route"],
    ),
    (
        "feedback",  # the answers it offers; a "pin it" call asks for none
        ["Was this page helpful?", "Yes No", "Thanks for your feedback!", "Ferry timetables"],
        ["Did you enjoy this post? Pin it for later!"],
    ),
    (
        "references",  # citations; "Sources" in a report's menu heads none
        [
            "References",
            "Holt M, et al. (2019). Night crossings and sleep at sea. Ferry Studies 4: 12-19.",
            "Brandt I. (2022). Winter timetables. Retrieved from https://example.org",
            "Ferry news",
        ],
        ["Sources", "Methodology", "Related Studies", "Economic Environment"],
    ),
]


@pytest.mark.parametrize(("rule", "section", "unmarked"), SECTIONS)
def test_a_section_under_the_story_is_cut_at_its_heading(
    rule: str, section: list[str], unmarked: list[str]
) -> None:
    lines, keep, words = comment_lines(STORY * 2, section)
    cut = comments.appended(lines, keep, words)[rule]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(section), len(lines)))


# More of the story, in paragraphs of two sentences (50 words each).
MORE_STORY = [f"{a} {b}" for a, b in zip(STORY[::2], STORY[1::2], strict=True)]


@pytest.mark.parametrize(("rule", "section", "unmarked"), SECTIONS)
def test_its_heading_without_its_marks_is_no_cut(
    rule: str, section: list[str], unmarked: list[str]
) -> None:
    # In the middle of the story: more story follows the lines.
    lines, keep, words = comment_lines(STORY * 2, [*unmarked, *MORE_STORY])
    assert rule not in comments.appended(lines, keep, words)


TITLES = [
    "Harbour office moves to the old customs house",
    "New timetable for the island route",
    "Islanders vote on a second evening boat",
]


@pytest.mark.parametrize(
    ("rule", "heading"),
    [("related", "More from Maren Holt"), ("related", "Related"), ("post-navigation", "Next »")],
)
def test_a_heading_over_nothing_but_titles_ends_the_story(rule: str, heading: str) -> None:
    lines, keep, words = comment_lines(STORY * 2, [heading, *TITLES])
    cut = comments.appended(lines, keep, words)[rule]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - 4, len(lines)))
    # With a paragraph of the story under the titles, the heading is the story's.
    lines, keep, words = comment_lines(STORY * 2, [heading, *TITLES, MORE_STORY[0]])
    assert rule not in comments.appended(lines, keep, words)


# Paragraphs of the story (50 words each), then the site's buttons and links.
CHROME = ["Share", "Facebook", "Back to top", "Harbour office moves to the old customs house"]


@pytest.mark.parametrize(
    "chrome",
    [CHROME, ["Contact us", "Maren Holt", "Harbour office, Quay 4", "+47 555 0100"]],
)
def test_the_sites_buttons_past_the_last_paragraph_end_the_story(chrome: list[str]) -> None:
    lines, keep, words = comment_lines(MORE_STORY * 2, [*TITLES[:1], *chrome])
    cut = comments.appended(lines, keep, words)["page-chrome"]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(chrome), len(lines)))


@pytest.mark.parametrize(
    ("story", "tail", "why"),
    [
        (MORE_STORY[:1], CHROME, "too little story above the label"),
        (MORE_STORY * 2, [*CHROME, MORE_STORY[0]], "a paragraph follows the label"),
        (MORE_STORY * 2, ["Read more", *TITLES], "an expander shows more of the content"),
        (
            MORE_STORY * 2,
            ["Share", "Ilse Brandt", "December 18, 2025", "Same here, see you on board!"],
            "a thread's short replies, each dated",
        ),
    ],
)
def test_what_is_no_chrome_under_a_story(story: list[str], tail: list[str], why: str) -> None:
    lines, keep, words = comment_lines(story, tail)
    assert "page-chrome" not in comments.appended(lines, keep, words), why


@pytest.mark.parametrize(("under", "cut"), [(0.95, False), (0.4, True)])
def test_a_label_inside_the_story_is_no_chrome(under: float, cut: bool) -> None:
    # A newsletter's "Subscribe" between two parts of a post: the short
    # paragraphs under it score as the story does, and the story goes on.
    tail = ["Subscribe", *STORY]  # each line under 30 words
    lines, keep, words = comment_lines(MORE_STORY * 2, tail)
    scores = np.full(len(lines), 0.95)
    scores[len(lines) - len(tail) :] = under
    assert ("page-chrome" in comments.appended(lines, keep, words, scores)) is cut
    assert "page-chrome" in comments.appended(lines, keep, words)  # scores unread


@pytest.mark.parametrize(
    "badge", ["Popular", "Trending", "Recommended:", "More news", "More from the project"]
)
def test_a_badge_over_titles_is_no_related_heading(badge: str) -> None:
    # A plan's "Popular" badge, a section menu's "Trending", a game's
    # "Recommended:" requirements: their lines need not be other posts. A
    # news front page's "More news" over more of its headlines: its content.
    lines, keep, words = comment_lines(STORY * 2, [badge, *TITLES])
    assert "related" not in comments.appended(lines, keep, words)


@pytest.mark.parametrize("heading", ["Related articles", "More from Maren Holt"])
def test_a_related_heading_over_titles_ends_the_story(heading: str) -> None:
    lines, keep, words = comment_lines(STORY * 2, [heading, *TITLES])
    cut = comments.appended(lines, keep, words)["related"]
    assert np.flatnonzero(cut).tolist() == list(range(len(lines) - len(TITLES) - 1, len(lines)))


def test_a_date_and_a_teaser_are_not_two_marks_of_a_related_list() -> None:
    # A listing repeats "More from this brand" by each item: one item's date
    # and the next one's teaser are not the dates (or teasers) of a list.
    tail = [
        "More from this brand",
        "19 December 2025",
        "The resort reopens its lodge and unveils a reimagined wing of suites that …",
        *MORE_STORY,
    ]
    lines, keep, words = comment_lines(STORY * 2, tail)
    assert "related" not in comments.appended(lines, keep, words)


@pytest.mark.parametrize(
    "line",
    ["Reviews", "Customer reviews", "12 Reviews", "Reviews (29)", "Product Reviews"],
)
def test_reviews_headings(line: str) -> None:
    assert P.REVIEWS_HEADING.match(line)
    assert not P.REVIEWS_HEADING.match(f"{line} of the best ferries this year")


@pytest.mark.parametrize(
    ("line", "rating"),
    [
        ("5 out of 5 stars", True),
        ("Rated 4.5/5", True),
        ("★★★★☆", True),
        ("4 stars", True),
        ("Verified Purchase", True),
        ("starstarstarstarstar The sole is Vibram rubber", False),  # glued icon labels
        ("Sailing 5 nights out of 7 this summer", False),
    ],
)
def test_ratings(line: str, rating: bool) -> None:
    assert select.rating(line) is rating
