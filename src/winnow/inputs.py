"""Reading one page from a file or stdin, as the CLI and ``winnow run`` do.

Gzip data is decompressed whatever the file is called; decompression stops
just past the page size limit, so a gzip bomb costs no more than a large page.
"""

from __future__ import annotations

import gzip
import io
import sys
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"


def read_input(path: str, max_bytes: int) -> bytes:
    """The bytes of a file (``-``: stdin), gzip data decompressed.

    Decompression stops after ``max_bytes + 1`` bytes, so a gzip bomb costs no
    more memory than the page limit; extraction sees that the page was cut.
    """
    if path == "-":
        return _maybe_gunzip(sys.stdin.buffer.read(), max_bytes)
    with open(path, "rb") as handle:
        head = handle.read(len(GZIP_MAGIC))
        if head != GZIP_MAGIC:
            return head + handle.read()
        handle.seek(0)
        return _read_gzip(handle, max_bytes)


def _maybe_gunzip(data: bytes, max_bytes: int) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    return _read_gzip(io.BytesIO(data), max_bytes)


def _read_gzip(handle: BinaryIO, max_bytes: int) -> bytes:
    with gzip.GzipFile(fileobj=handle) as unzipped:
        return unzipped.read(max_bytes + 1)
