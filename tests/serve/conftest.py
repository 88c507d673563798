"""A shared ``winnow serve`` for the service tests: small caps so that limits are cheap to hit."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from servers import Server, start_server

# A 1 MB body cap and a 2 s budget: an oversize body or a stalled upload is
# refused quickly, and a dev page (~15 ms) still has ample time on a busy machine.
MAX_BODY = 1_000_000
TIMEOUT = 2.0
# No depth cap: deeply nested <div>s are the stuck page of the timeout tests
# (lexbor's parse grows with the square of the depth; winnow's own cap would
# make them fast, which tests/unit/test_depth.py covers).
NO_DEPTH_CAP = 1_000_000


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    running = start_server(
        "--workers",
        "2",
        "--timeout",
        str(TIMEOUT),
        "--max-body",
        str(MAX_BODY),
        "--max-depth",
        str(NO_DEPTH_CAP),
    )
    yield running
    running.stop()
