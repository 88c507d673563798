"""Real text dumps as fixture folders: the headline, byline and date line text mode reads.

Each folder under ``tests/pages/`` with a ``source.txt`` and an
``expected-metadata.json`` is a page of the WCXB dev split (Foley, 2026;
CC-BY-4.0) flattened to text by ``shared/tools/flatten.py``; the expected
title, authors and day are its ground truth (the author without the
credentials winnow drops, "Ph.D."). Each page needed one of the header rules
of ``winnow.stages.textmode.structure`` and ``winnow.stages.header``:

* scratch-nutrition-trends: a time ("5:50 am") right above the headline was
  read as the title and the headline as its subtitle;
* accounting-tax-software: "By" on a line of its own, the name below it;
* prevention-diet-trends: a caption credit above the body and a disclosure
  blurb in the header; the byline glues "Published" onto the name;
* splashtop-it-security: a bare name under the headline, the date two lines on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import winnow

PAGES = Path(__file__).parent / "pages"
FOLDERS = sorted(
    p
    for p in PAGES.iterdir()
    if (p / "source.txt").is_file() and (p / "expected-metadata.json").is_file()
)


def test_there_are_text_pages() -> None:
    assert len(FOLDERS) >= 4


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_text_page_header(folder: Path) -> None:
    dump = (folder / "source.txt").read_text(encoding="utf-8")
    expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    doc = winnow.extract(dump, input="text")
    assert doc.title == expected["title"]
    assert doc.subtitle != expected["title"]
    assert doc.authors == expected["authors"]
    assert (doc.published or "")[:10] == expected["published_day"]
    assert expected["title"] not in doc.text.split("\n")  # the headline left the body
