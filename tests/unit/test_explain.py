"""``winnow explain``: the rows, the truth comparison, the report's safety and the command.

The browser half (filters, what shows, that no page script runs in Chromium)
is ``tests/browser/test_explain_browser.py``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from winnow import cli, extract
from winnow.errors import ExtractionError
from winnow.evaluate import score_text, tokenize
from winnow.explain import Truth, TruthError, explain, load_truth
from winnow.explain.rows import rows_of
from winnow.explain.truth import compare, marked
from winnow.pipeline import traced

TESTS = Path(__file__).parent.parent
HOSTILE = TESTS / "explain" / "hostile.html"
ARTICLE = TESTS / "pages" / "article-gameinformer-board-games"  # WCXB (Foley, 2026)
DUMP = TESTS / "pages" / "seed-text" / "source.txt"


def article() -> bytes:
    return gzip.decompress((ARTICLE / "source.html.gz").read_bytes())


# --- the trace and the rows ---------------------------------------------------


@pytest.mark.parametrize("page", [article, HOSTILE.read_bytes, DUMP.read_bytes])
def test_traced_gives_the_document_extract_gives(page: object) -> None:
    data = page()  # type: ignore[operator]
    assert traced(data)[0].to_dict() == extract(data).to_dict()


@pytest.mark.parametrize("page", [article, DUMP.read_bytes])
def test_every_block_has_a_row_and_the_rows_agree_with_the_document(page: object) -> None:
    doc, trace = traced(page())  # type: ignore[operator]
    rows = rows_of(doc, trace)
    assert [row.text for row in rows.rows] == trace.texts()
    assert {row.status for row in rows.rows} >= {"kept", "dropped"}
    # Each dropped row carries a Decision of doc.removed, and each of those is shown.
    shown = Counter((r.stage, r.rule, r.reason) for r in rows.rows if r.status == "dropped")
    removed = Counter((d.stage, d.rule, d.reason) for d in doc.removed)
    assert set(shown) == set(removed) - {(d.stage, d.rule, d.reason) for d in rows.page_decisions}
    # The body's words all come from kept rows (or rows structure used).
    body = Counter(tokenize(doc.text))
    used = Counter(tokenize(" ".join(r.text for r in rows.rows if r.status != "dropped")))
    assert not body - used
    for row in rows.rows:
        if row.status == "kept" and row.rule == "chosen":
            assert row.score >= rows.cut
        if row.status == "dropped":  # a run of lines names its best score
            named = re.search(r"classifier score (\d\.\d\d)", row.reason)
            assert named and round(row.score, 2) <= float(named.group(1))


def test_text_dump_rows_name_the_header_lines() -> None:
    doc, trace = traced(DUMP.read_bytes())
    roles = {row.role: row.text for row in rows_of(doc, trace).rows if row.role}
    assert roles["title"] == doc.title
    assert roles["kicker"] == doc.kicker
    assert roles["subtitle"] == doc.subtitle
    assert "figure caption" in roles


def test_each_front_door_reports_its_own_floor() -> None:
    # Text mode keeps lines down to its own floor; the report must say so.
    from winnow.stages import select, textmode

    dump_rows = rows_of(*traced(DUMP.read_bytes()))
    page_rows = rows_of(*traced(article()))
    assert dump_rows.floor == textmode.MIN_SCORE
    assert page_rows.floor == select.MIN_SCORE
    assert textmode.MIN_SCORE != select.MIN_SCORE


def test_a_page_without_text_has_no_rows_but_its_decision() -> None:
    doc, trace = traced(b"<html><body>   </body></html>")
    rows = rows_of(doc, trace)
    assert rows.rows == []
    assert [d.rule for d in rows.page_decisions] == ["no-text"]
    assert "The page has no blocks to show." in explain(b"<html><body> </body></html>")


# --- the ground truth ---------------------------------------------------------


def test_truth_reads_the_wcxb_record_and_the_flat_form(tmp_path: Path) -> None:
    fields = json.loads((ARTICLE / "truth.json").read_text(encoding="utf-8"))
    flat = load_truth(ARTICLE / "truth.json")
    wcxb = tmp_path / "0001.json"
    wcxb.write_text(json.dumps({"schema_version": "2.0", "ground_truth": fields}))
    assert load_truth(wcxb) == flat
    assert flat.text == fields["main_content"] and flat.title == fields["title"]


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"ground_truth": {"title": "x"}}'])
def test_a_file_that_is_no_truth_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "truth.json"
    path.write_text(content)
    with pytest.raises(TruthError):
        load_truth(path)


def test_compare_scores_as_the_benchmark_and_marks_each_surplus_word_once() -> None:
    extracted = "The ferry sails. The ferry sails again, cookies!"
    truth = Truth("The ferry sails again at night.")
    result = compare(extracted, truth)
    assert result.score == score_text(extracted, truth.text)
    extra = [piece for piece, flagged in result.extracted if flagged]
    missed = [piece for piece, flagged in result.truth if flagged]
    assert extra == ["The", "ferry", "sails", "cookies"]
    assert missed == ["at", "night"]
    assert (result.extra_words, result.missed_words) == (4, 2)
    assert "".join(piece for piece, _ in result.extracted) == extracted


def test_marked_flags_the_last_occurrences() -> None:
    pieces = list(marked("a b a a", Counter({"a": 2})))
    assert [p for p, f in pieces if f] == ["a", "a"]
    assert pieces[0] == ("a", False)


def test_report_with_truth_shows_the_score_and_the_marked_words() -> None:
    # A sentence the page never had: the report must mark it as missed.
    truth = load_truth(ARTICLE / "truth.json")
    truth = Truth(truth.text + "\nA closing line no page holds.", truth.title)
    report = explain(article(), truth=truth)
    f1 = score_text(extract(article()).text, truth.text).f1
    assert f"WCXB word F1 <b>{f1:.3f}</b>" in report
    tree = LexborHTMLParser(report)
    assert tree.css_first("#truth-text") is not None
    missed = " ".join(node.text() for node in tree.css("#truth-text mark.missed"))
    assert {"closing", "holds"} <= set(missed.split())


def test_blocks_that_disagree_with_the_truth_are_flagged() -> None:
    doc = extract(HOSTILE.read_bytes())
    first = next(b.text for b in doc.blocks if b.kind == "paragraph")
    footer = next(d.text for d in doc.removed if d.rule == "footer")
    report = explain(HOSTILE.read_bytes(), truth=Truth(f"{first}\nSport. Weather.\n{footer}"))
    blocks = {
        li.css_first("p").text(): (
            li.attributes["data-status"],
            li.attributes["data-truth"],
            [mark.text() for mark in li.css("mark")],
        )
        for li in LexborHTMLParser(report).css("#blocks > li")
    }
    assert blocks["Sport"] == ("dropped", "missed", ["Sport"])
    assert blocks["Weather"] == ("dropped", "missed", ["Weather"])
    assert blocks["News"] == ("dropped", "", [])
    # The footer's words that the extracted text lacks are marked where they stand.
    assert blocks[footer][2] == ["Gazette", "footer", "rights", "reserved", "Privacy"]
    assert blocks[first][:2] == ("kept", "")
    extra = [text for text, (status, truth, _) in blocks.items() if truth == "extra"]
    assert len(extra) >= 4 and all(blocks[t][0] == "kept" for t in extra)


# --- safety -------------------------------------------------------------------


def test_nothing_of_a_hostile_page_becomes_markup() -> None:
    report = explain(HOSTILE.read_bytes(), name="<script>alert(1)</script>.html")
    tree = LexborHTMLParser(report)
    scripts = tree.css("script")
    assert len(scripts) == 1 and "__pwned" not in scripts[0].text()
    for node in tree.root.traverse():  # type: ignore[union-attr]
        attributes = node.attributes
        assert not [a for a in attributes if a.lower().startswith("on")], node.html
        assert not {"href", "src", "srcdoc", "action", "formaction", "style"} & set(attributes)
        assert node.tag not in {"img", "svg", "iframe", "textarea", "a", "base", "link", "object"}
    # The hostile strings are there, as text a reader can see.
    text = tree.body.text()  # type: ignore[union-attr]
    for needle in ("window.__pwned='p1'", "</textarea>", "</script>", "<!--", "onerror="):
        assert needle in text
    assert "<!--" not in report and "<img" not in report and "<textarea" not in report


def test_the_policy_allows_only_the_reports_own_style_and_script() -> None:
    report = explain(HOSTILE.read_bytes())
    tree = LexborHTMLParser(report)
    head = tree.head
    assert head is not None
    metas = head.css("meta")
    assert metas[0].attributes.get("charset") == "utf-8"
    policy = metas[1].attributes
    assert policy.get("http-equiv") == "Content-Security-Policy"
    content = policy.get("content") or ""
    directives = dict(d.strip().split(" ", 1) for d in content.split(";"))
    assert directives["default-src"] == "'none'"
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (node,) = tree.css(tag)
        digest = hashlib.sha256(node.text().encode()).digest()
        assert directives[directive] == f"'sha256-{base64.b64encode(digest).decode()}'"
    assert not re.search(r"unsafe-inline|unsafe-eval|https?:|\*", content)


def test_the_report_is_a_pure_function_of_its_input() -> None:
    page = HOSTILE.read_bytes()
    assert explain(page, name="a") == explain(page, name="a")


# --- the command ---------------------------------------------------------------


def test_the_command_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    page = tmp_path / "page.html.gz"
    page.write_bytes((ARTICLE / "source.html.gz").read_bytes())
    args = ["explain", str(page), "-o", str(out), "--truth", str(ARTICLE / "truth.json")]
    assert cli.main([*args, "--url", "https://example.org/a", "--favor", "precision"]) == 0
    report = out.read_text(encoding="utf-8")
    assert "WCXB word F1" in report and "https://example.org/a" in report
    assert capsys.readouterr().err == ""


def test_the_command_explains_a_text_dump(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli.main(["explain", str(DUMP), "-o", str(out), "--input", "text"]) == 0
    report = out.read_text(encoding="utf-8")
    assert "Read as a flattened text dump" in report
    assert "© Reuters" in report


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda d: d / "missing.html", [], "missing.html: No such file"),
        (lambda d: d / "binary.bin", [], "not a web page"),
        (lambda d: d / "page.html", ["--truth", "nope.json"], "nope.json: cannot read the truth"),
    ],
)
def test_the_command_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, extra: list[str], message: str
) -> None:
    (tmp_path / "binary.bin").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    (tmp_path / "page.html").write_bytes(b"<p>Hello there, reader.</p>")
    path = make(tmp_path)  # type: ignore[operator]
    out = tmp_path / "report.html"
    assert cli.main(["explain", str(path), "-o", str(out), *extra]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


def test_explain_raises_what_extract_raises() -> None:
    with pytest.raises(ExtractionError):
        explain(b"%PDF-1.7\n" + bytes(range(256)) * 8)
