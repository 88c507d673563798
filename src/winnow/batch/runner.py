"""The local runner: readers → worker pool → writer, in record order, resumable.

The parent process reads records and writes rows; workers (``pool.py``)
extract. Rows are written in record order, so the output is the same whatever
the number of workers, and committed parts always cover a prefix of the
records, which is what ``--resume`` relies on. At most ``AHEAD_PER_WORKER``
records per worker are held waiting for a slower one before them, so memory
stays bounded whatever the input's size.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from winnow.batch import readers, writers
from winnow.batch.accounting import Progress, Tally
from winnow.batch.encode import Encoded, Encoding, encode, encoding_for
from winnow.batch.pool import Pool, Work, default_workers
from winnow.batch.records import Record, row
from winnow.batch.work import process
from winnow.options import Options

# Rows a worker may run ahead of the oldest unfinished record. A row of a
# WCXB dev page is ~50 KB encoded (text, blocks, removed), so 64 of them hold
# about 3 MB per worker; the records in flight are one page per worker.
AHEAD_PER_WORKER = 64
# Seconds one record may take to extract before its worker is killed.
DEFAULT_BUDGET = 10.0
# Rows per committed part: at most what a killed run has to redo (about 15 s
# of one core at ~70 pages/s), and few enough files for a long run.
PART_ROWS = 1000


@dataclass(frozen=True, slots=True)
class RunConfig:
    """One batch run, as the command line (or a caller) describes it."""

    inputs: tuple[str, ...]
    out: str
    options: Options = field(default_factory=Options)
    fmt: str = "text"
    workers: int = field(default_factory=default_workers)
    resume: bool = False
    budget: float = DEFAULT_BUDGET
    part_rows: int = PART_ROWS
    shard_format: str = ".parquet"

    def state(self, files: list[readers.InputFile]) -> dict[str, Any]:
        """What must match for ``--resume`` to continue this run."""
        return {
            "inputs": [f.path for f in files],
            "format": self.fmt,
            "options": asdict(self.options),
            "part_rows": self.part_rows,
        }


@dataclass(slots=True)
class Report:
    tally: Tally
    seconds: float
    done_now: int  # records this invocation processed (not those a resume kept)
    out: str


class _Ordered:
    """Rows that arrive out of order, written in order."""

    def __init__(self, writer: writers.PartWriter, first: int, tally: Tally) -> None:
        self.writer, self.next, self.tally = writer, first, tally
        self.waiting: dict[int, Encoded] = {}
        self.progress = Progress(initial=tally.total)

    def put(self, seq: int, item: Encoded) -> None:
        self.waiting[seq] = item
        while self.next in self.waiting:
            done = self.waiting.pop(self.next)
            self.writer.write(done)
            self.tally.count(done.status, done.reason)
            self.progress.update(self.tally.errors)
            self.next += 1


def prepare(config: RunConfig) -> tuple[list[readers.InputFile], writers.Target]:
    """Check the inputs and OUT before anything runs; raise InputError or OutputError."""
    files = readers.expand(config.inputs)
    tgt = writers.target(config.out, config.shard_format)
    writers.check_format(tgt.fmt)
    if any(f.reader == "warc" for f in files):
        readers.check_warc()
    return files, tgt


def run(config: RunConfig, work: Work = process) -> Report:
    """Run the whole batch locally; return the counts.

    Raises InputError/OutputError before starting, OSError if the output
    becomes unwritable, KeyboardInterrupt. ``work`` replaces winnow's
    extraction (benchmarks/batch.py runs a peer extractor through the same
    readers, pool and writers).
    """
    files, tgt = prepare(config)
    first, tally = writers.prepare(tgt, config.state(files), config.resume)
    started = time.perf_counter()
    ordered = _Ordered(writers.PartWriter(tgt, first, config.part_rows), first, tally)
    stream = enumerate(readers.read_all(files, config.options.max_bytes))
    records = itertools.islice(stream, first, None)  # a resumed run skips what is done
    encoding = encoding_for(tgt.fmt)
    pool = Pool(config.workers, config.options, config.fmt, config.budget, work, encoding)
    try:
        _drive(pool, records, ordered, config.workers * AHEAD_PER_WORKER, encoding)
    finally:
        pool.close()
        ordered.progress.close()
        ordered.writer.flush()
    ordered.writer.finish()
    seconds = time.perf_counter() - started
    return Report(tally, seconds, ordered.next - first, config.out)


def _drive(
    pool: Pool,
    records: Iterator[tuple[int, Record]],
    ordered: _Ordered,
    ahead: int,
    encoding: Encoding,
) -> None:
    for seq, record in records:
        while pool.busy and (pool.idle == 0 or seq - ordered.next >= ahead):
            for done in pool.collect():
                ordered.put(*done)
        if record.outcome is not None:
            ordered.put(seq, encode(row(record.source, record.url, record.outcome), encoding))
        else:
            pool.submit(seq, record)
    while pool.busy:
        for done in pool.collect():
            ordered.put(*done)
