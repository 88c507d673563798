"""uvicorn's HTTP protocol with a deadline for the request line and headers.

uvicorn times out an idle keep-alive connection, but not one that is sending
its request slowly: a client that opens a connection and trickles a header a
byte at a time holds it for ever, and a thousand such clients fill uvicorn's
connection limit (``MAX_CONNECTIONS``) so that everyone else gets 503. The app
bounds the body and the work by the request's time budget; this subclass gives
the request line and headers the same budget, from the first byte of each
request (or from the connection's start), and answers 408 and closes the
connection when it runs out.

It subclasses uvicorn's httptools protocol (the one ``uvicorn`` picks when
httptools is installed, as the serve extra does) and hooks four of its
methods; tests/serve covers it, so an incompatible uvicorn fails there.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from winnow.serve.errors import ApiError


def _timeout_response(seconds: float) -> bytes:
    error = ApiError(
        408, "header-timeout", f"the request line and headers did not arrive within {seconds} s"
    )
    body = json.dumps(error.to_dict()).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


class HeadersDeadline(HttpToolsProtocol):
    """HttpToolsProtocol that closes a connection whose headers arrive too slowly."""

    header_timeout = 10.0
    _headers_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._headers_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _too_slow(self) -> None:
        self._headers_timer = None
        if not self.transport.is_closing():
            self.transport.write(_timeout_response(self.header_timeout))
            self.transport.close()


def with_header_timeout(seconds: float) -> type[HeadersDeadline]:
    """The protocol class for uvicorn's ``http=``, with ``seconds`` for the headers."""
    return type("HeadersDeadline", (HeadersDeadline,), {"header_timeout": seconds})
