"""``winnow serve`` end to end: a real server process on loopback, as the CLI starts it."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time

import httpx
from conftest import MAX_BODY, TIMEOUT
from servers import REPO, Server, read_response

from winnow import extract

PAGE = (REPO / "examples" / "page.html").read_bytes()
TEXT_DUMP = (REPO / "tests" / "pages" / "seed-text" / "source.txt").read_bytes()
HTML = {"content-type": "text/html; charset=utf-8"}


def test_html_body_gives_the_same_document_as_extract(server: Server) -> None:
    url = "https://www.coastal-ledger.example/region/night-ferry"
    with server.client() as client:
        response = client.post("/extract", content=PAGE, headers=HTML, params={"url": url})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = extract(PAGE, url=url, options=None, input="html").to_dict()
    assert response.json() == json.loads(json.dumps(expected))
    assert response.json()["text"].startswith("A smaller boat")


def test_text_dump_and_json_bodies(server: Server) -> None:
    with server.client() as client:
        dump = client.post("/extract", content=TEXT_DUMP, headers={"content-type": "text/plain"})
        as_json = client.post("/extract", json={"text": TEXT_DUMP.decode("utf-8")})
    assert dump.status_code == 200
    assert dump.json() == json.loads(json.dumps(extract(TEXT_DUMP, input="text").to_dict()))
    assert as_json.json() == dump.json()


def test_json_options_reach_extraction(server: Server) -> None:
    with server.client() as client:
        full = client.post("/extract", json={"html": PAGE.decode()})
        strict = client.post(
            "/extract",
            json={
                "html": PAGE.decode(),
                "options": {"include_tables": False, "favor": "precision"},
            },
        )
    assert full.status_code == strict.status_code == 200
    kinds = {block["kind"] for block in strict.json()["blocks"]}
    assert "table" not in kinds
    assert strict.json() != full.json()


def test_charset_parameter_is_honoured(server: Server) -> None:
    page = "<html><body><article><h1>Café crème</h1><p>Ça coûte très cher, à Genève.</p>"
    page += "<p>Un deuxième paragraphe, assez long pour être gardé par winnow.</p></article>"
    with server.client() as client:
        response = client.post(
            "/extract",
            content=page.encode("cp1252"),
            headers={"content-type": "text/html; charset=windows-1252"},
        )
    assert response.status_code == 200
    assert "Ça coûte très cher" in response.json()["text"]


def test_lone_surrogates_in_json_do_not_break_the_worker(server: Server) -> None:
    """Valid JSON, but no UTF-8 can hold a lone surrogate; the Document echoes the url."""
    body = b'{"url": "https://example.com/\\ud800", "html": "<p>A lone \\udfff surrogate.</p>"}'
    with server.client() as client:
        response = client.post(
            "/extract", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200
        assert response.json()["url"] == "https://example.com/?"
        assert client.get("/healthz").json()["status"] == "ok"


def test_markdown_and_text_by_accept_or_format(server: Server) -> None:
    doc = extract(PAGE, input="html")
    with server.client() as client:
        markdown = client.post(
            "/extract", content=PAGE, headers={**HTML, "accept": "text/markdown"}
        )
        text = client.post("/extract?format=text", content=PAGE, headers=HTML)
        preferred = client.post(
            "/extract",
            content=PAGE,
            headers={**HTML, "accept": "text/plain;q=0.5, text/markdown;q=0.9"},
        )
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text == doc.to_markdown()
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == doc.text
    assert preferred.text == doc.to_markdown()


def _error(response: httpx.Response, status: int, reason: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    assert error["reason"] == reason
    return str(error["message"])


def test_bad_requests_get_clear_4xx_json(server: Server) -> None:
    with server.client() as client:
        post = client.post
        assert "not valid JSON" in _error(
            post("/extract", content=b'{"html": ', headers={"content-type": "application/json"}),
            400,
            "bad-json",
        )
        assert "nested too deeply" in _error(
            post("/extract", content=b"[" * 100_000, headers={"content-type": "application/json"}),
            400,
            "bad-json",
        )
        assert "colour" in _error(
            post("/extract", json={"html": "<p>x</p>", "options": {"colour": "red"}}),
            400,
            "unknown-option",
        )
        assert "must be a JSON boolean" in _error(
            post("/extract", json={"html": "<p>x</p>", "options": {"include_tables": 1}}),
            400,
            "bad-option",
        )
        _error(post("/extract", json={"html": "<p>x</p>", "model": "/etc/x"}), 400, "unknown-field")
        _error(
            post("/extract", json={"html": "x", "options": {"model": "/x"}}),
            400,
            "forbidden-option",
        )
        _error(post("/extract", json={"html": "x", "text": "y"}), 400, "bad-field")
        _error(post("/extract", json=["html"]), 400, "bad-json")
        _error(post("/extract?favor=most", content=PAGE, headers=HTML), 400, "bad-option")
        _error(post("/extract?colour=red", content=PAGE, headers=HTML), 400, "unknown-option")
        _error(
            post("/extract?favor=recall&favor=balanced", content=PAGE, headers=HTML),
            400,
            "repeated-parameter",
        )
        _error(
            post("/extract", content=PAGE, headers={"content-type": "image/png"}),
            415,
            "unsupported-media-type",
        )
        _error(post("/extract", content=PAGE), 415, "unsupported-media-type")
        _error(
            post("/extract", content=PAGE, headers={"content-type": "text/html; charset=x-no"}),
            415,
            "unknown-charset",
        )
        _error(
            post("/extract", content=PAGE, headers={**HTML, "accept": "image/png"}),
            406,
            "not-acceptable",
        )
        _error(post("/extract?format=pdf", content=PAGE, headers=HTML), 400, "bad-format")
        _error(client.get("/extract"), 405, "method-not-allowed")
        _error(client.get("/nowhere"), 404, "not-found")
        _error(post("/extract", json={"url": "https://example.com/"}), 403, "fetch-disabled")


def test_declared_oversize_body_is_refused_before_it_is_read(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {MAX_BODY * 50}\r\n\r\n".encode()
            + b"<p>"
        )
        head = read_response(sock)  # answered although almost nothing of the body was sent
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b'"reason":"body-too-large"' in head


def test_oversize_body_is_refused_while_it_streams(server: Server) -> None:
    """A chunked body with no length: 413 arrives once the cap is passed, not at the end."""
    chunk = b"<p>" + b"x" * 65_533
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        while sent <= MAX_BODY + len(chunk):
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        # The body is never finished: only a refusal during streaming can answer now.
        head = read_response(sock)
    assert head.startswith(b"HTTP/1.1 413 ")


def test_stalled_upload_gets_408_within_the_budget(server: Server) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/html\r\n"
            b"Content-Length: 1000\r\n\r\n<html><body><p>only the start"
        )
        head = read_response(sock)
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b'"reason":"body-timeout"' in head
    assert time.monotonic() - started < TIMEOUT + 5


def test_slow_headers_get_408_and_the_connection_closes(server: Server) -> None:
    """uvicorn alone would wait for ever on a request whose headers never end."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /extract HTTP/1.1\r\nHost: t\r\nContent-Ty")
        answer = read_response(sock)
        assert sock.recv(1) == b""  # closed
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"reason": "header-timeout"' in answer
    assert time.monotonic() - started < TIMEOUT + 5
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as silent:
        assert read_response(silent).startswith(b"HTTP/1.1 408 ")  # said nothing at all


def slow_page(depth: int = 85_000) -> bytes:
    """~935 KB of nested divs (under MAX_BODY): winnow needs about 6 s for it, three
    times the budget (lexbor's parse is quadratic in depth; 50,000 levels took
    2.3 s, so close to the budget that a quick moment of the machine served it)."""
    return b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def test_overrun_gives_504_and_the_stuck_worker_is_replaced(server: Server) -> None:
    server.wait_healthy()
    before = server.worker_pids()
    assert len(before) == 2
    with server.client() as client:
        started = time.monotonic()
        response = client.post("/extract", content=slow_page(), headers=HTML)
        elapsed = time.monotonic() - started
        assert "took longer" in _error(response, 504, "timeout")
        assert elapsed < TIMEOUT + 3
        server.wait_healthy()
        assert client.get("/healthz").json() == {"status": "ok", "workers": 2, "size": 2}
        after = server.worker_pids()
        assert len(after) == 2  # the stuck one was killed and reaped, not left running
        assert len(set(before) - set(after)) == 1
        assert client.post("/extract", content=PAGE, headers=HTML).status_code == 200
        metrics = client.get("/metrics").text
    assert _sample(metrics, "winnow_worker_restarts_total") >= 1


def test_one_slow_page_does_not_block_the_others(server: Server) -> None:
    with server.client() as client, server.client() as other:
        slow: list[httpx.Response] = []
        thread = threading.Thread(
            target=lambda: slow.append(other.post("/extract", content=slow_page(), headers=HTML))
        )
        thread.start()
        time.sleep(0.3)  # the slow page now holds one of the two workers
        started = time.monotonic()
        for _ in range(5):
            assert client.post("/extract", content=PAGE, headers=HTML).status_code == 200
        fast = time.monotonic() - started
        thread.join()
    server.wait_healthy()
    assert slow[0].status_code == 504
    assert fast < TIMEOUT  # served by the other worker while the slow page ran


def test_a_worker_killed_while_idle_is_replaced_without_failing_a_request(
    server: Server,
) -> None:
    server.wait_healthy()
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.5)  # reaped by the server's event loop
    with server.client() as client:
        for _ in range(4):  # whichever worker each request gets
            assert client.post("/extract", content=PAGE, headers=HTML).status_code == 200
    server.wait_healthy()
    assert victim not in server.worker_pids()
    assert len(server.worker_pids()) == 2


def test_healthz_and_metrics(server: Server) -> None:
    with server.client() as client:
        assert client.post("/extract", content=PAGE, headers=HTML).status_code == 200
        client.post("/extract", content=b"{", headers={"content-type": "application/json"})
        assert client.get("/healthz").json()["workers"] == 2
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'winnow_requests_total{route="/extract",status="200"}' in text
    assert 'winnow_request_duration_seconds_bucket{le="0.005",route="/extract"}' in text
    assert 'winnow_errors_total{reason="bad-json"}' in text
    pages = _sample(text, "winnow_pages_total")
    assert pages >= 1
    assert _sample(text, "winnow_pages_per_second") > 0
    assert _sample(text, "winnow_workers") == 2


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def test_workers_yield_the_cores_to_the_server_that_feeds_them(server: Server) -> None:
    # The server process hands each finished worker its next page; it must not
    # wait behind the workers for a core (benchmarks/README.md, serve_load).
    from winnow.serve.worker import WORKER_NICENESS

    server.wait_healthy()
    own = os.getpriority(os.PRIO_PROCESS, server.process.pid)
    for pid in server.worker_pids():
        assert os.getpriority(os.PRIO_PROCESS, pid) == own + WORKER_NICENESS
