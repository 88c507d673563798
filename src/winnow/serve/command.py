"""``winnow serve``: its flags, and starting uvicorn.

This module imports nothing outside the standard library at load time, so the
``winnow`` command works without the ``serve`` extra; only ``winnow serve``
needs it, and says so when it is missing.
"""

from __future__ import annotations

import argparse
import os
import sys

from winnow.arguments import add_max_depth_flag, positive_float, positive_int
from winnow.serve.config import DEFAULT_MAX_BODY, DEFAULT_TIMEOUT, ServeConfig

# uvicorn answers 503 past this many open connections and tasks, so a flood of
# idle or slow connections cannot exhaust file descriptors.
MAX_CONNECTIONS = 1000
# Idle keep-alive connections are closed after this many seconds (uvicorn's default).
KEEP_ALIVE = 5


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = commands.add_parser(
        "serve",
        help="run extraction as an HTTP service",
        description="Serve POST /extract, GET /healthz, /metrics and /openapi.json "
        "(needs the serve extra: pip install 'winnow[serve]').",
    )
    cmd.add_argument("--host", default="127.0.0.1", help="(default: 127.0.0.1)")
    cmd.add_argument("--port", type=int, default=8080, help="(default: 8080)")
    cmd.add_argument(
        "--workers",
        type=positive_int,
        default=_cpu_count(),
        metavar="N",
        help="extraction worker processes (default: the number of CPUs)",
    )
    cmd.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time budget of a request, body upload included (default: {DEFAULT_TIMEOUT:g})",
    )
    cmd.add_argument(
        "--max-body",
        type=positive_int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help=f"largest request body or fetched page (default: {DEFAULT_MAX_BODY})",
    )
    add_max_depth_flag(cmd)
    cmd.add_argument(
        "--allow-fetch",
        action="store_true",
        help="let JSON requests name a url to fetch (public http(s) addresses only)",
    )


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def config_from(args: argparse.Namespace) -> ServeConfig:
    return ServeConfig(
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout=args.timeout,
        max_body=args.max_body,
        allow_fetch=args.allow_fetch,
        max_depth=args.max_depth,
    )


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when the serve extra is missing."""
    try:
        import uvicorn

        from winnow.serve.app import create_app
        from winnow.serve.protocol import with_header_timeout
    except ImportError as exc:
        print(
            f"winnow: serve needs the serve extra (pip install 'winnow[serve]'): {exc}",
            file=sys.stderr,
        )
        return 2
    config = config_from(args)
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        http=with_header_timeout(config.timeout),
        lifespan="on",
        access_log=False,
        proxy_headers=False,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=KEEP_ALIVE,
    )
    return 0
