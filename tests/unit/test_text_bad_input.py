"""Bad text dumps: each gives a Document or an ExtractionError, within 2 s.

The contract of issue 3 for the text front door: binary bytes, a 50 MB dump,
a single 10 MB line, only blank lines, mixed line endings and invalid UTF-8
each come back as a Document (possibly empty, the reason in ``doc.removed``)
or as ``ExtractionError``, never as another exception, and within 2 s.
"""

from __future__ import annotations

import random
import time

import pytest

import winnow
from winnow import Document, ExtractionError

# CPU time of this process: wall time on a shared machine also counts the others.
BUDGET_S = 2.0

STORY = (
    "The harbour master said the night ferry would run all winter if enough tickets were "
    "sold, and that the first crossings had been nearly full."
)
PARAGRAPH = "\n".join(["Home", "News", "Sport", STORY, "Share this story", ""])


@pytest.fixture(scope="module", autouse=True)
def warm_up() -> None:
    """Load the text model once, so that the budget times dumps, not start-up."""
    winnow.extract(PARAGRAPH, input="text")


def timed(page: bytes | str, input: str = "text") -> Document | ExtractionError:
    start = time.process_time()
    try:
        outcome: Document | ExtractionError = winnow.extract(page, input=input)  # type: ignore[arg-type]
    except ExtractionError as exc:
        outcome = exc
    elapsed = time.process_time() - start
    assert elapsed < BUDGET_S, f"extract took {elapsed:.2f} s"
    return outcome


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16


@pytest.mark.parametrize("input", ["text", "auto"])
def test_a_known_binary_format_is_refused(input: str) -> None:
    outcome = timed(PNG, input)
    assert isinstance(outcome, ExtractionError)
    assert "PNG" in str(outcome)


@pytest.mark.parametrize("input", ["text", "auto"])
@pytest.mark.parametrize("size", [4096, 4 * 1024 * 1024], ids=["4kb", "4mb"])
def test_random_bytes(input: str, size: int) -> None:
    outcome = timed(random.Random(size).randbytes(size), input)
    assert isinstance(outcome, Document | ExtractionError)


@pytest.mark.parametrize("form", ["bytes", "str"])
def test_a_50_mb_dump_is_cut_and_says_so(form: str) -> None:
    dump = (PARAGRAPH + "\n") * (50 * 1024 * 1024 // (len(PARAGRAPH) + 1))
    outcome = timed(dump.encode("utf-8") if form == "bytes" else dump)
    assert isinstance(outcome, Document)
    assert "too-large" in {d.rule for d in outcome.removed}


def test_a_single_10_mb_line() -> None:
    line = ("word " * (10 * 1024 * 1024 // 5)).strip()
    outcome = timed(line)
    assert isinstance(outcome, Document)
    assert "too-large" in {d.rule for d in outcome.removed}


def test_a_10_mb_line_of_no_words() -> None:
    outcome = timed("." * (10 * 1024 * 1024))
    assert isinstance(outcome, Document | ExtractionError)


@pytest.mark.parametrize(
    "page", ["\n" * 1000, "\r\n \t \n" * 500, "   "], ids=["lf", "crlf", "spaces"]
)
@pytest.mark.parametrize("form", ["bytes", "str"])
def test_only_blank_lines_give_an_empty_document(page: str, form: str) -> None:
    outcome = timed(page.encode() if form == "bytes" else page)
    assert isinstance(outcome, Document)
    assert outcome.blocks == [] and outcome.text == ""
    assert [d.rule for d in outcome.removed] == ["empty"]


def test_mixed_line_endings_split_lines_the_same_way() -> None:
    lines = ["Home", "", "News", "", STORY, "", STORY.replace("winter", "summer")]
    unix = winnow.extract("\n".join(lines), input="text")
    for ending in ("\r\n", "\r"):
        mixed = "".join(line + (ending if k % 2 else "\n") for k, line in enumerate(lines))
        outcome = timed(mixed)
        assert isinstance(outcome, Document)
        assert outcome.to_dict() == unix.to_dict()


@pytest.mark.parametrize(
    "data",
    [
        STORY.encode() + b"\xff\xfe\xfa broken \xc3\x28 bytes\n\n" + STORY.encode(),
        b"\xed\xa0\x80 a lone surrogate, encoded\n\n" + STORY.encode(),
        STORY.encode()[:-3] + b"\xe2\x82",  # cut inside a character
    ],
    ids=["garbage", "surrogate", "truncated"],
)
def test_invalid_utf8(data: bytes) -> None:
    outcome = timed(data)
    assert isinstance(outcome, Document | ExtractionError)
    if isinstance(outcome, Document):
        assert "harbour master" in outcome.text or outcome.removed


def test_a_str_with_lone_surrogates() -> None:
    outcome = timed("text with a lone \udc80 surrogate\n\n" + STORY)
    assert isinstance(outcome, Document | ExtractionError)


def test_control_characters_and_nul() -> None:
    outcome = timed("\x00\x01\x02 menu\x1b[0m\n\n" + STORY + "\x00")
    assert isinstance(outcome, Document | ExtractionError)
