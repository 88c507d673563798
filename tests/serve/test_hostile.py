"""1,000 hostile requests, then the server still answers correctly and has not grown.

The mix: oversize bodies (declared, and streamed without a length), stalled and
trickling uploads and never-ending headers (slowloris), binary bodies under every media type, deeply
nested JSON and HTML, invalid JSON of many kinds, broken HTTP. Each gets a 4xx
(or, for a page that overruns the budget, a 504) — never a 500 — and afterwards
the server's memory (server and workers together) has grown by at most 50 MB.
"""

from __future__ import annotations

import json
import random
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from servers import REPO, Server, read_response, start_server

from winnow import extract

PAGE = (REPO / "examples" / "page.html").read_bytes()
MAX_BODY = 200_000
TIMEOUT = 2.0
MAX_GROWTH = 50 * 1024 * 1024
HOSTILE = 1000
# Concurrent clients. Requests that hold a worker go through a few clients (more
# would only queue them past the budget on 2 workers); the slow uploads, which
# hold only a connection, go through many at once, so their waits overlap.
CLIENTS = 4
SLOW_CLIENTS = 64
SLOW_KINDS = frozenset({"stalled", "trickle", "slow-headers", "oversize-stream"})


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[Server]:
    server = start_server("--workers", "2", "--timeout", str(TIMEOUT), "--max-body", str(MAX_BODY))
    yield server
    server.stop()


def _request(port: int, head: bytes, body: bytes = b"", pause: float = 0.0) -> int:
    """Send head and body on a raw connection; the answer's status, 0 if none."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 20) as sock:
        try:
            sock.sendall(head + body)
            if pause:
                time.sleep(pause)
            answer = read_response(sock)
        except (BrokenPipeError, ConnectionResetError):
            return 0  # refused mid-send: the server closed on us, also fine
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def _post(port: int, media: str, body: bytes, length: int | None = None) -> int:
    declared = len(body) if length is None else length
    head = (
        f"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: {media}\r\n"
        f"Content-Length: {declared}\r\nConnection: close\r\n\r\n"
    ).encode()
    return _request(port, head, body)


def _chunked_oversize(port: int) -> int:
    head = (
        b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunk = b"x" * 32_768
    body = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * (MAX_BODY // len(chunk) + 2)
    return _request(port, head, body)


def _stalled(port: int) -> int:
    head = (
        b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\n"
        b"Content-Length: 5000\r\n\r\n"
    )
    return _request(port, head, b"<html><body><p>and then nothing")


def _trickle(port: int) -> int:
    """Slowloris proper: a byte now and then, never finishing within the budget."""
    head = (
        b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 5000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 20) as sock:
        sock.sendall(head)
        sock.settimeout(0.3)
        for _ in range(int(TIMEOUT / 0.3) + 10):
            try:
                sock.sendall(b"x")
                answer = sock.recv(65536)
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                return 0
            return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return 0


def _slow_headers(port: int) -> int:
    """Slowloris on the headers: they never end."""
    head = b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\nX-Wait: "
    return _request(port, head, b"")


def _nested_json(depth: int) -> bytes:
    return b'{"html": ' + b"[" * depth + b"]" * depth + b"}"


INVALID_JSON = [
    b"{",
    b"}",
    b"",
    b"null",
    b"[]",
    b'"html"',
    b"{'html': 'x'}",
    b'{"html": "x",}',
    b'{"html": "\xff\xfe"}',
    b'{"html": "x", "html": 5}',
    b'{"html": 1e999}',
    b'{"html": "x", "options": []}',
    b'{"html": "x", "options": {"max_bytes": 1e400}}',
    b'{"html": "x", "options": {"max_bytes": -1}}',
    b'{"html": "x", "options": {"favor": null}}',
    b'{"text": ["a"]}',
    b'{"url": 5}',
    b'{"html": "x", "extra": true}',
    b"\x00" * 64,
    b"1" * 5000,
    b'{"options": {"max_bytes": ' + b"9" * 5000 + b"}}",
]
BROKEN_HTTP = [
    b"GARBAGE\r\n\r\n",
    b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n",
    b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
    b"POST /extract HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /extract HTTP/1.1\r\n" + b"X-Long: " + b"a" * 200_000 + b"\r\n\r\n",
    b"POST /extract?" + b"a=1&" * 5000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
]


def hostile_requests(port: int, rng: random.Random) -> list[tuple[str, Callable[[], int]]]:
    """HOSTILE requests as (kind, send) pairs, in a fixed shuffled order."""

    def binary(size: int) -> bytes:
        return rng.randbytes(size)

    made: list[tuple[str, Callable[[], int]]] = []
    media_types = [
        "text/html",
        "text/plain",
        "application/json",
        "application/octet-stream",
        "text/html; charset=utf-16",
        "multipart/form-data; boundary=x",
    ]
    for i in range(300):
        body, media = binary(rng.randint(1, 50_000)), media_types[i % len(media_types)]
        made.append(("binary", lambda b=body, m=media: _post(port, m, b)))
    for i in range(200):
        body = INVALID_JSON[i % len(INVALID_JSON)]
        made.append(("invalid-json", lambda b=body: _post(port, "application/json", b)))
    for i in range(100):
        depth = 1000 * (i + 1)
        made.append(
            ("nested-json", lambda d=depth: _post(port, "application/json", _nested_json(d)))
        )
    for i in range(60):
        depth = 200 * (i + 1)  # up to 12,000 levels: the deepest overrun the budget
        page = b"<div>" * depth + b"x" + b"</div>" * depth
        made.append(("nested-html", lambda p=page: _post(port, "text/html", p)))
    for _ in range(120):
        made.append(("oversize", lambda: _post(port, "text/html", b"<p>", length=MAX_BODY * 10)))
    for _ in range(20):
        made.append(("oversize-stream", lambda: _chunked_oversize(port)))
    for _ in range(60):
        made.append(("stalled", lambda: _stalled(port)))
    for _ in range(30):
        made.append(("trickle", lambda: _trickle(port)))
    for _ in range(30):
        made.append(("slow-headers", lambda: _slow_headers(port)))
    for i in range(80):
        raw = BROKEN_HTTP[i % len(BROKEN_HTTP)]
        made.append(("broken-http", lambda r=raw: _request(port, r)))
    assert len(made) == HOSTILE
    rng.shuffle(made)
    return made


# What each kind may be answered with. 0: the server closed the connection.
# A body that reaches a worker may get 504 when the machine is so busy that it
# waited behind the deep pages for the whole budget: an answer, not a failure.
ALLOWED = {
    "binary": {200, 400, 413, 415, 422, 504},
    "invalid-json": {400},
    "nested-json": {400, 413},
    "nested-html": {200, 504},
    "oversize": {413, 0},
    "oversize-stream": {413, 0},
    "stalled": {408},
    "trickle": {408, 0},
    "slow-headers": {408},
    "broken-http": {400, 413, 414, 415, 431, 0},
}


def _warm(server: Server) -> None:
    with server.client() as client:
        for _ in range(20):
            response = client.post("/extract", content=PAGE, headers={"content-type": "text/html"})
            assert response.status_code == 200


def test_thousand_hostile_requests(hostile_server: Server) -> None:
    server = hostile_server
    _warm(server)
    before = server.rss_bytes()
    requests = hostile_requests(server.port, random.Random(7))
    slow = [item for item in requests if item[0] in SLOW_KINDS]
    fast = [item for item in requests if item[0] not in SLOW_KINDS]
    with ThreadPoolExecutor(SLOW_CLIENTS) as slow_pool, ThreadPoolExecutor(CLIENTS) as fast_pool:
        slow_answers = slow_pool.map(lambda item: (item[0], item[1]()), slow)
        fast_answers = fast_pool.map(lambda item: (item[0], item[1]()), fast)
        statuses = [*slow_answers, *fast_answers]
    assert len(statuses) == HOSTILE
    unexpected = Counter((kind, status) for kind, status in statuses if status not in ALLOWED[kind])
    assert not unexpected, f"unexpected answers: {dict(unexpected)}"
    assert all(status != 500 for _, status in statuses)
    server.wait_healthy()
    _warm(server)
    with server.client() as client:
        response = client.post("/extract", content=PAGE, headers={"content-type": "text/html"})
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(extract(PAGE, input="html").to_dict()))
    growth = server.rss_bytes() - before
    print(f"server and workers: {before / 2**20:.1f} MB RSS before, {growth / 2**20:+.1f} MB after")
    assert growth <= MAX_GROWTH, f"server and workers grew by {growth / 2**20:.1f} MB"
