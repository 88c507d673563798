"""Quality and speed of winnow's text front door on flattened WCXB dev dumps.

Data: the WCXB dev split (Foley, 2026; CC-BY-4.0) flattened to text dumps by
``shared/tools/flatten.py`` (``--text``, one ``NNNN.txt`` per page), scored
against the split's ground truth (``--data``: ``ground-truth/NNNN.json`` and
``metadata.json``) with ``winnow.evaluate``: bag-of-words P/R/F1 per page,
macro-averaged, per page type too.

Extractors, each handed the dump's bytes as read from disk:

* ``winnow``: ``winnow.extract(dump, url=url, input="text").text``, with the
  page URL from the ground truth, as a crawler that kept it would pass it
  (``--no-url`` leaves it out). With ``--cv DIR``
  (from ``training/text_train.py --export-folds DIR``) each dump is scored by
  the fold model that never saw its domain, so the figure is cross-validated;
  without it the shipped model, trained on these very dumps, scores them.
* ``c4``: the C4 line filter (Raffel et al. 2020; ``tensorflow_datasets``
  ``c4_utils.clean_page``), applied to the dump's lines: keep a line that ends
  in ``. ? ! "`` (not ``...``), has at least 5 words, no word over 1,000
  characters, no "javascript" and no cookie/privacy/terms-of-use wording,
  after Wikipedia-style citation markers are cut. C4 also drops a whole page
  that holds "lorem ipsum" or a ``{`` or has fewer than 3 sentences; those
  page rules are kept here (``c4``) and left out in ``c4-lines``.
* ``whole``: the whole dump.
* ``justext`` / ``trafilatura`` (if installed): each line of the dump as a
  ``<p>`` of an HTML page, as peers that need markup can be run on a dump.

Speed: only the extraction call is timed (``time.perf_counter``), one
process, dumps in id order. All dumps and truths are read into memory first;
then each extractor runs once untimed, and over every dump in a pass of its
own (before 2026-11-28 the extractors took turns on each dump, with the file
reads and the scoring between the timed calls: winnow, whose models do not
stay in the caches through that, read about 10% fewer dumps/s). dumps/s =
dumps / summed extraction time. Input detection is checked on every run: the
line "auto input" counts the dumps ``input="auto"`` reads as text and, with
``--html``, the HTML pages it reads as HTML.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final

from wcxb import (  # benchmarks/ is on sys.path when run as a script
    DEFAULT_DATA,
    DEFAULT_TEXT,
    PageInfo,
    Result,
    fold_options,
    list_pages,
    markdown_table,
    read_html,
    summarize,
    timed,
    type_columns,
    worst_table,
)

from winnow.evaluate import score_text

# An extractor adapter: the dump's bytes and the page's URL in, plain text out.
Extract = Callable[[bytes, str | None], str]

# --- C4 (tensorflow_datasets c4_utils.clean_page, without the bad-words list) ---

C4_MIN_WORDS_PER_LINE: Final = 5
C4_MIN_NUM_SENTENCES: Final = 3
C4_MAX_WORD_LENGTH: Final = 1000
C4_END_MARKS: Final = (".", "?", "!", '"')
C4_ELLIPSIS: Final = "..."
C4_POLICY_SUBSTRINGS: Final = (
    "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies",
    "use cookies",
)  # fmt: skip
C4_CITATION: Final = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
# C4 counts sentences with NLTK's punkt; here a sentence is an end mark
# followed by white space or the end of the line (punkt is not a dependency).
C4_SENTENCE_END: Final = re.compile(r"[.?!](?:\s|$)")


def c4_filter(text: str, page_rules: bool = True) -> str:
    kept: list[str] = []
    sentences = 0
    for raw in text.splitlines():
        line = raw.strip()
        if any(len(word) > C4_MAX_WORD_LENGTH for word in line.split()):
            continue
        line = C4_CITATION.sub("", line)
        if not line.endswith(C4_END_MARKS) or line.endswith(C4_ELLIPSIS):
            continue
        if len(line.split()) < C4_MIN_WORDS_PER_LINE:
            continue
        lower = line.lower()
        if "lorem ipsum" in lower and page_rules:
            return ""
        if "javascript" in lower:
            continue
        if "{" in line and page_rules:
            return ""
        if any(p in lower for p in C4_POLICY_SUBSTRINGS):
            continue
        sentences += max(1, len(C4_SENTENCE_END.findall(line)))
        kept.append(line)
    if page_rules and sentences < C4_MIN_NUM_SENTENCES:
        return ""
    return "\n".join(kept)


def _as_html(text: str) -> str:
    lines = (html.escape(line.strip()) for line in text.splitlines() if line.strip())
    return "<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>"


# --- extractors -----------------------------------------------------------------


def _winnow(cv: Path | None) -> Extract:
    import winnow

    if cv is None:
        return lambda dump, url: winnow.extract(dump, url=url, input="text").text
    options_for = fold_options(cv)

    def run(dump: bytes, url: str | None) -> str:
        options = replace(options_for(dump), input="text")
        return winnow.extract(dump, url=url, options=options).text

    return run


def _justext() -> Extract:
    import justext

    stoplist = justext.get_stoplist("English")

    def run(dump: bytes, url: str | None) -> str:
        paragraphs = justext.justext(_as_html(dump.decode("utf-8", "replace")), stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def _trafilatura() -> Extract:
    import trafilatura

    return lambda dump, url: (
        trafilatura.extract(_as_html(dump.decode("utf-8", "replace")), url=url) or ""
    )


def load_extractors(names: Sequence[str], cv: Path | None) -> dict[str, Extract]:
    loaders: dict[str, Callable[[], Extract]] = {
        "winnow": lambda: _winnow(cv),
        "c4": lambda: lambda dump, url: c4_filter(dump.decode("utf-8", "replace")),
        "c4-lines": lambda: lambda dump, url: c4_filter(dump.decode("utf-8", "replace"), False),
        "whole": lambda: lambda dump, url: dump.decode("utf-8", "replace"),
        "justext": _justext,
        "trafilatura": _trafilatura,
    }
    out: dict[str, Extract] = {}
    for name in names:
        if name not in loaders:
            sys.exit(f"unknown extractor {name!r}; known: {', '.join(loaders)}")
        try:
            out[name] = loaders[name]()
        except ImportError as exc:
            print(f"skipping {name}: not importable ({exc})", file=sys.stderr)
    return out


# --- running --------------------------------------------------------------------


def run(
    data: Path,
    text_dir: Path,
    infos: Sequence[PageInfo],
    extractors: dict[str, Extract],
    with_url: bool = True,
) -> list[Result]:
    """Each extractor over every dump in a pass of its own, timed call by call.

    The dumps and their truths are read first: reading files, parsing JSON
    and scoring between the timed calls would evict the caches of whichever
    extractor has the larger working set, and a crawler hands an extractor
    one dump after another.
    """
    pages = []
    for info in infos:
        dump = (text_dir / f"{info.id}.txt").read_bytes()
        record = json.loads((data / "ground-truth" / f"{info.id}.json").read_text("utf-8"))
        truth = record["ground_truth"].get("main_content") or ""
        pages.append((info, dump, record.get("url") if with_url else None, truth))
    outputs: dict[str, list[tuple[str, float, str | None]]] = {}
    for name, extract in extractors.items():
        extract(pages[0][1], None)  # untimed: imports and model loading
        outputs[name] = [timed(extract, dump, url) for _, dump, url, _ in pages]
    return [
        Result(info, name, score_text(outputs[name][k][0], truth), *outputs[name][k][1:])
        for k, (info, _, _, truth) in enumerate(pages)
        for name in extractors
    ]


def detection_line(data: Path, text_dir: Path, infos: Sequence[PageInfo], html: bool) -> str:
    """How many dumps (and HTML pages) ``input="auto"`` reads as they are."""
    from winnow.stages.decode import decode
    from winnow.stages.parse import input_kind

    dumps = sum(
        input_kind(decode((text_dir / f"{i.id}.txt").read_bytes())) == "text" for i in infos
    )
    line = f"auto input: {dumps}/{len(infos)} dumps read as text"
    if html:
        pages = sum(input_kind(decode(read_html(data, i.id))) == "html" for i in infos)
        line += f", {pages}/{len(infos)} HTML pages read as html"
    return line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--extractors", default="winnow,c4", help="from winnow,c4,c4-lines,"
                        "whole,justext,trafilatura (default: %(default)s)")  # fmt: skip
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="default: %(default)s")
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT, help="default: %(default)s")
    parser.add_argument("--cv", type=Path, help="folder from training/text_train.py "
                        "--export-folds: score winnow cross-validated")  # fmt: skip
    parser.add_argument("--limit", type=int, help="only the first N dumps (after --types)")
    parser.add_argument("--types", default="", help="comma-separated page types")
    parser.add_argument("--worst", type=int, default=0, help="print the N lowest-F1 winnow dumps")
    parser.add_argument("--html", action="store_true", help="also check detection on the HTML")
    parser.add_argument("--no-url", action="store_true", help="do not pass the page URL")
    parser.add_argument("--out", type=Path, help="write per-dump results to this JSONL file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    infos = list_pages(args.data, [t for t in args.types.split(",") if t], args.limit)
    extractors = load_extractors([n for n in args.extractors.split(",") if n], args.cv)
    if not infos or not extractors:
        sys.exit("nothing to run")
    results = run(args.data, args.text, infos, extractors, not args.no_url)
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for r in results:
                s = r.score
                row = {"id": r.page.id, "type": r.page.page_type, "extractor": r.extractor}
                row.update(p=s.precision, r=s.recall, f1=s.f1, seconds=round(r.seconds, 6))
                out.write(json.dumps(row) + "\n")
    cv = f"cross-validated ({args.cv})" if args.cv else "shipped model (trained on these dumps)"
    urls = "without URLs" if args.no_url else "with their URLs"
    print(
        f"WCXB dev text dumps (Foley, 2026; CC-BY-4.0): {len(infos)} dumps {urls}; winnow: {cv}\n"
    )
    summaries = [summarize(n, [r for r in results if r.extractor == n]) for n in extractors]
    print(markdown_table(summaries, type_columns(infos)).replace("pages/s", "dumps/s"))
    print()
    print(precision_recall_table(results, infos, list(extractors)))
    print(f"\n{detection_line(args.data, args.text, infos, args.html)}")
    ours = [r for r in results if r.extractor == "winnow"]
    if args.worst and ours:
        print(f"\nThe {args.worst} lowest-F1 winnow dumps:\n\n{worst_table(ours, args.worst)}")


def precision_recall_table(
    results: Sequence[Result], infos: Sequence[PageInfo], names: Sequence[str]
) -> str:
    """Precision and recall per page type (the table above gives F1)."""
    columns = type_columns(infos)
    header = ["extractor", *(f"{kind} P / R" for kind, _ in columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        row = [name]
        for kind, _ in columns:
            mine = [r.score for r in results if r.extractor == name and r.page.page_type == kind]
            p = sum(s.precision for s in mine) / len(mine)
            r = sum(s.recall for s in mine) / len(mine)
            row.append(f"{p:.3f} / {r:.3f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
