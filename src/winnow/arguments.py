"""What the ``winnow`` subcommands share on the command line.

The flags that map onto ``Options`` fields (``extract``, ``explain`` and
``run`` take them all) and the parsers of positive numbers. A module of its
own, so that ``winnow.batch`` and ``winnow.serve`` use them without importing
the ``cli`` module that imports them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar, get_args

from winnow.options import Favor, InputKind, Options

Number = TypeVar("Number", int, float)


def positive_int(value: str) -> int:
    """An argparse type: a whole number above zero."""
    return _positive(int, value)


def positive_float(value: str) -> float:
    """An argparse type: a number above zero."""
    return _positive(float, value)


def _positive(kind: Callable[[str], Number], value: str) -> Number:
    try:
        number = kind(value)
    except ValueError:
        number = kind("0")
    if not number > 0:  # NaN is not positive either
        raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
    return number


def add_option_flags(cmd: argparse.ArgumentParser) -> None:
    """Add the flags that map onto ``Options`` fields to ``cmd``."""
    defaults = Options()
    cmd.add_argument(
        "--input", choices=get_args(InputKind), default=defaults.input, help="(default: auto)"
    )
    cmd.add_argument(
        "--favor", choices=get_args(Favor), default=defaults.favor, help="(default: balanced)"
    )
    cmd.add_argument(
        "--no-tables", dest="include_tables", action="store_false", help="leave tables out"
    )
    cmd.add_argument(
        "--no-figures", dest="include_figures", action="store_false", help="leave figures out"
    )
    cmd.add_argument(
        "--max-bytes",
        type=positive_int,
        default=defaults.max_bytes,
        metavar="N",
        help=f"extract from at most N bytes of each page (default: {defaults.max_bytes})",
    )
    add_max_depth_flag(cmd)


def add_max_depth_flag(cmd: argparse.ArgumentParser) -> None:
    """``--max-depth``: ``Options.max_depth`` (``winnow serve`` takes it for every request)."""
    default = Options().max_depth
    cmd.add_argument(
        "--max-depth",
        type=positive_int,
        default=default,
        metavar="N",
        help=f"unwrap tags nested deeper than N, text kept (default: {default})",
    )


def options_from(args: argparse.Namespace) -> Options:
    """The one Options object for this run, built from the parsed flags."""
    return Options(
        input=args.input,
        favor=args.favor,
        include_tables=args.include_tables,
        include_figures=args.include_figures,
        max_bytes=args.max_bytes,
        max_depth=args.max_depth,
    )
