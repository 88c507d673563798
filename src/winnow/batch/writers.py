"""Write rows as committed parts, so a killed run can be resumed exactly.

Rows arrive in record order and are written in parts of ``part_rows`` rows.
A part is written under a temporary name and renamed when complete, so a part
file either holds all of its rows or does not exist; its name carries the
record numbers it holds (``part-000000001000-000000001999.parquet``) and a
sidecar ``.json`` its counts. ``--resume`` keeps the complete parts, which
cover records 0..n-1 in order, and starts again at record n: no duplicates,
no gaps.

OUT decides the format: ``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst`` or
``.parquet`` give one file, assembled from the parts in ``OUT.parts/`` when
the run ends; a directory keeps the parts as its shards.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from winnow.batch.accounting import Tally
from winnow.batch.encode import Encoded

FORMATS = (".jsonl.gz", ".jsonl.zst", ".jsonl", ".parquet")
# Rows the parent holds before writing them into the open part (a Parquet row
# group): a few megabytes, whatever the part size.
BATCH_BYTES = 8 * 1024 * 1024
STATE = "_winnow_run.json"  # what the run was asked to do, to check a --resume against


class OutputError(Exception):
    """OUT cannot be used: the run cannot start."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where rows go: ``parts`` holds the part files; ``file`` is the one file, if any."""

    parts: str
    fmt: str  # one of FORMATS
    file: str | None

    @property
    def part_fmt(self) -> str:
        """The parts' format: the output's, but Arrow IPC as the journal of one Parquet file
        (which is written as the run goes, so the parts need not be read back and re-encoded)."""
        return ".arrow" if self.file is not None and self.fmt == ".parquet" else self.fmt


def target(out: str, shard_format: str) -> Target:
    """The target OUT names; raise ``OutputError`` if it names no format."""
    lower = out.lower()
    for fmt in FORMATS:
        if lower.endswith(fmt):
            return Target(out + ".parts", fmt, out)
    name = os.path.basename(out.rstrip(os.sep))
    if os.path.isdir(out) or out.endswith(os.sep) or "." not in name:
        return Target(out.rstrip(os.sep) or out, shard_format, None)
    raise OutputError(
        f"{out}: OUT must end in {', '.join(FORMATS)}, or be a directory (end it with /)"
    )


def check_format(fmt: str) -> None:
    """Raise ``OutputError`` if the library a format needs is missing."""
    needs = {".parquet": ("pyarrow", "batch"), ".jsonl.zst": ("zstandard", "batch")}
    if fmt in needs:
        module, extra = needs[fmt]
        try:
            __import__(module)
        except ImportError as exc:
            raise OutputError(
                f"{fmt} output needs {module}: pip install 'winnow[{extra}]'"
            ) from exc


def prepare(tgt: Target, state: dict[str, Any], resume: bool) -> tuple[int, Tally]:
    """Make the parts folder ready; return the first record still to do and the counts so far."""
    try:
        os.makedirs(tgt.parts, exist_ok=True)
        done = _complete_parts(tgt) if resume else []
        if resume and done:
            _check_state(tgt, state)
        _clear(tgt, keep=done)
        _write_json(os.path.join(tgt.parts, STATE), state)
    except OSError as exc:
        raise OutputError(f"{tgt.parts}: {exc.strerror or exc}") from exc
    tally = Tally()
    for *_, name in done:
        tally.merge(Tally.load(os.path.join(tgt.parts, name + ".json")))
    return (done[-1][1] + 1 if done else 0), tally


def _check_state(tgt: Target, state: dict[str, Any]) -> None:
    try:
        with open(os.path.join(tgt.parts, STATE), encoding="utf-8") as handle:
            before = json.load(handle)
    except (OSError, ValueError):
        before = None
    if before != state:
        raise OutputError(
            f"{tgt.parts}: --resume needs the same inputs and options as the interrupted run"
        )


def _part_names(tgt: Target) -> Iterator[tuple[int, int, str]]:
    for name in os.listdir(tgt.parts):
        if name.startswith("part-") and name.endswith(tgt.part_fmt):
            first, _, last = name[len("part-") : -len(tgt.part_fmt)].partition("-")
            if first.isdigit() and last.isdigit():
                yield int(first), int(last), name


def _complete_parts(tgt: Target) -> list[tuple[int, int, str]]:
    """The parts that cover records 0..n-1 without a gap, in order."""
    kept, expected = [], 0
    for first, last, name in sorted(_part_names(tgt)):
        if first != expected or not os.path.exists(os.path.join(tgt.parts, name + ".json")):
            break
        kept.append((first, last, name))
        expected = last + 1
    return kept


def _clear(tgt: Target, keep: list[tuple[int, int, str]]) -> None:
    """Remove everything of ours in the parts folder but the parts kept."""
    names = {name for _, _, name in keep} | {name + ".json" for _, _, name in keep}
    for name in os.listdir(tgt.parts):
        ours = name.startswith(("part-", ".tmp-")) or name == STATE
        if ours and name not in names:
            os.remove(os.path.join(tgt.parts, name))


def _write_json(path: str, data: Any) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True)
    os.replace(tmp, path)


class PartWriter:
    """Takes rows in record order and commits a part every ``part_rows`` rows.

    Rows are written into the open part every ``BATCH_BYTES`` (a row group
    in Parquet), so the parent holds a few megabytes of rows, not a part.
    For a one-file Parquet OUT each batch also goes to ``OUT.tmp`` as it is
    written (after the parts a resumed run kept are copied in), so that
    ``finish`` only has to close it.
    """

    def __init__(self, tgt: Target, first: int, part_rows: int) -> None:
        self._tgt, self._rows, self._first = tgt, part_rows, first
        self._pending: list[bytes] = []
        self._pending_bytes = self._count = 0
        self._part: _PartFile | None = None
        self._tally = Tally()
        self._sink: Any = None
        if tgt.part_fmt == ".arrow" and tgt.file is not None:
            from winnow.batch import schema

            self._sink = schema.parquet_writer(tgt.file + ".tmp")
            for _, _, name in _complete_parts(tgt):
                self._sink.write_table(schema.read_arrow(os.path.join(tgt.parts, name)))

    def _tmp(self) -> str:
        return os.path.join(self._tgt.parts, f".tmp-part-{self._first:012d}{self._tgt.part_fmt}")

    def write(self, row: Encoded) -> None:
        self._pending.append(row.data)
        self._pending_bytes += len(row.data)
        self._count += 1
        self._tally.count(row.status, row.reason)
        if self._pending_bytes >= BATCH_BYTES:
            self._drain()
        if self._count >= self._rows:
            self.flush()

    def _drain(self) -> None:
        if not self._pending:
            return
        if self._part is None:
            self._part = _PartFile(self._tmp(), self._tgt.part_fmt, self._sink)
        self._part.write(self._pending)
        self._pending, self._pending_bytes = [], 0

    def flush(self) -> None:
        """Commit the rows written so far as one part."""
        self._drain()
        if self._part is None:
            return
        self._part.close()
        last = self._first + self._count - 1
        name = f"part-{self._first:012d}-{last:012d}{self._tgt.part_fmt}"
        _write_json(os.path.join(self._tgt.parts, name + ".json"), self._tally.to_dict())
        os.replace(self._tmp(), os.path.join(self._tgt.parts, name))
        self._first, self._count, self._part, self._tally = last + 1, 0, None, Tally()

    def finish(self) -> None:
        """Commit the last part, then assemble a one-file OUT and remove the parts folder."""
        self.flush()
        tgt = self._tgt
        if tgt.file is None:
            return
        tmp = tgt.file + ".tmp"
        if self._sink is not None:
            self._sink.close()
        elif not (parts := _complete_parts(tgt)):
            _open_jsonl(tmp, tgt.fmt).close()  # no rows: a valid empty file of the format
        else:  # gzip members and zstd frames may be concatenated as they are
            with open(tmp, "wb") as out:
                for _, _, name in parts:
                    with open(os.path.join(tgt.parts, name), "rb") as handle:
                        shutil.copyfileobj(handle, out)
        os.replace(tmp, tgt.file)
        shutil.rmtree(tgt.parts)


class _PartFile:
    """One part being written: JSON lines, Parquet or Arrow IPC (and a copy to ``sink``)."""

    def __init__(self, path: str, fmt: str, sink: Any) -> None:
        self._fmt, self._sink = fmt, sink
        self._handle: Any
        if fmt == ".parquet":
            from winnow.batch import schema  # pyarrow is imported only for Parquet output

            self._handle = schema.parquet_writer(path)
        elif fmt == ".arrow":
            from winnow.batch import schema

            self._handle = schema.arrow_writer(path)
        else:
            self._handle = _open_jsonl(path, fmt)

    def write(self, rows: list[bytes]) -> None:
        if self._fmt in (".parquet", ".arrow"):
            from winnow.batch import schema

            table = schema.table(rows).combine_chunks()
            self._handle.write_table(table)
            if self._sink is not None:
                self._sink.write_table(table)
        else:
            self._handle.write(b"".join(rows))

    def close(self) -> None:
        self._handle.close()


def _open_jsonl(path: str, fmt: str) -> IO[bytes]:
    if fmt == ".jsonl.gz":
        # mtime=0: the same rows give the same bytes.
        return cast(IO[bytes], gzip.GzipFile(path, "wb", compresslevel=6, mtime=0))
    if fmt == ".jsonl.zst":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=3)
        return cast(IO[bytes], compressor.stream_writer(open(path, "wb"), closefd=True))
    return open(path, "wb")
