"""Experiment: does the block classifier gain from the page's type as features?

Usage: python training/pagetype_feature_exp.py DATASET.npz DATA_DIR OUT_DIR
           [--seeds 7,8,9] [--arms base,probs,onehot,truth]

Each arm cross-validates the block model exactly as ``train.py`` does (five
folds split by domain, the same LightGBM parameters, winnow's selection "as
shipped") and prints the mean page F1 per seed, overall and per page type:

- ``base``: the block features alone (``train.py`` as shipped);
- ``probs``: plus the page's seven type probabilities, one column each,
  the same value on every block of the page;
- ``onehot``: plus the one-hot of the most probable type;
- ``truth``: plus the one-hot of the page's *true* WCXB type (a ceiling,
  never shippable).

The type probabilities never come from a model that saw the page's domain,
and the block model of outer fold k never reads probabilities that saw fold
k: for the training pages of fold k they come out of fold from an inner
5-fold split (by domain) of fold k's training pages; for fold k's own pages
from a type model trained on all of fold k's training pages. The type model
reads no block score (only the page's block rows averaged over blocks and
over words, URL and structured-data hints included), so at serving time the
type could be computed before the one block-scoring pass.

``--betas`` instead reads the base arm's saved scores and picks the
selection's beta per page type (grid 0.5-2.0; for fold k the best of each
type on the other folds), by true type (a ceiling) and by the score-free
type model's out-of-fold type.

Result on the WCXB dev pages (dataset.py's dataset, mean page F1 of the
selection as shipped, beta 1; seeds 7, 8, 9 and their mean):

    base    0.8723 0.8707 0.8692  mean 0.8708  (= train.py --seeds 7,8,9)
    probs   0.8702 0.8703 0.8691  mean 0.8699
    onehot  0.8705 0.8694 0.8698  mean 0.8699
    truth   0.8742 0.8732 0.8742  mean 0.8739  (ceiling: collection -0.008)

    mean    article docum. service forum  listing collec. product
    base    0.9520  0.9329  0.8542  0.8030 0.7415  0.6935  0.6078
    probs   0.9512  0.9368  0.8508  0.8116 0.7464  0.6888  0.5928
    onehot  0.9522  0.9339  0.8524  0.8045 0.7394  0.6922  0.5971
    truth   0.9530  0.9356  0.8530  0.8112 0.7541  0.6852  0.6301

The score-free type model is right on 0.819 / 0.814 / 0.813 of the pages
out of fold (the shipped one, which reads block scores: 0.811). The type
as features does not gain: forum +0.009 and documentation +0.004, but
service -0.003, collection -0.005 and product -0.015 (product swings by
three empty-truth pages of one site from seed to seed). Even the true type
gains only +0.003 and drops collection by 0.008: the trees already read the
page-level aggregates and hints the type is made from. Pages over-selected
(recall > 0.9, precision < 0.6), seeds 7/8/9: base 114/115/109, probs
116/118/118, truth 110/109/110. A beta per type: 0.8707 by true type, 0.8706
by classified type (mean of three seeds).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
from dataset import truth_of
from pagetype_train import PARAMS as TYPE_PARAMS
from pagetype_train import ROUNDS as TYPE_ROUNDS
from sklearn.model_selection import GroupKFold
from train import PARAMS, ROUNDS, page_f1, weights

from winnow.stages.features import MEASURED_NAMES
from winnow.stages.pagetype import PAGE_TYPES, page_features
from winnow.stages.select import expected_best

ARMS = ("base", "probs", "onehot", "truth")


def type_rows(X: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each page's blocks averaged over blocks and over words (no block score)."""
    width = 2 * len(MEASURED_NAMES)
    rows = np.zeros((len(starts), width))
    for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b > a:
            rows[k] = page_features(X[a:b], np.ones(b - a))[0, :width]
    return rows


def type_probs(
    rows: np.ndarray,
    labels: np.ndarray,
    page_domain: np.ndarray,
    page_fold: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per outer fold k, type probabilities of every page, blind to fold k.

    Returns ``inner`` (k, page) -> probabilities for fold k's training pages
    (out of fold of an inner domain split) and ``outer`` (page) ->
    probabilities for each page from the model of its own outer fold.
    """
    params = {**TYPE_PARAMS, "seed": seed}
    n_folds = int(page_fold.max()) + 1
    inner = np.zeros((n_folds, len(rows), len(PAGE_TYPES)))
    outer = np.zeros((len(rows), len(PAGE_TYPES)))
    for k in range(n_folds):
        train_pages = np.flatnonzero((page_fold != k) & (page_fold >= 0))
        held = np.flatnonzero(page_fold == k)
        split = GroupKFold(n_splits=5).split(train_pages, groups=page_domain[train_pages])
        for tr, te in split:
            model = lgb.train(
                params, lgb.Dataset(rows[train_pages[tr]], labels[train_pages[tr]]), TYPE_ROUNDS
            )
            inner[k, train_pages[te]] = model.predict(rows[train_pages[te]])
        model = lgb.train(params, lgb.Dataset(rows[train_pages], labels[train_pages]), TYPE_ROUNDS)
        outer[held] = model.predict(rows[held])
    return inner, outer


def extra_columns(arm: str, probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The page-level columns an arm adds (one row per page)."""
    if arm == "probs":
        return probs
    if arm == "onehot":
        return np.eye(len(PAGE_TYPES))[np.argmax(probs, axis=1)]
    if arm == "truth":
        return np.eye(len(PAGE_TYPES))[labels]
    return np.zeros((len(labels), 0))


def block_oof(
    arm: str,
    X: np.ndarray,
    target: np.ndarray,
    w: np.ndarray,
    page: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    inner: np.ndarray,
    outer: np.ndarray,
    labels: np.ndarray,
    seed: int,
) -> np.ndarray:
    params = {**PARAMS, "seed": seed}
    oof = np.zeros(len(target))
    for k, (tr, te) in enumerate(folds):
        train_extra = extra_columns(arm, inner[k], labels)[page[tr]]
        test_extra = extra_columns(arm, outer, labels)[page[te]]
        Xtr = np.hstack([X[tr], train_extra.astype(np.float32)])
        Xte = np.hstack([X[te], test_extra.astype(np.float32)])
        model = lgb.train(params, lgb.Dataset(Xtr, target[tr], weight=w[tr]), ROUNDS)
        oof[te] = model.predict(Xte)
    return oof


def page_f1s(oof, words, starts, ends, texts, truths) -> np.ndarray:
    """Each page's F1 under winnow's selection as shipped (beta 1)."""
    out = np.zeros(len(starts))
    for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
        out[k] = page_f1(expected_best(oof[a:b], words[a:b], 1.0), texts, truths[k], a)
    return out


def columns(f1s: np.ndarray, labels: np.ndarray) -> str:
    cols = " ".join(f"{t[:4]}={np.mean(f1s[labels == i]):.4f}" for i, t in enumerate(PAGE_TYPES))
    return f"F1 {np.mean(f1s):.4f}  {cols}"


BETA_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0)


def per_type_betas(out, seeds, words, starts, ends, texts, truths, labels, page_fold) -> None:
    """Selection beta chosen per page type, on the base arm's out-of-fold scores.

    For outer fold k each type's beta is the grid value with the best mean page
    F1 over the *other* folds' pages of that type (so the choice never saw
    fold k), with the type either the true one (a ceiling) or the one the
    score-free type model gave out of fold (``typeprobs_sN.npy``).
    """
    n_folds = int(page_fold.max()) + 1
    runs: dict[str, list[np.ndarray]] = {}
    for seed in seeds:
        oof = np.load(out / f"oof_base_s{seed}.npy")
        table = np.zeros((len(starts), len(BETA_GRID)))
        for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
            for j, beta in enumerate(BETA_GRID):
                keep = expected_best(oof[a:b], words[a:b], beta)
                table[k, j] = page_f1(keep, texts, truths[k], a)
        predicted = np.argmax(np.load(out / f"typeprobs_s{seed}.npy"), axis=1)
        for name, types in (("true types", labels), ("classified", predicted)):
            f1s = np.zeros(len(starts))
            chosen = []
            for k in range(n_folds):
                for t in range(len(PAGE_TYPES)):
                    fit = (page_fold != k) & (types == t)
                    best = int(np.argmax(table[fit].mean(axis=0))) if fit.any() else 5
                    here = (page_fold == k) & (types == t)
                    f1s[here] = table[here, best]
                    chosen.append(BETA_GRID[best])
            f1s[page_fold < 0] = table[page_fold < 0, BETA_GRID.index(1.0)]
            runs.setdefault(name, []).append(f1s)
            print(f"seed {seed} per-type beta ({name}): {columns(f1s, labels)}")
            grid = np.asarray(chosen).reshape(n_folds, len(PAGE_TYPES))
            print(
                "  betas by fold: "
                + " ".join(
                    f"{t[:4]}={'/'.join(str(b) for b in grid[:, i])}"
                    for i, t in enumerate(PAGE_TYPES)
                )
            )
        for t, name in enumerate(PAGE_TYPES):
            cells = " ".join(
                f"{b}:{table[labels == t, j].mean():.4f}" for j, b in enumerate(BETA_GRID)
            )
            print(f"  {name[:4]} (true type) by beta: {cells}")
    for name, f1s in runs.items():
        mean = columns(np.mean(f1s, axis=0), labels)
        print(f"mean of {len(seeds)} seeds, per-type beta ({name}): {mean}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--seeds", default="7,8,9")
    ap.add_argument("--arms", default=",".join(ARMS))
    ap.add_argument(
        "--betas",
        action="store_true",
        help="instead: per-type beta of the selection over the base arm's saved scores",
    )
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ds = np.load(args.dataset)
    X, y, page, ids = ds["X"], ds["y"], ds["page"], [str(i) for i in ds["ids"]]
    names = [str(n) for n in ds["names"]]
    if names != list(MEASURED_NAMES):
        raise SystemExit("the dataset's features are not the code's: rebuild it")
    data_dir = Path(args.data_dir)
    texts = json.loads(Path(args.dataset).with_suffix(".texts.json").read_text())
    meta = json.loads((data_dir / "metadata.json").read_text())["files"]
    truths = [truth_of(data_dir, i) for i in ids]
    labels = np.asarray([PAGE_TYPES.index(meta[i]["page_type"]) for i in ids])
    page_domain = np.asarray([meta[i]["domain"] for i in ids])
    starts = np.searchsorted(page, np.arange(len(ids)))
    ends = np.append(starts[1:], len(page))
    target = (y >= 0.5).astype(np.float32)
    w = weights(y, X, page, names)
    words = np.expm1(X[:, names.index("log_words")])
    folds = list(GroupKFold(n_splits=5).split(X, target, page_domain[page]))
    page_fold = np.full(len(ids), -1)
    for k, (_, te) in enumerate(folds):
        page_fold[np.unique(page[te])] = k
    if args.betas:
        seeds = [int(s) for s in args.seeds.split(",")]
        per_type_betas(out, seeds, words, starts, ends, texts, truths, labels, page_fold)
        return
    rows = type_rows(X, starts, ends)
    has_blocks = page_fold >= 0
    results: dict[str, list[np.ndarray]] = {}
    for seed in [int(s) for s in args.seeds.split(",")]:
        inner, outer = type_probs(rows, labels, page_domain, page_fold, seed)
        pred = np.argmax(outer, axis=1)
        acc = np.mean(pred[has_blocks] == labels[has_blocks])
        per_type = " ".join(
            f"{t[:4]}={np.mean(pred[has_blocks & (labels == i)] == i):.3f}"
            for i, t in enumerate(PAGE_TYPES)
        )
        print(f"seed {seed}: type accuracy out of fold {acc:.3f}  recall {per_type}", flush=True)
        np.save(out / f"typeprobs_s{seed}.npy", outer)
        for arm in args.arms.split(","):
            oof = block_oof(arm, X, target, w, page, folds, inner, outer, labels, seed)
            np.save(out / f"oof_{arm}_s{seed}.npy", oof)
            f1s = page_f1s(oof, words, starts, ends, texts, truths)
            np.save(out / f"f1_{arm}_s{seed}.npy", f1s)
            results.setdefault(arm, []).append(f1s)
            print(f"seed {seed} {arm:7s}: {columns(f1s, labels)}", flush=True)
    for arm, runs in results.items():
        print(f"mean of {len(runs)} seeds, {arm:7s}: {columns(np.mean(runs, axis=0), labels)}")


if __name__ == "__main__":
    main()
