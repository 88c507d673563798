"""Train the block classifier; report domain-grouped cross-validated F1.

Usage: python training/train.py DATASET.npz DATA_DIR [--export MODEL.json]

Every figure printed here comes from out-of-fold predictions: folds are split
by domain (GroupKFold), so no page is scored by a model that saw its site.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import lightgbm as lgb
import numpy as np
from dataset import truth_of  # training/ is on sys.path when run as a script
from lexicon_fit import add_lexicon, bags, fold_lexical, shipped_lexical, with_lexical
from sklearn.model_selection import GroupKFold

from winnow.stages.features import FEATURE_NAMES, MEASURED_NAMES

WORD = re.compile(r"\w+")
PARAMS = dict(
    objective="binary",
    learning_rate=0.08,
    num_leaves=31,
    min_data_in_leaf=50,
    feature_fraction=0.7,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    max_depth=8,
    verbose=-1,
    num_threads=2,
    seed=7,
    deterministic=True,
    force_row_wise=True,
)
ROUNDS = 200


def f1(pred: str, truth: str) -> tuple[float, float, float]:
    p, t = Counter(WORD.findall(pred.lower())), Counter(WORD.findall(truth.lower()))
    if not p and not t:
        return 1.0, 1.0, 1.0
    if not p or not t:
        return 0.0, 0.0, 0.0
    common = sum((p & t).values())
    prec, rec = common / sum(p.values()), common / sum(t.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def weights(y: np.ndarray, X: np.ndarray, page: np.ndarray, names: list[str]) -> np.ndarray:
    """Each page weighs the same; inside a page, a block weighs by its words."""
    words = np.expm1(X[:, names.index("log_words")]) + 1
    totals = np.bincount(page, weights=words)
    return words / totals[page] * 100


def cross_validate(
    X, H, target, w, domains, page, folds, rounds, export_dir=None, params=PARAMS, cache=None
) -> np.ndarray:
    """Out-of-fold block scores, nested: each fold's trees learn from lexical
    scores of an inner split (``lexicon_fit.fold_lexical``); ``cache`` is a
    folder that keeps each fold's lexicon for the next run on the same dataset."""
    oof = np.zeros(len(target))
    for k, (tr, te) in enumerate(folds):
        where = Path(cache) / f"lexicon{k}.npz" if cache else None
        lex, lexicon = fold_lexical(H, target, w, domains, tr, te, where)
        XF = with_lexical(X, lex, page)
        model = lgb.train(params, lgb.Dataset(XF[tr], target[tr], weight=w[tr]), rounds)
        oof[te] = model.predict(XF[te])
        if export_dir:
            Path(export_dir).mkdir(parents=True, exist_ok=True)
            save_model(model, lexicon, FEATURE_NAMES, Path(export_dir) / f"fold{k}.npz")
    return oof


def save_model(model: lgb.Booster, lexicon, names: Sequence[str], path: Path) -> None:
    """The trees (``export``) and the lexicon, in one file: ``winnow/data/blocks.npz``
    here, ``text.npz`` for ``text_train.py``."""
    export(model, list(names), path)
    add_lexicon(path, lexicon)


def write_fold_map(out: Path, data_dir: Path, ids, page, folds) -> None:
    """folds.json: sha1 of each page's raw bytes -> the fold that held it out.

    benchmarks/wcxb.py --cv reads it, so each page is scored by the model
    that never saw its domain.
    """
    fold_of_page = dict.fromkeys(range(len(ids)), 0)  # pages without blocks trained nothing
    for k, (_, te) in enumerate(folds):
        fold_of_page.update(dict.fromkeys(np.unique(page[te]).tolist(), k))
    fold_of = {page_hash(data_dir, ids[p]): k for p, k in fold_of_page.items()}
    (out / "folds.json").write_text(json.dumps(fold_of, sort_keys=True))


def page_hash(data_dir: Path, page_id: str) -> str:
    """What folds.json knows a dev page by: the sha1 of its raw bytes."""
    import gzip
    import hashlib

    raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
    return hashlib.sha1(raw).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir")
    ap.add_argument("--export", help="write the model trained on all pages here (.npz)")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--export-folds", help="folder for one model per fold and folds.json")
    ap.add_argument("--lexicon-cache", type=Path, help="folder to keep (and reuse) the fold "
                    "lexicons in; valid while the dataset's blocks and labels stay")  # fmt: skip
    ap.add_argument(
        "--seeds",
        default=str(PARAMS["seed"]),
        help="comma-separated LightGBM seeds: cross-validate with each and print the mean "
        "(the folds stay the same, so the spread is the training's own noise); "
        "the exported models and the .oof.npy use the first",
    )
    args = ap.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    ds = np.load(args.dataset)
    X, y, page, ids = ds["X"], ds["y"], ds["page"], list(ds["ids"])
    names = [str(n) for n in ds["names"]]
    if tuple(names) != MEASURED_NAMES:
        raise SystemExit("the dataset was built with other features; rebuild it")
    H = bags(ds["term_line"], ds["term_bucket"], len(y))
    base = Path(args.dataset)
    texts = json.loads(base.with_suffix(".texts.json").read_text())
    meta = json.loads((Path(args.data_dir) / "metadata.json").read_text())["files"]
    truths = [truth_of(Path(args.data_dir), i) for i in ids]
    domains = np.asarray([meta[ids[p]]["domain"] for p in page])
    target = (y >= 0.5).astype(np.float32)
    w = weights(y, X, page, names)
    folds = list(GroupKFold(n_splits=5).split(X, target, domains))
    words = np.expm1(X[:, names.index("log_words")])
    shipped = []
    if args.lexicon_cache:
        args.lexicon_cache.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        export_dir = args.export_folds if seed == seeds[0] else None
        params = {**PARAMS, "seed": seed}
        oof = cross_validate(
            X,
            H,
            target,
            w,
            domains,
            page,
            folds,
            args.rounds,
            export_dir,
            params,
            args.lexicon_cache,
        )
        if seed == seeds[0]:
            np.save(base.with_suffix(".oof.npy"), oof)
        print(f"out of fold, folds split by domain (seed {seed}):")
        shipped.append(report(oof, page, ids, texts, truths, meta, words))
    if args.export_folds:
        write_fold_map(Path(args.export_folds), Path(args.data_dir), ids, page, folds)
    if len(seeds) > 1:
        mean = {k: float(np.mean([run[k] for run in shipped])) for k in shipped[0]}
        print(f"as shipped, mean of {len(seeds)} seeds: {_columns(mean)}")
    if args.export:
        params = {**PARAMS, "seed": seeds[0]}
        lex, lexicon = shipped_lexical(H, target, w, domains, len(folds))
        XF = with_lexical(X, lex, page)
        model = lgb.train(params, lgb.Dataset(XF, target, weight=w), args.rounds)
        save_model(model, lexicon, FEATURE_NAMES, Path(args.export))


def page_f1(keep: np.ndarray, texts: list[str], truth: str, start: int) -> float:
    """The word F1 against ``truth`` of the blocks ``keep`` marks among the page's
    rows ``start:start + len(keep)`` (their texts in page order, one per line)."""
    return f1("\n".join(texts[start + j] for j in np.flatnonzero(keep)), truth)[2]


def report(oof, page, ids, texts, truths, meta, words) -> dict[str, float]:
    """Mean page F1 of the out-of-fold scores, by fixed threshold and as shipped.

    "as shipped" is winnow's own selection (expected F1 per page, with its
    floor), so that line predicts what benchmarks/wcxb.py --cv measures.
    Returns that line's figures: "F1" overall, then each page type.
    """
    from winnow.stages.select import expected_best

    starts = np.searchsorted(page, np.arange(len(ids)))
    ends = np.append(starts[1:], len(page))
    rules = {f"thr {t}": (lambda p, w, t=t: p >= t) for t in (0.3, 0.4, 0.5)}
    rules["as shipped"] = lambda p, w: expected_best(p, w, 1.0)
    shipped: dict[str, float] = {}
    for name, rule in rules.items():
        by_type: dict[str, list[float]] = {}
        for k, pid in enumerate(ids):
            a, b = starts[k], ends[k]
            score = page_f1(rule(oof[a:b], words[a:b]), texts, truths[k], a)
            by_type.setdefault(meta[pid]["page_type"], []).append(score)
        allf = [f for v in by_type.values() for f in v]
        figures = {"F1": float(np.mean(allf))}
        figures.update((t, float(np.mean(v))) for t, v in sorted(by_type.items()))
        print(f"{name}: {_columns(figures)}")
        if name == "as shipped":
            shipped = figures
    return shipped


def _columns(figures: dict[str, float]) -> str:
    """The overall F1, then one figure per page type: "F1 0.8723  article=0.952 ..."."""
    overall, *types = figures.items()
    return f"F1 {overall[1]:.4f}  " + " ".join(f"{t}={f:.3f}" for t, f in types)


def export(model, names: list[str], path: Path) -> None:
    """Flatten the trees into arrays that ``winnow.stages.score.Forest`` walks."""
    arrays = flat_trees(model.dump_model()["tree_info"])
    np.savez_compressed(path, names=np.asarray(names), **arrays)
    print(f"exported {arrays['roots'].size} trees, depth {int(arrays['depth'])} -> {path}")


def flat_trees(tree_info: list[dict]) -> dict[str, np.ndarray]:
    """LightGBM's dumped trees as the flat arrays of ``score.Forest`` (all but names)."""
    feat, thr, left, right, value, roots, depth = [], [], [], [], [], [], [0]

    def walk(node: dict, level: int) -> int:
        idx = len(feat)
        feat.append(0)
        thr.append(np.inf)
        left.append(idx)
        right.append(idx)
        value.append(0.0)
        depth[0] = max(depth[0], level)
        if "leaf_value" in node:
            value[idx] = node["leaf_value"]
            return idx
        feat[idx] = node["split_feature"]
        thr[idx] = node["threshold"]
        left[idx] = walk(node["left_child"], level + 1)
        right[idx] = walk(node["right_child"], level + 1)
        return idx

    for info in tree_info:
        roots.append(walk(info["tree_structure"], 0))
    return {
        "feature": np.asarray(feat, dtype=np.int32),
        "threshold": np.asarray(thr, dtype=np.float64),
        "left": np.asarray(left, dtype=np.int32),
        "right": np.asarray(right, dtype=np.int32),
        "value": np.asarray(value, dtype=np.float64),
        "roots": np.asarray(roots, dtype=np.int32),
        "depth": np.asarray(depth[0]),
    }


if __name__ == "__main__":
    main()
