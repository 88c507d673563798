"""``--allow-fetch``: each refusal proven, on loopback servers only.

No test here sends a packet beyond 127.0.0.0/8: private, link-local and other
addresses are refused by the address check before any connection is made,
and the tests assert that the check fired (not that a connection failed).
The allowed path needs a loopback server, so those tests exempt one loopback
address with ``FetchPolicy(exempt=…)``, a parameter the command line never sets.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from servers import REPO, start_server

with warnings.catch_warnings():  # starlette 1.x would rather use httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from winnow.serve.app import create_app
from winnow.serve.config import ServeConfig
from winnow.serve.errors import ApiError
from winnow.serve.fetch import FetchPolicy, checked_url, fetch

PAGE = (REPO / "examples" / "page.html").read_bytes()
TITLE = "Night ferry to the islands returns after eleven years"
ONLY_127_0_0_1 = FetchPolicy(exempt=(ipaddress.ip_network("127.0.0.1/32"),))


class Origin(ThreadingHTTPServer):
    """A loopback web server that counts the requests it gets."""

    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), Handler)
        self.hits: Counter[str] = Counter()

    def url(self, path: str) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    server: Origin

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self.server.hits[path] += 1
        if path == "/page":
            self._send(200, PAGE)
        elif path == "/redirect":
            self._redirect(query.removeprefix("to="))
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 200_000)
        elif path == "/big-unannounced":  # no Content-Length: only the stream shows the size
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"x" * 10_000)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, PAGE)
        else:
            self._send(404, b"no")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _serve(host: str) -> Iterator[Origin]:
    origin = Origin(host)
    thread = threading.Thread(target=origin.serve_forever, daemon=True)
    thread.start()
    yield origin
    origin.shutdown()
    origin.server_close()


@pytest.fixture(scope="module")
def origin() -> Iterator[Origin]:
    yield from _serve("127.0.0.1")


@pytest.fixture(scope="module")
def other_loopback() -> Iterator[Origin]:
    """On 127.0.0.2, which ONLY_127_0_0_1 does not exempt."""
    yield from _serve("127.0.0.2")


DEFAULT = FetchPolicy()


def run_fetch(url: str, policy: FetchPolicy = DEFAULT, max_bytes: int = 100_000) -> bytes:
    return asyncio.run(fetch(url, policy, max_bytes))


def refusal(url: str, policy: FetchPolicy = DEFAULT, max_bytes: int = 100_000) -> ApiError:
    with pytest.raises(ApiError) as caught:
        run_fetch(url, policy, max_bytes)
    return caught.value


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.10", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 around 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private"),  # Teredo, client 192.0.2.45
    ],
)
def test_policy_refuses_non_global_addresses(address: str, kind: str) -> None:
    reason = FetchPolicy().refusal(address)
    assert reason is not None
    assert kind in reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_policy_allows_global_addresses(address: str) -> None:
    assert FetchPolicy().refusal(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/html,<p>x</p>",
        "http://user:secret@example.com/",
    ],
)
def test_non_http_schemes_and_credentials_are_refused(url: str) -> None:
    with pytest.raises(ApiError) as caught:
        checked_url(url)
    assert caught.value.status == 403
    assert caught.value.reason == "fetch-refused"


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "2130706433", "[::ffff:127.0.0.1]"],
)
def test_loopback_is_refused_by_name_number_and_form(origin: Origin, host: str) -> None:
    port = origin.server_address[1]
    before = sum(origin.hits.values())
    error = refusal(f"http://{host}:{port}/page")
    assert (error.status, error.reason) == (403, "fetch-refused")
    assert "loopback" in error.message or "unspecified" in error.message
    assert sum(origin.hits.values()) == before  # resolved and refused, never connected


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/admin",
        "http://169.254.169.254/latest/meta-data/",
        "https://[fe80::1]/",
        "http://100.64.0.1/",
    ],
)
def test_private_and_link_local_are_refused_before_connecting(url: str) -> None:
    started = time.monotonic()
    error = refusal(url)
    assert (error.status, error.reason) == (403, "fetch-refused")
    assert time.monotonic() - started < 1.0  # no connection attempt to time out


def test_exempt_loopback_is_fetched(origin: Origin) -> None:
    assert run_fetch(origin.url("/page"), ONLY_127_0_0_1, max_bytes=1_000_000) == PAGE


def test_redirect_targets_are_checked_again(origin: Origin, other_loopback: Origin) -> None:
    hop = other_loopback.url("/page")
    error = refusal(origin.url(f"/redirect?to={hop}"), ONLY_127_0_0_1)
    assert error.reason == "fetch-refused"
    assert "127.0.0.2 is a loopback address" in error.message
    assert other_loopback.hits["/page"] == 0
    metadata = refusal(origin.url("/redirect?to=http://169.254.169.254/latest/"), ONLY_127_0_0_1)
    assert "link-local" in metadata.message
    scheme = refusal(origin.url("/redirect?to=file:///etc/passwd"), ONLY_127_0_0_1)
    assert scheme.reason == "fetch-refused"
    assert "only http and https" in scheme.message
    assert origin.hits["/redirect"] == 3


def test_redirects_are_followed_and_bounded(origin: Origin) -> None:
    same_host = origin.url("/redirect?to=/page")
    assert run_fetch(same_host, ONLY_127_0_0_1, max_bytes=1_000_000) == PAGE
    assert refusal(origin.url("/loop"), ONLY_127_0_0_1).reason == "fetch-redirects"


def test_size_is_capped_announced_or_not(origin: Origin) -> None:
    assert refusal(origin.url("/big"), ONLY_127_0_0_1).reason == "fetch-too-large"
    assert refusal(origin.url("/big-unannounced"), ONLY_127_0_0_1).reason == "fetch-too-large"


def test_fetch_through_the_app_and_its_time_cap(origin: Origin) -> None:
    config = ServeConfig(workers=1, timeout=1.0, allow_fetch=True)
    with TestClient(create_app(config, ONLY_127_0_0_1)) as client:
        page = client.post("/extract", json={"url": origin.url("/page")})
        slow = client.post("/extract", json={"url": origin.url("/slow")})
        refused = client.post("/extract", json={"url": origin.url("/redirect?to=http://10.0.0.1/")})
    assert page.status_code == 200
    assert page.json()["title"] == TITLE
    assert page.json()["url"] == origin.url("/page")
    assert slow.status_code == 504
    assert slow.json()["error"]["reason"] == "fetch-timeout"
    assert refused.status_code == 403


def test_the_command_line_server_refuses_loopback(origin: Origin) -> None:
    server = start_server("--workers", "1", "--allow-fetch")
    before = origin.hits["/page"]
    try:
        with server.client() as client:
            response = client.post("/extract", json={"url": origin.url("/page")})
    finally:
        server.stop()
    assert response.status_code == 403
    assert response.json()["error"]["reason"] == "fetch-refused"
    assert origin.hits["/page"] == before
