"""Turn WCXB dev text dumps into (features, labels) for the text classifier.

Usage: python training/text_dataset.py TEXT_DIR DATA_DIR OUT.npz

TEXT_DIR holds the dumps (``NNNN.txt``, made by ``shared/tools/flatten.py``);
DATA_DIR is the WCXB dev split, for ``ground-truth/NNNN.json`` and
``metadata.json``. Blocks are segmented exactly as winnow segments a dump at
run time, and labelled as the HTML blocks are (``dataset.label_blocks``: the
share of a block's words that align, in order, with the ground truth).
The output has the layout ``train.py`` reads (X, y, page, ids, names, and
OUT.texts.json with each line's text), where X holds the *measured* columns
(``features.MEASURED_NAMES``); ``term_line``/``term_bucket`` add each line's
hashed words for the lexicon, which ``text_train.py`` fits and whose columns
it appends. Credit: WCXB (Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dataset import (  # training/ is on sys.path when run as a script
    label_blocks,
    save_rows,
    truth_of,
)

from winnow.stages.decode import decode
from winnow.stages.textmode import features as F
from winnow.stages.textmode.segment import segment


def page_rows(args: tuple[str, str, str]) -> tuple:
    text_dir, data_dir, page_id = Path(args[0]), Path(args[1]), args[2]
    page = segment(decode((text_dir / f"{page_id}.txt").read_bytes()))
    measured = F.measure(page)
    labels = label_blocks(page.blocks, truth_of(data_dir, page_id))
    return page_id, measured.X, labels, page.blocks, measured.terms


def build(text_dir: Path, data_dir: Path, out: Path, workers: int = 1) -> None:
    meta = json.loads((data_dir / "metadata.json").read_text("utf-8"))["files"]
    ids = sorted(meta)
    jobs = [(str(text_dir), str(data_dir), i) for i in ids]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(page_rows, jobs, chunksize=16))
    else:
        results = [page_rows(job) for job in jobs]
    X = save_rows(out, ids, results, F.MEASURED_NAMES)
    print(f"{len(ids)} dumps, {X.shape[0]} blocks, {X.shape[1]} features -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
