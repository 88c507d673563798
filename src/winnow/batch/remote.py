"""Input files named by address (https://…, s3://…): copied to local disk, then read.

A WARC is read from a local copy rather than from the network stream because
resynchronising after damage (``warc.py``) needs to seek. The copy streams in
chunks, lives in the system's temporary folder only while its records are
read, and is removed afterwards, so a worker needs disk for one input file at
a time (about 1 GB for a Common Crawl WARC file).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from winnow.batch.fetch import USER_AGENT

REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Seconds to wait for the connection and for each read of a download.
TIMEOUT = 60.0
CHUNK = 1 << 20


def is_remote(name: str) -> bool:
    return bool(REMOTE.match(name)) and not name.lower().startswith("file://")


@contextmanager
def local_copy(address: str) -> Iterator[str]:
    """A local file with the content at ``address``; raises OSError if it cannot be had."""
    suffix = os.path.basename(address.split("?", 1)[0])[-40:]
    handle, path = tempfile.mkstemp(prefix="winnow-", suffix="-" + suffix)
    try:
        with os.fdopen(handle, "wb") as out, _open(address) as source:
            shutil.copyfileobj(source, out, CHUNK)
        yield path
    finally:
        os.remove(path)


def _open(address: str) -> IO[bytes]:
    if address.lower().startswith(("http://", "https://")):
        request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
        try:
            response: IO[bytes] = urllib.request.urlopen(request, timeout=TIMEOUT)
        except ValueError as exc:
            raise OSError(str(exc)) from exc
        return response
    try:  # s3://, gs://, hdfs://: the filesystems pyarrow knows
        from pyarrow import fs
    except ImportError as exc:
        raise OSError(f"reading {address} needs pyarrow: pip install 'winnow[batch]'") from exc
    try:
        filesystem, path = fs.FileSystem.from_uri(address)
        stream: IO[bytes] = filesystem.open_input_stream(path)
    except Exception as exc:  # pyarrow raises its own error types for a bad address
        raise OSError(f"{type(exc).__name__}: {exc}") from exc
    return stream
