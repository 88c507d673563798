"""Choosing blocks from scores: the expected F-beta cut, the floor, Decisions for drops."""

from __future__ import annotations

import numpy as np
import pytest

from winnow.model import Decision
from winnow.patterns import COMMENTS_HEADING
from winnow.stages.blocks import Page, segment
from winnow.stages.parse import content_root, parse_html
from winnow.stages.select import BETAS, MIN_SCORE, SCRAP_WORDS, expected_best, select

PAGE = (
    "<body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"  # block 0
    "<article><p>First paragraph of the story.</p>"  # block 1
    "<p>Second paragraph of the story.</p></article>"  # block 2
    "<div class='cookie-bar'>We use cookies.</div>"  # block 3
    "<footer>© 2024 Coastal Ledger</footer>"  # block 4
    "<div><a href='/more'>More stories here</a> now</div>"  # block 5
    "<p>Plain low text</p>"  # block 6
    "</body>"
)
ARTICLE = 2  # node index of <article> (body 0, nav 1)
WORDS = np.full(7, 10.0)  # every block weighs the same unless a test says otherwise


def page_of(html: str = PAGE) -> Page:
    return segment(content_root(parse_html(html)))


def dropped_texts(decisions: list[Decision]) -> list[str]:
    return [d.text for d in decisions]


def test_the_fixture_page_is_as_described() -> None:
    page = page_of()
    assert len(page.blocks) == 7
    assert page.nodes[ARTICLE].tag == "article"


# --- the expected F-beta cut ---------------------------------------------


def brute_force_best(scores: np.ndarray, words: np.ndarray, beta: float) -> set[int]:
    """The expected-F-beta-best subset, by trying every subset of eligible blocks."""
    from itertools import combinations

    eligible = [i for i in range(len(scores)) if scores[i] >= MIN_SCORE]
    truth = float((scores * words).sum())
    best, best_f = set(), -1.0
    for r in range(1, len(eligible) + 1):
        for subset in combinations(eligible, r):
            gain = sum(scores[i] * words[i] for i in subset)
            size = sum(words[i] for i in subset)
            f = (1 + beta**2) * gain / (beta**2 * truth + size)
            if f > best_f + 1e-12:
                best, best_f = set(subset), f
    return best


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("seed", range(5))
def test_the_cut_is_the_best_subset(beta: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.random(7)
    words = rng.integers(1, 50, 7).astype(float)
    kept = set(np.flatnonzero(expected_best(scores, words, beta)).tolist())
    assert kept == brute_force_best(scores, words, beta)


def test_recall_keeps_at_least_what_balanced_keeps_and_precision_at_most() -> None:
    scores = np.array([0.1, 0.9, 0.6, 0.35, 0.2, 0.15, 0.5])
    kept = {f: set(select(page_of(), scores, WORDS, f)[0]) for f in BETAS}
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]
    assert kept["precision"] != kept["recall"]


def test_an_uncertain_page_keeps_only_its_likely_blocks() -> None:
    scores = np.array([0.1, 0.95, 0.9, 0.1, 0.1, 0.1, 0.1])
    assert select(page_of(), scores, WORDS, "balanced")[0] == [1, 2]


def test_blocks_under_the_floor_are_never_kept() -> None:
    scores = np.array([MIN_SCORE - 1e-9, MIN_SCORE, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert select(page_of(), scores, WORDS, "recall")[0] == [1]


def test_a_page_where_every_score_is_under_the_floor_keeps_nothing() -> None:
    kept, removed = select(page_of(), np.full(7, MIN_SCORE / 2), WORDS, "recall")
    assert kept == []
    assert len(removed) == 7
    assert all("below the floor" in d.reason for d in removed)


def test_kept_blocks_come_in_page_order() -> None:
    scores = np.array([0.9, 0.1, 0.95, 0.1, 0.1, 0.1, 0.8])
    assert select(page_of(), scores, WORDS, "balanced")[0] == [0, 2, 6]


CODE_PAGE = (
    "<body><p>Install the tool first.</p>"  # block 0
    "<pre>$ pip install ferry\n$ ferry --night</pre>"  # block 1
    "<p>Then run it every evening.</p>"  # block 2
    "<pre>$ ferry --help</pre>"  # block 3
    "<nav><a href='/'>Home</a></nav></body>"  # block 4
)


@pytest.mark.parametrize(
    ("scores", "kept"),
    [
        ([0.95, 0.3, 0.95, 0.3, 0.05], [0, 1, 2]),  # between kept blocks: kept
        ([0.95, 0.1, 0.95, 0.3, 0.05], [0, 2]),  # under the floor: never kept
        ([0.95, 0.3, 0.05, 0.3, 0.05], [0]),  # a neighbour dropped: left out
    ],
)
def test_a_preformatted_block_between_kept_blocks_is_kept(
    scores: list[float], kept: list[int]
) -> None:
    page = page_of(CODE_PAGE)
    assert [b.text[:7] for b in page.blocks][:4] == ["Install", "$ pip i", "Then ru", "$ ferry"]
    words = np.array([40.0, 60.0, 40.0, 60.0, 1.0])  # expected F alone keeps 0 and 2 only
    assert select(page, np.array(scores), words, "balanced")[0] == kept


REPEAT_PAGE = (
    "<body><p>Hand-woven hemp dress with three layers.</p>"  # block 0
    "<p>Made to order in eight days.</p>"  # block 1
    "<div><p>Hand-woven  HEMP dress, with three layers!</p></div>"  # block 2: block 0's words
    "<pre>$ ferry --night now</pre>"  # block 3
    "<pre>$ ferry --night now</pre>"  # block 4: code, repeated on purpose
    "<table><tr><td>Ships in two days</td></tr><tr><td>Ships in two days</td></tr></table>"
    "<p>Read more</p><p>Read more</p>"  # blocks 7, 8: under three words
    "</body>"
)


def test_a_kept_block_repeating_an_earlier_ones_words_is_dropped_once_as_a_duplicate() -> None:
    page = page_of(REPEAT_PAGE)
    assert page.blocks[2].text == "Hand-woven HEMP dress, with three layers!"
    assert [b.text for b in page.blocks][5:9] == ["Ships in two days"] * 2 + ["Read more"] * 2
    n = len(page.blocks)
    kept, removed = select(page, np.full(n, 0.9), np.full(n, 8.0), "balanced")
    assert kept == [0, 1, 3, 4, 5, 6, 7, 8]
    assert [(d.rule, d.text) for d in removed] == [("duplicate", page.blocks[2].text)]
    assert removed[0].reason == "repeats the words of a block kept above it"


def test_a_repeat_is_not_a_duplicate_when_its_first_copy_was_dropped() -> None:
    page = page_of(REPEAT_PAGE)
    scores = np.full(len(page.blocks), 0.9)
    scores[0] = 0.05
    kept, removed = select(page, scores, np.full(len(page.blocks), 8.0), "balanced")
    assert 2 in kept and 0 not in kept
    assert [d.rule for d in removed] != ["duplicate"]


def test_a_repeated_step_of_a_numbered_list_is_kept() -> None:
    step = "<ol><li><p>Press Enter to close the selection.</p></li></ol>"
    bullet = "<ul><li>Press Enter to close the selection.</li></ul>"
    page = page_of(f"<body>{step}<p>Then draw the wire.</p>{step}{bullet}</body>")
    assert len(page.blocks) == 4
    kept, removed = select(page, np.full(4, 0.9), np.full(4, 6.0), "balanced")
    assert kept == [0, 1, 2]  # the bulleted copy is a duplicate, the numbered step is not
    assert [d.rule for d in removed] == ["duplicate"]


def test_a_table_of_contents_entry_goes_and_the_heading_it_repeats_stays() -> None:
    toc = "<ul><li><a href='#tides'>How the tides turn</a></li></ul>"
    page = page_of(f"<body>{toc}<p>An opening paragraph.</p><h2>How the tides turn</h2></body>")
    kept, removed = select(page, np.full(3, 0.9), np.full(3, 6.0), "balanced")
    assert kept == [1, 2]
    assert [(d.rule, d.text) for d in removed] == [("duplicate", "How the tides turn")]


def test_documentation_pages_keep_their_repeats() -> None:
    # A tutorial repeats a step ("Press Enter") on purpose.
    page = page_of(REPEAT_PAGE)
    n = len(page.blocks)
    kept, removed = select(
        page, np.full(n, 0.9), np.full(n, 8.0), "balanced", page_type="documentation"
    )
    assert kept == list(range(n)) and removed == []


# --- scraps ----------------------------------------------------------------

SCRAP_PAGE = (
    "<body><form><ul><li>I'm shopping for...</li></ul></form>"
    "<div class='grid'><a href='/a'>Keyboards and mice, all on sale this week</a></div>"
    "<p>Free delivery over fifty pounds, returns within thirty days.</p></body>"
)


def test_a_few_words_kept_out_of_a_large_page_are_a_scrap_and_the_page_is_empty() -> None:
    page = page_of(SCRAP_PAGE)
    kept, removed = select(page, np.array([0.6, 0.1, 0.1]), np.array([4.0, 90.0, 90.0]), "balanced")
    assert kept == []
    scrap = [d for d in removed if d.rule == "scrap"]
    assert [d.text for d in scrap] == ["I'm shopping for..."]
    assert scrap[0].reason == f"the kept blocks hold fewer than {SCRAP_WORDS} of the page's words"


def test_a_page_of_a_few_words_keeps_them() -> None:
    page = page_of("<body><p>Closed for the holidays.</p><nav><a href='/'>Home</a></nav></body>")
    kept, removed = select(page, np.array([0.9, 0.05]), np.array([4.0, 1.0]), "balanced")
    assert kept == [0]
    assert [d.rule for d in removed] == ["navigation"]


def test_a_short_selection_of_substance_is_not_a_scrap() -> None:
    page = page_of(SCRAP_PAGE)
    kept, _ = select(page, np.array([0.1, 0.1, 0.9]), np.array([4.0, 90.0, 12.0]), "balanced")
    assert kept == [2]


def test_a_selection_of_navigation_link_lists_only_is_no_content() -> None:
    menu = "".join(f"<a href='/t{i}'>Topic number {i}</a> " for i in range(12))
    page = page_of(f"<body><div class='menu'>{menu}</div><p>Open daily.</p></body>")
    kept, removed = select(page, np.array([0.6, 0.1]), np.array([36.0, 2.0]), "balanced")
    assert kept == []
    assert [d.rule for d in removed] == ["low-score", "navigation-only"]


def test_navigation_links_kept_beside_text_stay() -> None:
    menu = "".join(f"<a href='/t{i}'>Topic number {i}</a> " for i in range(12))
    page = page_of(f"<body><div class='menu'>{menu}</div><p>Open daily.</p></body>")
    kept, _ = select(page, np.array([0.6, 0.9]), np.array([36.0, 20.0]), "balanced")
    assert kept == [0, 1]


# --- copies of the page and readers' comments --------------------------------

STORY = [
    "The council met on Tuesday to discuss the ferry timetable.",
    "Repairs to the northern pier will start in the spring, the mayor said.",
    "Residents asked for a later last crossing on summer weekends.",
]


def test_a_code_block_holding_a_copy_of_the_page_text_is_a_duplicate() -> None:
    copy = "# Ferry talks\n\n" + "\n\n".join(STORY) + "\n\n" + "More notes follow here. " * 30
    page = page_of("<body>" + "".join(f"<p>{p}</p>" for p in STORY) + f"<pre>{copy}</pre></body>")
    n = len(page.blocks)
    kept, removed = select(page, np.full(n, 0.9), np.full(n, 12.0), "balanced")
    assert kept == [0, 1, 2]
    assert [(d.rule, d.reason) for d in removed] == [
        ("duplicate", "a copy of the page's text in a code block")
    ]


def test_code_that_quotes_a_line_of_prose_stays() -> None:
    code = f"print('{STORY[0]}')\n" + "x = compute(a, b) + offset\n" * 40
    page = page_of("<body>" + "".join(f"<p>{p}</p>" for p in STORY) + f"<pre>{code}</pre></body>")
    kept, _ = select(page, np.full(4, 0.9), np.full(4, 12.0), "balanced")
    assert kept == [0, 1, 2, 3]


COMMENTED = (
    "<body><article><h1>Ferry talks resume</h1>"
    + "".join(f"<p>{p}</p>" for p in STORY)
    + "<h2>59 Comments on “Ferry talks resume”</h2>"
    "<p>Great news for the island, at last.</p><p>About time they fixed that pier.</p>"
    "</article></body>"
)


def test_on_an_article_the_comments_heading_ends_the_text() -> None:
    page = page_of(COMMENTED)
    n = len(page.blocks)
    kept, removed = select(page, np.full(n, 0.9), np.full(n, 10.0), "balanced", page_type="article")
    assert kept == [0, 1, 2, 3]
    assert [d.rule for d in removed] == ["comments"] * 3
    assert removed[0].text == "59 Comments on “Ferry talks resume”"


@pytest.mark.parametrize(
    ("heading", "opens_comments"),
    [
        ("3 thoughts on “Ferry talks resume”", True),
        ("1,204 Comments", True),
        ("Leave a Reply", True),
        ("Reader Interactions", True),
        ("Kommentare", True),
        ("76 Replies", False),  # a forum thread's posts
        ("Commentary: the ferry question", False),
        ("What the council said", False),
    ],
)
def test_comments_headings(heading: str, opens_comments: bool) -> None:
    assert bool(COMMENTS_HEADING.match(heading)) is opens_comments


@pytest.mark.parametrize("page_type", ["forum", None])
def test_elsewhere_comments_are_left_to_the_classifier(page_type: str | None) -> None:
    page = page_of(COMMENTED)
    n = len(page.blocks)
    kept, _ = select(page, np.full(n, 0.9), np.full(n, 10.0), "balanced", page_type=page_type)
    assert kept == list(range(n))


REVIEWED = (
    "<body><main><h1>Harbour down jacket</h1>"
    + "".join(f"<p>{p}</p>" for p in STORY)
    + "<h2>Customer Reviews</h2><div>Maren H.</div><div>5 out of 5 stars</div>"
    "<p>Light and warm, I wear it on every crossing.</p>"
    "<div>Ilse B.</div><div>4 out of 5 stars</div><p>The sleeves run a little long.</p>"
    "</main></body>"
)


@pytest.mark.parametrize("page_type", ["product", None])
def test_customer_reviews_end_the_text_at_their_heading(page_type: str | None) -> None:
    page = page_of(REVIEWED)
    n = len(page.blocks)
    scores = np.full(n, 0.9)
    scores[4] = 0.05  # the heading itself was left out: the reviews under it still go
    kept, removed = select(page, scores, np.full(n, 20.0), "balanced", page_type=page_type)
    assert kept == [0, 1, 2, 3]
    reviews = [d for d in removed if d.rule == "reviews"]
    assert [d.text for d in reviews] == [b.text for b in page.blocks[5:]]
    assert reviews[0].reason == "customers' reviews, under the heading 'Customer Reviews'"


def test_a_kept_reviews_heading_is_dropped_with_the_reviews() -> None:
    page = page_of(REVIEWED)
    n = len(page.blocks)
    kept, removed = select(page, np.full(n, 0.9), np.full(n, 20.0), "balanced")
    assert kept == [0, 1, 2, 3]
    # Every block the scores kept and the rule dropped has its Decision, the heading's first.
    assert [d.text for d in removed] == [b.text for b in page.blocks[4:]]
    assert {d.rule for d in removed} == {"reviews"}


def test_a_reviews_tab_with_no_ratings_under_it_ends_nothing() -> None:
    page = page_of(REVIEWED.replace("5 out of 5 stars", "Size M").replace("4 out of 5", "Size L"))
    n = len(page.blocks)
    kept, removed = select(page, np.full(n, 0.9), np.full(n, 20.0), "balanced")
    assert kept == list(range(n)) and removed == []


# --- decisions -------------------------------------------------------------

SCORES = np.array([0.1, 0.9, 0.8, 0.2, 0.3, 0.1, 0.06])


def test_every_dropped_block_has_one_decision_in_page_order() -> None:
    page = page_of()
    kept, removed = select(page, SCORES, WORDS, "balanced")
    assert kept == [1, 2]
    dropped = [i for i in range(len(page.blocks)) if i not in kept]
    assert dropped_texts(removed) == [page.blocks[i].text for i in dropped]
    for decision, i in zip(removed, dropped, strict=True):
        assert decision.stage == "select"
        if SCORES[i] < MIN_SCORE:
            assert decision.reason == f"classifier score {SCORES[i]:.2f} below the floor 0.20"
        else:
            assert decision.reason == f"classifier score {SCORES[i]:.2f} below this page's cut 0.80"


def test_drop_rules_name_the_boilerplate_category() -> None:
    _, removed = select(page_of(), SCORES, WORDS, "balanced")
    assert [(d.rule, d.text) for d in removed] == [
        ("navigation", "Home News"),
        ("cookie-consent", "We use cookies."),
        ("footer", "© 2024 Coastal Ledger"),
        ("link-list", "More stories here now"),
        ("low-score", "Plain low text"),
    ]


def test_first_matching_rule_wins() -> None:
    page = page_of("<footer><div id='cookie-consent'>We use cookies.</div></footer>")
    _, removed = select(page, np.array([0.0]), np.array([3.0]), "balanced")
    assert removed[0].rule == "cookie-consent"


def test_decision_text_is_a_bounded_snippet() -> None:
    page = page_of("<p>" + "word " * 500 + "</p><p>kept</p>")
    _, (decision,) = select(page, np.array([0.0, 1.0]), np.array([500.0, 20.0]), "balanced")
    assert len(decision.text) == 200
    assert page.blocks[0].text.startswith(decision.text)


def test_page_without_blocks_keeps_nothing_and_drops_nothing() -> None:
    assert select(page_of("<body></body>"), np.zeros(0), np.zeros(0), "balanced") == ([], [])
