"""``winnow run INPUT... -o OUT``: the batch command's flags and exit statuses.

Exit 0 when the run finished, error rows included; 2 when it could not start
(bad arguments, an INPUT naming nothing, an OUT that cannot be used); 1 when
the output became unwritable mid-run; 130 when interrupted (``--resume``
continues it).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from winnow.arguments import add_option_flags, positive_float, positive_int
from winnow.batch.pool import default_workers
from winnow.batch.readers import InputError
from winnow.batch.runner import DEFAULT_BUDGET, PART_ROWS, RunConfig
from winnow.batch.writers import FORMATS, OutputError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def add_run(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` subcommand to the ``winnow`` parser."""
    cmd = commands.add_parser(
        "run",
        help="extract every page of WARC files, directories, JSONL or URL lists",
        description="Extract every record of the inputs into one output; see docs/batch.md.",
    )
    cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory or glob")
    cmd.add_argument("-o", "--output", required=True, metavar="OUT", help="file or directory/")
    cmd.add_argument("--workers", type=positive_int, default=default_workers(), metavar="N")
    cmd.add_argument("--resume", action="store_true", help="continue an interrupted run")
    cmd.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    cmd.add_argument("--engine", choices=("local", "ray"), default="local")
    cmd.add_argument(
        "--budget",
        type=positive_float,
        default=DEFAULT_BUDGET,
        metavar="SECONDS",
        help=f"time allowed per record (default: {DEFAULT_BUDGET:g})",
    )
    cmd.add_argument("--part-rows", type=positive_int, default=PART_ROWS, metavar="N")
    cmd.add_argument(
        "--shard-format",
        choices=[f.lstrip(".") for f in FORMATS],
        default="parquet",
        help="format of the shards when OUT is a directory (default: parquet)",
    )
    add_option_flags(cmd)


def run_command(args: argparse.Namespace, options: Any) -> int:
    config = RunConfig(
        inputs=tuple(args.inputs),
        out=args.output,
        options=options,
        fmt=args.format,
        workers=args.workers,
        resume=args.resume,
        budget=args.budget,
        part_rows=args.part_rows,
        shard_format="." + args.shard_format,
    )
    try:
        report = _engine(args.engine)(config)
    except (InputError, OutputError) as exc:
        print(f"winnow run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("winnow run: interrupted; run again with --resume to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"winnow run: cannot write the output: {exc}", file=sys.stderr)
        return EXIT_FAILED
    from winnow.batch.accounting import summary

    print(summary(report.tally, report.seconds, report.done_now, report.out), file=sys.stderr)
    return EXIT_OK


def _engine(name: str) -> Any:
    if name == "ray":
        try:
            import ray  # noqa: F401

            from winnow.batch.ray_engine import run_ray
        except ImportError as exc:
            raise InputError("--engine ray needs Ray: pip install 'winnow[ray]'") from exc
        return run_ray
    from winnow.batch.runner import run

    return run
