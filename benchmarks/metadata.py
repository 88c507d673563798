"""Title, author and date accuracy of winnow and its peers on WCXB dev, side by side.

Data: the WCXB dev split (Foley, 2026; CC-BY-4.0). Ground truth: the
``title``, ``author`` and ``publish_date`` of ``ground-truth/NNNN.json``; a
field is scored only on the pages where it is not null.

What counts as right:

* **title**: equal after Unicode NFKC, case folding and folding white space;
* **author**: the same *set* of names. Both sides are split into names at
  ``,`` ``;`` ``&`` ``|`` and the word ``and``; each name is NFKC-folded,
  case-folded, a leading "by" and trailing punctuation dropped; parts that are
  credentials after a name ("MD", "Ph.D.", "FACLM": see ``_CREDENTIAL``) are
  dropped on both sides, because the
  ground truth sometimes writes "Dylan Bailey, MS, RD" and sometimes not;
* **date**: the same calendar day, ``YYYY-MM-DD``, as the page writes it
  (the day of a timestamp with an offset is the day in that offset).

It also counts how often each extractor returns a date on the pages whose
ground truth has none (650 of the 1,358): a date there is at best noise.

Each extractor is called through its own metadata API, with the page's raw
bytes decoded as UTF-8 (all dev pages are) and its URL:
``trafilatura.extract_metadata``, ``rs_trafilatura.extract``,
``newspaper.Article.parse``, ``goose3.Goose.extract``, ``winnow.extract``;
``winnow-text`` is winnow on the page's flattened text dump (the sibling
folder ``wcxb-dev-text``), where only what the text says can be read.

``--cv DIR`` runs winnow with the fold models of ``wcxb.py --cv DIR``: the
page type, on which the title and the date of some pages depend
(``metadata.settle_type``), is then read by a model that never saw the
page's domain. ``--text-cv DIR`` does the same for ``winnow-text`` with the
text fold models of ``training/text_train.py --export-folds DIR`` (given their
headline rankings by ``training/headline_train.py --into-folds``).

``--half a`` / ``--half b`` score only the pages of one half of the domains
(split by a hash of the domain): rules tuned while reading half a's wrong pages
are reported on half b, which they never saw. ``--wrong`` lists the pages
winnow gets wrong, field by field, with what it returned and where from.

    .venv-bench/bin/python benchmarks/metadata.py               # all pages, all extractors
    .venv-bench/bin/python benchmarks/metadata.py --extractors winnow --half a --wrong
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from wcxb import (  # benchmarks/ is on sys.path as a script
    DEFAULT_DATA,
    PageInfo,
    fold_options,
    list_pages,
    read_html,
)

FIELDS: Final = ("title", "author", "date")


@dataclass(frozen=True, slots=True)
class Meta:
    """What one extractor says of one page; ``sources`` only for winnow."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    sources: str = ""


Extract = Callable[[str, str | None], Meta]


# --- normalisation ----------------------------------------------------------

_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&|/]|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# One part of an author string that is a credential or degree, not a name: one
# short token without a lower-case letter ("MD", "FACLM", "CEPF®") or a degree
# written with some ("Ph.D.", "MSc", "Jr.").
_CREDENTIAL = re.compile(r"^(?:[^\sa-z]{1,7}|(?i:ph\.?\s?d|[mb]\.?sc?|[js]r|m\.?d)\.?)$")


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def author_set(names: Sequence[str]) -> frozenset[str]:
    out = set()
    for name in names:
        if not isinstance(name, str):  # a peer may hand back None or a nested list
            continue
        for part in _AUTHOR_SPLIT.split(unicodedata.normalize("NFKC", name)):
            part = re.sub(r"^by\s+", "", part.strip(), flags=re.IGNORECASE).strip(" .,:;-–—")
            if not part or (_CREDENTIAL.match(part) and out):
                continue
            out.add(fold(part))
    return frozenset(out)


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def day(value: Any) -> str | None:
    """YYYY-MM-DD of a date string, date or datetime; None if it has none."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        match = _DAY.search(value)
        return match.group(0) if match else None
    return None


# --- the extractors ---------------------------------------------------------


def _meta_of(doc: Any) -> Meta:
    """What a winnow Document says, with the source of each field."""
    sources = " ".join(f"{k}={v}" for k, v in sorted(doc.sources.items()))
    return Meta(doc.title, tuple(doc.authors), doc.published, sources)


def _load_winnow() -> Extract:
    import winnow

    def run(html: str, url: str | None) -> Meta:
        doc = winnow.extract(html, url=url)
        return _meta_of(doc)

    return run


def winnow_cross_validated(folder: Path) -> Extract:
    """winnow with the fold models that never saw the page's domain (``wcxb.py --cv``).

    The page's type, on which the title and the date of some pages depend
    (``metadata.settle_type``), then comes from a model that never saw the
    page either.
    """
    import winnow

    options_for = fold_options(folder)

    def run(html: str, url: str | None) -> Meta:
        doc = winnow.extract(html, url=url, options=options_for(html))
        return _meta_of(doc)

    return run


def _load_winnow_text(folds: Path | None = None) -> Extract:
    """winnow on the page's flattened text dump, as text mode reads it.

    With ``folds`` (``training/text_train.py --export-folds``), each dump is read
    by the fold's text model that never saw its domain (``wcxb.fold_options``).
    """
    import winnow

    options_for = fold_options(folds) if folds else lambda dump: winnow.Options()

    def run(dump: str, url: str | None) -> Meta:
        options = replace(options_for(dump), input="text")
        return _meta_of(winnow.extract(dump, url=url, options=options))

    return run


def _load_trafilatura() -> Extract:
    import trafilatura

    def run(html: str, url: str | None) -> Meta:
        m = trafilatura.extract_metadata(html, default_url=url)
        if m is None:
            return Meta()
        authors = tuple(a.strip() for a in (m.author or "").split(";") if a.strip())
        return Meta(m.title, authors, m.date)

    return run


def _load_rs_trafilatura() -> Extract:
    import rs_trafilatura

    def run(html: str, url: str | None) -> Meta:
        r = rs_trafilatura.extract(html, url=url)
        authors = tuple(a.strip() for a in (r.author or "").split(";") if a.strip())
        return Meta(r.title, authors, r.date)

    return run


def _load_newspaper() -> Extract:
    warnings.filterwarnings("ignore", message="nltk is not installed")
    import newspaper

    def run(html: str, url: str | None) -> Meta:
        # fetch_images=False: by default newspaper downloads images to size them.
        article = newspaper.Article(url or "https://example.invalid/", fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return Meta(article.title, tuple(article.authors), day(article.publish_date))

    return run


def _load_goose() -> Extract:
    import goose3

    goose = goose3.Goose({"enable_image_fetching": False})

    def run(html: str, url: str | None) -> Meta:
        article = goose.extract(url=url, raw_html=html)
        return Meta(article.title, tuple(article.authors or ()), day(article.publish_date))

    return run


LOADERS: Final[dict[str, Callable[[], Extract]]] = {
    "winnow": _load_winnow,
    "winnow-text": _load_winnow_text,
    "trafilatura": _load_trafilatura,
    "rs-trafilatura": _load_rs_trafilatura,
    "newspaper4k": _load_newspaper,
    "goose3": _load_goose,
}


# --- scoring ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Truth:
    info: PageInfo
    url: str | None
    title: str | None
    author: str | None
    date: str | None


def load_truth(data: Path, info: PageInfo) -> Truth:
    record = json.loads((data / "ground-truth" / f"{info.id}.json").read_text(encoding="utf-8"))
    gt = record["ground_truth"]
    return Truth(info, record.get("url"), gt.get("title"), gt.get("author"), gt.get("publish_date"))


def right(field: str, truth: Truth, got: Meta) -> bool | None:
    """Whether ``got`` has ``field`` right; None where the truth has no value."""
    if field == "title":
        return None if truth.title is None else fold(got.title or "") == fold(truth.title)
    if field == "author":
        if truth.author is None:
            return None
        return author_set(got.authors) == author_set([truth.author])
    return None if truth.date is None else day(got.date) == truth.date[:10]


def in_half(info: PageInfo, half: str) -> bool:
    if half == "all":
        return True
    bucket = hashlib.sha1(info.domain.encode("utf-8")).digest()[0] % 2
    return bucket == (0 if half == "a" else 1)


@dataclass(slots=True)
class Tally:
    right: dict[str, int]
    scored: dict[str, int]
    spurious_dates: int = 0
    undated: int = 0
    errors: int = 0
    seconds: float = 0.0

    def add(self, truth: Truth, got: Meta) -> None:
        for field in FIELDS:
            ok = right(field, truth, got)
            if ok is not None:
                self.scored[field] += 1
                self.right[field] += ok
        if truth.date is None:
            self.undated += 1
            self.spurious_dates += day(got.date) is not None

    def accuracy(self, field: str) -> float:
        return self.right[field] / self.scored[field] if self.scored[field] else 0.0


def run(
    data: Path,
    names: Sequence[str],
    half: str,
    limit: int | None,
    cv: Path | None = None,
    text_cv: Path | None = None,
) -> tuple[dict[tuple[str, str], Tally], list[tuple[Truth, Meta]]]:
    extractors = {}
    for name in names:
        try:
            if cv and name == "winnow":
                extractors[name] = winnow_cross_validated(cv)
            elif text_cv and name == "winnow-text":
                extractors[name] = _load_winnow_text(text_cv)
            else:
                extractors[name] = LOADERS[name]()
        except ImportError as exc:
            print(f"skipping {name}: not importable ({exc})", file=sys.stderr)
    tallies = {
        (n, h): Tally(dict.fromkeys(FIELDS, 0), dict.fromkeys(FIELDS, 0))
        for n in extractors
        for h in ("all", "a", "b")
    }
    winnow_pages: list[tuple[Truth, Meta]] = []
    # --wrong lists winnow's pages; winnow-text's when winnow is not run.
    wrong_of = "winnow" if "winnow" in extractors else "winnow-text"
    pages = [p for p in list_pages(data, limit=limit) if in_half(p, half)]
    for info in pages:
        truth = load_truth(data, info)
        html = read_html(data, info.id).decode("utf-8", errors="replace")
        dump = (data.parent / f"{data.name}-text" / f"{info.id}.txt").read_text("utf-8")
        side = "a" if in_half(info, "a") else "b"
        for name, extract in extractors.items():
            tally = tallies[name, "all"]
            start = time.perf_counter()
            try:
                got = extract(dump if name == "winnow-text" else html, truth.url)
            except Exception as exc:  # noqa: BLE001 - a peer failing on a page scores as empty
                if tally.errors == 0:
                    print(f"{name}: {info.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                tally.errors += 1
                got = Meta()
            tally.seconds += time.perf_counter() - start
            for t in (tally, tallies[name, side]):
                t.add(truth, got)
            if name == wrong_of:
                winnow_pages.append((truth, got))
    return tallies, winnow_pages


def print_table(tallies: dict[tuple[str, str], Tally]) -> None:
    print("| extractor | title | author | date | date where none | errors | pages/s |")
    print("|---|---|---|---|---|---|---|")
    for (name, side), t in tallies.items():
        if side != "all":
            continue
        rate = t.spurious_dates / t.undated if t.undated else 0.0
        speed = t.scored["title"] / t.seconds if t.seconds else 0.0
        print(
            f"| {name} | {t.accuracy('title'):.3f} | {t.accuracy('author'):.3f} "
            f"| {t.accuracy('date'):.3f} | {rate:.3f} ({t.spurious_dates}/{t.undated}) "
            f"| {t.errors} | {speed:.1f} |"
        )
    first = next(iter(tallies.values()), None)
    if first is not None:
        scored = ", ".join(f"{f} {first.scored[f]}" for f in FIELDS)
        print(f"\npages scored per field: {scored}")
    print("\nBy domain half (rules read off half a's wrong pages are checked on half b):\n")
    print("| extractor | half | pages | title | author | date | date where none |")
    print("|---|---|---|---|---|---|---|")
    for (name, side), t in tallies.items():
        if side == "all" or not t.scored["title"]:
            continue
        rate = t.spurious_dates / t.undated if t.undated else 0.0
        print(
            f"| {name} | {side} | {t.scored['title']} | {t.accuracy('title'):.3f} "
            f"| {t.accuracy('author'):.3f} | {t.accuracy('date'):.3f} | {rate:.3f} |"
        )


def print_wrong(pages: list[tuple[Truth, Meta]]) -> None:
    print("\n## Pages winnow gets wrong\n")
    for truth, got in pages:
        for field in FIELDS:
            if right(field, truth, got) is False:
                want = {"title": truth.title, "author": truth.author, "date": truth.date}[field]
                have = {"title": got.title, "author": got.authors, "date": got.date}[field]
                print(f"{truth.info.id} {field:6} want {want!r} got {have!r} [{got.sources}]")
        if truth.date is None and day(got.date) is not None:
            print(f"{truth.info.id} date   want None got {got.date!r} [{got.sources}]")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--extractors", default=",".join(LOADERS))
    parser.add_argument("--half", choices=("all", "a", "b"), default="all")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--wrong", action="store_true", help="list winnow's wrong pages")
    parser.add_argument(
        "--cv",
        type=Path,
        help="folder of fold models (wcxb.py --cv): winnow cross-validated",
    )
    parser.add_argument(
        "--text-cv",
        type=Path,
        help="folder of text fold models (text_train.py --export-folds): winnow-text "
        "cross-validated",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = set(names) - set(LOADERS)
    if unknown:
        sys.exit(f"unknown extractor(s) {sorted(unknown)}; known: {', '.join(LOADERS)}")
    tallies, winnow_pages = run(args.data, names, args.half, args.limit, args.cv, args.text_cv)
    print(f"WCXB dev metadata, domains: {args.half}\n")
    print_table(tallies)
    if args.wrong:
        print_wrong(winnow_pages)


if __name__ == "__main__":
    main()
