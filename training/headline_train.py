"""Train the ranking that picks a text dump's headline; report its cross-validated accuracy.

Usage: python training/headline_train.py FOLDS DATA_DIR TEXT_DIR
           [--into-folds] [--export MODEL.npz] [--seed N]

FOLDS comes from ``text_train.py --export-folds``: five line models and
``folds.json`` (sha1 of each dump's bytes -> the fold that held it out).
Each dump is read by the fold model that never saw its domain, exactly as
``benchmarks/text.py --cv`` reads it, and its headline candidates are taken
with the runtime code (``structure.headline_rows``). A candidate is right
when it reads as the ground truth's title (white space, compatibility
characters and case folded). So the line model's columns the ranking
learns from are what it would see on a page from an unseen domain.

Printed: out of fold (the ranking of fold k trained on the other folds'
dumps), the share of dumps whose headline is the truth's title, beside the
hand rules' (the same fold models, without a ranking) and the share of dumps
whose title is among the candidates at all. ``--into-folds`` adds each fold's
ranking to ``FOLDS/foldK.npz``; ``--export`` adds the ranking trained on every
dump to a text model file (``src/winnow/data/text.npz``).
Credit: WCXB (Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
from train import flat_trees  # training/ is on sys.path when run as a script

from winnow.options import Options
from winnow.stages import lexicon
from winnow.stages.decode import decode
from winnow.stages.header import fold
from winnow.stages.textmode import MODEL, features, headline, structure, traced
from winnow.stages.textmode.segment import TextPage

# Small trees: the ranking walks them for ~100 candidates a dump. On WCXB
# dev dumps (out of fold, seeds 7, 8 and 9, an earlier candidate set): 200
# trees found 768 / 758 / 748 titles, 100 trees 761 / 748 / 748 at half the
# cost of the walk (0.13 -> 0.065 ms a dump).
PARAMS = dict(
    objective="binary",
    learning_rate=0.05,
    num_leaves=15,
    max_depth=6,
    min_data_in_leaf=20,
    feature_fraction=0.8,
    bagging_fraction=0.8,
    bagging_freq=1,
    verbose=-1,
    num_threads=1,
    deterministic=True,
)
ROUNDS = 100


def collect(folds: Path, data_dir: Path, text_dir: Path) -> list[dict]:
    """Each dump's fold, its candidates' columns and labels, and the hand rules' verdict."""
    fold_of = json.loads((folds / "folds.json").read_text(encoding="utf-8"))
    out = []
    for truth_file in sorted((data_dir / "ground-truth").glob("*.json")):
        record = json.loads(truth_file.read_text(encoding="utf-8"))
        title = fold(record["ground_truth"].get("title") or "")
        url = record.get("url")
        dump = (text_dir / f"{truth_file.stem}.txt").read_bytes()
        k = fold_of[hashlib.sha1(dump).hexdigest()]
        model = str(folds / f"fold{k}.npz")
        options = Options(input="text", model=model)
        _, trace = traced(decode(dump), url, options, [])
        page = trace.page
        rows, labels, hand = np.zeros((0, len(headline.names_read()))), np.zeros(0, bool), None
        if isinstance(page, TextPage) and page.blocks:
            X = features.compute(page, lexicon.load(MODEL, model)).X
            keep = np.zeros(len(page.blocks), dtype=bool)
            keep[np.asarray(trace.kept, dtype=np.int64)] = True
            lines, rows = structure.headline_rows(page, X, keep, url)
            labels = np.array([bool(title) and fold(page.blocks[i]) == title for i in lines])
            hand = structure.build(page, X, keep, options, url, ranking=None).title
        right = bool(title) and fold(hand or "") == title
        out.append(dict(id=truth_file.stem, fold=k, rows=rows, labels=labels, hand=right))
    return out


def fit(dumps: list[dict], seed: int) -> lgb.Booster:
    X = np.vstack([d["rows"] for d in dumps])
    y = np.concatenate([d["labels"] for d in dumps]).astype(np.float64)
    params = dict(PARAMS, seed=seed)
    return lgb.train(params, lgb.Dataset(X, y, free_raw_data=False), num_boost_round=ROUNDS)


def add_ranking(path: Path, model: lgb.Booster) -> None:
    """Write the ranking's trees into the text model file at ``path``."""
    with np.load(path) as arrays:
        out = headline.save(dict(arrays), flat_trees(model.dump_model()["tree_info"]))
    np.savez_compressed(path, **out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folds", type=Path)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--into-folds", action="store_true", help="add each fold's ranking to FOLDS")
    ap.add_argument("--export", type=Path, help="add the ranking of all dumps to this model file")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    dumps = collect(args.folds, args.data_dir, args.text_dir)
    n = len(dumps)
    right = 0
    for k in sorted({d["fold"] for d in dumps}):
        model = fit([d for d in dumps if d["fold"] != k], args.seed)
        for d in dumps:
            if d["fold"] == k and d["rows"].shape[0]:
                right += bool(d["labels"][int(np.argmax(model.predict(d["rows"])))])
        if args.into_folds:
            add_ranking(args.folds / f"fold{k}.npz", model)
    reachable = sum(bool(d["labels"].any()) for d in dumps)
    hand = sum(d["hand"] for d in dumps)
    print(f"{n} dumps, out of fold: ranking {right / n:.3f} ({right}), hand rules")
    print(f"{hand / n:.3f} ({hand}); the title is a candidate of {reachable / n:.3f} ({reachable})")
    if args.export:
        add_ranking(args.export, fit(dumps, args.seed))
        print(f"ranking of all {n} dumps -> {args.export}")


if __name__ == "__main__":
    main()
