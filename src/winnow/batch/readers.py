"""Turn the command line's INPUTs into one ordered stream of records.

An INPUT is a file, a directory (searched recursively) or a glob pattern. Each
file is read by the reader its name calls for (``READERS``); inside a
directory only files with one of those names are taken, while a file named
outright with another name is read as a page. The order is deterministic
(names sorted), so a resumed run sees the same records in the same order.

Every reader streams: a WARC or JSONL file is never read whole into memory,
and no page is read past ``max_bytes + 1`` bytes.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from winnow.batch import remote
from winnow.batch.records import Page, PageKind, Record, Source, failed
from winnow.inputs import read_input

Reader = Callable[[str, int], Iterator[Record]]


class InputError(Exception):
    """An INPUT names nothing that can be read: the run cannot start."""


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    reader: str  # a key of READERS


def _suffix_reader(name: str) -> str | None:
    lower = name.lower()
    for suffixes, reader in _SUFFIXES:
        if lower.endswith(suffixes):
            return reader
    return None


def expand(inputs: Iterable[str]) -> list[InputFile]:
    """The files the INPUTs name, in order; raise ``InputError`` for one naming nothing."""
    files: list[InputFile] = []
    for item in inputs:
        if remote.is_remote(item):  # checked when it is read: a failure is a row
            files.append(InputFile(item, _suffix_reader(item.split("?", 1)[0]) or "page"))
        elif os.path.isdir(item):
            files.extend(_directory(item))
        elif os.path.exists(item):
            files.append(InputFile(item, _suffix_reader(item) or "page"))
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no such file, directory or matching pattern")
            for match in matches:
                if os.path.isdir(match):
                    files.extend(_directory(match))
                else:
                    files.append(InputFile(match, _suffix_reader(match) or "page"))
    return files


def _directory(root: str) -> Iterator[InputFile]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            reader = _suffix_reader(name)
            if reader is not None and not name.startswith("."):
                found.append(InputFile(os.path.join(folder, name), reader))
    return iter(sorted(found, key=lambda f: f.path))


def read_all(files: Iterable[InputFile], max_bytes: int) -> Iterator[Record]:
    """Every record of every file, in order."""
    for file in files:
        if remote.is_remote(file.path):
            yield from _read_remote(file, max_bytes)
        else:
            yield from READERS[file.reader](file.path, max_bytes)


def _read_remote(file: InputFile, max_bytes: int) -> Iterator[Record]:
    """The records of a file named by address, read from a local copy, named by the address."""
    try:
        with remote.local_copy(file.path) as path:
            for record in READERS[file.reader](path, max_bytes):
                yield replace(record, source=replace(record.source, file=file.path))
    except OSError as exc:
        yield failed(Source(file.path), "unreadable", f"cannot download: {exc}")


def read_page(path: str, max_bytes: int, kind: PageKind = "auto") -> Iterator[Record]:
    """A file holding one page (HTML, or with ``kind="text"`` a flattened dump); gzip is undone."""
    source = Source(path)
    try:
        data = read_input(path, max_bytes)
    except OSError as exc:
        yield failed(source, "unreadable", exc.strerror or str(exc))
        return
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield failed(source, "unreadable", f"cannot decompress: {exc}")
        return
    yield Record(source, page=Page(data, kind))


def read_text(path: str, max_bytes: int) -> Iterator[Record]:
    return read_page(path, max_bytes, "text")


def _lines(path: str) -> Iterator[tuple[int, bytes]]:
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        yield from enumerate(handle, start=1)


def read_jsonl(path: str, max_bytes: int) -> Iterator[Record]:
    """One record per non-blank line: an object with ``html`` or ``text``, and maybe ``url``."""
    try:
        for number, line in _lines(path):
            if line.strip():
                yield _json_record(Source(path, line=number), line, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(Source(path), "unreadable", f"reading stopped: {exc}")


def _json_record(source: Source, line: bytes, max_bytes: int) -> Record:
    try:
        item = json.loads(line)
    except ValueError as exc:
        return failed(source, "bad-json", f"not a JSON object: {exc}")
    if not isinstance(item, dict):
        return failed(source, "bad-json", "not a JSON object")
    url = item.get("url") if isinstance(item.get("url"), str) else None
    for key, kind in (("html", "html"), ("text", "text")):
        value = item.get(key)
        if isinstance(value, str):
            page_kind: PageKind = "auto" if kind == "html" else "text"
            return Record(source, url, Page(value[: max_bytes + 1], page_kind))
    return failed(source, "bad-json", 'no string field "html" or "text"', url)


def read_urls(path: str, max_bytes: int) -> Iterator[Record]:
    """One address per line, fetched by a worker; blank and ``#`` lines are not records."""
    try:
        for number, raw in _lines(path):
            line = raw.decode("utf-8", errors="replace").strip()
            if line and not line.startswith("#"):
                yield Record(Source(path, line=number), line, fetch=True)
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(Source(path), "unreadable", f"reading stopped: {exc}")


def check_warc() -> None:
    """Raise ``InputError`` if FastWARC, which WARC input needs, is missing."""
    try:
        import fastwarc  # noqa: F401
    except ImportError as exc:
        raise InputError("WARC input needs FastWARC: pip install 'winnow[batch]'") from exc


def read_warc(path: str, max_bytes: int) -> Iterator[Record]:
    from winnow.batch import warc  # FastWARC is imported only when a WARC is read

    try:
        yield from warc.read_warc(path, max_bytes)
    except OSError as exc:
        yield failed(Source(path), "unreadable", exc.strerror or str(exc))


READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "warc": read_warc,
        "jsonl": read_jsonl,
        "urls": read_urls,
        "text": read_text,
        "page": read_page,
    }
)
# Names each reader takes, longest first where one ends another.
_SUFFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".warc", ".warc.gz"), "warc"),
    ((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"), "jsonl"),
    ((".urls", ".urls.txt"), "urls"),
    ((".txt", ".txt.gz"), "text"),
    ((".html", ".htm", ".xhtml", ".html.gz", ".htm.gz"), "page"),
)
