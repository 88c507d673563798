"""Fetching a page for the client (``--allow-fetch``), without becoming a proxy into the LAN.

A server that fetches URLs for anyone can be pointed at the machines behind it
(cloud metadata at 169.254.169.254, admin ports on 127.0.0.1, the office
network). So:

- only ``http`` and ``https`` URLs, without user names or passwords;
- the address check sits in the connection layer: every host name is resolved
  once, every address it resolves to is checked, and the connection is made to
  an address that was checked — not to the name again, so DNS rebinding
  between check and connect has nothing to swap. A name with any refused
  address is refused whole;
- redirects are followed by hand (at most ``MAX_REDIRECTS``), and each new URL
  goes through the same scheme and address checks;
- the body is read as a stream and abandoned past the size cap; the time cap
  is the request's budget (the caller's ``asyncio.timeout``);
- no proxy settings from the environment are read, and only identity encoding
  is asked for, so a gzip bomb cannot unfold behind the size cap.

Refused (``FetchPolicy.refusal``): every address that is not global unicast —
loopback, private, link-local, carrier-grade NAT, reserved, unspecified,
multicast — also when wrapped in an IPv4-mapped, 6to4 or Teredo IPv6 address.
``FetchPolicy.exempt`` lifts the refusal for given networks. It exists for the
tests, which may only talk to loopback servers; the command line never sets it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore

from winnow.serve.errors import ApiError
from winnow.serve.intake import declared_over

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = {"http": 80, "https": 443}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Browsers stop at 20; a page that needs more than 5 hops is not worth the risk.
MAX_REDIRECTS = 5
USER_AGENT = b"winnow-serve (+https://github.com/winnow)"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Which addresses a fetch may connect to. The default refuses every non-global one."""

    exempt: tuple[IPNetwork, ...] = ()

    def refusal(self, address: str) -> str | None:
        """Why ``address`` may not be connected to, or None if it may."""
        ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone id
        if any(ip in network for network in self.exempt):
            return None
        for candidate in _embedded(ip):
            kind = _non_global_kind(candidate)
            if kind:
                return f"{address} is a {kind} address"
        return None


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """Any IPv4 address an IPv6 address carries inside it, then the address itself."""
    found: list[IPAddress] = []
    if isinstance(ip, ipaddress.IPv6Address):
        found += [inner for inner in (ip.ipv4_mapped, ip.sixtofour) if inner is not None]
        if ip.teredo is not None:
            found += list(ip.teredo)
    return [*found, ip]


def _non_global_kind(ip: IPAddress) -> str:
    for kind, test in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),
    ):
        if test:
            return kind
    return ""


class Refused(Exception):
    """The fetch would reach an address or scheme the policy refuses."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer: resolve each host once, connect only to checked addresses."""

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port)
        for address in addresses:
            reason = self._policy.refusal(address)
            if reason:
                raise Refused(f"{host} resolves to {reason}")
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"cannot connect to {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise Refused("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    return addresses


def checked_url(url: str) -> httpcore.URL:
    """The URL as httpcore will use it, if its scheme and form are allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ApiError(400, "bad-url", f"not a valid URL: {exc}") from None
    if parts.scheme not in SCHEMES:
        raise ApiError(403, "fetch-refused", f"only http and https URLs are fetched, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise ApiError(403, "fetch-refused", "URLs with a user name or password are not fetched")
    if not parts.hostname:
        raise ApiError(400, "bad-url", f"the URL has no host: {url!r}")
    try:
        host = parts.hostname.encode("idna")
    except UnicodeError:
        raise ApiError(400, "bad-url", f"the host name cannot be encoded: {url!r}") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return httpcore.URL(
        scheme=parts.scheme.encode(),
        host=host,
        port=port or SCHEMES[parts.scheme],
        target=target.encode("utf-8"),
    )


async def fetch(url: str, policy: FetchPolicy, max_bytes: int) -> bytes:
    """The page at ``url``, redirects followed under the policy. Raises ApiError."""
    async with httpcore.AsyncConnectionPool(
        network_backend=GuardedBackend(policy), retries=0
    ) as pool:
        try:
            for _ in range(MAX_REDIRECTS + 1):
                status, location, body = await _get(pool, checked_url(url), max_bytes)
                if status not in REDIRECTS:
                    if status >= 400:
                        raise ApiError(502, "fetch-status", f"{url} answered {status}")
                    return body
                if location is None:
                    raise ApiError(502, "fetch-status", f"{url} redirects without a Location")
                url = urljoin(url, location)
        except Refused as exc:
            raise ApiError(403, "fetch-refused", f"not fetched: {exc}") from None
        except httpcore.TimeoutException as exc:
            raise ApiError(504, "fetch-timeout", f"fetching {url} timed out: {exc}") from None
        except httpcore.NetworkError as exc:
            raise ApiError(502, "fetch-failed", f"fetching {url} failed: {exc}") from None
        except httpcore.ProtocolError as exc:
            raise ApiError(502, "fetch-failed", f"{url} broke HTTP: {exc}") from None
    raise ApiError(502, "fetch-redirects", f"more than {MAX_REDIRECTS} redirects from {url}")


async def _get(
    pool: httpcore.AsyncConnectionPool, url: httpcore.URL, max_bytes: int
) -> tuple[int, str | None, bytes]:
    headers = [(b"User-Agent", USER_AGENT), (b"Accept-Encoding", b"identity")]
    async with pool.stream("GET", url, headers=headers) as response:
        if response.status in REDIRECTS:
            location = _header(response.headers, b"location")
            return response.status, location, b""
        if declared_over(_header(response.headers, b"content-length"), max_bytes):
            raise _too_large(max_bytes)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_stream():
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            chunks.append(chunk)
        return response.status, None, b"".join(chunks)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(502, "fetch-too-large", f"the page is larger than {max_bytes} bytes")
