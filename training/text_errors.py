"""Line-level errors of the text front door on the dumps it does worst, cross-validated.

Usage: python training/text_errors.py FOLDS DATA_DIR TEXT_DIR [--worst N] [--runs K]
           [--min-words W] [--out ERRORS.json]

FOLDS comes from ``text_train.py --export-folds``: each dump is extracted by
the fold model that never saw its domain (as ``benchmarks/text.py --cv``
does), with the page URL from the ground truth. Each line is labelled as the
training lines are (``dataset.label_blocks``: the share of its words that
align with the truth); a line the extraction used (kept in the body, or read
as title, deck or caption) with a label under 0.5 is a false positive, a
line it left with a label of 0.5 or more a false negative.

Printed: the N dumps with the lowest page F1, leaving out dumps whose truth
is empty (no extraction can score there) and dumps of fewer than W words
(forum pages whose posts the flattener never saw); for each, its largest runs
of consecutive false-positive or false-negative lines, with their words and
mean score. ``--out`` writes every dump's lines, labels, scores and choices
for further study. Credit: WCXB (Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from dataset import label_blocks  # training/ is on sys.path when run as a script

import winnow
from winnow.evaluate import score_text
from winnow.stages.decode import decode
from winnow.stages.textmode import traced

# A line counts as content when this share of its words aligns with the truth
# (the training target, ``text_train.py``).
CONTENT = 0.5
# Runs shorter than this many words are not printed.
MIN_RUN_WORDS = 8


@dataclass(frozen=True)
class Dump:
    id: str
    kind: str
    f1: float
    lines: list[str]
    label: np.ndarray
    score: np.ndarray
    used: np.ndarray  # bool: kept in the body or used by structure
    truth_words: int


def extract_all(folds: Path, data_dir: Path, text_dir: Path) -> list[Dump]:
    fold_of = json.loads((folds / "folds.json").read_text("utf-8"))
    meta = json.loads((data_dir / "metadata.json").read_text("utf-8"))["files"]
    out = []
    for page_id in sorted(meta):
        raw = (text_dir / f"{page_id}.txt").read_bytes()
        model = folds / f"fold{fold_of[hashlib.sha1(raw).hexdigest()]}.npz"
        truth_record = json.loads((data_dir / "ground-truth" / f"{page_id}.json").read_text())
        truth_record = truth_record["ground_truth"]
        truth = truth_record.get("main_content") or ""
        options = winnow.Options(input="text", model=str(model))
        doc, trace = traced(decode(raw), truth_record.get("url"), options, [])
        lines = trace.texts()
        used = np.zeros(len(lines), dtype=bool)
        used[list(trace.kept)] = True
        used[list(trace.used)] = True
        out.append(
            Dump(
                id=page_id,
                kind=meta[page_id]["page_type"],
                f1=score_text(doc.text, truth).f1,
                lines=lines,
                label=label_blocks(lines, truth) if lines else np.zeros(0),
                score=np.asarray(trace.scores, dtype=np.float64),
                used=used,
                truth_words=len(truth.split()),
            )
        )
    return out


def error_runs(dump: Dump) -> list[tuple[int, str, int, int]]:
    """(words, "FP" or "FN", first line, last line) of each run of one kind of error."""
    content = dump.label >= CONTENT
    kind = np.where(dump.used & ~content, 1, np.where(~dump.used & content, 2, 0))
    words = np.array([len(line.split()) for line in dump.lines])
    runs = []
    start = 0
    for i in range(1, kind.size + 1):
        if i == kind.size or kind[i] != kind[start]:
            if kind[start]:
                name = "FP" if kind[start] == 1 else "FN"
                runs.append((int(words[start:i].sum()), name, start, i - 1))
            start = i
    return sorted(runs, reverse=True)


def show(dump: Dump, runs: int) -> None:
    words = np.array([len(line.split()) for line in dump.lines])
    content = dump.label >= CONTENT
    fp = float((words * (1 - dump.label))[dump.used & ~content].sum())
    fn = float((words * dump.label)[~dump.used & content].sum())
    print(
        f"=== {dump.id} {dump.kind} F1={dump.f1:.2f} lines={len(dump.lines)} "
        f"truth={dump.truth_words} words; false positive {fp:.0f}, false negative {fn:.0f}"
    )
    for size, name, a, b in error_runs(dump)[:runs]:
        if size < MIN_RUN_WORDS:
            break
        mean = float(dump.score[a : b + 1].mean())
        head = " / ".join(line[:50] for line in dump.lines[a : min(b + 1, a + 4)])
        print(f"  {name} lines {a}-{b} ({b - a + 1}), {size} words, score {mean:.2f}: {head[:200]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folds", type=Path)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--worst", type=int, default=60)
    ap.add_argument("--runs", type=int, default=6, help="error runs shown per dump")
    ap.add_argument("--min-words", type=int, default=40, help="leave out smaller dumps")
    ap.add_argument("--out", type=Path, help="write every dump's lines and choices here")
    args = ap.parse_args()
    dumps = extract_all(args.folds, args.data_dir, args.text_dir)
    print(f"mean page F1 of {len(dumps)} dumps: {np.mean([d.f1 for d in dumps]):.4f}")
    empty = [d.id for d in dumps if d.truth_words == 0]
    print(f"{len(empty)} dumps have an empty truth: {' '.join(empty)}")
    eligible = [
        d
        for d in dumps
        if d.truth_words and sum(len(line.split()) for line in d.lines) >= args.min_words
    ]
    for dump in sorted(eligible, key=lambda d: d.f1)[: args.worst]:
        show(dump, args.runs)
    if args.out:
        rows = {
            d.id: {
                "type": d.kind,
                "f1": d.f1,
                "lines": d.lines,
                "label": d.label.round(2).tolist(),
                "score": d.score.round(3).tolist(),
                "used": d.used.tolist(),
            }
            for d in dumps
        }
        args.out.write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
