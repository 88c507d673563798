"""Text-model experiments measured against the shipped settings of ``text_train.py``.

Usage: python training/text_exp.py DATASET.npz DATA_DIR EXPERIMENT --lexicon-cache DIR
           [--seed 7]

Every experiment is cross-validated exactly as ``text_train.py`` does it (five
folds split by domain, the fold lexicons read from ``--lexicon-cache``, the
trees learning from inner out-of-fold lexical scores) and printed as its
table: mean page P/R/F1 of the out-of-fold lines as winnow selects them.
EXPERIMENT is one of:

- ``base``: the shipped settings;
- ``comments``: four more columns: a line of at most 8 words that
  ``patterns.COMMENTS_HEADING`` matches; whether the line lies after the first
  such heading that follows 50 prose words past the start of the main run,
  and how many lines after it; those prose words before the first one (log)
  (the first three columns alone, at 150 words, are the README's other variant);
- ``sections``: for the last section heading (``section_heading``) at or
  above the line, the main run's prose words before it (log) and the share
  of the main run's prose after it;
- ``headings``: the lexical score of the heading a line lies under (a line of
  at most 6 words not ending a sentence, followed by a longer one), lines
  since it, and the line's own lexical score minus the heading's;
- ``runs``: the prose run a line lies in (prose lines at most 3 lines apart):
  its prose words, its share of the largest run's, its rank, its lexical
  score relative to the largest run's, sizeable runs started above the line,
  and which side of the largest run the line lies on;
- ``stack``: a second LightGBM over each line's first-stage score, the
  scores of ±1..5 lines, window means and maxima over ±3 and ±10 lines, the
  score's rank in the page, the page's score quantiles and some of the line's
  own columns. Nested: inside each outer fold the first-stage scores the
  second stage learns from come from an inner domain-split 4-fold CV of the
  fold's training dumps; the held-out dumps are scored by the first stage
  trained on all of them ("stage 2"), or by the mean of the four inner
  models ("inner mean", itself a bagged first stage, also printed);
- ``bag``: the mean of ``--bag`` models (4), each of ``--bag-rounds`` trees
  (28: the shipped budget of trees in all) at rate ``--bag-rate`` (0.3),
  trained on all but one of as many domain-split parts of the training dumps;
- ``distill``: one model of the shipped size fitted (cross-entropy) to the
  mean of the four inner models' scores of the training lines, mixed with
  the hard label by ``--mix`` (0).

Credit: WCXB (Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import lightgbm as lgb
import numpy as np
from dataset import truth_of  # training/ is on sys.path when run as a script
from lexicon_fit import bags, fold_lexical, with_lexical
from sklearn.model_selection import GroupKFold
from text_train import FOLDS, PARAMS, ROUNDS, report
from train import weights

from winnow import patterns as P
from winnow.stages.textmode.features import FEATURE_NAMES, MEASURED_NAMES

COL = {name: k for k, name in enumerate(FEATURE_NAMES)}
FAR = 50.0  # a distance this long or longer (in lines) reads as "none nearby"
COMMENTS_MAX_WORDS = 8
COMMENTS_AFTER_PROSE = 50.0
HEADING_MAX_WORDS = 6
RUN_GAP = 3
STACK_ROUNDS = 80
STACK_OWN = (
    "log_words", "prose", "in_main", "from_main_start", "to_main_end", "position",
    "page_log_lines", "page_main_share", "since_section", "repeats", "lex",
)  # fmt: skip
INNER_FOLDS = 4


def pages(*columns: np.ndarray, page: np.ndarray) -> zip:
    """The given per-line columns cut page by page."""
    bounds = np.flatnonzero(np.diff(page)) + 1
    return zip(*(np.split(c, bounds) for c in columns), strict=True)


def words_of(XF: np.ndarray) -> np.ndarray:
    return np.expm1(XF[:, COL["log_words"]])


def main_prose(XF: np.ndarray, past_start: bool = False) -> np.ndarray:
    """Each line's words if it is prose inside the main run (or anywhere past its
    start), else 0."""
    where = XF[:, COL["from_main_start"]] >= 0 if past_start else XF[:, COL["in_main"]] > 0
    return np.where((XF[:, COL["prose"]] > 0) & where, words_of(XF), 0.0)


def comments_columns(texts: list[str], XF: np.ndarray, page: np.ndarray) -> np.ndarray:
    words = words_of(XF)
    short = words <= COMMENTS_MAX_WORDS + 0.5
    heading = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(short):
        heading[i] = P.COMMENTS_HEADING.match(texts[i].strip()) is not None
    out = []
    for h, w in pages(heading, main_prose(XF, past_start=True), page=page):
        n, idx = h.size, np.arange(h.size)
        before = np.cumsum(w) - w
        cols = np.zeros((n, 4))
        cols[:, 0], cols[:, 2], cols[:, 3] = h, FAR, -1.0
        qualified = np.flatnonzero(h & (before >= COMMENTS_AFTER_PROSE))
        if qualified.size:
            q = qualified[0]
            cols[q:, 1] = 1.0
            cols[q:, 2] = np.minimum(idx[q:] - q, FAR)
        if h.any():
            first = int(np.argmax(h))
            cols[first:, 3] = np.log1p(before[first])
        out.append(cols)
    return np.vstack(out)


def sections_columns(texts: list[str], XF: np.ndarray, page: np.ndarray) -> np.ndarray:
    out = []
    for h, w in pages(XF[:, COL["section_heading"]] > 0, main_prose(XF), page=page):
        before, total, idx = np.cumsum(w) - w, max(w.sum(), 1.0), np.arange(h.size)
        last = np.maximum.accumulate(np.where(h, idx, -1))
        cols = np.full((h.size, 2), -1.0)
        has = last >= 0
        cols[has, 0] = np.log1p(before[last[has]])
        cols[has, 1] = (total - before[last[has]]) / total
        out.append(cols)
    return np.vstack(out)


def headings_columns(texts: list[str], XF: np.ndarray, page: np.ndarray) -> np.ndarray:
    ends = XF[:, COL["ends_terminal"]] > 0
    out = []
    for w, e, lex in pages(words_of(XF), ends, XF[:, COL["lex"]], page=page):
        nxt, idx = np.append(w[1:], 0.0), np.arange(w.size)
        head = (w <= HEADING_MAX_WORDS + 0.5) & (w > 0.5) & ~e & (nxt > w + 2)
        last = np.concatenate(([-1], np.maximum.accumulate(np.where(head, idx, -1))[:-1]))
        has = last >= 0
        under = lex[np.maximum(last, 0)]
        cols = np.column_stack(
            (
                np.where(has, under, -5.0),
                np.where(has, np.minimum(idx - last, FAR), FAR),
                np.where(has, lex - under, 0.0),
            )
        )
        out.append(cols)
    return np.vstack(out)


def runs_columns(texts: list[str], XF: np.ndarray, page: np.ndarray) -> np.ndarray:
    out = []
    for w, p, lex in pages(words_of(XF), XF[:, COL["prose"]] > 0, XF[:, COL["lex"]], page=page):
        n, idx = w.size, np.arange(w.size)
        cols = np.zeros((n, 6))
        cols[:, 2], cols[:, 3] = 10.0, -3.0
        at = np.flatnonzero(p)
        if at.size:
            new = np.concatenate(([True], np.diff(at) > RUN_GAP + 1))
            run = np.cumsum(new) - 1
            starts, ends = at[new], at[np.append(np.flatnonzero(new)[1:] - 1, at.size - 1)]
            run_words = np.bincount(run, weights=w[at])
            run_lex = np.bincount(run, weights=lex[at] * w[at]) / np.maximum(run_words, 1)
            rank = np.argsort(np.argsort(-run_words, kind="stable"), kind="stable")
            big = int(np.argmax(run_words))
            line_run = np.full(n, -1)
            for r, (a, b) in enumerate(zip(starts, ends, strict=True)):
                line_run[a : b + 1] = r
            inside = line_run >= 0
            r = line_run[inside]
            cols[inside, 0] = np.log1p(run_words[r])
            cols[inside, 1] = run_words[r] / run_words[big]
            cols[inside, 2] = np.minimum(rank[r], 10)
            cols[inside, 3] = run_lex[r] - run_lex[big]
            sizeable = starts[run_words >= 30]
            cols[:, 4] = np.minimum(np.searchsorted(sizeable, idx, side="right"), 10)
            cols[:, 5] = (idx > ends[big]).astype(float) - (idx < starts[big])
        out.append(cols)
    return np.vstack(out)


COLUMNS: dict[str, Callable[[list[str], np.ndarray, np.ndarray], np.ndarray]] = {
    "comments": comments_columns,
    "sections": sections_columns,
    "headings": headings_columns,
    "runs": runs_columns,
}


def shifted(s: np.ndarray, offset: int) -> np.ndarray:
    out = np.full(s.size, -1.0)
    if offset < 0 and s.size > -offset:
        out[-offset:] = s[:offset]
    elif offset > 0 and s.size > offset:
        out[:-offset] = s[offset:]
    return out


def window(s: np.ndarray, half: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and maximum of ``s`` over the line and ``half`` lines on each side."""
    n, idx = s.size, np.arange(s.size)
    total = np.concatenate(([0.0], np.cumsum(s)))
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, n)
    padded = np.concatenate((np.full(half, -1.0), s, np.full(half, -1.0)))
    top = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1).max(axis=1)
    return (total[hi] - total[lo]) / (hi - lo), top


def stack_columns(s1: np.ndarray, XF: np.ndarray, page: np.ndarray) -> np.ndarray:
    """The second stage's columns: first-stage scores around the line and over its page."""
    own = XF[:, [COL[name] for name in STACK_OWN]]
    parts = []
    for s, o in pages(s1, own, page=page):
        n = s.size
        cols = [s, *(shifted(s, k) for k in (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))]
        for half in (3, 10):
            cols.extend(window(s, half))
        cols.append(np.argsort(np.argsort(s, kind="stable"), kind="stable") / max(n - 1, 1))
        q = np.quantile(s, (0.1, 0.25, 0.5, 0.75, 0.9))
        cols.extend(np.full(n, v) for v in (*q, s.max(), s.mean()))
        cols.append(s - q[4])
        parts.append(np.column_stack([*cols, o]))
    return np.vstack(parts).astype(np.float32)


def train(params: dict, X: np.ndarray, target: np.ndarray, w: np.ndarray, rounds: int):
    return lgb.train(params, lgb.Dataset(X, target, weight=w), rounds)


def cross_validate(
    experiment: str,
    ds,
    texts,
    domains,
    folds,
    cache: Path,
    seed: int,
    bagging: tuple,
    mix: float,
) -> dict:
    """Out-of-fold scores of each variant the experiment yields, by name."""
    X, y, page = ds["X"], ds["y"], ds["page"]
    H = bags(ds["term_line"], ds["term_bucket"], len(y))
    target = (y >= 0.5).astype(np.float32)
    w = weights(y, X, page, list(MEASURED_NAMES))
    params = dict(PARAMS, seed=seed)
    out: dict[str, np.ndarray] = {}

    def put(name: str, rows: np.ndarray, scores: np.ndarray) -> None:
        out.setdefault(name, np.zeros(len(y)))[rows] = scores

    for k, (tr, te) in enumerate(folds):
        lex, _ = fold_lexical(H, target, w, domains, tr, te, cache / f"lexicon{k}.npz")
        XF = with_lexical(X, lex, page)
        if experiment in COLUMNS:
            XF = np.hstack([XF, COLUMNS[experiment](texts, XF, page)]).astype(np.float32)
        inner = list(GroupKFold(n_splits=INNER_FOLDS).split(tr, groups=domains[tr]))
        if experiment == "distill":
            teacher = np.zeros(tr.size)
            for fit, _ in inner:
                model = train(params, XF[tr[fit]], target[tr[fit]], w[tr[fit]], ROUNDS)
                teacher += model.predict(XF[tr]) / INNER_FOLDS
            soft = mix * target[tr] + (1 - mix) * teacher
            student = dict(params, objective="cross_entropy")
            put("distill", te, train(student, XF[tr], soft, w[tr], ROUNDS).predict(XF[te]))
            continue
        if experiment == "bag":
            count, rounds, rate = bagging
            bag = dict(params, learning_rate=rate)
            parts = GroupKFold(n_splits=count).split(tr, groups=domains[tr])
            models = [train(bag, XF[tr[i]], target[tr[i]], w[tr[i]], rounds) for i, _ in parts]
            put("bag", te, np.mean([m.predict(XF[te]) for m in models], axis=0))
            continue
        first = train(params, XF[tr], target[tr], w[tr], ROUNDS)
        put(experiment, te, first.predict(XF[te]))
        if experiment != "stack":
            continue
        s1 = np.zeros(len(y))
        s1[te] = out["stack"][te]
        inner_mean = np.zeros(te.size)
        for fit, held in inner:
            model = train(params, XF[tr[fit]], target[tr[fit]], w[tr[fit]], ROUNDS)
            s1[tr[held]] = model.predict(XF[tr[held]])
            inner_mean += model.predict(XF[te]) / INNER_FOLDS
        second = train(params, stack_columns(s1, XF, page)[tr], target[tr], w[tr], STACK_ROUNDS)
        put("stage 2", te, second.predict(stack_columns(s1, XF, page)[te]))
        put("inner mean", te, inner_mean)
        s1[te] = inner_mean
        put("stage 2 over inner mean", te, second.predict(stack_columns(s1, XF, page)[te]))
        print(f"  fold {k} done", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("experiment", choices=["base", *COLUMNS, "stack", "bag", "distill"])
    ap.add_argument("--lexicon-cache", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=PARAMS["seed"])
    ap.add_argument("--bag", type=int, default=4, help="bag: how many models")
    ap.add_argument("--bag-rounds", type=int, default=28, help="bag: trees per model")
    ap.add_argument("--bag-rate", type=float, default=0.3, help="bag: learning rate")
    ap.add_argument("--mix", type=float, default=0.0, help="distill: weight of the hard label")
    args = ap.parse_args()
    ds = np.load(args.dataset)
    ids = [str(i) for i in ds["ids"]]
    page = ds["page"]
    texts = json.loads(Path(args.dataset).with_suffix(".texts.json").read_text())
    meta = json.loads((args.data_dir / "metadata.json").read_text())["files"]
    domains = np.asarray([meta[ids[p]]["domain"] for p in page])
    folds = list(GroupKFold(n_splits=FOLDS).split(page, groups=domains))
    args.lexicon_cache.mkdir(parents=True, exist_ok=True)
    bagging = (args.bag, args.bag_rounds, args.bag_rate)
    scores = cross_validate(
        args.experiment, ds, texts, domains, folds, args.lexicon_cache, args.seed, bagging, args.mix
    )
    truths = [truth_of(args.data_dir, i) for i in ids]
    types = [meta[i]["page_type"] for i in ids]
    words = np.expm1(ds["X"][:, MEASURED_NAMES.index("log_words")])
    for name, oof in scores.items():
        print(f"{name}, seed {args.seed}:")
        report(oof, page, ids, texts, truths, types, words)


if __name__ == "__main__":
    main()
