"""The command line reads text dumps: told with --input text, or on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from winnow.cli import main

SEED = Path(__file__).parents[1] / "pages" / "seed-text" / "source.txt"


@pytest.mark.parametrize("flags", [[], ["--input", "text"]], ids=["auto", "told"])
def test_a_dump_comes_out_as_a_document(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", "--format", "json", *flags, str(SEED)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dateline"] == "SEOUL"
    assert doc["blocks"][1]["text"].startswith("Japan urged South Korea")
    assert {d["rule"] for d in doc["removed"]} >= {"ui-label", "sponsored", "paywall"}


def test_input_html_reads_a_dump_as_markup(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--input", "html", "--format", "json", str(SEED)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dateline"] is None
