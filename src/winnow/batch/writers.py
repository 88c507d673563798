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

    For a one-file Parquet OUT it also writes each part as a row group of
    ``OUT.tmp`` as it goes (after copying in the parts a resumed run kept),
    so that ``finish`` only has to close it.
    """

    def __init__(self, tgt: Target, first: int, part_rows: int) -> None:
        self._tgt, self._rows, self._first = tgt, part_rows, first
        self._buffer: list[bytes] = []
        self._tally = Tally()
        self._sink: Any = None
        if tgt.part_fmt == ".arrow" and tgt.file is not None:
            from winnow.batch import schema

            self._sink = schema.parquet_writer(tgt.file + ".tmp")
            for _, _, name in _complete_parts(tgt):
                self._sink.write_table(schema.read_arrow(os.path.join(tgt.parts, name)))

    def write(self, row: Encoded) -> None:
        self._buffer.append(row.data)
        self._tally.count(row.status, row.reason)
        if len(self._buffer) >= self._rows:
            self.flush()

    def flush(self) -> None:
        """Commit the buffered rows as one part."""
        if not self._buffer:
            return
        last = self._first + len(self._buffer) - 1
        name = f"part-{self._first:012d}-{last:012d}{self._tgt.part_fmt}"
        tmp = os.path.join(self._tgt.parts, f".tmp-{name}")
        self._write_part(tmp)
        _write_json(os.path.join(self._tgt.parts, name + ".json"), self._tally.to_dict())
        os.replace(tmp, os.path.join(self._tgt.parts, name))
        self._first = last + 1
        self._buffer, self._tally = [], Tally()

    def _write_part(self, path: str) -> None:
        fmt = self._tgt.part_fmt
        if fmt in (".parquet", ".arrow"):
            from winnow.batch import schema  # pyarrow is imported only for Parquet output

            rows = schema.table(self._buffer).combine_chunks()
            if fmt == ".parquet":
                schema.write_parquet(path, rows)
                return
            schema.write_arrow(path, rows)
            self._sink.write_table(rows)
            return
        with _open_jsonl(path, fmt) as handle:
            handle.write(b"".join(self._buffer))

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


def _open_jsonl(path: str, fmt: str) -> IO[bytes]:
    if fmt == ".jsonl.gz":
        # mtime=0: the same rows give the same bytes.
        return cast(IO[bytes], gzip.GzipFile(path, "wb", compresslevel=6, mtime=0))
    if fmt == ".jsonl.zst":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=3)
        return cast(IO[bytes], compressor.stream_writer(open(path, "wb"), closefd=True))
    return open(path, "wb")
