"""``winnow explain PAGE [--url URL] [--truth FILE] -o report.html``.

``cli.py`` adds this command and hands it the input reader and the Options
built from the shared extraction flags, so both commands read pages alike.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from winnow.errors import ExtractionError
from winnow.explain import Truth, TruthError, explain, load_truth
from winnow.options import Options

EXIT_OK = 0
EXIT_FAILED = 1


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    cmd = commands.add_parser(
        "explain",
        help="write an HTML report of why each part of a page was kept or dropped",
        description=(
            "Write one self-contained HTML file showing the page's blocks in reading "
            "order, each kept or dropped with the rule, reason and score that decided it, "
            "the recovered title, authors, dates and figures, and a summary."
        ),
    )
    cmd.add_argument("page", metavar="PAGE", help="HTML or text file (gzip is fine); - for stdin")
    cmd.add_argument("-o", "--output", required=True, metavar="REPORT", help="the HTML file")
    cmd.add_argument("--url", help="the page's address, for resolving links")
    cmd.add_argument(
        "--truth", metavar="FILE", help="WCXB ground-truth JSON: adds word F1, missed and extra"
    )
    return cmd


def run(args: argparse.Namespace, opts: Options, read: Callable[[str, int], bytes]) -> int:
    """Write the report; a failure costs one line on stderr and exit status 1."""
    try:
        truth: Truth | None = load_truth(args.truth) if args.truth else None
        data = read(args.page, opts.max_bytes)
        report = explain(data, url=args.url, options=opts, truth=truth, name=args.page)
        Path(args.output).write_text(report, encoding="utf-8", errors="replace")
    except TruthError as exc:
        return _fail(args.truth, str(exc))
    except OSError as exc:
        return _fail(exc.filename or args.page, exc.strerror or str(exc))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return _fail(args.page, f"cannot decompress: {exc}")
    except ExtractionError as exc:
        return _fail(args.page, str(exc))
    return EXIT_OK


def _fail(path: str, reason: str) -> int:
    print(f"winnow: {path}: {' '.join(reason.split()) or 'unknown error'}", file=sys.stderr)
    return EXIT_FAILED
