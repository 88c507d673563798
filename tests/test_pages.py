"""Real pages as fixture folders: each guards winnow's behaviour on one kind of page.

Every folder under ``tests/pages/`` holds ``source.html.gz`` (the page as
crawled), ``truth.json`` (its human-reviewed ground truth) and
``expected.json`` (the checks below). See ``tests/pages/README.md``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import winnow
from winnow.evaluate import score_text

PAGES = Path(__file__).parent / "pages"
FOLDERS = sorted(p for p in PAGES.iterdir() if (p / "expected.json").is_file())


def fold(text: str) -> str:
    """Whitespace folded to single spaces: phrases may cross block boundaries."""
    return " ".join(text.split())


def load(folder: Path) -> tuple[winnow.Document, dict[str, Any], dict[str, Any]]:
    page = gzip.decompress((folder / "source.html.gz").read_bytes())
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return winnow.extract(page), truth, expected


def test_there_is_a_page_of_each_kind() -> None:
    kinds = set()
    for folder in FOLDERS:
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        kinds.add(expected["source"]["page_type"])
    assert {"article", "forum", "documentation", "product", "listing", "service"} <= kinds


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_page(folder: Path) -> None:
    doc, truth, expected = load(folder)
    text = fold(doc.text)

    f1 = score_text(doc.text, truth["main_content"]).f1
    assert f1 >= expected["min_f1"], f"word F1 {f1:.3f} fell below {expected['min_f1']}"

    missing = [p for p in expected["must_contain"] if fold(p) not in text]
    assert not missing, f"main-content phrases missing from doc.text: {missing}"

    leaked = [p for p in expected["must_not_contain"] if fold(p) in text]
    assert not leaked, f"boilerplate phrases in doc.text: {leaked}"

    repeated = [p for p in expected.get("once", []) if text.count(fold(p)) != 1]
    assert not repeated, f"phrases the page shows twice, not once in doc.text: {repeated}"
