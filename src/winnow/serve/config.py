"""ServeConfig: everything ``winnow serve`` can be told, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass

from winnow.options import Options

# The defaults the issue asks for: a page may take 10 s and 10 MB.
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """How the service runs.

    ``timeout`` is each request's whole time budget in seconds: reading the
    body, fetching the page (with ``allow_fetch``), waiting for a worker and
    extracting. ``max_body`` caps a request body and a fetched page, in bytes.
    ``max_depth`` is ``Options.max_depth`` for every request (clients cannot
    set it).
    """

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 2
    timeout: float = DEFAULT_TIMEOUT
    max_body: int = DEFAULT_MAX_BODY
    allow_fetch: bool = False
    max_depth: int = Options().max_depth
