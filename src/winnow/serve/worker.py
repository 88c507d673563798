"""The extraction worker: a child process that turns jobs into rendered replies.

The server never extracts in its own process. Each worker is a separate Python
process (``python -m winnow.serve.worker``) that reads jobs from its stdin and
writes replies to its stdout, one frame each: an 8-byte big-endian length, then
a pickle. Pickle is safe here because both ends are winnow's own code; nothing
from the network is unpickled (the page travels as bytes inside the job).

A worker renders the reply itself (JSON, Markdown, text or HTML), so the server
only forwards bytes. When a job overruns its time budget the server kills the
worker and starts another; a worker never has to be interrupted cooperatively.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import BinaryIO

from winnow.errors import ExtractionError
from winnow.memory import bound_heap
from winnow.model import Document
from winnow.options import InputKind, Options
from winnow.pipeline import extract

log = logging.getLogger("winnow.serve.worker")

FRAME_HEADER = struct.Struct(">Q")

# Pages the worker extracts before it says it is ready, so that both front
# doors' models are loaded before the first real request is timed.
WARM_UP_PAGES: tuple[tuple[str, InputKind], ...] = (
    ("<html><body><article><h1>Ready</h1><p>A warm-up paragraph.</p></article></body>", "html"),
    ("Ready\n\nA warm-up paragraph of a flattened text dump.\n", "text"),
)
READY = b"ready"
# How much lower than the server's the workers' scheduling priority is.
WORKER_NICENESS = 5


def _json(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False)


# Output formats: name -> (media type, renderer).
RENDERERS: Mapping[str, tuple[str, Callable[[Document], str]]] = MappingProxyType(
    {
        "json": ("application/json", _json),
        "markdown": ("text/markdown; charset=utf-8", Document.to_markdown),
        "text": ("text/plain; charset=utf-8", lambda doc: doc.text),
        "html": ("text/html; charset=utf-8", Document.to_html),
    }
)


@dataclass(frozen=True, slots=True)
class Job:
    """One page to extract, and the form to answer in."""

    page: bytes | str
    url: str | None
    options: Options
    format: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A worker's answer: the rendered Document, or why there is none."""

    ok: bool
    media_type: str = ""
    body: bytes = b""
    error: str = ""
    internal: bool = False  # the error is winnow's fault, not the page's


def run_job(job: Job) -> Reply:
    """Extract and render one page; an unreadable page is a Reply, not an exception."""
    media_type, render = RENDERERS[job.format]
    try:
        doc = extract(job.page, url=job.url, options=job.options)
    except ExtractionError as exc:
        return Reply(ok=False, error=str(exc))
    return Reply(ok=True, media_type=media_type, body=render(doc).encode("utf-8"))


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(FRAME_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload, or None when the server has closed the pipe."""
    header = stream.read(FRAME_HEADER.size)
    if len(header) < FRAME_HEADER.size:
        return None
    (size,) = FRAME_HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def serve_forever(jobs: BinaryIO, replies: BinaryIO) -> None:
    """Answer jobs until the server closes the pipe (or dies: then stdin ends too)."""
    for page, kind in WARM_UP_PAGES:
        run_job(Job(page, None, Options(input=kind), "json"))
    write_frame(replies, READY)
    while (frame := read_frame(jobs)) is not None:
        job = pickle.loads(frame)  # written by the server, not the network
        try:
            reply = run_job(job)
        except Exception as exc:  # a bug in rendering: log and report it, keep the worker
            log.exception("rendering failed")
            reply = Reply(ok=False, error=f"{type(exc).__name__}: {exc}", internal=True)
        write_frame(replies, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))


def main() -> None:
    # Ctrl-C reaches the whole process group; the server shuts workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    bound_heap()
    # A step below the server process, which feeds the workers: on a machine
    # whose cores the workers fill, the server still gets one at once to hand
    # a finished worker its next page, instead of waiting for a time slice.
    os.nice(WORKER_NICENESS)
    jobs = sys.stdin.buffer
    # The reply channel is the original stdout; anything else printed goes to stderr.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve_forever(jobs, replies)


if __name__ == "__main__":
    # Run the imported module, not __main__: Reply must pickle as winnow.serve.worker.Reply.
    from winnow.serve.worker import main as worker_main

    worker_main()
