"""Document → text / Markdown / HTML / dict, over hand-built Documents."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from html.parser import HTMLParser
from pathlib import Path

import pytest

from winnow.model import Block, Decision, Document
from winnow.stages.render import safe_url, to_dict, to_html, to_markdown, to_text

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def article() -> Document:
    return Document(
        url="https://news.example.org/2024/05/harbour",
        title="Harbour reopens after storm",
        authors=["Ana Lima", "Tom Reyes"],
        published="2024-05-01",
        language="en",
        tags=["harbour", "weather"],
        blocks=[
            Block("heading", "Harbour reopens after storm", level=1),
            Block("paragraph", "Boats left at dawn."),
            Block("heading", "What changed", level=2),
            Block("list", "New pier\nLonger hours", items=("New pier", "Longer hours")),
            Block("list", "Plan\nBuild", items=("Plan", "Build"), ordered=True),
            Block("quote", "We are back."),
            Block("code", "print('hi')\n", language="python"),
            Block(
                "table",
                "Day Boats\nMon 4",
                rows=(("Day", "Boats"), ("Mon", "4"), ("Tue|Wed", "7")),
                header=True,
            ),
            Block(
                "figure",
                "The pier at dawn.",
                caption="The pier at dawn.",
                credit="Photo: Jo Park",
                src="/img/pier.jpg",
            ),
        ],
        removed=[Decision("select", "link-dense", "mostly links", "Home News Sport")],
        sources={"title": "json-ld", "authors": "meta"},
    )


def test_text_separates_blocks_with_one_blank_line() -> None:
    assert to_text(article()) == (
        "Harbour reopens after storm\n\n"
        "Boats left at dawn.\n\n"
        "What changed\n\n"
        "New pier\nLonger hours\n\n"
        "Plan\nBuild\n\n"
        "We are back.\n\n"
        "print('hi')\n\n"
        "Day | Boats\nMon | 4\nTue|Wed | 7"
    )


def test_text_skips_empty_blocks_and_keeps_code_indentation() -> None:
    doc = Document(
        blocks=[
            Block("paragraph", "  "),
            Block("code", "def f():\n    return 1\n"),
            Block("figure", ""),
            Block("paragraph", " last "),
        ]
    )
    assert to_text(doc) == "def f():\n    return 1\n\nlast"
    assert doc.text == to_text(doc)


def test_markdown() -> None:
    assert to_markdown(article()) == (
        "# Harbour reopens after storm\n\n"
        "Boats left at dawn.\n\n"
        "## What changed\n\n"
        "- New pier\n- Longer hours\n\n"
        "1. Plan\n2. Build\n\n"
        "> We are back.\n\n"
        "```python\nprint('hi')\n```\n\n"
        "| Day | Boats |\n| --- | --- |\n| Mon | 4 |\n| Tue\\|Wed | 7 |\n\n"
        "![The pier at dawn.](https://news.example.org/img/pier.jpg)\n"
        "The pier at dawn. — Photo: Jo Park"
    )


def test_markdown_keeps_paragraphs_paragraphs() -> None:
    doc = Document(
        blocks=[
            Block("paragraph", "# not a heading\n1. not a list\n- not an item\n---"),
            Block("paragraph", "a <b>tag</b> stays text"),
        ]
    )
    assert to_markdown(doc) == (
        "\\# not a heading\n1\\. not a list\n\\- not an item\n\\---\n\na \\<b>tag\\</b> stays text"
    )


def test_markdown_code_fence_outgrows_backticks_in_code() -> None:
    doc = Document(blocks=[Block("code", "```\nnested\n```", language="md`x")])
    assert to_markdown(doc) == "````mdx\n```\nnested\n```\n````"


def test_markdown_table_without_header_gets_an_empty_header_row() -> None:
    doc = Document(blocks=[Block("table", "", rows=(("a", "b"), ("c",)))])
    assert to_markdown(doc) == "|  |  |\n| --- | --- |\n| a | b |\n| c |  |"


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def hostile() -> Document:
    return Document(
        url="javascript:alert(3)//",
        title=HOSTILE,
        blocks=[
            Block("heading", HOSTILE, level=9),
            Block("paragraph", f"<a href='javascript:alert(4)'>x</a> {HOSTILE}"),
            Block("list", HOSTILE, items=(HOSTILE, "onerror=alert(5)")),
            Block("quote", HOSTILE),
            Block("code", f"</code></pre>{HOSTILE}", language=HOSTILE),
            Block("table", HOSTILE, rows=((HOSTILE, "x"),), header=True),
            Block("figure", HOSTILE, caption=HOSTILE, credit=HOSTILE, src="javascript:alert(6)"),
            Block("figure", "", caption="data", src="data:text/html,<script>alert(7)</script>"),
            Block("figure", "", caption="tab", src="java\tscript:alert(8)"),
            Block("figure", "", caption="ok", src='https://img.example.org/a.jpg" onerror="x'),
            Block("figure", "", caption="ok", src="https://img.example.org/b.jpg"),
        ],
    )


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


ALLOWED_TAGS = {
    "article", "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li",
    "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip


def test_html_is_safe_with_hostile_strings() -> None:
    out = to_html(hostile())
    parser = TagCollector()
    parser.feed(out)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    for tag, attrs in parser.tags:
        names = [name for name, _ in attrs]
        assert names == (["src", "alt"] if tag == "img" else [])
    srcs = [dict(attrs)["src"] for tag, attrs in parser.tags if tag == "img"]
    assert srcs == ["https://img.example.org/b.jpg"]
    assert "<script" not in out
    assert "javascript:" not in out.replace("javascript:alert(4)", "")
    assert "&lt;script&gt;" in out


def test_html_structure() -> None:
    out = to_html(article())
    assert out.startswith("<article>\n<h1>Harbour reopens after storm</h1>\n<p>")
    assert out.endswith("</article>")
    assert out.count("<h1>") == 1  # the heading repeating the title is not repeated
    assert "<h2>What changed</h2>" in out
    assert "<ul><li>New pier</li><li>Longer hours</li></ul>" in out
    assert "<ol><li>Plan</li><li>Build</li></ol>" in out
    assert "<blockquote><p>We are back.</p></blockquote>" in out
    assert "<pre><code>print(&#x27;hi&#x27;)</code></pre>" in out
    assert "<thead><tr><th>Day</th><th>Boats</th></tr></thead>" in out
    assert (
        '<figure><img src="https://news.example.org/img/pier.jpg" alt="The pier at dawn.">'
        "<figcaption>The pier at dawn. — Photo: Jo Park</figcaption></figure>"
    ) in out


def test_html_heading_levels_are_clamped_below_the_title() -> None:
    doc = Document(blocks=[Block("heading", "a", level=1), Block("heading", "b", level=9)])
    assert to_html(doc) == "<article>\n<h2>a</h2>\n<h6>b</h6>\n</article>"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://a.example/x.jpg", None, "https://a.example/x.jpg"),
        ("/x.jpg", "http://a.example/p/", "http://a.example/x.jpg"),
        ("//cdn.example/x.jpg", "https://a.example/", "https://cdn.example/x.jpg"),
        ("x.jpg", None, ""),
        ("javascript:alert(1)", None, ""),
        (" JavaScript:alert(1)", "https://a.example/", ""),
        ("data:image/png;base64,AAAA", None, ""),
        ("vbscript:msgbox", None, ""),
        ("https://a.example/x y.jpg", None, ""),
        ('https://a.example/x.jpg" onerror="x', None, ""),
    ],
)
def test_safe_url(url: str, base: str | None, expected: str) -> None:
    assert safe_url(url, base) == expected


def test_markdown_drops_unsafe_image_sources_and_escapes_raw_html() -> None:
    doc = hostile()
    out = to_markdown(doc)
    assert "](javascript:" not in out and "](data:" not in out
    assert "![ok](https://img.example.org/b.jpg)" in out
    # Code is verbatim inside its fence; everywhere else a tag start is escaped.
    doc.blocks = [block for block in doc.blocks if block.kind != "code"]
    assert not re.search(r"(?<!\\)<[a-z/]", to_markdown(doc))


def test_to_dict_has_every_field_and_is_json() -> None:
    doc = article()
    data = to_dict(doc)
    assert {f.name for f in fields(Document)} <= set(data)
    assert data["text"] == to_text(doc)
    assert data["removed"] == [
        {
            "stage": "select",
            "rule": "link-dense",
            "reason": "mostly links",
            "text": "Home News Sport",
        }
    ]
    assert data["sources"] == {"title": "json-ld", "authors": "meta"}
    assert data["blocks"][3] == {
        "kind": "list",
        "text": "New pier\nLonger hours",
        "items": ["New pier", "Longer hours"],
        "ordered": False,
    }
    assert json.loads(json.dumps(data)) == data
    assert doc.to_dict() == data


def test_to_dict_is_deterministic() -> None:
    first = json.dumps(to_dict(article()), ensure_ascii=False)
    assert first == json.dumps(to_dict(article()), ensure_ascii=False)


def documented_keys(section: str) -> set[str]:
    """Backticked keys in the first column of the tables under ``## section``."""
    text = SCHEMA.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M))


def test_every_key_of_to_dict_is_documented() -> None:
    data = to_dict(article())
    assert set(data) <= documented_keys("Document")
    block_keys = {key for block in data["blocks"] for key in block}
    assert block_keys <= documented_keys("Block")
    assert {key for d in data["removed"] for key in d} <= documented_keys("Decision")


def test_every_block_kind_is_covered_by_the_schema_test() -> None:
    kinds = {block.kind for block in article().blocks}
    assert kinds == {"heading", "paragraph", "list", "quote", "table", "code", "figure"}


def test_markdown_and_html_put_the_dateline_back_in_front_of_the_first_paragraph() -> None:
    doc = Document(
        dateline="PORT ARDEN",
        blocks=[Block("heading", "Ferry", level=2), Block("paragraph", "Boats left at dawn.")],
    )
    assert "PORT ARDEN — Boats left at dawn." in to_markdown(doc)
    assert "PORT ARDEN — Boats left at dawn." in to_html(doc)
    assert to_text(doc) == "Ferry\n\nPORT ARDEN — Boats left at dawn."


def test_every_rendering_shows_the_deck_under_the_title() -> None:
    doc = Document(
        title="Night ferry returns",
        subtitle="A smaller boat <and> a new timetable.",
        blocks=[Block("paragraph", "Boats left at dawn.")],
    )
    assert to_text(doc) == "A smaller boat <and> a new timetable.\n\nBoats left at dawn."
    assert to_markdown(doc).startswith("# Night ferry returns\n\nA smaller boat")
    assert "<h1>Night ferry returns</h1>\n<p>A smaller boat &lt;and&gt; a new timetable.</p>" in (
        to_html(doc)
    )
