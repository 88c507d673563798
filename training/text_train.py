"""Train the text-dump line classifier; report domain-grouped cross-validated quality.

Usage: python training/text_train.py DATASET.npz DATA_DIR TEXT_DIR
           [--export MODEL.npz] [--export-folds DIR] [--rounds N]

DATASET.npz comes from ``text_dataset.py``. The model is two layers: a
lexicon (a logistic regression over each line's hashed words and word pairs,
``winnow.stages.lexicon``) and gradient-boosted trees that read the
measured features plus the lexical score of the line and its neighbours.

Every figure printed here is cross-validated, folds split by the page's
domain (GroupKFold, 5 folds), and nested: for each outer fold, the lexical
scores the trees train on come from an inner 4-fold split of the training
domains, and the held-out fold is scored by a lexicon and trees that never saw
its domains. ``--export-folds DIR`` writes the five fold models and
``folds.json`` (sha1 of each dump's bytes -> the fold that held it out) for
``benchmarks/text.py --cv DIR``; ``--export`` writes the model trained on every
dump, the one winnow ships as ``src/winnow/data/text.npz``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
from dataset import truth_of  # training/ is on sys.path when run as a script
from lexicon_fit import bags, fold_lexical, shipped_lexical, with_lexical
from sklearn.model_selection import GroupKFold
from train import save_model, weights

from winnow.evaluate import Score, mean_score, score_text
from winnow.stages.select import expected_best
from winnow.stages.textmode import MIN_SCORE
from winnow.stages.textmode.features import FEATURE_NAMES, MEASURED_NAMES

# Few, small trees: scoring walks every tree to its deepest level for every
# line, and a dump has more lines than an HTML page has blocks. In the nested
# CV on WCXB dev dumps (mean page F1 of the lines as selected):
#   250 trees, 63 leaves, depth 8, rate 0.06: 0.8304, 1.7 ms per dump to walk
#   160 trees, 31 leaves, depth 7, rate 0.08: 0.8303, 0.9 ms
#   130 trees, 31 leaves, depth 7, rate 0.10: 0.8291, 0.75 ms
#   110 trees, 31 leaves, depth 6, rate 0.12: 0.8289, 0.55 ms  <- shipped
#   100 trees, 47 leaves, depth 8, rate 0.12: 0.8281
# The 300 dumps/s target (3.3 ms per dump in all) decides.
PARAMS = dict(
    objective="binary",
    learning_rate=0.12,
    num_leaves=31,
    min_data_in_leaf=100,
    feature_fraction=0.7,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    max_depth=6,
    verbose=-1,
    num_threads=1,
    seed=7,
    deterministic=True,
    force_row_wise=True,
)
ROUNDS = 110
FOLDS = 5


def train(X: np.ndarray, target: np.ndarray, w: np.ndarray, rounds: int) -> lgb.Booster:
    return lgb.train(PARAMS, lgb.Dataset(X, target, weight=w), rounds)


def nested_cv(X, H, target, w, domains, page, folds, rounds, export_dir, cache) -> np.ndarray:
    oof = np.zeros(len(target))
    for k, (tr, te) in enumerate(folds):
        where = cache / f"lexicon{k}.npz" if cache else None
        lex, lexicon = fold_lexical(H, target, w, domains, tr, te, where)
        XF = with_lexical(X, lex, page)
        model = train(XF[tr], target[tr], w[tr], rounds)
        oof[te] = model.predict(XF[te])
        print(f"  fold {k}: {len(te)} lines held out", flush=True)
        if export_dir:
            save_model(model, lexicon, FEATURE_NAMES, export_dir / f"fold{k}.npz")
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
        keep = expected_best(oof[a:b], words[a:b], 1.0, MIN_SCORE)
        kept = "\n".join(texts[j] for j in range(a, b) if keep[j - a])
        by_type.setdefault(types[k], []).append(score_text(kept, truths[k]))
    overall = mean_score(s for v in by_type.values() for s in v)
    print(f"{'type':<14} {'pages':>5} {'F1':>6} {'P':>6} {'R':>6}")
    print(
        f"{'all':<14} {len(ids):>5} {overall.f1:.4f} {overall.precision:.4f} {overall.recall:.4f}"
    )
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
    ap.add_argument("--lexicon-cache", type=Path, help="folder to keep (and reuse) the fold "
                    "lexicons in; valid while the dataset's lines and labels stay")  # fmt: skip
    ap.add_argument("--param", action="append", default=[], help="LightGBM KEY=VALUE override")
    args = ap.parse_args()
    for override in args.param:
        key, value = override.split("=", 1)
        PARAMS[key] = type(PARAMS[key])(value) if key in PARAMS else value
    ds = np.load(args.dataset)
    X, y, page, ids = ds["X"], ds["y"], ds["page"], [str(i) for i in ds["ids"]]
    if tuple(str(n) for n in ds["names"]) != MEASURED_NAMES:
        raise SystemExit("the dataset was built with other features; rebuild it")
    H = bags(ds["term_line"], ds["term_bucket"], len(y))
    base = Path(args.dataset)
    texts = json.loads(base.with_suffix(".texts.json").read_text())
    meta = json.loads((args.data_dir / "metadata.json").read_text())["files"]
    truths = [truth_of(args.data_dir, i) for i in ids]
    domains = np.asarray([meta[ids[p]]["domain"] for p in page])
    target = (y >= 0.5).astype(np.float32)
    w = weights(y, X, page, list(MEASURED_NAMES))
    folds = list(GroupKFold(n_splits=FOLDS).split(X, target, domains))
    if args.export_folds:
        args.export_folds.mkdir(parents=True, exist_ok=True)
    if args.lexicon_cache:
        args.lexicon_cache.mkdir(parents=True, exist_ok=True)
    oof = nested_cv(
        X, H, target, w, domains, page, folds, args.rounds, args.export_folds, args.lexicon_cache
    )
    if args.export_folds:
        fold_of = fold_map(args.text_dir, ids, page, folds)
        (args.export_folds / "folds.json").write_text(json.dumps(fold_of, sort_keys=True))
    np.save(base.with_suffix(".oof.npy"), oof)
    print("nested out of fold (folds split by domain), lines kept as winnow selects them:")
    words = np.expm1(X[:, MEASURED_NAMES.index("log_words")])
    report(oof, page, ids, texts, truths, [meta[i]["page_type"] for i in ids], words)
    if args.export:
        lex, lexicon = shipped_lexical(H, target, w, domains, FOLDS)
        model = train(with_lexical(X, lex, page), target, w, args.rounds)
        save_model(model, lexicon, FEATURE_NAMES, args.export)


if __name__ == "__main__":
    main()
