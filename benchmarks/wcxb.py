"""Quality and speed of winnow and its peers on the WCXB dev set, in one process.

Data: the WCXB dev split (Foley, 2026; CC-BY-4.0): ``html/NNNN.html.gz``,
``ground-truth/NNNN.json`` and ``metadata.json``. Score: ``winnow.evaluate``
(bag-of-words P/R/F1 per page, macro-averaged).

What is timed. Every extractor is handed the same input and timed from that
input to plain text, nothing else:

* ``--input bytes`` (default): the decompressed raw HTML bytes. Each extractor
  decodes them with its own encoding detection (winnow, trafilatura and
  readability-lxml take bytes; rs-trafilatura through ``extract_bytes``;
  resiliparse through its ``detect_encoding`` + ``HTMLTree.parse_from_bytes``),
  and that decoding is inside the timed region for all of them alike, because
  a crawler holds bytes and decoding is part of the job.
* ``--input utf-8``: the harness decodes the bytes as UTF-8 outside the timed
  region and every extractor gets the same ``str``. All dev pages are valid
  UTF-8; this is how WCXB's reference scripts read them, and it removes
  encoding detection as a source of difference.

Decompression (gzip is a storage detail), reading the ground truth and scoring
are never timed. Readability's HTML summary is turned into text inside the
timed region (it is part of getting text out of that peer). Each extractor
runs once on the first page before the run starts (untimed, result dropped),
so lazy imports and model loading are not charged to the first page. Pages
are processed in order and, for each page, every extractor runs in turn.

The page URL from the ground truth is passed to every extractor that takes
one, as a crawler would. An exception on a page counts as empty output and as
an error; the first message of each extractor is printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Final, Literal

from winnow.evaluate import Score, mean_score, score_text
from winnow.options import Options

InputMode = Literal["bytes", "utf-8"]
# An extractor adapter: page (bytes or str, per --input) and URL in, plain text out.
Extract = Callable[[bytes | str, str | None], str]

# The WCXB page types, in the order the results table shows them.
PAGE_TYPES: Final = tuple("article documentation service forum listing collection product".split())
REPO_ROOT: Final = Path(__file__).resolve().parents[1]
DEFAULT_DATA: Final = REPO_ROOT.parent / "shared" / "data" / "wcxb-dev"
# The same pages flattened to text dumps (../shared/tools/flatten.py).
DEFAULT_TEXT: Final = DEFAULT_DATA.parent / "wcxb-dev-text"
# How often the run reports progress on stderr, in pages.
PROGRESS_EVERY: Final = 100


# --- the dev set ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageInfo:
    id: str
    page_type: str
    domain: str


@dataclass(frozen=True, slots=True)
class Page:
    info: PageInfo
    html: bytes
    url: str | None
    truth: str


def list_pages(data: Path, types: Sequence[str] = (), limit: int | None = None) -> list[PageInfo]:
    """The dev pages in id order, optionally only some types and the first ``limit``."""
    files = json.loads((data / "metadata.json").read_text(encoding="utf-8"))["files"]
    pages = [
        PageInfo(id=page_id, page_type=meta["page_type"], domain=meta.get("domain", ""))
        for page_id, meta in sorted(files.items())
        if not types or meta["page_type"] in types
    ]
    return pages if limit is None else pages[:limit]


def read_html(data: Path, page_id: str) -> bytes:
    """The decompressed raw HTML of one page."""
    return gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())


def load_page(data: Path, info: PageInfo) -> Page:
    record = json.loads((data / "ground-truth" / f"{info.id}.json").read_text(encoding="utf-8"))
    truth = record["ground_truth"].get("main_content") or ""
    return Page(info=info, html=read_html(data, info.id), url=record.get("url"), truth=truth)


# --- the extractors ---------------------------------------------------------
# Each loader imports its library and returns an adapter; ImportError means
# "not installed here" and the extractor is skipped.


def _load_winnow() -> Extract:
    import winnow

    return lambda page, url: winnow.extract(page, url=url).text


def winnow_cross_validated(folder: Path) -> Extract:
    """winnow scoring each page with the fold model that never saw its domain.

    ``folder`` is what ``training/train.py --export-folds`` wrote: fold models
    and folds.json (sha1 of a page's bytes -> its fold). Hashing the page is
    inside the timed call; it costs well under 1% of an extraction. Where
    ``training/pagetype_train.py`` wrote the fold's page-type model
    (``pagetypeK.npz``) the page is typed by it too.
    """
    import winnow

    options_for = fold_options(folder)

    def run(page: bytes | str, url: str | None) -> str:
        return winnow.extract(page, url=url, options=options_for(page)).text

    return run


def fold_options(folder: Path) -> Callable[[bytes | str], Options]:
    """The Options that score a page with the fold models that never saw its domain.

    A page is found by the sha1 of its bytes (a str by its UTF-8); a page
    outside the folds (the warm-up's) gets the shipped models.
    """
    import hashlib

    fold_of = json.loads((folder / "folds.json").read_text(encoding="utf-8"))
    options = {k: _fold_options(folder, k) for k in set(fold_of.values())}

    def choose(page: bytes | str) -> Options:
        raw = page if isinstance(page, bytes) else page.encode("utf-8")
        fold = fold_of.get(hashlib.sha1(raw).hexdigest())
        return options[fold] if fold is not None else Options()

    return choose


def _fold_options(folder: Path, k: int) -> Options:
    types = folder / f"pagetype{k}.npz"
    return Options(
        model=str(folder / f"fold{k}.npz"), type_model=str(types) if types.exists() else None
    )


def _load_trafilatura() -> Extract:
    import trafilatura

    return lambda page, url: trafilatura.extract(page, url=url) or ""


def _load_rs_trafilatura() -> Extract:
    import rs_trafilatura

    def run(page: bytes | str, url: str | None) -> str:
        if isinstance(page, bytes):
            return rs_trafilatura.extract_bytes(page, url=url).main_content or ""
        return rs_trafilatura.extract(page, url=url).main_content or ""

    return run


def _load_resiliparse() -> Extract:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    def run(page: bytes | str, url: str | None) -> str:
        if isinstance(page, bytes):
            tree = HTMLTree.parse_from_bytes(page, detect_encoding(page) or "utf-8")
            return extract_plain_text(tree, main_content=True)
        return extract_plain_text(page, main_content=True)

    return run


def _load_readability() -> Extract:
    from readability import Document

    return lambda page, url: _fragment_text(Document(page, url=url).summary())


# Elements after which a reader sees a line break; text_content() would glue
# "end.</p><p>Next" into one token, which costs readability recall it did not lose.
_BLOCK_TAGS: Final = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)


def _fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, with a line break around block elements."""
    import lxml.html
    from lxml import etree

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        is_element = isinstance(element.tag, str)  # comments and PIs carry no text
        if is_element and element.tag in _BLOCK_TAGS:
            parts.append("\n")
        if event == "start" and is_element and element.text:
            parts.append(element.text)
        if event == "end" and element is not root and element.tail:
            parts.append(element.tail)
    return "\n".join(line.strip() for line in "".join(parts).splitlines() if line.strip())


LOADERS: Final[tuple[tuple[str, Callable[[], Extract]], ...]] = (
    ("winnow", _load_winnow),
    ("trafilatura", _load_trafilatura),
    ("rs-trafilatura", _load_rs_trafilatura),
    ("resiliparse", _load_resiliparse),
    ("readability", _load_readability),
)


def load_extractors(names: Sequence[str]) -> dict[str, Extract]:
    """The adapters for ``names`` that can be imported; the others are reported."""
    known = dict(LOADERS)
    extractors: dict[str, Extract] = {}
    for name in names:
        if name not in known:
            sys.exit(f"unknown extractor {name!r}; known: {', '.join(known)}")
        try:
            extractors[name] = known[name]()
        except ImportError as exc:
            print(f"skipping {name}: not importable ({exc})", file=sys.stderr)
    return extractors


# --- running ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    page: PageInfo
    extractor: str
    score: Score
    seconds: float
    error: str | None


def prepare(page: Page, mode: InputMode) -> bytes | str:
    """What every extractor is handed for ``page`` (see the module docstring)."""
    return page.html if mode == "bytes" else page.html.decode("utf-8")


def run_one(name: str, extract: Extract, source: bytes | str, page: Page) -> Result:
    """Run one extractor on one page; only the extraction call is timed."""
    text, seconds, error = timed(extract, source, page.url)
    return Result(page.info, name, score_text(text, page.truth), seconds, error)


def timed(extract: Extract, source: bytes | str, url: str | None) -> tuple[str, float, str | None]:
    """The extracted text, the seconds the call took, and its error (None if none)."""
    error = None
    start = time.perf_counter()
    try:
        text = extract(source, url)
    except Exception as exc:  # noqa: BLE001 - a failing page is a result, not a crash
        text, error = "", f"{type(exc).__name__}: {exc}"
    return text, time.perf_counter() - start, error


# A page with no <html lang>: what an extractor loads only for such pages (winnow's
# language detector, 0.25 s) is loaded in the warm-up too, not on the first one met.
_UNMARKED = (
    b"<html><body><article><h1>Warm-up</h1><p>The ferry to the islands sails again at nine "
    b"every evening, and the harbour master expects the first winter to decide.</p>"
    b"</article></body></html>"
)


def warm_up(extractors: dict[str, Extract], page: Page, mode: InputMode) -> None:
    """Run each extractor untimed, so one-off set-up is not charged to a page."""
    unmarked = replace(page, html=_UNMARKED, url=None)
    for extract in extractors.values():
        # A failure here is not reported: the real run counts it, page by page.
        for sample in (page, unmarked):
            with suppress(Exception):
                extract(prepare(sample, mode), sample.url)


def run(
    data: Path, infos: Sequence[PageInfo], extractors: dict[str, Extract], mode: InputMode
) -> Iterator[Result]:
    """Every extractor on every page, page by page."""
    started = time.monotonic()
    for done, info in enumerate(infos, start=1):
        page = load_page(data, info)
        source = prepare(page, mode)
        for name, extract in extractors.items():
            yield run_one(name, extract, source, page)
        if done % PROGRESS_EVERY == 0:
            elapsed = time.monotonic() - started
            print(f"  {done}/{len(infos)} pages, {elapsed:.0f} s", file=sys.stderr)


def write_jsonl(result: Result, out: IO[str]) -> None:
    record = {
        "id": result.page.id,
        "type": result.page.page_type,
        "extractor": result.extractor,
        "p": result.score.precision,
        "r": result.score.recall,
        "f1": result.score.f1,
        "seconds": round(result.seconds, 6),
        "error": result.error,
    }
    out.write(json.dumps(record) + "\n")


# --- reporting --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    extractor: str
    score: Score
    f1_by_type: dict[str, float]
    pages_per_second: float
    errors: int
    first_error: str | None


def summarize(name: str, results: Sequence[Result]) -> Summary:
    by_type: dict[str, list[Score]] = {}
    for result in results:
        by_type.setdefault(result.page.page_type, []).append(result.score)
    seconds = sum(result.seconds for result in results)
    errors = [result.error for result in results if result.error is not None]
    return Summary(
        extractor=name,
        score=mean_score(result.score for result in results),
        f1_by_type={kind: mean_score(scores).f1 for kind, scores in by_type.items()},
        pages_per_second=len(results) / seconds if seconds > 0 else float("inf"),
        errors=len(errors),
        first_error=errors[0] if errors else None,
    )


def type_columns(infos: Sequence[PageInfo]) -> list[tuple[str, int]]:
    """The page types present, in table order, with their page counts."""
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.page_type] = counts.get(info.page_type, 0) + 1
    order = [kind for kind in PAGE_TYPES if kind in counts]
    order += sorted(kind for kind in counts if kind not in PAGE_TYPES)
    return [(kind, counts[kind]) for kind in order]


def markdown_table(summaries: Sequence[Summary], columns: Sequence[tuple[str, int]]) -> str:
    header = ["extractor", "F1", "P", "R", *(f"{k} ({n})" for k, n in columns)]
    header += ["pages/s", "errors"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for s in summaries:
        by_type = [f"{s.f1_by_type[kind]:.3f}" for kind, _ in columns]
        row = [s.extractor, f"{s.score.f1:.3f}", f"{s.score.precision:.3f}"]
        row += [f"{s.score.recall:.3f}", *by_type, f"{s.pages_per_second:.1f}", str(s.errors)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def speed_line(summaries: Sequence[Summary]) -> str | None:
    """'winnow is 5.2x trafilatura, ...' when winnow and at least one peer ran."""
    ours = next((s for s in summaries if s.extractor == "winnow"), None)
    peers = [s for s in summaries if s.extractor != "winnow"]
    if ours is None or not peers:
        return None
    ratios = [f"{ours.pages_per_second / s.pages_per_second:.1f}x {s.extractor}" for s in peers]
    return "winnow is " + ", ".join(ratios) + " (pages/s ratio)"


def worst_table(results: Sequence[Result], n: int) -> str:
    worst = sorted(results, key=lambda r: (r.score.f1, r.page.id))[:n]
    lines = ["| id | type | domain | F1 | P | R | error |", "|---|---|---|---|---|---|---|"]
    for r in worst:
        s, p = r.score, r.page
        lines.append(
            f"| {p.id} | {p.page_type} | {p.domain} | {s.f1:.3f} | "
            f"{s.precision:.3f} | {s.recall:.3f} | {r.error or ''} |"
        )
    return "\n".join(lines)


def report(
    results: Sequence[Result], infos: Sequence[PageInfo], names: Sequence[str], worst: int
) -> None:
    summaries = [summarize(name, [r for r in results if r.extractor == name]) for name in names]
    print(markdown_table(summaries, type_columns(infos)))
    line = speed_line(summaries)
    if line:
        print(f"\n{line}")
    for s in summaries:
        if s.first_error:
            print(f"\n{s.extractor}: {s.errors} errors; first: {s.first_error}")
    if worst:
        ours = [r for r in results if r.extractor == "winnow"]
        if ours:
            print(f"\nThe {worst} lowest-F1 winnow pages:\n\n{worst_table(ours, worst)}")
        else:
            print("\n--worst needs winnow among --extractors")


# --- command line -----------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--extractors",
        default=",".join(name for name, _ in LOADERS),
        help="comma-separated, from: %(default)s (default: all that import)",
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (after --types)")
    parser.add_argument("--types", default="", help=f"comma-separated from {','.join(PAGE_TYPES)}")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="default: %(default)s")
    parser.add_argument("--out", type=Path, help="write per-page results to this JSONL file")
    parser.add_argument("--worst", type=int, default=0, help="print the N lowest-F1 winnow pages")
    parser.add_argument(
        "--cv",
        type=Path,
        help="folder from training/train.py --export-folds: score winnow cross-validated",
    )
    parser.add_argument(
        "--input",
        choices=("bytes", "utf-8"),
        default="bytes",
        help="hand extractors raw bytes (default) or str decoded as UTF-8 outside the timer",
    )
    return parser.parse_args(argv)


def collect(
    data: Path,
    infos: Sequence[PageInfo],
    extractors: dict[str, Extract],
    mode: InputMode,
    out_path: Path | None,
) -> list[Result]:
    """Run everything, writing each result to ``out_path`` (JSONL) as it comes."""
    results: list[Result] = []
    with out_path.open("w", encoding="utf-8") if out_path else nullcontext() as out:
        for result in run(data, infos, extractors, mode):
            results.append(result)
            if out is not None:
                write_jsonl(result, out)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    types = [t for t in args.types.split(",") if t]
    infos = list_pages(args.data, types, args.limit)
    if not infos:
        sys.exit(f"no pages in {args.data} for --types {args.types!r}")
    extractors = load_extractors([n for n in args.extractors.split(",") if n])
    if args.cv and "winnow" in extractors:
        extractors["winnow"] = winnow_cross_validated(args.cv)
    if not extractors:
        sys.exit("no extractor could be imported")
    warm_up(extractors, load_page(args.data, infos[0]), args.input)
    results = collect(args.data, infos, extractors, args.input, args.out)
    print(f"WCXB dev (Foley, 2026; CC-BY-4.0): {len(infos)} pages, input={args.input}\n")
    report(results, infos, list(extractors), args.worst)


if __name__ == "__main__":
    main()
