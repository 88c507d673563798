"""Copy the quality-gate pages from WCXB dev into tests/quality/ (run once, from the repo root).

The set is fixed by rule, not by hand: per page type, the first pages by id
whose compressed HTML is under 100 KB and whose truth is not empty. Pages are
from WCXB (Foley, 2026), CC-BY-4.0.
Usage: python tools/make_quality_set.py ../shared/data/wcxb-dev
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PER_TYPE = 12
MAX_GZ_BYTES = 100_000


def main(data: Path, out: Path) -> None:
    files = json.loads((data / "metadata.json").read_text())["files"]
    chosen: dict[str, list[str]] = {}
    for page_id in sorted(files):
        kind = files[page_id]["page_type"]
        html = data / "html" / f"{page_id}.html.gz"
        truth = json.loads((data / "ground-truth" / f"{page_id}.json").read_text())
        content = truth["ground_truth"].get("main_content") or ""
        if len(chosen.setdefault(kind, [])) >= PER_TYPE or html.stat().st_size > MAX_GZ_BYTES:
            continue
        if not content.strip():
            continue
        chosen[kind].append(page_id)
        shutil.copy(html, out / f"{page_id}.html.gz")
        record = {
            "id": page_id,
            "page_type": kind,
            "url": truth.get("url"),
            "main_content": content,
        }
        (out / f"{page_id}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    print({k: len(v) for k, v in chosen.items()})


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path("tests/quality"))
