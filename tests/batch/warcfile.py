"""Build small WARC files for the batch tests, faults included, byte by byte.

Written by hand rather than with a WARC library so that the faults (a wrong
Content-Length, a cut gzip member) are exactly the ones a test asks for.
"""

from __future__ import annotations

import gzip
import uuid

ARTICLE = (
    "<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>"
)


def page(n: int) -> bytes:
    """A small article page whose text names its number."""
    paragraphs = "".join(
        f"<p>Story {n}, paragraph {i}: the harbour council met on Tuesday to discuss "
        f"the new ferry timetable and the repairs to the northern pier.</p>"
        for i in range(4)
    )
    return ARTICLE.format(title=f"Story number {n}", paragraphs=paragraphs).encode()


def http(
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    headers: tuple[str, ...] = (),
) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", *headers]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def record(block: bytes, url: str, kind: str = "response", length_delta: int = 0) -> bytes:
    """One WARC record; ``length_delta`` makes its Content-Length wrong on purpose."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, url + kind)
    mime = "application/http; msgtype=response" if kind in ("response", "request") else "text/html"
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2024-05-14T07:30:00Z\r\n"
        f"Content-Type: {mime}\r\nContent-Length: {len(block) + length_delta}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def response(n: int, block: bytes | None = None, length_delta: int = 0) -> bytes:
    """Record ``n``: its page, or the HTTP message ``block``."""
    url = f"https://news.example/{n}"
    return record(http(page(n)) if block is None else block, url, length_delta=length_delta)


def member(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
