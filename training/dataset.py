"""Turn WCXB dev pages into (features, labels) for the block classifier.

A block's label is the share of its words that the human ground truth holds
in the same order: word trigrams for blocks of three words or more, the whole
word sequence for shorter ones. Credit: pages from WCXB (Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from winnow.pipeline import analyse
from winnow.stages import features as F

WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def label_blocks(texts: list[str], truth: str) -> np.ndarray:
    """Share of each block's words that align with the truth, in order.

    The page's words and the truth's are aligned with difflib (longest
    matching runs first, monotonic). A run of one word is ignored unless it
    is a whole block: otherwise a menu entry such as "Accessories" would
    count as content wherever the truth happens to use the word.
    """
    block_tokens = [tokens(t) for t in texts]
    flat = [w for toks in block_tokens for w in toks]
    owner = np.repeat(np.arange(len(texts)), [len(t) for t in block_tokens])
    truth_tokens = tokens(truth)
    matched = np.zeros(len(flat), dtype=bool)
    matcher = difflib.SequenceMatcher(None, flat, truth_tokens, autojunk=False)
    for a, _, size in matcher.get_matching_blocks():
        if size >= MIN_RUN or (size and _whole_block(owner, a, size)):
            matched[a : a + size] = True
    out = np.zeros(len(texts), dtype=np.float32)
    if len(flat):
        hits = np.bincount(owner, weights=matched, minlength=len(texts))
        counts = np.bincount(owner, minlength=len(texts))
        np.divide(hits, counts, out=out, where=counts > 0, casting="unsafe")
    return out


MIN_RUN = 2  # aligned runs shorter than this count only when they are a whole block


def _whole_block(owner: np.ndarray, start: int, size: int) -> bool:
    block = owner[start]
    before = start == 0 or owner[start - 1] != block
    after = start + size == len(owner) or owner[start + size] != block
    return bool(before and after and owner[start + size - 1] == block)


def truth_of(data_dir: Path, page_id: str) -> str:
    """The ground-truth main content of a dev page ("" where it has none)."""
    record = json.loads((data_dir / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
    return record["ground_truth"].get("main_content") or ""


def load_page(data_dir: Path, page_id: str) -> tuple[str, str, str | None]:
    raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
    try:
        from winnow.stages.decode import decode

        html = decode(raw)
    except ImportError:
        html = raw.decode("utf-8", "replace")
    truth = json.loads((data_dir / "ground-truth" / f"{page_id}.json").read_text())
    return html, truth["ground_truth"].get("main_content") or "", truth.get("url")


def page_rows(args: tuple[str, str]) -> tuple:
    data_dir, page_id = Path(args[0]), args[1]
    html, truth, url = load_page(data_dir, page_id)
    seen = analyse(html, url)
    texts = [b.text for b in seen.page.blocks]
    return page_id, seen.X, label_blocks(texts, truth), texts, seen.terms


def build(data_dir: Path, out: Path) -> None:
    meta = json.loads((data_dir / "metadata.json").read_text())["files"]
    ids = sorted(meta)
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(page_rows, [(str(data_dir), i) for i in ids], chunksize=16))
    X = save_rows(out, ids, results, F.MEASURED_NAMES)
    print(f"{len(ids)} pages, {X.shape[0]} blocks, {X.shape[1]} features -> {out}")


def save_rows(out: Path, ids: list[str], results: list, names: tuple[str, ...]) -> np.ndarray:
    """Write ``out`` (and its .texts.json) from one (id, X, labels, texts, terms)
    per page; return the stacked X. The text model's dataset is saved the same way."""
    X = np.vstack([r[1] for r in results])
    offsets = np.cumsum([0] + [len(r[2]) for r in results])
    np.savez_compressed(
        out,
        X=X,
        y=np.concatenate([r[2] for r in results]),
        page=np.concatenate([np.full(len(r[2]), k, dtype=np.int32) for k, r in enumerate(results)]),
        ids=np.asarray(ids),
        names=np.asarray(names),
        term_line=np.concatenate([r[4].line + offsets[k] for k, r in enumerate(results)]),
        term_bucket=np.concatenate([r[4].bucket for r in results]).astype(np.int32),
    )
    out.with_suffix(".texts.json").write_text(json.dumps([t for r in results for t in r[3]]))
    return X


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
