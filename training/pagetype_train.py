"""Train the page-type classifier; report it and its effect cross-validated.

Usage: python training/pagetype_train.py DATASET.npz DATA_DIR FOLDS_DIR [--export MODEL.npz]

DATASET.npz is ``dataset.py``'s output and DATASET.oof.npy the out-of-fold
block scores ``train.py`` wrote next to it; FOLDS_DIR is ``train.py
--export-folds``'s folder. The folds are the block model's (split by domain,
read from FOLDS_DIR/folds.json), so the type model of fold k never saw a page
of fold k's domains, and ``pagetypeK.npz`` is written next to ``foldK.npz``
for ``benchmarks/wcxb.py --cv``. A page is described by
``winnow.stages.pagetype.page_features`` of its blocks' rows and out-of-fold
scores: the very code that serves the model.

Printed: per-type precision and recall of the out-of-fold types, the
confusion matrix, and the out-of-fold mean page F1 of winnow's selection
when pages classified as documentation take each candidate beta factor.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
from dataset import truth_of
from train import flat_trees, page_f1, page_hash

from winnow.stages.pagetype import PAGE_FEATURE_NAMES, PAGE_TYPES, page_features
from winnow.stages.select import expected_best

PARAMS = dict(
    objective="multiclass",
    num_class=len(PAGE_TYPES),
    learning_rate=0.05,
    num_leaves=7,
    min_data_in_leaf=10,
    feature_fraction=0.3,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    verbose=-1,
    num_threads=2,
    seed=7,
    deterministic=True,
    force_row_wise=True,
)
ROUNDS = 150
BETA_FACTORS = (1.0, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8)


def page_rows(X: np.ndarray, scores: np.ndarray, page: np.ndarray, n: int) -> np.ndarray:
    starts = np.searchsorted(page, np.arange(n))
    ends = np.append(starts[1:], len(page))
    rows = np.zeros((n, len(PAGE_FEATURE_NAMES)))
    for k in range(n):
        if ends[k] > starts[k]:
            rows[k] = page_features(X[starts[k] : ends[k]], scores[starts[k] : ends[k]])[0]
    return rows


def fold_of_pages(folds_dir: Path, data_dir: Path, ids: list[str]) -> np.ndarray:
    """Each page's fold, as train.py --export-folds recorded it (by the page's sha1)."""
    by_hash = json.loads((folds_dir / "folds.json").read_text())
    return np.asarray([by_hash[page_hash(data_dir, i)] for i in ids])


def train(rows: np.ndarray, labels: np.ndarray, rounds: int, params: dict) -> lgb.Booster:
    return lgb.train(params, lgb.Dataset(rows, labels), rounds)


def export(model: lgb.Booster, path: Path) -> None:
    """The multiclass trees as one forest per class (tree i belongs to class i mod K)."""
    infos = model.dump_model()["tree_info"]
    k_classes = len(PAGE_TYPES)
    arrays: dict[str, np.ndarray] = {
        "names": np.asarray(PAGE_FEATURE_NAMES),
        "classes": np.asarray(PAGE_TYPES),
    }
    for k in range(k_classes):
        for name, values in flat_trees(infos[k::k_classes]).items():
            arrays[f"{k}/{name}"] = values
    np.savez_compressed(path, **arrays)
    print(f"exported {len(infos)} trees -> {path}")


def report_types(pred: np.ndarray, labels: np.ndarray) -> None:
    print("out of fold, folds split by domain:")
    print(f"accuracy {np.mean(pred == labels):.3f}")
    for k, name in enumerate(PAGE_TYPES):
        tp = int(np.sum((pred == k) & (labels == k)))
        prec = tp / max(1, int(np.sum(pred == k)))
        rec = tp / max(1, int(np.sum(labels == k)))
        print(f"  {name:14s} precision {prec:.3f} recall {rec:.3f} (n={int(np.sum(labels == k))})")
    print("confusion (rows true, columns predicted):")
    print("  " + " ".join(f"{t[:5]:>5s}" for t in PAGE_TYPES))
    for k in range(len(PAGE_TYPES)):
        counts = [int(np.sum((labels == k) & (pred == j))) for j in range(len(PAGE_TYPES))]
        print(f"{PAGE_TYPES[k][:5]:5s} " + " ".join(f"{c:5d}" for c in counts))


def report_selection(
    dataset: Path, oof: np.ndarray, pred: np.ndarray, labels: np.ndarray, data_dir: Path
) -> None:
    """Mean page F1 of the out-of-fold selection, documentation pages at each beta factor."""
    ds = np.load(dataset)
    X, page, ids = ds["X"], ds["page"], list(ds["ids"])
    names = [str(n) for n in ds["names"]]
    texts = json.loads(dataset.with_suffix(".texts.json").read_text())
    truths = [truth_of(data_dir, i) for i in ids]
    words = np.expm1(X[:, names.index("log_words")])
    starts = np.searchsorted(page, np.arange(len(ids)))
    ends = np.append(starts[1:], len(page))
    docs = PAGE_TYPES.index("documentation")
    for label, chosen in (("classified", pred), ("true type", labels)):
        for factor in BETA_FACTORS:
            by_type: dict[str, list[float]] = {}
            for k in range(len(ids)):
                a, b = starts[k], ends[k]
                beta = factor if chosen[k] == docs else 1.0
                keep = expected_best(oof[a:b], words[a:b], beta)
                score = page_f1(keep, texts, truths[k], a)
                by_type.setdefault(PAGE_TYPES[labels[k]], []).append(score)
            overall = np.mean([f for v in by_type.values() for f in v])
            cols = " ".join(f"{t[:4]}={np.mean(by_type[t]):.4f}" for t in PAGE_TYPES)
            print(f"docs beta x{factor} ({label}): F1 {overall:.4f}  {cols}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir")
    ap.add_argument("folds_dir")
    ap.add_argument("--export", help="write the model trained on all pages here (.npz)")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--no-selection", action="store_true", help="skip the beta table")
    args = ap.parse_args()
    data_dir, folds_dir = Path(args.data_dir), Path(args.folds_dir)
    ds = np.load(args.dataset)
    oof = np.load(Path(args.dataset).with_suffix(".oof.npy"))
    ids = [str(i) for i in ds["ids"]]
    meta = json.loads((data_dir / "metadata.json").read_text())["files"]
    labels = np.asarray([PAGE_TYPES.index(meta[i]["page_type"]) for i in ids])
    rows = page_rows(ds["X"], oof, ds["page"], len(ids))
    fold = fold_of_pages(folds_dir, data_dir, ids)
    pred = np.zeros(len(ids), dtype=int)
    for k in np.unique(fold):
        model = train(rows[fold != k], labels[fold != k], args.rounds, PARAMS)
        pred[fold == k] = np.argmax(model.predict(rows[fold == k]), axis=1)
        export(model, folds_dir / f"pagetype{k}.npz")
    report_types(pred, labels)
    if not args.no_selection:
        report_selection(Path(args.dataset), oof, pred, labels, data_dir)
    if args.export:
        export(train(rows, labels, args.rounds, PARAMS), Path(args.export))


if __name__ == "__main__":
    main()
