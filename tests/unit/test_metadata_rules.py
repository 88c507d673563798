"""Metadata rules (docs/metadata.md) and bad input: never an exception, never a wrong type."""

from __future__ import annotations

import json
import time
from html import escape

import pytest

import winnow
from winnow import Document
from winnow.stages import authors, dates, header, pagetype
from winnow.stages.metadata import read
from winnow.stages.parse import parse_html

STORY = (
    "For the first time since 2013, islanders on the Skerries will be able to leave the "
    "mainland after dinner and wake up at home. The overnight crossing returns in June, "
    "with a smaller boat and a timetable that the islanders drew up themselves."
)


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def page(head: str = "", body: str = "", lang: str = ' lang="en"') -> str:
    return f"<html{lang}><head>{head}</head><body>{body}<p>{STORY}</p></body></html>"


def assert_types(doc: Document) -> None:
    """Every metadata field of a Document has the type the schema promises."""
    for name in ("title", "kicker", "subtitle", "published", "updated", "site_name"):
        assert getattr(doc, name) is None or isinstance(getattr(doc, name), str), name
    for name in ("language", "description", "image", "dateline"):
        assert getattr(doc, name) is None or isinstance(getattr(doc, name), str), name
    assert isinstance(doc.authors, list) and all(isinstance(a, str) and a for a in doc.authors)
    assert isinstance(doc.tags, list) and all(isinstance(t, str) for t in doc.tags)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in doc.sources.items())
    for value in (doc.published, doc.updated):
        assert value is None or dates.day(value) is not None, value
    json.dumps(doc.to_dict())


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2025-11-14T10:00:00+09:00", "2025-11-14T10:00:00+09:00"),
        ("2025-11-14T01:00:00Z", "2025-11-14T01:00:00Z"),
        ("2025-11-14T10:00:00.000+0900", "2025-11-14T10:00:00+09:00"),
        ("2025-11-14 10:00", "2025-11-14T10:00"),
        ("2025-11-14", "2025-11-14"),
        ("2025/11/14", "2025-11-14"),
        ("Nov. 14, 2025", "2025-11-14"),
        ("November 14th, 2025", "2025-11-14"),
        ("14 November 2025", "2025-11-14"),
        ("Fri, 14 Nov 2025 10:00:00 GMT", "2025-11-14T10:00:00Z"),
        ("14.11.2025", "2025-11-14"),
        ("14/11/2025", "2025-11-14"),
        ("11/14/2025", "2025-11-14"),  # the first number cannot be a month
        ("2025年11月14日", "2025-11-14"),
        ("14. November 2025", "2025-11-14"),
        ("14 de noviembre de 2025", "2025-11-14"),
        ("14-Nov-2025", "2025-11-14"),
        ("04-ago-2021 5:11:10", "2021-08-04T05:11:10"),
        ("14/Nov/2025:10:00:00 +0000", "2025-11-14"),
        ("Posted on March 3rd, 2024 at 5:30 pm", "2024-03-03T17:30"),
        ("1763082000", "2025-11-14T01:00:00Z"),
        ("1763082000000", "2025-11-14T01:00:00Z"),
        (1763082000, "2025-11-14T01:00:00Z"),
    ],
)
def test_dates_in_many_formats(written: object, iso: str) -> None:
    assert dates.parse(written) == iso


def test_a_12_hour_clock_after_a_numeric_date_puts_the_month_first() -> None:
    assert dates.search("10/12/2023 7:38:01 PM | 3 minute read") == "2023-10-12T19:38:01"
    assert dates.search("10/12/2023 19:38") == "2023-12-10T19:38"
    assert dates.search("14.11.2025 12:30 AM") == "2025-11-14T00:30"
    assert dates.search("Nov. 14, 2025 10:00 Amsterdam") == "2025-11-14T10:00"


def test_a_month_glued_to_the_word_before_it_is_read_where_the_case_changes() -> None:
    # Flattened markup runs a byline or a kicker into its date line.
    assert dates.search("ByMaren HoltMar 5, 2025 | 6 comments") == "2025-03-05"
    assert dates.search("Island newsDECEMBER 22, 2022Updated: JANUARY 02, 2026") == "2022-12-22"
    # Inside a word, without a change of case, a month's letters are no month.
    assert dates.search("Decimal 5, 2020") is None
    assert dates.search("FORMAR 5, 2020") is None
    assert dates.search("formar 5, 2020") is None


@pytest.mark.parametrize(
    "written",
    ["2025-02-30", "2025-13-01", "31.02.2025", "Feb 30, 2025", "0000-00-00", "1850-01-01",
     "next Tuesday", "", "12345", "99999999999999", None, True, 3.5e20, [], {"@value": 1}],
)  # fmt: skip
def test_impossible_or_missing_dates_are_none(written: object) -> None:
    assert dates.parse(written) is None


def test_impossible_time_keeps_the_day_only() -> None:
    assert dates.parse("2025-11-14T25:61") == "2025-11-14"


def test_structured_date_is_iso_and_date_only_without_time() -> None:
    doc = winnow.extract(page(jsonld({"@type": "NewsArticle", "datePublished": "Nov. 14, 2025"})))
    assert (doc.published, doc.sources["published"]) == ("2025-11-14", "json-ld")


def test_a_shown_date_after_every_structured_date_is_not_the_publication() -> None:
    head = jsonld({"@type": "Article", "dateModified": "2025-11-14"})
    body = "<h1>Night ferry to the islands returns</h1><div>Sailing from Jan. 5, 2031</div>"
    doc = winnow.extract(page(head, body), url="https://news.example/2025/11/10/ferry")
    assert (doc.published, doc.sources["published"]) == ("2025-11-10", "url")
    assert doc.updated == "2025-11-14"


def test_an_update_before_the_publication_is_dropped() -> None:
    head = jsonld({"@type": "Article", "datePublished": "2025-11-14", "dateModified": "2025-11-01"})
    doc = winnow.extract(page(head))
    assert (doc.published, doc.updated) == ("2025-11-14", None)


def test_dates_in_ordinary_scripts_are_never_read() -> None:
    script = '<script>var meta = {"datePublished": "2025-11-14", "author": "Jo Bo"};</script>'
    doc = winnow.extract(page(script, "<h1>Night ferry to the islands returns</h1>"))
    assert doc.published is None
    assert doc.authors == []


def test_date_line_by_the_headline_is_read() -> None:
    body = "<h1>Night ferry to the islands returns</h1><div>Updated Nov. 14, 2025</div>"
    doc = winnow.extract(page("", body))
    assert (doc.published, doc.sources["published"]) == ("2025-11-14", "header")


HEADLINE = "<h1>Night ferry to the islands returns</h1>"
STAMPED = jsonld(
    {"@type": "Article", "datePublished": "2012-09-12T16:45:28Z", "dateModified": "2025-08-21"}
)


def test_the_day_shown_by_the_headline_overrules_a_structured_day() -> None:
    # Content systems restamp moved pages; the reader sees the story's day.
    doc = winnow.extract(page(STAMPED, HEADLINE + "<div>September 8, 2021 · 4 min read</div>"))
    assert (doc.published, doc.sources["published"]) == ("2021-09-08", "header")


def test_the_same_day_shown_keeps_the_structured_time() -> None:
    doc = winnow.extract(page(STAMPED, HEADLINE + "<div>Sept. 12, 2012</div>"))
    assert (doc.published, doc.sources["published"]) == ("2012-09-12T16:45:28Z", "json-ld")


@pytest.mark.parametrize(
    "line",
    [
        "Updated Nov. 14, 2021",
        "Last updated: Nov 14, 2021",
        "By Maren HoltUpdated Nov 14, 2021",  # glued by the markup
        "2.1K views 13 replies last post by ferryfan Nov 14, 2021",
        "Last active Nov 14, 2021 13:58",
        "Zuletzt aktualisiert am 14. November 2021",
        "9/10/2021",  # ambiguous: September 10 or 9 October
    ],
)
def test_an_update_line_or_an_ambiguous_day_does_not_overrule_structured_data(line: str) -> None:
    doc = winnow.extract(page(STAMPED, HEADLINE + f"<div>{line}</div>"))
    assert (doc.published, doc.sources["published"]) == ("2012-09-12T16:45:28Z", "json-ld")


def test_a_day_apart_from_the_structured_day_is_a_time_zone_not_another_date() -> None:
    # 23:00 UTC on the 2nd is the 3rd in London's summer or in Tokyo.
    head = jsonld({"@type": "Article", "datePublished": "2025-12-02T23:00:55Z"})
    doc = winnow.extract(page(head, HEADLINE + "<div>Published: 03 Dec 2025</div>"))
    assert (doc.published, doc.sources["published"]) == ("2025-12-02T23:00:55Z", "json-ld")


def test_the_structured_date_that_is_the_shown_day_is_used_not_the_first() -> None:
    # JSON-LD restamped by an import, a <meta> key that agrees with the page.
    head = STAMPED + '<meta property="article:published_time" content="2021-09-08T07:30:00Z">'
    doc = winnow.extract(page(head, HEADLINE + "<div>September 8, 2021</div>"))
    assert (doc.published, doc.sources["published"]) == ("2021-09-08T07:30:00Z", "meta")


def test_a_day_no_clock_shows_for_the_structured_moment_is_another_date() -> None:
    # 22:02 UTC on the 19th is the 19th from UTC-12 to UTC+1 and the 20th east of
    # that: no reader's clock shows the 18th, so the 18th is the page's own day.
    head = jsonld({"@type": "Article", "datePublished": "2025-12-19T22:02:58Z"})
    doc = winnow.extract(page(head, HEADLINE + "<div>December 18, 2025</div>"))
    assert (doc.published, doc.sources["published"]) == ("2025-12-18", "header")


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        (["Published On: 15 August 2025"], "2025-08-15"),
        (["Posted on April 13, 2023 by Maren Holt"], "2023-04-13"),
        (["Published", "Feb 2, 2023"], "2023-02-02"),  # a bare label over the date
        (["Veröffentlicht am 14. November 2025"], "2025-11-14"),
        (["Published 9/10/2021"], None),  # ambiguous: September 10 or 9 October
        (["Published by the Island Press in 2021"], None),  # no date after the label
        (["Republished works of 2021 and Nov. 14, 2025"], None),  # not a label
    ],
)
def test_a_line_labelled_as_the_publication(lines: list[str], iso: str | None) -> None:
    assert header.labelled(["Home", "Night ferry to the islands returns", *lines]) == iso


def test_a_publication_line_far_from_the_headline_dates_the_page() -> None:
    # A sidebar or the story's foot says when it was published; nothing else does.
    aside = "<aside><h4>Published</h4><div>July 8, 2025</div></aside>"
    body = HEADLINE + f"<p>{STORY}</p>" * 12 + aside
    doc = winnow.extract(page("", body))
    assert (doc.published, doc.sources["published"]) == ("2025-07-08", "dom")
    lines = ["Night ferry to the islands returns", *[STORY] * 12, "Posted on July 8, 2025"]
    dump = "\n\n".join(lines)
    assert winnow.extract(dump, input="text").published == "2025-07-08"


def test_an_ambiguous_first_date_line_is_not_passed_over_for_a_later_one() -> None:
    lines = "<div>8/1/2025</div><div>8/27/2025</div>"
    doc = winnow.extract(page(STAMPED, HEADLINE + lines))
    assert (doc.published, doc.sources["published"]) == ("2012-09-12T16:45:28Z", "json-ld")


def test_the_date_line_before_an_update_line_is_the_publication() -> None:
    lines = "<div>Updated Aug 21, 2025</div><div>Published Apr 26, 2023</div>"
    assert winnow.extract(page(STAMPED, HEADLINE + lines)).published == "2023-04-26"
    headline = "Night ferry to the islands returns after eleven years"
    dump = "\n\n".join([headline, "Updated Aug 21, 2025", "Published Apr 26, 2023", STORY])
    assert winnow.extract(dump, input="text").published == "2023-04-26"


def test_microdata_dates_of_answers_and_comments_are_not_the_pages() -> None:
    def post(kind: str, day: str) -> str:
        item = f' itemscope itemtype="https://schema.org/{kind}"' if kind else ""
        return f'<div{item}><meta itemprop="datePublished" content="{day}"><p>{STORY}</p></div>'

    question = '<div itemscope itemtype="https://schema.org/Question">'
    asked = '<time datetime="2014-02-04T13:02:51Z"></time></div>'  # shown by a script
    qa = HEADLINE + question + asked + post("Answer", "2018-05-21") + post("Comment", "2019-01-02")
    doc = winnow.extract(page("", qa), url="https://forum.example/questions/7/night-ferry")
    assert (doc.published, doc.sources["published"]) == ("2014-02-04T13:02:51Z", "dom")
    # A thread whose every post is a comment: its first post's date is its own.
    thread = HEADLINE + post("Comment", "2024-11-29") + post("Comment", "2024-12-03")
    doc = winnow.extract(page("", thread), url="https://forum.example/threads/night-ferry.7/")
    assert (doc.published, doc.sources["published"]) == ("2024-11-29", "microdata")


def test_a_webpage_date_counts_only_when_the_page_shows_it() -> None:
    head = jsonld({"@type": "WebPage", "name": "Pricing", "datePublished": "2019-03-02"})
    assert winnow.extract(page(head, "<h1>Pricing</h1>")).published is None
    shown = '<h1>Pricing</h1><time datetime="2019-03-02">2 March 2019</time>'
    assert winnow.extract(page(head, shown)).published == "2019-03-02"


def test_date_path_of_the_url_is_the_last_resort() -> None:
    doc = winnow.extract(page(), url="https://news.example/2024/05/14/night-ferry")
    assert (doc.published, doc.sources["published"]) == ("2024-05-14", "url")
    named = winnow.extract(page(), url="https://news.example/blog/2023/october/03/night-ferry/")
    assert (named.published, named.sources["published"]) == ("2023-10-03", "url")
    other = winnow.extract(page(), url="https://news.example/2023/issues/03/night-ferry/")
    assert other.published is None


def test_a_webpage_date_counts_when_the_url_has_its_year_and_month() -> None:
    head = jsonld({"@type": "WebPage", "name": "Ferry", "datePublished": "2018-11-22T14:30:24Z"})
    body = "<h1>Night ferry to the islands returns</h1>"
    found = winnow.extract(page(head, body), url="https://news.example/2018/11/night-ferry")
    assert (found.published, found.sources["published"]) == ("2018-11-22T14:30:24Z", "json-ld")
    other = winnow.extract(page(head, body), url="https://news.example/2018/12/night-ferry")
    assert other.published is None


def test_a_front_page_has_no_publication_date() -> None:
    head = jsonld({"@type": "NewsArticle", "datePublished": "2026-03-06T07:00:02-05:00"})
    body = "<h1>Island News</h1><time datetime='2026-03-06'>March 6</time>"
    for url in ("https://news.example/", "https://news.example"):
        assert winnow.extract(page(head, body), url=url).published is None
    # The same page anywhere else is dated, and a page without a URL too.
    assert winnow.extract(page(head, body), url="https://news.example/ferry").published
    assert winnow.extract(page(head, body)).published


# --- authors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Maren Holt", ["Maren Holt"]),
        ("BY MAREN HOLT", ["MAREN HOLT"]),
        ("Written by: Maren Holt", ["Maren Holt"]),
        ("Maren Holt and Ilse Brandt", ["Maren Holt", "Ilse Brandt"]),
        ("Maren Holt, Ilse Brandt & Tom Reyes", ["Maren Holt", "Ilse Brandt", "Tom Reyes"]),
        ("Maren Holt, Senior Editor", ["Maren Holt"]),
        ("Dylan Bailey, MS, RD", ["Dylan Bailey"]),
        ("Genevieve Carlton, Ph.D.", ["Genevieve Carlton"]),
        ("By Maren Holt · 4 min read", ["Maren Holt"]),
        ("By Maren Holt, Nov. 14, 2025", ["Maren Holt"]),
        ("Maren Holt 2022-11-23T08:10+02:00", ["Maren Holt"]),
        ("Maren Holt ●", ["Maren Holt"]),
        ("Written By", []),
        ("The Author", []),
        ("Sun", []),
        ("Learn More", []),
        ("Sun Li", ["Sun Li"]),
        ("Maren Holt Updated 3 hours ago", ["Maren Holt"]),
        ("Maren Holt Share", ["Maren Holt"]),
        ("<a href='/m'>Maren</a> <b>Holt</b>", ["Maren Holt"]),
        ("Maren Holt &amp; Tom Reyes", ["Maren Holt", "Tom Reyes"]),
        ("https://news.example/authors/maren-holt", []),
        ("maren@news.example", []),
        ("262588213843476", []),
        ("{{author.name}}", []),
        ("@marenholt", ["@marenholt"]),  # a handle when that is all there is
        ("Byron Smith", ["Byron Smith"]),
        # flattened text glues what follows a name onto it, with no space
        ("By Maren HoltPublished: Jan 29, 2025", ["Maren Holt"]),
        ("Maren HoltMar 5", ["Maren Holt"]),
        ("Maren HoltFollow", ["Maren Holt"]),
        ("Maren Holt on", ["Maren Holt"]),
        ("Ilse McDonald", ["Ilse McDonald"]),  # a seam inside a name stays
        ("Ilse MacMarch", ["Ilse MacMarch"]),  # a month without a day after it is no tail
    ],
)
def test_author_strings_become_clean_names(raw: str, names: list[str]) -> None:
    assert authors.clean([raw]) == names


def test_handles_give_way_to_names() -> None:
    assert authors.clean(["@marenholt", "Maren Holt"]) == ["Maren Holt"]


@pytest.mark.parametrize(
    "value",
    [
        {"@type": "Person", "name": {"@value": "Maren Holt"}},
        [{"@type": "Person", "name": ["Maren Holt"]}, None, 7, 3.5, True],
        {"@type": "Person", "url": "https://news.example/maren"},
        {"@id": "#author"},
        [[[[[[[["Maren Holt"]]]]]]]],
        "x" * 100_000,
        {"@type": "Person", "name": "<b>Maren</b> Holt <script>alert(1)</script>"},
    ],
)
def test_author_values_of_any_shape_give_a_list_of_strings(value: object) -> None:
    doc = winnow.extract(page(jsonld({"@type": "Article", "headline": "x", "author": value})))
    assert_types(doc)


def test_a_person_outranks_an_organisation() -> None:
    head = jsonld(
        {"@type": "Article", "author": {"@type": "Organization", "name": "Coastal Ledger"}}
    )
    body = '<h1>Night ferry returns</h1><span class="byline">By Maren Holt</span>'
    doc = winnow.extract(page(head, body))
    assert (doc.authors, doc.sources["authors"]) == (["Maren Holt"], "dom")


def test_the_first_byline_is_the_storys() -> None:
    body = (
        '<h1>Night ferry returns</h1><a rel="author" href="/a/m">Maren Holt</a>'
        f"<p>{STORY}</p>"
        '<div class="comment"><a rel="author" href="/u/x">A Commenter</a></div>'
    )
    assert winnow.extract(page("", body)).authors == ["Maren Holt"]


def test_a_threads_starter_is_its_author_even_as_a_username() -> None:
    # The last poster's card comes first in the markup; the label says who opened it.
    body = (
        '<h1>Night ferry timetable questions</h1><div class="author">Ferry Fan Jo</div>'
        "<dl><dt>Thread starter</dt><dd>Thread starter islander_42</dd></dl>"
        f"<p>{STORY}</p><div>Similar threads</div><div>Started by ferryman</div>"
    )
    url = "https://forum.example/threads/night-ferry.77/"
    assert winnow.extract(page("", body), url=url).authors == ["islander_42"]
    dump = "\n\n".join(
        ["Night ferry timetable questions", "Thread starter islander_42", STORY, STORY]
    )
    assert winnow.extract(dump, input="text").authors == ["islander_42"]
    # phpBB's first post line names its poster before "»", and the thread's day.
    dump = "\n\n".join(
        ["Night ferry timetable questions", "Post by islander_42 » Sat Feb 24, 2024", STORY]
    )
    doc = winnow.extract(dump, input="text")
    assert (doc.authors, doc.published) == (["islander_42"], "2024-02-24")


@pytest.mark.parametrize(
    ("stamped", "published"),
    [
        (["#1", "2019-02-23, 09:14 PM (last modified 2024-01-05)"], "2019-02-23T21:14"),
        (["30th March 2025, 16:26", "#1 | Link"], "2025-03-30T16:26"),
        (["#1", "islander_42"], None),  # no date beside the number
        (["#1 Best Seller in ferry guides", "Feb 24, 2024"], None),  # not a post's number
    ],
)
def test_a_first_posts_number_alone_on_its_line_is_dated_by_the_line_beside_it(
    stamped: list[str], published: str | None
) -> None:
    lines = ["Regional forums", "Night ferry timetable", *stamped, STORY]
    assert header.thread(lines).first_post == published


def typed_as(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Make the page-type classifier call every page ``kind``."""
    monkeypatch.setattr(pagetype.TypeModel, "classify", lambda self, X, scores: kind)


def test_a_threads_first_post_dates_it_however_many_days_its_posts_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed_as(monkeypatch, "listing")
    posts = "".join(
        f"<div>#{n} 2024-08-{n + 2:02d} 10:59:47</div><div>islander_{n}</div><p>{STORY}</p>"
        for n in range(1, 8)
    )
    body = "<h1>Night ferry timetable questions</h1>" + posts
    url = "https://bbs.example/viewtopic.php?id=7"
    assert winnow.extract(page("", body), url=url).published == "2024-08-03T10:59:47"
    # Without the post numbers, seven days on its lines read as a listing,
    unnumbered = body.replace("<div>#", "<div>No. ")
    assert winnow.extract(page("", unnumbered), url=url).published is None
    # unless the page-type classifier calls it a thread: its headline's date line dates it.
    typed_as(monkeypatch, "forum")
    found = winnow.extract(page("", unnumbered), url=url)
    assert (found.published, found.sources["published"]) == ("2024-08-03T10:59:47", "header")


def test_a_questions_asker_is_its_author() -> None:
    # The editor's card ("edited …") comes before the asker's.
    body = (
        "<h1>How late does the night ferry run?</h1>"
        f"<p>{STORY}</p><div>edited Mar 2, 2016 at 9:00</div><div>ferry_editor</div>"
        "<div>asked Feb 4, 2014 at 13:02</div><div>Vader</div>"
    )
    url = "https://qa.example/questions/7/night-ferry"
    assert winnow.extract(page("", body), url=url).authors == ["Vader"]
    # A dump: the card dates the question too, however far below the title.
    dump = "\n\n".join(
        ["How late does the night ferry run?", *[STORY] * 9, "edited Mar 2, 2016 at 9:00",
         "ferry_editor", "asked Feb 4, 2014 at 13:02", "Vader"]
    )  # fmt: skip
    doc = winnow.extract(dump, input="text")
    assert (doc.authors, doc.published) == (["Vader"], "2014-02-04T13:02")


def test_a_sentence_opening_with_started_by_names_no_author() -> None:
    body = "<h1>Night ferry returns</h1><p>Started by two islanders in 2010, the line grew.</p>"
    assert winnow.extract(page("", body)).authors == []


def test_byline_by_the_headline() -> None:
    body = "<h1>Night ferry to the islands returns</h1><p>By Maren Holt and Ilse Brandt</p>"
    doc = winnow.extract(page("", body))
    assert (doc.authors, doc.sources["authors"]) == (["Maren Holt", "Ilse Brandt"], "header")


# --- malformed JSON-LD --------------------------------------------------------


def test_jsonld_with_html_and_entities_in_strings() -> None:
    item = {"@type": "Article", "headline": "Ferry <em>returns</em> &amp; sails &#8211; again"}
    doc = winnow.extract(page(jsonld(item)))
    assert doc.title == "Ferry returns & sails – again"


def test_jsonld_with_raw_newlines_and_trailing_commas() -> None:
    raw = (
        '{"@type": "Article",\n "headline": "Line one\nline two",\n "datePublished": "2025-11-14",}'
    )
    doc = winnow.extract(page(f'<script type="application/ld+json">{raw}</script>'))
    assert (doc.title, doc.published) == ("Line one line two", "2025-11-14")


def test_several_jsonld_blocks_the_article_wins() -> None:
    head = (
        jsonld({"@type": "WebSite", "name": "Coastal Ledger"})
        + '<script type="application/ld+json">{not json at all</script>'
        + jsonld({"@type": "BreadcrumbList", "itemListElement": []})
        + jsonld({"@type": "NewsArticle", "headline": "Night ferry", "datePublished": "2025-11-14"})
    )
    doc = winnow.extract(page(head))
    assert (doc.title, doc.published, doc.site_name) == (
        "Night ferry",
        "2025-11-14",
        "Coastal Ledger",
    )


def test_a_5_mb_jsonld_block_is_survived_in_budget() -> None:
    big = {"@type": "Article", "headline": "Big block", "articleBody": "word " * 1_000_000}
    html = page(jsonld(big))
    assert len(html) > 5_000_000
    winnow.extract("<p>warm up: load the models, the block classifier and the detector</p>")
    start = time.process_time()
    doc = winnow.extract(html)
    assert time.process_time() - start < 2.0
    assert_types(doc)


@pytest.mark.parametrize(
    "item",
    [
        {"@type": "Article", "headline": 5, "datePublished": 20251114, "author": 7},
        {"@type": "Article", "headline": None, "datePublished": {"@value": "x"}},
        {"@type": "Article", "datePublished": "2025-02-30", "dateModified": ["2025-11-14"]},
        {"@type": ["Article", 3, None], "headline": ["", "Second"], "image": {"url": 5}},
        {"@type": "Article", "publisher": "Coastal Ledger", "articleSection": [1, 2]},
    ],
)
def test_jsonld_values_of_the_wrong_type_never_leak(item: object) -> None:
    assert_types(winnow.extract(page(jsonld(item))))


# --- title, language, text mode ----------------------------------------------


SITE = '<meta property="og:site_name" content="Coastal Ledger">'
OG_TITLE = '<meta property="og:title" content="Night ferry to the islands returns">'
WIDGET = "<div class='modal'><h1>Subscribe to RSS</h1></div>"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # the <h1> a meta title agrees with, not the site's name in an <h1>
        ("<title>Night ferry returns | Coastal Ledger</title>" + SITE,
         "<h1>Coastal Ledger</h1><h1>Night ferry returns</h1>", "Night ferry returns"),
        # an <h1> sharing no word with the declared title is a dialog's
        (OG_TITLE, WIDGET, "Night ferry to the islands returns"),
        # one that shares a word is the page's own headline
        (OG_TITLE, WIDGET + "<h1>The islands' night ferry is back</h1>",
         "The islands' night ferry is back"),
        # a JSON-LD name loses a known site name, and only a known one
        (jsonld({"@type": "Article", "name": "Night ferry returns – Coastal Ledger"}) + SITE,
         "<p>No h1 here</p>", "Night ferry returns"),
        (jsonld({"@type": "Article", "name": "Night ferry returns – Part 1"}),
         "<p>No h1 here</p>", "Night ferry returns – Part 1"),
        # a <title> alone (app shells leave it at the site's name) overrules no <h1>
        ("<title>Ledger - The heart of the coast</title>",
         "<h1>Night ferry to the islands returns</h1>", "Night ferry to the islands returns"),
        # "Site - Headline": the part after the separator is the headline when
        # another declared title reads it, not the site's name to skip
        ("<title>Coastal Ledger - Night ferry to the islands returns</title>" + OG_TITLE,
         "<h1 class='sr-only'>Search</h1><h1>Night ferry to the islands returns</h1>",
         "Night ferry to the islands returns"),
    ],
)  # fmt: skip
def test_the_headline(monkeypatch: pytest.MonkeyPatch, head: str, body: str, title: str) -> None:
    # As on a story: a service or forum page is titled by its declared title (below).
    typed_as(monkeypatch, "article")
    assert winnow.extract(page(head, body)).title == title


@pytest.mark.parametrize(
    ("kind", "title"),
    [("service", "Night ferry tickets"), ("article", "Sail home on the night ferry")],
)
def test_a_service_page_is_titled_by_its_declared_title(
    monkeypatch: pytest.MonkeyPatch, kind: str, title: str
) -> None:
    # A landing page heads itself with a tagline; the page's name is the declared title.
    typed_as(monkeypatch, kind)
    head = SITE + '<meta property="og:title" content="Night ferry tickets | Coastal Ledger">'
    doc = winnow.extract(page(head, "<h1>Sail home on the night ferry</h1>"))
    assert (doc.page_type, doc.title) == (kind, title)


def test_language_from_markup_else_detected() -> None:
    german = (
        "Zum ersten Mal seit 2013 können die Bewohner der Inseln nach dem Abendessen das "
        "Festland verlassen und zu Hause aufwachen. Die Nachtfähre fährt ab Juni wieder."
    )
    doc = winnow.extract(f"<html><body><p>{german}</p></body></html>")
    assert (doc.language, doc.sources["language"]) == ("de", "detected")
    doc = winnow.extract(f'<html lang="de_AT"><body><p>{german}</p></body></html>')
    assert (doc.language, doc.sources["language"]) == ("de-AT", "dom")


def test_text_mode_reads_byline_and_date_line() -> None:
    dump = "\n\n".join(
        ["Home", "News", "Night ferry to the islands returns after eleven years",
         "By Maren Holt", "Nov. 14, 2025", STORY, STORY.replace("2013", "2012")]
    )  # fmt: skip
    doc = winnow.extract(dump, input="text")
    assert doc.title == "Night ferry to the islands returns after eleven years"
    assert (doc.authors, doc.published) == (["Maren Holt"], "2025-11-14")
    assert (doc.sources["authors"], doc.sources["published"]) == ("text", "text")
    assert doc.language == "en"


def test_read_never_raises_on_garbage_markup() -> None:
    garbage = "<html><head><meta content><meta property='og:title'><time datetime='x'>"
    garbage += "<script type='application/ld+json'>" + "{" * 5000 + "</script>"
    meta = read(parse_html(garbage + "<h1></h1><span itemprop='author'></span>"))
    assert meta.get("title") is None


def test_a_bare_name_beside_the_date_line_is_the_byline() -> None:
    body = (
        "<h1>Night ferry to the islands returns</h1><div>Maren Holt</div><div>Nov. 14, 2025</div>"
    )
    doc = winnow.extract(page("", body))
    assert (doc.authors, doc.sources["authors"]) == (["Maren Holt"], "header")


def test_a_label_without_a_date_beside_it_is_no_byline() -> None:
    body = "<h1>Night ferry to the islands returns</h1><div>Travel Desk</div>"
    assert winnow.extract(page("", body)).authors == []


@pytest.mark.parametrize(
    ("kind", "published"), [("product", None), ("service", None), ("article", "2025-11-14")]
)
def test_a_product_or_service_page_has_no_publication_date(
    monkeypatch: pytest.MonkeyPatch, kind: str, published: str | None
) -> None:
    typed_as(monkeypatch, kind)
    head = jsonld({"@type": "Article", "datePublished": "2025-11-14", "dateModified": "2025-12-01"})
    doc = winnow.extract(page(head, "<h1>Night ferry season tickets</h1>"))
    assert (doc.published, doc.updated) == (published, "2025-12-01")
    assert ("published" in doc.sources) == (published is not None)


def test_a_story_declaring_an_faq_is_dated_by_the_line_by_its_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed_as(monkeypatch, "article")
    faq = jsonld({"@type": "FAQPage", "mainEntity": [{"@type": "Question", "name": "When?"}]})
    body = "<h1>Night ferry to the islands returns</h1><div>By Maren Holt</div>"
    dated = body + "<div>Updated: December 09, 2025</div>"
    found = winnow.extract(page(faq, dated), url="https://news.example/ferry")
    assert (found.published, found.sources["published"]) == ("2025-12-09", "header")
    # Without the date line the FAQ says nothing of a date: none is taken from further down.
    elsewhere = body + f"<p>{STORY}</p>" * header.LINES_BELOW + "<div>Nov. 3, 2025</div>"
    assert winnow.extract(page(faq, elsewhere), url="https://news.example/ferry").published is None


def test_a_listing_of_dated_items_gets_no_date_from_its_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed_as(monkeypatch, "listing")
    items = "".join(
        f"<li><a href='/n/{d}'>Story number {d} of the week</a><div>Nov. {d}, 2025</div></li>"
        for d in range(10, 17)
    )
    body = f"<h1>Latest news from the islands</h1><div>Nov. 16, 2025</div><ul>{items}</ul>"
    assert winnow.extract(page("", body), url="https://news.example/latest").published is None


@pytest.mark.parametrize(("kind", "published"), [("listing", None), ("article", "2025-12-01")])
def test_a_listing_keeps_no_date_of_its_items_time_elements(
    monkeypatch: pytest.MonkeyPatch, kind: str, published: str | None
) -> None:
    # A topic page (its URL reads as a forum's) lists stories with their
    # <time>s: the first one is a story's date, not the page's.
    typed_as(monkeypatch, kind)
    items = "".join(
        f'<li><a href="/n/{d}">Story number {d} of the week</a>'
        f'<time datetime="2025-12-0{d}">Dec. {d}, 2025</time><p>{STORY}</p></li>'
        for d in (1, 2)
    )
    deck = "".join(f"<div>Share on network {n}</div>" for n in range(header.LINES_BELOW))
    body = f"<h1>Software</h1>{deck}<ul>{items}</ul>"
    doc = winnow.extract(page("", body), url="https://news.example/topic/software")
    assert doc.published == published
    # A structured date still dates a listing.
    head = jsonld({"@type": "Article", "datePublished": "2025-11-30"})
    doc = winnow.extract(page(head, body), url="https://news.example/topic/software")
    assert doc.published == "2025-11-30"


def test_a_declared_article_keeps_its_date_line_beside_a_list_of_dated_stories(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed_as(monkeypatch, "listing")
    related = "".join(
        f"<li><a href='/n/{d}'>Story number {d} of the week</a><div>Nov. {d}, 2025</div></li>"
        for d in range(10, 17)
    )
    body = f"<h1>Night ferry to the islands returns</h1><div>Nov. 18, 2025</div><ul>{related}</ul>"
    article = '<meta property="og:type" content="article">'
    url = "https://news.example/ferry"
    found = winnow.extract(page(article, body), url=url)
    assert (found.published, found.sources["published"]) == ("2025-11-18", "header")
    # Without the declared type the same page reads as a listing of dated items,
    assert winnow.extract(page("", body), url=url).published is None
    # unless the page-type classifier calls it a story.
    typed_as(monkeypatch, "article")
    assert winnow.extract(page("", body), url=url).published == "2025-11-18"


def test_a_listing_whose_time_elements_show_many_days_gets_no_date_from_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The <time>s alone say listing here: the classifier's verdict is not
    # asked (a page it calls a listing keeps no <time> date at all).
    typed_as(monkeypatch, "article")

    # The items show "Mar 7" (no year), so only their <time> elements tell the days.
    def listing(days: range) -> str:
        items = "".join(
            f"<li><a href='/p/{d}'>Post number {d}</a> "
            f"<time datetime='2026-03-{d:02d}T10:00:00Z'>Mar {d}</time></li>"
            for d in days
        )
        return page("", f"<h1>Latest posts from the community</h1><ul>{items}</ul>")

    url = "https://posts.example/latest"
    assert winnow.extract(listing(range(3, 8)), url=url).published is None
    # Fewer days than a listing shows: the first <time> is the page's own date.
    found = winnow.extract(listing(range(3, 7)), url=url)
    assert (found.published, found.sources["published"]) == ("2026-03-03T10:00:00Z", "dom")


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Harry Rabinowitz Tech Reporter", ["Harry Rabinowitz"]),
        ("Justin C. Meserole Senior Editor", ["Justin C. Meserole"]),
        ("Post by galitsyn", ["galitsyn"]),
        ("via scvalex 1 year ago", ["scvalex"]),
        ("Maren Holt November 26th", ["Maren Holt"]),
        ("Share", []),
    ],
)
def test_job_titles_and_tails_glued_to_a_name_go(raw: str, names: list[str]) -> None:
    assert authors.clean([raw]) == names


def test_a_blog_named_in_its_h1_titles_the_post_with_an_h2() -> None:
    head = '<meta property="og:title" content="Progress report number 39">'
    body = "<h1>Antoyo's Blog</h1><h2>Progress report number 39</h2>"
    assert winnow.extract(page(head, body)).title == "Progress report number 39"


@pytest.mark.parametrize(
    ("lines", "names"),
    [
        (
            ["Night ferry returns after eleven years", "By", "Maren Holt", "Nov. 14, 2025"],
            ["Maren Holt"],
        ),
        (["Night ferry returns after eleven years", "Written by:", "Maren Holt"], ["Maren Holt"]),
        (["Night ferry returns after eleven years", "By", "Nov. 14, 2025"], []),  # no name below
        (
            ["Night ferry returns after eleven years", "Maren Holt", "4 min read", "Nov. 14, 2025"],
            ["Maren Holt"],
        ),
        (
            ["Night ferry returns after eleven years", "Maren Holt", "4 min read"],
            [],
        ),  # no date line
    ],
)
def test_byline_lines_below_a_headline(lines: list[str], names: list[str]) -> None:
    assert header.scan_at(lines, 0).authors == names


def test_an_ambiguous_date_line_is_read_the_way_a_time_element_dates_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "03/01/2017" is the 3rd of January or the 1st of March; the page's own
    # <time> says which. A sidebar of other stories' days makes the page read
    # as a listing, so only the line by the headline can date it.
    typed_as(monkeypatch, "article")
    sidebar = "".join(
        f'<li>Story {d}<time datetime="2025-12-{d:02d}T12:00:00Z">12/{d:02d}/2025</time></li>'
        for d in range(10, 16)
    )

    def story(stamp: str) -> str:
        return page("", f"<ul>{sidebar}</ul>{HEADLINE}<div>{stamp} by Maren Holt</div>")

    doc = winnow.extract(story('<time datetime="2017-03-01T12:00:00Z">03/01/2017</time>'))
    assert (doc.published, doc.sources["published"]) == ("2017-03-01", "header")
    assert winnow.extract(story("03/01/2017")).published is None


def test_the_date_beside_the_authors_byline_dates_the_page_far_from_the_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A deck and a share bar push the byline and its date past the lines
    # read by the headline; the author's name, known from the markup, finds it.
    typed_as(monkeypatch, "article")
    author = '<meta name="author" content="Maren Holt">'
    deck = "".join(f"<div>Share on network {n}</div>" for n in range(header.LINES_BELOW))
    byline = "<div>Maren Holt</div><div>Senior Editor</div><div>May 31, 2024</div>"
    doc = winnow.extract(page(author, HEADLINE + deck + byline + f"<p>{STORY}</p>"))
    assert (doc.published, doc.sources["published"]) == ("2024-05-31", "dom")
    # The same date line away from any byline of the author dates nothing.
    away = HEADLINE + deck + byline.replace("Maren Holt", "Weather") + f"<p>{STORY}</p>"
    assert winnow.extract(page(author, away)).published is None


def test_a_byline_date_is_on_the_names_line_or_opens_a_line_right_after_it() -> None:
    lines = ["Night ferry", "By Maren Holt", "Senior Editor", "May 31, 2024"]
    assert header.by_name(lines, ["Maren Holt"]) == "2024-05-31"
    assert header.by_name(["Maren Holt · May 31, 2024"], ["Maren Holt"]) == "2024-05-31"
    far = ["By Maren Holt", "Senior Editor", "Islands desk", "May 31, 2024"]
    assert header.by_name(far, ["Maren Holt"]) is None
    assert header.by_name(["By Maren Holt", "8/1/2025"], ["Maren Holt"]) is None
    assert header.by_name(["By Maren Holt", "May 31, 2024"], []) is None


@pytest.mark.parametrize(
    "card",
    [["Joined", "Nov 4, 2011"], ["Joined: Nov 4, 2011"], ["Member since", "4 November 2011"]],
)
def test_a_members_join_date_by_the_headline_is_not_the_threads(card: list[str]) -> None:
    lines = ["Night ferry to the islands returns", "Thread starter maren", "maren", *card]
    found = header.scan_at(lines, 0)
    assert (found.dates, found.publication) == ([], None)
    # A role in a byline is no member label.
    byline = ["Night ferry to the islands returns", "By Maren Holt, Registered Dietitian"]
    assert header.scan_at([*byline, "Nov 4, 2011"], 0).publication == "2011-11-04"


def test_a_line_labelled_as_the_publication_overrules_a_structured_day() -> None:
    # No date line by the headline; the story's foot says when it was
    # published, and the structured date is a CMS's restamp.
    def story(day: str) -> str:
        foot = f"<footer><p>Published {day}</p></footer>"
        return page(STAMPED, HEADLINE + f"<p>{STORY}</p>" * 12 + foot)

    doc = winnow.extract(story("July 8, 2025"))
    assert (doc.published, doc.sources["published"]) == ("2025-07-08", "dom")
    # The structured value of the same day is used, with its time.
    doc = winnow.extract(story("Sep 12, 2012"))
    assert (doc.published, doc.sources["published"]) == ("2012-09-12T16:45:28Z", "json-ld")


def test_a_sentence_that_mentions_a_date_is_not_a_date_line() -> None:
    title = "Night ferry to the islands returns"
    prose = "On 2 Dec 2024, I received this message from the harbour master of the islands:"
    assert header.scan_at([title, "Maren Holt", prose], 0).dates == []
    # A date line goes on with a byline or a read time, and is read.
    for line in (
        "Posted on December 18, 2025 Posted by Maren Holt 59 Comments",
        "Dec 2, 2024 · 4 min read",
        "Reviewed by Ilse Brandt on December 2, 2024.",
    ):
        assert header.scan_at([title, line], 0).publication is not None, line


NAIVE = jsonld({"@type": "Article", "datePublished": "2024-05-27T07:11:40"})
FAR_TIME = HEADLINE + f"<p>{STORY}</p>" * 10 + "<time>2024-05-26T22:40</time>"


@pytest.mark.parametrize(
    ("body", "published", "source"),
    [
        (HEADLINE + "<div>May 28, 2024</div>", "2024-05-28", "header"),
        (FAR_TIME, "2024-05-26T22:40", "dom"),  # the first <time>, far from the headline
        (HEADLINE + "<div>May 25, 2024</div>", "2024-05-25", "header"),  # two days: another date
    ],
)
def test_a_structured_time_without_an_offset_yields_to_the_day_the_page_shows(
    body: str, published: str, source: str
) -> None:
    # "07:11:40" on no known clock: the 27th there is the 26th or the 28th on some
    # reader's clock, and the page shows which.
    doc = winnow.extract(page(NAIVE, body))
    assert (doc.published, doc.sources["published"]) == (published, source)
    # With an offset the moment is known: its own day stands (a day apart is a time zone).
    offset = NAIVE.replace("07:11:40", "07:11:40Z")
    doc = winnow.extract(page(offset, HEADLINE + "<div>May 28, 2024</div>"))
    assert (doc.published, doc.sources["published"]) == ("2024-05-27T07:11:40Z", "json-ld")


def test_a_date_line_showing_the_update_then_the_publication_takes_the_publication() -> None:
    head = jsonld(
        {
            "@type": "Article",
            "datePublished": "2025-04-24T16:12:49Z",
            "dateModified": "2025-05-21T14:06:47Z",
        }
    )
    line = "<div><span>May 21, 2025</span><span>April 24, 2025</span> by Maren Holt</div>"
    doc = winnow.extract(page(head, HEADLINE + line))
    assert (doc.published, doc.sources["published"]) == ("2025-04-24T16:12:49Z", "json-ld")
    # Without structured data saying which is the update, the first day shown stands.
    doc = winnow.extract(page("", HEADLINE + line))
    assert (doc.published, doc.sources["published"]) == ("2025-05-21", "header")


def test_the_h1s_date_line_dates_a_page_whose_title_is_a_section_heading() -> None:
    # The declared title is a heading further down; the headline is the <h1>.
    head = '<meta property="og:title" content="How the night ferry crosses">'
    section = f"<p>{STORY}</p>" * 4 + f"<h2>How the night ferry crosses</h2><p>{STORY}</p>"
    doc = winnow.extract(page(head, HEADLINE + "<h5>2024-11-06</h5>" + section))
    assert doc.title == "How the night ferry crosses"
    assert (doc.published, doc.sources["published"]) == ("2024-11-06", "header")
    # Only the line right under the <h1>, and only a publication line.
    for below in (f"<p>{STORY}</p><h5>2024-11-06</h5>", "<h5>Last active 2024-11-06</h5>"):
        assert winnow.extract(page(head, HEADLINE + below + section)).published is None


def test_a_vendor_prefixed_publication_key_is_read_after_the_known_keys() -> None:
    def meta(name: str, day: str) -> str:
        return f'<meta name="{name}" content="{day}T06:03:43Z">'

    doc = winnow.extract(page(meta("w-published-date", "2025-05-27"), HEADLINE))
    assert (doc.published, doc.sources["published"]) == ("2025-05-27T06:03:43Z", "meta")
    both = meta("swiftype.publish_date", "2025-05-27") + meta("publish_date", "2024-01-02")
    assert winnow.extract(page(both, HEADLINE)).published == "2024-01-02T06:03:43Z"
    # A separator before the known key: "republished_date" is no vendor's prefix.
    assert winnow.extract(page(meta("republished_date", "2025-05-27"), HEADLINE)).published is None


def test_json_ld_carried_in_a_meta_content_is_read() -> None:
    # A head manager writes the JSON-LD as a <meta>, its quotes escaped.
    item = {"@type": "Article", "headline": "Night ferry", "datePublished": "2025-11-17T09:00:00Z"}
    carried = f'<meta name="script:ld+json" content="{escape(json.dumps(item))}">'
    doc = winnow.extract(page(carried, HEADLINE))
    assert (doc.published, doc.sources["published"]) == ("2025-11-17T09:00:00Z", "json-ld")
    # It is no script block: the page kind the block classifier reads is unchanged.
    assert read(parse_html(page(carried, HEADLINE))).types == []
    # A <meta> content that is no JSON-LD object is not read as one.
    plain = '<meta name="note" content="{published 2025-11-17}">'
    assert winnow.extract(page(plain, HEADLINE)).published is None


def test_a_declared_thread_typed_as_a_service_keeps_its_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed_as(monkeypatch, "service")
    posting = {"@type": "DiscussionForumPosting", "datePublished": "2024-02-21 13:00:00"}
    # A tab inside a string: the block is not strict JSON, read leniently.
    lenient = jsonld(posting).replace("13:00:00", "13:00:00\t")
    for head in (jsonld(posting), lenient):
        doc = winnow.extract(page(head, HEADLINE))
        assert (doc.published, doc.sources["published"]) == ("2024-02-21T13:00:00", "json-ld")
    # A service page that declares an article has no publication date.
    article = jsonld({**posting, "@type": "Article"})
    assert winnow.extract(page(article, HEADLINE)).published is None


def test_a_line_saying_when_the_piece_was_originally_published_overrules_the_headlines() -> None:
    foot = "This article was originally published on 26 Sep 2019 at 4:12pm but has been updated."
    body = HEADLINE + "<div>Maren Holt</div><div>30 Sep 2022, 11:07am</div>"
    doc = winnow.extract(page("", body + f"<p>{STORY}</p>" * 6 + f"<p>{foot}</p>"))
    assert (doc.published, doc.sources["published"]) == ("2019-09-26T16:12", "dom")
    # Without it, the headline's date line stands.
    assert winnow.extract(page("", body)).published == "2022-09-30T11:07"
    # The text door reads it too.
    lines = ["Night ferry to the islands returns", "30 Sep 2022, 11:07am", *[STORY] * 6, foot]
    assert winnow.extract("\n\n".join(lines), input="text").published == "2019-09-26T16:12"
    dump = "\n\n".join(lines[:-1])
    assert winnow.extract(dump, input="text").published == "2022-09-30T11:07"
    # The date must follow the words: a month alone, then an update, says no day.
    vague = ["Originally published in March 2022. Last updated on December 20, 2024."]
    assert header.original(vague) is None
    assert header.original(["Originally Posted by islander_42", "May 2, 2024"]) is None
    weekday = ["This page was originally published on Wednesday, March 2, 2022."]
    assert header.original(weekday) == "2022-03-02"
    # A paragraph that mentions it is no such line.
    assert header.original([f"{STORY} It was originally published on 26 Sep 2019."]) is None


STAMP = '<meta property="article:published_time" content="2022-01-19T23:25:49+02:00">'


@pytest.mark.parametrize(
    ("kind", "head", "url", "published"),
    [
        # A listing that its URL or its declared types call one too: the collection's stamp.
        ("listing", STAMP, "https://shop.example/category/multiplayer/", None),
        ("listing", STAMP + jsonld({"@type": "CollectionPage"}), "https://shop.example/x", None),
        ("listing", STAMP, "https://news.example/ferries/night-crossing", "2022-01-19"),
        # A docs page that declares a TechArticle: its build or last edit.
        ("documentation", STAMP + jsonld({"@type": "TechArticle"}), None, None),
        ("documentation", STAMP, None, "2022-01-19"),
        ("article", STAMP + jsonld({"@type": "TechArticle"}), None, "2022-01-19"),
    ],
)
def test_a_typed_listing_or_docs_page_keeps_no_structured_stamp(
    monkeypatch: pytest.MonkeyPatch, kind: str, head: str, url: str | None, published: str | None
) -> None:
    typed_as(monkeypatch, kind)
    doc = winnow.extract(page(head, HEADLINE), url=url)
    assert dates.day(doc.published) == dates.day(published)
    # A page that shows the day by its headline keeps it (a post mistyped as a listing).
    dated = winnow.extract(page(head, HEADLINE + "<div>Jan 19, 2022</div>"), url=url)
    assert dates.day(dated.published) == dates.day("2022-01-19")
