"""End to end on a small, realistic article page: what is kept, what is dropped and why."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import winnow
from winnow import Document, Options

TITLE = "Lighthouse keepers return to Skerry Point after forty years"
PARAGRAPHS = [
    "SKERRY POINT — For the first time since 1984, the lamp room of the old lighthouse "
    "will have someone living beneath it. The harbour trust announced on Monday that two "
    "keepers will move into the cottage at the foot of the tower in September.",
    "The light was automated four decades ago, and the cottage has stood empty since the "
    "last keeper retired. Storms have since stripped half of its roof, and the trust "
    "spent most of last winter making it watertight again.",
    "The new keepers will not tend the lamp, which is run from the mainland. Instead they "
    "will open the tower to visitors, record the weather every three hours and keep an "
    "eye on the moorings below, which the trust says are often damaged in the spring.",
    "Trust chair Ruth Alder said the decision was about more than tourism. “A lighthouse "
    "with nobody in it is a monument,” she said. “With people in it, it is part of the "
    "harbour again, and that is what the village asked us for.”",
]
# The paragraphs as the Document gives them: the dateline "SKERRY POINT —"
# moves from the first one to Document.dateline.
BODY = [PARAGRAPHS[0].split(" — ", 1)[1], *PARAGRAPHS[1:]]
HEADING = "How to visit"
ITEMS = [
    "The tower opens on Saturdays and Sundays from ten until four.",
    "Tickets are sold at the cottage door; children under twelve go free.",
    "The path from the car park is steep and unlit after dark.",
]
# Boilerplate on the page and the rule that should drop it.
BOILERPLATE = {
    "We use cookies to measure visits and remember your choices.": "cookie-consent",
    "Accept all cookies": "cookie-consent",
    "Harbour Gazette": "header",
    "Weather": "navigation",
    "Events": "navigation",
    "Share this article": "share-bar",
    "Sign up to our weekly newsletter": "subscription",
    "Ferry timetable changes for the summer": "related-links",
    "© 2024 Harbour Gazette. All rights reserved.": "footer",
    "Privacy policy": "footer",
}

PAGE = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{TITLE} | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta name="author" content="Tom Reyes">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{TITLE}",
  "datePublished": "2024-06-03T08:00:00+01:00",
  "author": [{{"@type": "Person", "name": "Tom Reyes"}}]}}
</script>
<script>window.dataLayer = [];</script>
</head>
<body class="article-page">
<div id="cookie-banner" class="consent" role="dialog">
  <p>We use cookies to measure visits and remember your choices.</p>
  <button>Accept all cookies</button>
</div>
<header class="site-header">
  <div class="logo"><a href="/">Harbour Gazette</a></div>
  <nav class="main-nav"><ul>
    <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
    <li><a href="/weather">Weather</a></li><li><a href="/events">Events</a></li>
  </ul></nav>
</header>
<main>
<article class="story">
  <h1 class="headline">{TITLE}</h1>
  <div class="byline">By <a rel="author" href="/authors/tom-reyes">Tom Reyes</a>,
    <time datetime="2024-06-03">3 June 2024</time></div>
  <div class="share-bar"><span>Share this article</span>
    <a href="/share/email">Email</a> <a href="/share/x">Post</a></div>
  <div class="story-body">
    <p>{PARAGRAPHS[0]}</p>
    <p>{PARAGRAPHS[1]}</p>
    <p>{PARAGRAPHS[2]}</p>
    <p>{PARAGRAPHS[3]}</p>
    <h2>{HEADING}</h2>
    <ul>{"".join(f"<li>{item}</li>" for item in ITEMS)}</ul>
  </div>
  <div class="newsletter-signup"><h3>Sign up to our weekly newsletter</h3>
    <form><input type="email"><button>Subscribe</button></form></div>
</article>
<aside class="related">
  <h2>Related stories</h2>
  <ul>
    <li><a href="/news/ferry">Ferry timetable changes for the summer</a></li>
    <li><a href="/news/pier">Pier repairs to finish before winter</a></li>
  </ul>
</aside>
</main>
<footer class="site-footer">
  <ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li></ul>
  <p>© 2024 Harbour Gazette. All rights reserved.</p>
</footer>
</body>
</html>
"""
URL = "https://www.harbour-gazette.example/news/lighthouse-keepers"


@pytest.fixture(scope="module")
def doc() -> Document:
    return winnow.extract(PAGE.encode("utf-8"), url=URL)


def test_metadata(doc: Document) -> None:
    assert doc.url == URL
    assert doc.title == TITLE
    assert doc.authors == ["Tom Reyes"]
    assert doc.published == "2024-06-03T08:00:00+01:00"
    assert doc.site_name == "Harbour Gazette"
    assert doc.language == "en-GB"
    assert doc.sources["title"] == "json-ld"


def test_every_paragraph_is_kept_in_order(doc: Document) -> None:
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert [p for p in paragraphs if p in BODY] == BODY


def test_subheading_and_list_keep_their_types(doc: Document) -> None:
    assert ("heading", HEADING) in [(b.kind, b.text) for b in doc.blocks]
    lists = [b for b in doc.blocks if b.kind == "list"]
    assert [b.items for b in lists] == [tuple(ITEMS)]


@pytest.mark.parametrize(("snippet", "rule"), BOILERPLATE.items())
def test_boilerplate_is_dropped_with_a_decision(doc: Document, snippet: str, rule: str) -> None:
    assert snippet not in doc.text
    decisions = [d for d in doc.removed if d.text.startswith(snippet)]
    assert decisions, f"no Decision records dropping {snippet!r}"
    assert [(d.stage, d.rule) for d in decisions] == [("select", rule)] * len(decisions)
    assert all(d.reason for d in decisions)


def test_script_text_is_not_content(doc: Document) -> None:
    assert "dataLayer" not in doc.text
    assert not any("dataLayer" in d.text for d in doc.removed)


def test_favor_keeps_nested_sets_of_blocks() -> None:
    kept = {
        favor: {b.text for b in winnow.extract(PAGE, options=Options(favor=favor)).blocks}
        for favor in ("precision", "balanced", "recall")
    }
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]
    assert set(BODY) <= kept["precision"]


def test_tables_option_is_honoured() -> None:
    page = PAGE.replace(
        "<h2>How to visit</h2>",
        "<table><tr><th>Day</th><th>Open</th></tr><tr><td>Saturday</td><td>10-16</td></tr>"
        "<tr><td>Sunday</td><td>10-16</td></tr></table><h2>How to visit</h2>",
    )
    with_tables = winnow.extract(page)
    without = winnow.extract(page, options=Options(include_tables=False))
    assert [b.rows for b in with_tables.blocks if b.kind == "table"] == [
        (("Day", "Open"), ("Saturday", "10-16"), ("Sunday", "10-16"))
    ]
    assert not any(b.kind == "table" for b in without.blocks)


# --- determinism -----------------------------------------------------------


def test_same_input_twice_gives_identical_output() -> None:
    first = winnow.extract(PAGE.encode("utf-8"), url=URL).to_dict()
    second = winnow.extract(PAGE.encode("utf-8"), url=URL).to_dict()
    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_bytes_and_str_input_give_identical_output() -> None:
    assert winnow.extract(PAGE.encode("utf-8")).to_dict() == winnow.extract(PAGE).to_dict()


def test_output_does_not_depend_on_the_process() -> None:
    # String hashing is salted per process: any set or dict iteration that leaks
    # into the output shows up as a difference between two hash seeds.
    code = "import json, sys, winnow; print(json.dumps(winnow.extract(sys.stdin.read()).to_dict()))"
    outputs = []
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", code],
            input=PAGE,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0]) == winnow.extract(PAGE).to_dict()


def test_a_dateline_moves_from_the_first_paragraph_to_its_field() -> None:
    page = (
        "<html><body><article><h1>Talks resume</h1>"
        "<p>SEOUL -- Japan urged South Korea to offer a resolution on a long-running case, "
        "as the two held their first meeting.</p>"
        "<p>The dispute has soured relations between the two neighbours for two years.</p>"
        "</article></body></html>"
    )
    doc = winnow.extract(page)
    assert doc.dateline == "SEOUL"
    paragraphs = [block.text for block in doc.blocks if block.kind == "paragraph"]
    assert paragraphs[0].startswith("Japan urged South Korea")
    assert doc.to_dict()["dateline"] == "SEOUL"
    # The text a reader reads keeps it, in front of the paragraph it opened.
    assert "SEOUL — Japan urged South Korea" in doc.text.split("\n\n")[-2]


DECK = "A smaller boat and a new timetable: the night crossing sails again from June."
STORY = (
    "<p>PORT ARDEN -- For the first time since 2013, islanders will be able to leave the "
    "mainland after dinner and wake up at home, the council said on Tuesday.</p>"
    "<p>The service was cut when its old vessel failed an inspection and no operator bid.</p>"
)


@pytest.mark.parametrize(
    ("head", "deck"),
    [
        ("", f'<p class="standfirst">{DECK}</p>'),
        (f'<meta name="description" content="{DECK}">', f"<p>{DECK}</p>"),
        (f'<meta name="description" content="{DECK[:40]}…">', f"<p>{DECK}</p>"),
    ],
    ids=["deck-class", "description", "cut-description"],
)
def test_the_deck_becomes_the_subtitle_and_the_dateline_follows(head: str, deck: str) -> None:
    page = f"<html><head>{head}</head><body><article><h1>Night ferry returns</h1>{deck}{STORY}"
    doc = winnow.extract(page + "</article></body></html>")
    assert doc.subtitle == DECK
    assert doc.sources["subtitle"] == "dom"
    assert doc.dateline == "PORT ARDEN"
    assert doc.blocks[0].text.startswith("For the first time since 2013")
    assert doc.text.startswith(DECK + "\n\nPORT ARDEN — For the first time")


def test_a_first_paragraph_that_is_no_deck_stays_in_the_body() -> None:
    head = '<meta name="description" content="Timetables, fares and island news.">'
    page = f"<html><head>{head}</head><body><article><h1>Night ferry returns</h1>{STORY}"
    doc = winnow.extract(page + "</article></body></html>")
    assert doc.subtitle is None
    assert doc.dateline == "PORT ARDEN"


def test_the_fixture_page_dateline_is_its_own_field(doc: Document) -> None:
    assert doc.dateline == "SKERRY POINT"
    assert doc.blocks[0].text.startswith(BODY[0])
