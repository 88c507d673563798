"""Ray Data as the distributed engine: ``winnow run --engine ray`` and a Python API.

The pipeline: one task per input file reads its records (files are read in
parallel), records go in batches to ``Extractor`` actors, rows are written as
Parquet shards. Each actor keeps a one-worker local ``Pool``, so a record
still runs under the time budget and a worker that dies costs only its
record: the same accounting and error rows as the local runner.

For a pipeline that already has a Ray Dataset of pages::

    import ray
    from winnow.batch.ray_engine import extract_pages

    pages = ray.data.read_parquet("s3://bucket/pages/")       # columns html, url
    rows = extract_pages(pages, html_column="html", url_column="url")
    rows.write_parquet("s3://bucket/extracted/")

and ``read_records(paths)`` gives the records of WARC, JSONL, HTML or URL-list
files as a Dataset for ``extract_pages``'s sibling ``extract_records``.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from winnow.batch import readers, schema
from winnow.batch.accounting import Tally
from winnow.batch.encode import encode
from winnow.batch.pool import Pool
from winnow.batch.records import Outcome, Page, Record, Source, row
from winnow.batch.runner import DEFAULT_BUDGET, Report, RunConfig
from winnow.batch.writers import OutputError
from winnow.options import Options

# Records per batch handed from a reader task to the extractors.
READ_BATCH = 64
# Ray CPUs reserved per extractor actor and per reader task. An actor per CPU,
# each driving one worker process that does the extracting; the actor itself
# only waits, so it reserves half a CPU and leaves room for readers and for
# the steps of the caller's own pipeline, which would otherwise never be scheduled.
EXTRACTOR_CPUS = 0.5
READER_CPUS = 0.25

RECORD = pa.schema(
    [
        ("file", pa.string()),
        ("offset", pa.int64()),
        ("record_id", pa.string()),
        ("line", pa.int64()),
        ("url", pa.string()),
        ("data", pa.binary()),
        ("kind", pa.string()),
        ("charset", pa.string()),
        ("fetch", pa.bool_()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)


def _record_row(record: Record) -> dict[str, Any]:
    page, outcome = record.page, record.outcome
    data = page.data if page is not None else None
    charset = page.charset if page is not None else None
    if isinstance(data, str):  # text already decoded: carried as UTF-8
        data, charset = data.encode("utf-8"), "utf-8"
    return {
        **record.source.to_dict(),
        "url": record.url,
        "data": data,
        "kind": page.kind if page is not None else None,
        "charset": charset,
        "fetch": record.fetch,
        "status": outcome.status if outcome else None,
        "reason": outcome.reason if outcome else None,
        "detail": outcome.detail if outcome else None,
    }


def _record(item: dict[str, Any]) -> Record:
    source = Source(item["file"], item["offset"], item["record_id"], item["line"])
    if item["status"] is not None:
        return Record(
            source, item["url"], outcome=Outcome(item["status"], item["reason"], item["detail"])
        )
    if item["fetch"]:
        return Record(source, item["url"], fetch=True)
    return Record(source, item["url"], Page(item["data"], item["kind"], item["charset"]))


def _read_file(batch: pa.Table, max_bytes: int) -> Iterator[pa.Table]:
    """A reader task: every record of the files in ``batch``, in batches of READ_BATCH."""
    files = [readers.InputFile(f["path"], f["reader"]) for f in batch.to_pylist()]
    chunk: list[dict[str, Any]] = []
    for record in readers.read_all(files, max_bytes):
        chunk.append(_record_row(record))
        if len(chunk) >= READ_BATCH:
            yield pa.Table.from_pylist(chunk, schema=RECORD)
            chunk = []
    if chunk:
        yield pa.Table.from_pylist(chunk, schema=RECORD)


class Extractor:
    """A Ray Data callable class: record batches in, row batches (the row schema) out."""

    def __init__(self, options: Options, fmt: str = "text", budget: float = DEFAULT_BUDGET):
        self._pool = Pool(1, options, fmt, budget, encoding="arrow")

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows: list[bytes] = []
        for seq, item in enumerate(batch.to_pylist()):
            record = _record(item)
            if record.outcome is not None:
                rows.append(encode(row(record.source, record.url, record.outcome), "arrow").data)
                continue
            self._pool.submit(seq, record)
            while self._pool.busy:
                rows.extend(done.data for _, done in self._pool.collect())
        return schema.table(rows)


def read_records(paths: list[str], max_bytes: int | None = None) -> Any:
    """A Ray Dataset of the records (the ``RECORD`` schema) in the files ``paths`` name."""
    import ray.data

    files = readers.expand(paths)
    items = [{"path": f.path, "reader": f.reader} for f in files]
    limit = max_bytes if max_bytes is not None else Options().max_bytes
    read: Any = _read_file  # a generator of batches, which Ray Data accepts
    return ray.data.from_items(items, override_num_blocks=max(1, len(items))).map_batches(
        read,
        batch_size=1,
        fn_kwargs={"max_bytes": limit},
        batch_format="pyarrow",
        num_cpus=READER_CPUS,
    )


def extract_records(
    records: Any,
    options: Options | None = None,
    fmt: str = "text",
    budget: float = DEFAULT_BUDGET,
    concurrency: int | None = None,
) -> Any:
    """Rows (docs/batch.md) for a Dataset of records, one per record."""
    import ray.data

    return records.map_batches(
        Extractor,
        fn_constructor_kwargs={"options": options or Options(), "fmt": fmt, "budget": budget},
        batch_format="pyarrow",
        batch_size=READ_BATCH,
        compute=ray.data.ActorPoolStrategy(size=concurrency or _cpus()),
        # An actor only waits on the worker process it drives, which does the work;
        # the CPU it leaves free is for the reader tasks.
        num_cpus=EXTRACTOR_CPUS,
    )


def extract_pages(
    pages: Any,
    html_column: str = "html",
    url_column: str | None = "url",
    options: Options | None = None,
    fmt: str = "text",
    budget: float = DEFAULT_BUDGET,
    concurrency: int | None = None,
) -> Any:
    """Rows for a Dataset with a column of pages (bytes or str) and optionally their URLs."""

    def to_records(batch: pa.Table) -> pa.Table:
        html = batch.column(html_column).to_pylist()
        urls = batch.column(url_column).to_pylist() if url_column else [None] * len(html)
        rows = [
            _record_row(Record(Source(html_column, line=i), url, Page(page)))
            for i, (page, url) in enumerate(zip(html, urls, strict=True))
        ]
        return pa.Table.from_pylist(rows, schema=RECORD)

    records = pages.map_batches(to_records, batch_format="pyarrow", num_cpus=READER_CPUS)
    return extract_records(records, options, fmt, budget, concurrency)


def _cpus() -> int:
    import ray

    resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
    return max(1, int(resources.get("CPU", 1)))


def run_ray(config: RunConfig) -> Report:
    """``winnow run --engine ray``: Parquet shards in the directory OUT."""
    import ray
    import ray.data

    if config.resume:
        raise OutputError("--resume works with the local engine; Ray retries failed tasks itself")
    if config.out.lower().endswith((".jsonl", ".gz", ".zst", ".parquet")):
        raise OutputError(f"{config.out}: with --engine ray, OUT is a directory of Parquet shards")
    if not ray.is_initialized():  # RAY_ADDRESS names a cluster to join; else a local Ray
        local = "RAY_ADDRESS" not in os.environ
        ray.init(num_cpus=config.workers if local else None, logging_level=logging.WARNING)
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()
    started = time.perf_counter()
    records = read_records(list(config.inputs), config.options.max_bytes)
    rows = extract_records(records, config.options, config.fmt, config.budget)
    rows.write_parquet(config.out)
    tally = _tally(config.out)
    return Report(tally, time.perf_counter() - started, tally.total, config.out)


def _tally(out: str) -> Tally:
    import pyarrow.dataset as ds

    tally = Tally()
    table = ds.dataset(out, format="parquet").to_table(columns=["status", "reason"])
    for item in table.to_pylist():
        tally.add(item)
    return tally
