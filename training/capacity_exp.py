"""Does a bigger or differently trained block model lift the as-shipped F1?

Usage: python training/capacity_exp.py DATASET.npz DATA_DIR [--seeds 7] [--only NAME,...]

Each named configuration changes ``train.PARAMS``, the number of rounds, the
block weights or the training target, and is cross-validated exactly as
``train.py`` does (five folds split by domain, the same folds for every
configuration). One line per configuration and seed: the out-of-fold mean
page F1 with winnow's own selection ("as shipped"), then the mean over the
seeds. train.py's defaults are not touched; a winner is carried over by hand.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import train  # training/ is on sys.path when run as a script
from dataset import truth_of
from lexicon_fit import bags
from sklearn.model_selection import GroupKFold


def by_sqrt_words(X: np.ndarray, page: np.ndarray, names: list[str]) -> np.ndarray:
    """Each page weighs the same; inside a page, a block weighs by sqrt(words)."""
    words = np.sqrt(np.expm1(X[:, names.index("log_words")]) + 1)
    return words / np.bincount(page, weights=words)[page] * 100


def by_block(X: np.ndarray, page: np.ndarray, names: list[str]) -> np.ndarray:
    """Each page weighs the same; inside a page, every block weighs the same."""
    ones = np.ones(len(page))
    return ones / np.bincount(page, weights=ones)[page] * 100


def by_words(X: np.ndarray, page: np.ndarray, names: list[str]) -> np.ndarray:
    return train.weights(np.empty(0), X, page, names)


Weighting = Callable[[np.ndarray, np.ndarray, list[str]], np.ndarray]

# name -> (PARAMS overrides, rounds, weighting, target: threshold on y or "soft")
CONFIGS: dict[str, tuple[dict[str, object], int, Weighting, float | str]] = {
    "baseline": ({}, 200, by_words, 0.5),
    "r300_lr05": ({"learning_rate": 0.05}, 300, by_words, 0.5),
    "r400_lr05": ({"learning_rate": 0.05}, 400, by_words, 0.5),
    "r600_lr04": ({"learning_rate": 0.04}, 600, by_words, 0.5),
    "r400_lr08": ({}, 400, by_words, 0.5),
    "l63_d10": ({"num_leaves": 63, "max_depth": 10}, 200, by_words, 0.5),
    "l127_d12": ({"num_leaves": 127, "max_depth": 12}, 200, by_words, 0.5),
    "l63_dnone": ({"num_leaves": 63, "max_depth": -1}, 200, by_words, 0.5),
    "l63_d10_r400_lr05": (
        {"num_leaves": 63, "max_depth": 10, "learning_rate": 0.05},
        400,
        by_words,
        0.5,
    ),
    "l63_d10_r250_lr06": (
        {"num_leaves": 63, "max_depth": 10, "learning_rate": 0.06},
        250,
        by_words,
        0.5,
    ),
    "min20": ({"min_data_in_leaf": 20}, 200, by_words, 0.5),
    "min100": ({"min_data_in_leaf": 100}, 200, by_words, 0.5),
    "ff05": ({"feature_fraction": 0.5}, 200, by_words, 0.5),
    "ff09": ({"feature_fraction": 0.9}, 200, by_words, 0.5),
    "l2_0": ({"lambda_l2": 0.0}, 200, by_words, 0.5),
    "l2_5": ({"lambda_l2": 5.0}, 200, by_words, 0.5),
    "w_sqrt": ({}, 200, by_sqrt_words, 0.5),
    "w_block": ({}, 200, by_block, 0.5),
    "y04": ({}, 200, by_words, 0.4),
    "y06": ({}, 200, by_words, 0.6),
    "xent": ({"objective": "cross_entropy"}, 200, by_words, "soft"),
}


def shipped_f1(oof, page, ids, texts, truths, words) -> float:
    """train.report's "as shipped" overall figure, without the other lines."""
    from winnow.stages.select import expected_best

    starts = np.searchsorted(page, np.arange(len(ids)))
    ends = np.append(starts[1:], len(page))
    scores = [
        train.page_f1(expected_best(oof[a:b], words[a:b], 1.0), texts, truths[k], a)
        for k, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]
    return float(np.mean(scores))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir")
    ap.add_argument("--seeds", default="7")
    ap.add_argument("--only", help="comma-separated configuration names (default: all)")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    names_run = args.only.split(",") if args.only else list(CONFIGS)
    ds = np.load(args.dataset)
    X, y, page, ids = ds["X"], ds["y"], ds["page"], list(ds["ids"])
    names = [str(n) for n in ds["names"]]
    H = bags(ds["term_line"], ds["term_bucket"], len(y))
    texts = json.loads(Path(args.dataset).with_suffix(".texts.json").read_text())
    meta = json.loads((Path(args.data_dir) / "metadata.json").read_text())["files"]
    truths = [truth_of(Path(args.data_dir), i) for i in ids]
    domains = np.asarray([meta[ids[p]]["domain"] for p in page])
    folds = list(GroupKFold(n_splits=5).split(X, y, domains))
    words = np.expm1(X[:, names.index("log_words")])
    for name in names_run:
        overrides, rounds, weighting, cut = CONFIGS[name]
        target = y.astype(np.float32) if cut == "soft" else (y >= cut).astype(np.float32)
        w = weighting(X, page, names)
        figures = []
        for seed in seeds:
            start = time.perf_counter()
            params = {**train.PARAMS, **overrides, "seed": seed}
            oof = train.cross_validate(X, H, target, w, domains, page, folds, rounds, params=params)
            figures.append(shipped_f1(oof, page, ids, texts, truths, words))
            took = time.perf_counter() - start
            print(f"{name} seed {seed}: {figures[-1]:.4f}  ({took:.0f} s)", flush=True)
        if len(seeds) > 1:
            print(f"{name} mean of {len(seeds)} seeds: {np.mean(figures):.4f}", flush=True)


if __name__ == "__main__":
    main()
