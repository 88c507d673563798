"""Read WARC and WARC.gz files with FastWARC, losing no record to a damaged file.

FastWARC was chosen over warcio on speed (benchmarks/warc_readers.py) and
because it reports a damaged file instead of silently reading past it
(docs/batch.md, "Why FastWARC").

FastWARC stops at the first damage (a truncated gzip member, a record whose
Content-Length is wrong). This reader then resynchronises: it scans forward for
the next place a record can start (a gzip member header, or a ``WARC/1.`` line
in an uncompressed file) and reads on from there. What could not be read
becomes an error record, so records in still equals rows out:

- when reading resumes at the very next record start after the last record
  read, the fault lay in that record (its Content-Length did not match where
  the next record begins): that record becomes an error ``bad-record``;
- otherwise the stretch from the first record start that failed to the place
  where reading resumed becomes one error ``unreadable`` at its offset.

Only ``response`` and ``resource`` records are pages; request, metadata,
warcinfo and revisit records are not records of the run.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from winnow.batch.records import Page, Record, Source, failed, skipped
from winnow.batch.work import is_page_type

GZIP_MEMBER = b"\x1f\x8b\x08"
WARC_LINE = b"WARC/1."
# How much of the file the resynchronising scan reads at a time.
SCAN_CHUNK = 1 << 20
# Bytes of a candidate gzip member that must inflate without error to count as
# one: a gzip header appears by chance in compressed data now and then.
PROBE = 512
# Content-Encodings that zlib undoes (wbits 47: gzip or zlib header, detected).
ZLIB_ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})
PAGE_RECORDS = (WarcRecordType.response, WarcRecordType.resource)


@dataclass(slots=True)
class _Held:
    """The last record parsed, kept back until the next one shows it was whole."""

    offset: int
    record: Record | None  # None: not a page record (request, metadata, ...)


def read_warc(path: str, max_bytes: int) -> Iterator[Record]:
    """The page records of one WARC file, in file order, damage included."""
    with open(path, "rb") as handle:
        gzipped = handle.read(len(GZIP_MEMBER)) == GZIP_MEMBER
        held: _Held | None = None
        suspect = False  # reading stopped right after ``held``
        region: int | None = None  # start of an unreadable stretch
        start: int | None = 0
        while start is not None:
            parsed_any, clean = False, True
            try:
                for item in _parse(handle, start, path, max_bytes):
                    yield from _settled(held, suspect, region, path, start)
                    parsed_any, suspect, region, held = True, False, None, item
            except OSError:
                clean = False
            if parsed_any:
                assert held is not None
                start = _scan(handle, held.offset + 1, gzipped)
                if clean and start is None:
                    break
                suspect = True  # more file after held that FastWARC did not read
            elif clean and start == 0:
                break  # an empty file
            else:
                suspect = False
                region = start if region is None else region
                start = _scan(handle, start + 1, gzipped)
        yield from _settled(held, suspect, region, path, None)


def _settled(
    held: _Held | None, suspect: bool, region: int | None, path: str, resumed: int | None
) -> Iterator[Record]:
    """What is known once reading has gone on at ``resumed`` (None: the file has ended):
    the record held back (an error if reading stopped right after it), then the
    unreadable stretch before ``resumed``."""
    if held is not None and held.record is not None:
        yield _bad(held.record) if suspect else held.record
    if region is not None:
        yield _unreadable(path, region, resumed)


def _parse(handle: BinaryIO, start: int, path: str, max_bytes: int) -> Iterator[_Held]:
    handle.seek(start)
    for rec in ArchiveIterator(handle, parse_http=True):
        offset = rec.stream_pos  # FastWARC counts from the start of the file
        if rec.record_type not in PAGE_RECORDS:
            yield _Held(offset, None)
        else:
            yield _Held(offset, _page_record(rec, Source(path, offset, rec.record_id), max_bytes))


def _after(held: _Held | None, start: int) -> int:
    return (held.offset if held is not None else start) + 1


def _page_record(rec: WarcRecord, source: Source, max_bytes: int) -> Record:
    url = rec.headers.get("WARC-Target-URI")
    # Read first (the reader must pass over the record anyway): a record the file
    # cuts short is an error whatever its headers say.
    body = rec.reader.read(max_bytes + 1)
    if len(body) < min(rec.content_length, max_bytes + 1):
        detail = f"the record is cut short: {len(body)} of {rec.content_length} bytes"
        return failed(source, "unreadable", detail, url)
    charset, encoding = None, ""
    if rec.record_type == WarcRecordType.response:
        if not rec.is_http or rec.http_headers is None:
            return skipped(source, "not-http", "a response record without HTTP headers", url)
        status = rec.http_headers.status_code or 0
        if not 200 <= status < 300:
            return skipped(source, "http-status", f"HTTP {status}", url)
        content_type = rec.http_content_type or ""
        charset = rec.http_charset
        encoding = (rec.http_headers.get("Content-Encoding") or "").strip().lower()
    else:
        content_type = rec.headers.get("Content-Type") or ""
    if not is_page_type(content_type):
        return skipped(source, "not-html", f"content type {content_type}", url)
    if encoding in ("", "identity"):
        return Record(source, url, Page(body, charset=charset))
    return _decoded(body, encoding, source, url, charset, max_bytes)


def _decoded(
    body: bytes, encoding: str, source: Source, url: str | None, charset: str | None, limit: int
) -> Record:
    if encoding not in ZLIB_ENCODINGS:
        return failed(source, "bad-encoding", f"unsupported Content-Encoding {encoding}", url)
    try:
        # max_length bounds the output: a compression bomb costs no more than a page.
        body = zlib.decompressobj(47).decompress(body, limit + 1)
    except zlib.error as exc:
        return failed(source, "bad-encoding", f"cannot undo Content-Encoding {encoding}: {exc}")
    return Record(source, url, Page(body, charset=charset))


def _bad(record: Record) -> Record:
    return failed(
        record.source,
        "bad-record",
        "the record's Content-Length does not end where the next record starts",
        record.url,
    )


def _unreadable(path: str, start: int, end: int | None) -> Record:
    where = f"bytes {start}-{end}" if end is not None else f"bytes {start} to the end"
    return failed(Source(path, start), "unreadable", f"{where} of the file could not be read")


def _scan(handle: BinaryIO, start: int, gzipped: bool) -> int | None:
    """The first place at or after ``start`` where a record may begin, or None."""
    marker = GZIP_MEMBER if gzipped else WARC_LINE
    handle.seek(start)
    base, data = start, handle.read(SCAN_CHUNK)
    while data:
        found = data.find(marker)
        while found >= 0:
            if _plausible(handle, base + found, gzipped):
                return base + found
            found = data.find(marker, found + 1)
        keep = len(marker) - 1
        handle.seek(base + len(data))
        more = handle.read(SCAN_CHUNK)
        if not more:
            return None
        base, data = base + len(data) - keep, data[-keep:] + more
    return None


def _plausible(handle: BinaryIO, offset: int, gzipped: bool) -> bool:
    """Whether a marker at ``offset`` starts a record: gzip data that inflates, or a
    ``WARC/1.`` at the start of a line (the bytes of a page can hold either by chance)."""
    if not gzipped:
        if offset < 2:
            return True
        handle.seek(offset - 2)
        return handle.read(2) == b"\r\n"
    handle.seek(offset)
    try:
        zlib.decompressobj(31).decompress(handle.read(PROBE), 1)
    except zlib.error:
        return False
    return True
