"""Mutated real pages never break the contract: a Document or ExtractionError, never a crash.

Real pages from tests/quality (WCXB, Foley 2026, CC-BY-4.0) are damaged with a
fixed seed: bytes flipped, cut short, spliced, tags thrown in. An internal
error (anything but a deliberate ExtractionError) fails the test.
"""

from __future__ import annotations

import gzip
import random
import time
from pathlib import Path

import pytest

import winnow

PAGES = sorted((Path(__file__).parents[1] / "quality").glob("*.html.gz"))[::6]
TAGS = [b"<div>", b"</div>", b"<table>", b"<pre>", b"<li>", b"<script>", b"<!--", b"<figure>",
        b"<nav>", b"<br>", b"</p>", b"<td>"]  # fmt: skip
MUTANTS_PER_PAGE = 8
BUDGET_S = 2.0


def mutate(page: bytes, rng: random.Random) -> bytes:
    data = bytearray(page)
    kind = rng.randrange(4)
    if kind == 0:
        for _ in range(200):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        del data[rng.randrange(len(data)) :]
    elif kind == 2:
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        del data[a:b]
    else:
        for _ in range(50):
            k = rng.randrange(len(data))
            data[k:k] = rng.choice(TAGS)
    return bytes(data)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name.split(".")[0])
def test_mutants_give_a_document_or_the_documented_error(path: Path) -> None:
    rng = random.Random(path.name)
    page = gzip.decompress(path.read_bytes())
    for _ in range(MUTANTS_PER_PAGE):
        mutant = mutate(page, rng)
        start = time.process_time()
        try:
            doc = winnow.extract(mutant)
        except winnow.ExtractionError as exc:
            assert "internal error" not in str(exc), exc
        else:
            assert isinstance(doc.text, str)
        assert time.process_time() - start < BUDGET_S
