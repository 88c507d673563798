"""Train the text-dump line classifier; report domain-grouped cross-validated quality.

Usage: python training/text_train.py DATASET.npz DATA_DIR TEXT_DIR
           [--export MODEL.npz] [--export-folds DIR] [--rounds N]

DATASET.npz comes from ``text_dataset.py``. Every figure printed here comes
from out-of-fold predictions: folds are split by the page's domain
(GroupKFold, 5 folds), so no dump is scored by a model that saw its site.
``--export-folds DIR`` writes the five fold models and ``folds.json`` (sha1 of
each dump's bytes -> the fold that held it out) for ``benchmarks/text.py
--cv DIR``; ``--export`` writes the model trained on every dump, the one
winnow ships as ``src/winnow/data/text.npz``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
from sklearn.model_selection import GroupKFold
from train import export, weights  # training/ is on sys.path when run as a script

from winnow.evaluate import Score, mean_score, score_text
from winnow.stages.select import expected_best

# Smaller trees than the HTML model's: scoring time is per line, and a dump
# has more lines than a page has blocks (265 against ~150 on average).
PARAMS = dict(
    objective="binary",
    learning_rate=0.08,
    num_leaves=31,
    min_data_in_leaf=50,
    feature_fraction=0.7,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    max_depth=7,
    verbose=-1,
    num_threads=1,
    seed=7,
    deterministic=True,
    force_row_wise=True,
)
ROUNDS = 150
FOLDS = 5


def train(X: np.ndarray, target: np.ndarray, w: np.ndarray, rounds: int) -> lgb.Booster:
    return lgb.train(PARAMS, lgb.Dataset(X, target, weight=w), rounds)


def cross_validate(X, target, w, folds, rounds, export_dir=None, names=None) -> np.ndarray:
    oof = np.zeros(len(target))
    for k, (tr, te) in enumerate(folds):
        model = train(X[tr], target[tr], w[tr], rounds)
        oof[te] = model.predict(X[te])
        print(f"  fold {k}: {len(te)} lines held out", flush=True)
        if export_dir:
            export(model, names, Path(export_dir) / f"fold{k}.npz")
    return oof


def fold_map(text_dir: Path, ids: list[str], page: np.ndarray, folds) -> dict[str, int]:
    """sha1 of each dump's bytes -> the fold that held it out."""
    fold_of_page = dict.fromkeys(range(len(ids)), 0)  # a dump without lines trained nothing
    for k, (_, te) in enumerate(folds):
        fold_of_page.update(dict.fromkeys(np.unique(page[te]).tolist(), k))
    return {
        hashlib.sha1((text_dir / f"{ids[p]}.txt").read_bytes()).hexdigest(): k
        for p, k in fold_of_page.items()
    }


def report(oof, page, ids, texts, truths, types, words) -> None:
    """Mean page P/R/F1 of the out-of-fold scores, per page type, as winnow selects."""
    starts = np.searchsorted(page, np.arange(len(ids)))
    ends = np.append(starts[1:], len(page))
    by_type: dict[str, list[Score]] = {}
    for k in range(len(ids)):
        a, b = starts[k], ends[k]
        keep = expected_best(oof[a:b], words[a:b], 1.0)
        kept = "\n".join(texts[j] for j in range(a, b) if keep[j - a])
        by_type.setdefault(types[k], []).append(score_text(kept, truths[k]))
    overall = mean_score(s for v in by_type.values() for s in v)
    print(f"{'type':<14} {'pages':>5} {'F1':>6} {'P':>6} {'R':>6}")
    print(f"{'all':<14} {len(ids):>5} {overall.f1:.4f} {overall.precision:.4f} {overall.recall:.4f}")
    for kind, scores in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        s = mean_score(scores)
        print(f"{kind:<14} {len(scores):>5} {s.f1:.4f} {s.precision:.4f} {s.recall:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--export", type=Path, help="write the model trained on all dumps here")
    ap.add_argument("--export-folds", type=Path, help="folder for the fold models and folds.json")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    args = ap.parse_args()
    ds = np.load(args.dataset)
    X, y, page, ids = ds["X"], ds["y"], ds["page"], [str(i) for i in ds["ids"]]
    names = [str(n) for n in ds["names"]]
    base = Path(args.dataset)
    texts = json.loads(base.with_suffix(".texts.json").read_text())
    meta = json.loads((args.data_dir / "metadata.json").read_text())["files"]
    truths = [
        json.loads((args.data_dir / "ground-truth" / f"{i}.json").read_text())["ground_truth"].get(
            "main_content"
        )
        or ""
        for i in ids
    ]
    domains = np.asarray([meta[ids[p]]["domain"] for p in page])
    target = (y >= 0.5).astype(np.float32)
    w = weights(y, X, page, names)
    folds = list(GroupKFold(n_splits=FOLDS).split(X, target, domains))
    if args.export_folds:
        args.export_folds.mkdir(parents=True, exist_ok=True)
    oof = cross_validate(X, target, w, folds, args.rounds, args.export_folds, names)
    if args.export_folds:
        fold_of = fold_map(args.text_dir, ids, page, folds)
        (args.export_folds / "folds.json").write_text(json.dumps(fold_of, sort_keys=True))
    np.save(base.with_suffix(".oof.npy"), oof)
    print("out of fold (folds split by domain), lines kept as winnow selects them:")
    words = np.expm1(X[:, names.index("log_words")])
    report(oof, page, ids, texts, truths, [meta[i]["page_type"] for i in ids], words)
    if args.export:
        export(train(X, target, w, args.rounds), names, args.export)


if __name__ == "__main__":
    main()
