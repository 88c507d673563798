"""Fetch one page for a URL list: bounded in time and size, politely.

The standard library's ``urllib`` does what a batch fetch needs (redirects,
timeouts, the charset of the Content-Type header); a URL list is a convenience
for small jobs, not a crawler, so no HTTP client library earns its place here.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from winnow import __version__

USER_AGENT = f"winnow/{__version__} (batch text extraction; one request per listed URL)"
# Seconds to wait for the connection and for each read; a page that trickles
# in slower than this is given up.
TIMEOUT = 20.0
# urllib's own limit on a redirect chain (HTTPRedirectHandler.max_redirections).
MAX_REDIRECTS = 10


class FetchError(Exception):
    """The page could not be fetched; ``reason`` is a stable code for the row."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body (at most ``max_bytes + 1`` bytes), where it ended up, and its charset."""

    body: bytes
    url: str
    content_type: str
    charset: str | None


def fetch(url: str, max_bytes: int, timeout: float = TIMEOUT) -> Fetched:
    """GET ``url``, following redirects; raise ``FetchError`` on any failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("bad-url", f"not an http(s) address: {url!r}")
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            headers = response.headers
            return Fetched(
                body, response.geturl(), headers.get_content_type(), headers.get_content_charset()
            )
    except urllib.error.HTTPError as exc:
        raise FetchError("http-status", f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError("fetch-failed", str(exc.reason)) from exc
    except (TimeoutError, OSError, ValueError) as exc:
        raise FetchError("fetch-failed", f"{type(exc).__name__}: {exc}") from exc
