"""``winnow explain`` reports in a real browser: what shows, the filters, and that
nothing of the page runs.

Each report is opened from a file (no server) in a fresh browser context that
records every request, console message, dialog, script error and
Content-Security-Policy violation. The hostile page's scripts would set
``window.__pwned``, change the title, log "PWNED" or open an alert.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from winnow import extract
from winnow.explain import Truth, explain, load_truth

TESTS = Path(__file__).parent.parent
HOSTILE = TESTS / "explain" / "hostile.html"
ARTICLE = TESTS / "pages" / "article-gameinformer-board-games"  # WCXB (Foley, 2026)
DUMP = TESTS / "pages" / "seed-text" / "source.txt"

# Runs before any script of the report, outside its CSP: collects violations.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


# Each visible element matching a selector, in one round trip.
SHOWN = """
sel => Array.from(document.querySelectorAll(sel)).filter(e => e.checkVisibility()).map(e => ({
  text: e.innerText, status: e.dataset.status || '', rule: e.dataset.rule || '',
  look: getComputedStyle(e).borderLeftColor + ' ' + getComputedStyle(e).backgroundColor
}))
"""


@dataclass
class Opened:
    """A report open in the browser, and everything it tried to do."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__violations"))

    def shown(self, selector: str) -> list[dict[str, str]]:
        """What a reader sees of each visible element: its words, data and colours."""
        return list(self.page.evaluate(SHOWN, selector))


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts = []

    def open_(html: str, name: str = "report.html") -> Opened:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        opened = Opened(page, path.as_uri())

        def request(route: Any) -> None:
            opened.requests.append(route.request.url)
            if route.request.url == opened.url:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", request)
        page.add_init_script(WATCH)
        page.on("console", lambda m: opened.console.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(opened.url, wait_until="load")
        return opened

    yield open_
    for context in contexts:
        context.close()


def article_report() -> str:
    """The article's report against its truth plus a line the page never had
    (so that some truth words are missed whatever the extraction)."""
    page = gzip.decompress((ARTICLE / "source.html.gz").read_bytes())
    truth = load_truth(ARTICLE / "truth.json")
    truth = Truth(truth.text + "\nA closing line no page holds.", truth.title)
    return explain(page, truth=truth, name="board-games.html.gz")


def test_kept_and_dropped_blocks_are_visible_and_distinguishable(
    open_report: Any, artifacts: Path
) -> None:
    opened = open_report(article_report())
    kept, dropped = opened.shown("#blocks > li.kept"), opened.shown("#blocks > li.dropped")
    assert kept and dropped
    assert {el["text"].split()[0] for el in kept} == {"KEPT"}
    assert {el["text"].split()[0] for el in dropped} == {"DROPPED"}
    kept_look = {el["look"] for el in kept}
    dropped_look = {el["look"] for el in dropped}
    assert len(kept_look) == len(dropped_look) == 1 and kept_look != dropped_look
    assert opened.shown("#truth-score") and opened.shown("#truth-text mark.missed")
    # The first kept block with the dropped ones above it in the picture.
    opened.page.eval_on_selector("#blocks > li.kept", "e => e.scrollIntoView()")
    opened.page.evaluate("window.scrollBy(0, -300)")
    opened.page.screenshot(path=str(artifacts / "explain-article.png"))
    assert opened.violations() == [] and opened.errors == []


def test_a_text_dump_report_shows_its_lines_and_the_header_lines_structure_used(
    open_report: Any,
) -> None:
    opened = open_report(explain(DUMP.read_bytes(), name="source.txt"))
    looks = {
        status: {el["look"] for el in opened.shown(f"#blocks > li.{status}")}
        for status in ("kept", "dropped", "used")
    }
    assert all(len(look) == 1 for look in looks.values())
    assert len(set.union(*looks.values())) == 3
    used = opened.shown("#blocks > li.used")
    assert used[0]["text"].startswith("USED") and "→ kicker" in used[0]["text"]
    assert opened.violations() == [] and opened.errors == []


def test_filters_hide_what_they_should(open_report: Any) -> None:
    opened = open_report(article_report())
    page = opened.page
    total = len(page.query_selector_all("#blocks > li"))
    dropped = len(page.query_selector_all("#blocks > li.dropped"))
    assert page.inner_text("#filter-count") == f"{total} of {total} shown"

    page.select_option("#filter-status", "dropped")
    assert len(opened.shown("#blocks > li")) == dropped
    assert opened.shown("#blocks > li.kept") == []
    assert page.inner_text("#filter-count") == f"{dropped} of {total} shown"

    options = page.eval_on_selector_all("#filter-rule option", "os => os.map(o => o.value)")
    rule = next(r for r in options if r and r != "chosen")
    page.select_option("#filter-rule", rule)
    shown = opened.shown("#blocks > li")
    assert shown and {el["rule"] for el in shown} == {rule}
    assert len(shown) == len(page.query_selector_all(f"#blocks > li.dropped[data-rule='{rule}']"))

    page.click("#reasons button[data-status='kept'][data-rule='chosen']")
    shown = opened.shown("#blocks > li")
    assert shown and {(el["status"], el["rule"]) for el in shown} == {("kept", "chosen")}

    page.select_option("#filter-status", "all")
    page.select_option("#filter-rule", "")
    assert len(opened.shown("#blocks > li")) == total


def test_the_truth_filter_shows_the_blocks_that_disagree_with_the_truth(open_report: Any) -> None:
    first = next(b.text for b in extract(HOSTILE.read_bytes()).blocks if b.kind == "paragraph")
    truth = Truth(f"{first}\nSport. Weather.")
    opened = open_report(explain(HOSTILE.read_bytes(), truth=truth))
    page = opened.page
    page.select_option("#filter-truth", "missed")
    shown = opened.shown("#blocks > li")
    assert [(el["status"], el["text"].split("\n")[-1]) for el in shown] == [
        ("dropped", "Sport"),
        ("dropped", "Weather"),
    ]
    page.select_option("#filter-truth", "extra")
    shown = opened.shown("#blocks > li")
    assert shown and {el["status"] for el in shown} == {"kept"}
    assert first not in {el["text"].split("\n")[-1] for el in shown}


def test_no_script_of_a_hostile_page_runs(open_report: Any, artifacts: Path) -> None:
    opened = open_report(explain(HOSTILE.read_bytes(), name="hostile.html"))
    page = opened.page
    tricks = page.locator("#blocks > li, #figures td", has_text="onmouseover")
    assert tricks.count() >= 2
    for i in range(tricks.count()):
        tricks.nth(i).hover()  # onmouseover= in the text must stay text
    page.wait_for_timeout(200)  # let any timer or load handler fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == "winnow explain: hostile.html"
    assert not [m for m in opened.console if "PWNED" in m]
    assert opened.dialogs == [] and opened.errors == []
    assert opened.requests == [opened.url]  # no image, frame, stylesheet or refresh
    assert opened.violations() == []  # nothing even tried
    # The page's tricks are on screen, as text; the report's own script ran.
    text = page.inner_text("#blocks")
    assert "<script>window.__pwned='p1'" in text and "</textarea>" in text and "<!--" in text
    assert page.inner_text("#filter-count").endswith("shown")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "explain-hostile.png"), full_page=True)


def test_the_policy_stops_markup_that_escaping_would_miss(open_report: Any) -> None:
    """Belt and braces: raw markup spliced into a report still cannot run or load."""
    raw = (
        "<img src='http://127.0.0.1:9/x.png' onerror=\"window.__pwned='img'\">"
        "<script>window.__pwned='script'</script>"
        "<a id='js' href=\"javascript:window.__pwned='href'\">x</a>"
    )
    report = explain(HOSTILE.read_bytes()).replace("<ol id='blocks'>", raw + "<ol id='blocks'>")
    opened = open_report(report)
    opened.page.click("#js")
    opened.page.wait_for_timeout(200)
    assert opened.page.evaluate("typeof window.__pwned") == "undefined"
    assert opened.requests == [opened.url]
    directives = {v.split()[0] for v in opened.violations()}
    assert {"script-src-elem", "img-src"} <= directives
