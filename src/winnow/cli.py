"""The ``winnow`` command. Its extraction flags map one-to-one onto ``Options`` fields.

``winnow extract PATH...`` reads each page as bytes (``-`` is standard input,
gzip data is decompressed) and writes one result per input. A page that cannot
be read or extracted costs one line on stderr, ``winnow: PATH: reason``; the
others still run, and the exit status is 1 at the end. Usage errors exit 2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from winnow import __version__
from winnow.arguments import add_option_flags, options_from
from winnow.errors import ExtractionError
from winnow.explain import command as explain_command
from winnow.inputs import read_input
from winnow.memory import bound_heap
from winnow.model import Document
from winnow.options import Options
from winnow.pipeline import extract
from winnow.serve.command import add_serve_command, run_serve
from winnow.stages.render import to_dict, to_html, to_markdown, to_text

EXIT_OK = 0
EXIT_FAILED = 1  # at least one input could not be read or extracted
EXIT_USAGE = 2  # argparse's status for a bad command line


def to_json_line(doc: Document) -> str:
    """The Document as one line of JSON (docs/schema.md), keys in schema order."""
    return json.dumps(to_dict(doc), ensure_ascii=False, sort_keys=False)


FORMATS: Mapping[str, Callable[[Document], str]] = MappingProxyType(
    {"text": to_text, "markdown": to_markdown, "html": to_html, "json": to_json_line}
)


@dataclass(frozen=True, slots=True)
class Failure:
    """One input that produced no output, and why."""

    path: str
    reason: str


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="winnow",
        description="Turn raw crawled web pages into clean, structured documents.",
    )
    parser.add_argument("--version", action="version", version=f"winnow {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_extract(commands)
    add_option_flags(explain_command.add_parser(commands))
    from winnow.batch.command import add_run  # the batch command lives in its own package

    add_run(commands)
    add_serve_command(commands)
    return parser


def _add_extract(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = commands.add_parser(
        "extract",
        help="extract the main content of pages",
        description="Extract the main content and metadata of each page.",
    )
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="HTML or text file; - for stdin")
    cmd.add_argument("--format", choices=sorted(FORMATS), default="text", help="(default: text)")
    cmd.add_argument("--url", help="the page's address, for resolving links (all PATHs)")
    add_option_flags(cmd)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_FAILED
    bound_heap()
    if args.command == "extract":
        return run_extract(args.paths, args.format, args.url, options_from(args))
    if args.command == "explain":
        return explain_command.run(args, options_from(args), read_input)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "run":
        from winnow.batch.command import run_command

        return run_command(args, options_from(args))
    parser.print_usage(sys.stderr)
    return EXIT_USAGE


def run_extract(paths: Sequence[str], fmt: str, url: str | None, opts: Options) -> int:
    """Extract each path in turn; report failures on stderr and keep going."""
    render = FORMATS[fmt]
    # JSON is one object per line; the readable formats get a blank line between pages.
    separator = "" if fmt == "json" else "\n"
    failed = False
    written = 0
    for path in paths:
        result = _extract_one(path, url, opts)
        if isinstance(result, Failure):
            failed = True
            print(f"winnow: {result.path}: {result.reason}", file=sys.stderr)
            continue
        try:
            _write((separator if written else "") + render(result) + "\n")
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_FAILED
        written += 1
    return EXIT_FAILED if failed else EXIT_OK


def _extract_one(path: str, url: str | None, opts: Options) -> Document | Failure:
    try:
        data = read_input(path, opts.max_bytes)
    except OSError as exc:
        return Failure(path, _one_line(exc.strerror or str(exc)))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return Failure(path, _one_line(f"cannot decompress: {exc}"))
    try:
        return extract(data, url=url, options=opts)
    except ExtractionError as exc:
        return Failure(path, _one_line(str(exc)))


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "unknown error"


def _write(text: str) -> None:
    """Write UTF-8 to stdout whatever the locale says (pages are not ASCII)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _silence_stdout() -> None:
    """After a closed pipe (``winnow … | head``), stop Python's exit-time flush from failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
