"""``winnow run`` end to end on the WCXB dev pages packed into one WARC.gz.

Three measurements, all in one process, one after the other:

1. WARC readers: FastWARC (what winnow reads with) and warcio, each reading
   every response record's payload of the same file; records/s and the ratio.
2. Worker speed-up: ``winnow.batch.run`` (WARC read, extraction in worker
   processes, Parquet write) with 1 worker, then 2; wall time, pages/s and
   the 2-to-1 ratio (target >= 1.8 on 2 cores).
3. The same runs with trafilatura as the work function: the same reader,
   pool and Parquet writer, only the extraction differs.

Wall times include starting the worker processes. The parent's own CPU time
(reading the WARC, sending records, building and writing Parquet) is printed
too: on 2 cores it competes with the workers, so it bounds the speed-up at
about 2 / (1 + parent CPU / worker CPU) however quiet the machine is.

The machine is shared: the 1-minute load average is printed before and after,
and ``--repeat`` keeps the best of several runs of each configuration.

    .venv/bin/python benchmarks/batch.py                  # pack, then measure
    .venv/bin/python benchmarks/batch.py --limit 300 --repeat 2
    .venv/bin/python benchmarks/batch.py --skip-readers --skip-local --ray 2

Needs the batch extra, warcio and trafilatura (``pip install -e '.[batch,bench]' warcio``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from wcxb import DEFAULT_DATA, list_pages, read_html

from winnow.batch import RunConfig, run

RESULTS = Path(__file__).parent / "results"


def pack(data: Path, warc: Path, limit: int | None) -> int:
    """Write the dev pages as WARC response records, one gzip member each."""
    pages = list_pages(data, limit=limit)
    tmp = warc.with_name(warc.name + ".tmp")
    with tmp.open("wb") as out:
        for info in pages:
            truth = json.loads((data / "ground-truth" / f"{info.id}.json").read_text("utf-8"))
            url = truth.get("url") or f"https://{info.domain}/{info.id}"
            body = read_html(data, info.id)
            http = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = (
                f"WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
                f"WARC-Target-URI: {url}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
                f"Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n"
            ).encode()
            out.write(gzip.compress(head + http + b"\r\n\r\n", compresslevel=6, mtime=0))
    tmp.replace(warc)
    return len(pages)


def read_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, record_types=WarcRecordType.response):
            record.reader.read()
            count += 1
    return count


def read_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                record.content_stream().read()
                count += 1
    return count


def read_winnow(path: Path) -> int:
    from winnow.batch.warc import read_warc

    return sum(1 for _ in read_warc(str(path), 16 << 20))


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - started)
    return best, count


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def compare_readers(warc: Path, repeat: int) -> None:
    print("\n== WARC readers (every response payload read) ==")
    rows = []
    for name, fn in (("fastwarc", read_fastwarc), ("warcio", read_warcio), ("winnow", read_winnow)):
        seconds, count = timed(lambda fn=fn: fn(warc), repeat)
        rows.append((name, seconds, count))
        print(f"{name:<10} {count} records in {seconds:.3f} s = {count / seconds:,.0f} records/s")
    fast, slow = rows[0][1], rows[1][1]
    print(
        f"FastWARC is {slow / fast:.1f}x warcio; winnow's reader (FastWARC + checks) "
        f"costs {rows[2][1] / fast:.2f}x bare FastWARC"
    )


def worker_cpu(warc: Path, work: Callable[..., object]) -> float:
    """CPU seconds per page of the work itself (extract, render, encode), in this process."""
    from winnow.batch.encode import encode
    from winnow.batch.warc import read_warc
    from winnow.options import Options

    records = list(read_warc(str(warc), 16 << 20))
    options = Options()
    encode(work(records[0], options, "text"), "arrow")  # warm-up: imports, model loading
    started = time.process_time()
    for record in records:
        encode(work(record, options, "text"), "arrow")  # type: ignore[arg-type]
    return (time.process_time() - started) / len(records)


def end_to_end(warc: Path, pages: int, repeat: int, peer: bool = True) -> None:
    from batch_peers import trafilatura_work

    from winnow.batch.work import process

    print("\n== winnow run end to end: WARC.gz in, Parquet out ==")
    print(load())
    rates: dict[tuple[str, int], float] = {}
    works = (("winnow", process), ("trafilatura", trafilatura_work))
    for name, work in works if peer else works[:1]:
        per_page = worker_cpu(warc, work)
        print(f"{name:<12} work alone: {1000 * per_page:.2f} ms CPU/page in one process")
        parent = 0.0
        for workers in (1, 2):
            out = RESULTS / f"batch-{name}-{workers}.parquet"
            config = RunConfig(inputs=(str(warc),), out=str(out), workers=workers)
            best = float("inf")
            for _ in range(repeat):
                started, cpu = time.perf_counter(), time.process_time()
                report = run(config, work=work)
                if time.perf_counter() - started < best:
                    best = time.perf_counter() - started
                    parent = time.process_time() - cpu
            ok = report.tally.status["ok"]
            rates[name, workers] = pages / best
            print(
                f"{name:<12} {workers} worker(s): {best:6.1f} s, {pages / best:6.1f} pages/s "
                f"({ok} ok of {report.tally.total}); parent process CPU {parent:.2f} s "
                f"({1000 * parent / pages:.2f} ms/page: reading, writing, dispatch)"
            )
        speedup = rates[name, 2] / rates[name, 1]
        print(f"{name:<12} speed-up 1 -> 2 workers: {speedup:.2f}x measured")
        # On 2 idle cores, 2 workers and the parent share them: pages take
        # (work + parent) CPU over 2 cores against work alone with 1 worker.
        bound = 2 * per_page / (per_page + parent / pages)
        print(f"{name:<12} speed-up the CPU times allow on 2 idle cores: {bound:.2f}x")
    for workers in (1, 2) if peer else ():
        ratio = rates["winnow", workers] / rates["trafilatura", workers]
        print(f"{workers} worker(s): winnow is {ratio:.2f}x trafilatura end to end")
    print(load())


def on_ray(warc: Path, pages: int, cpus: int) -> None:
    """``winnow run --engine ray`` on a local Ray instance; Ray's start-up is not timed."""
    import shutil

    import ray

    from winnow.batch.ray_engine import run_ray

    print(f"\n== winnow run --engine ray: local Ray, {cpus} CPUs ==")
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    out = RESULTS / "batch-ray"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    report = run_ray(RunConfig(inputs=(str(warc),), out=str(out), workers=cpus))
    seconds = time.perf_counter() - started
    print(
        f"ray {cpus} CPUs: {seconds:6.1f} s, {pages / seconds:6.1f} pages/s "
        f"({report.tally.status['ok']} ok of {report.tally.total})"
    )
    print(load())
    ray.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    parser.add_argument("--skip-readers", action="store_true")
    parser.add_argument("--skip-local", action="store_true", help="no local-engine runs")
    parser.add_argument("--ray", type=int, metavar="CPUS", help="also run on local Ray")
    parser.add_argument("--no-peer", action="store_true", help="winnow only, not trafilatura")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    warc = RESULTS / f"wcxb-dev-{args.limit or 'all'}.warc.gz"
    pages = pack(args.data, warc, args.limit)
    print(
        f"{pages} pages in {warc} ({warc.stat().st_size / 1e6:.1f} MB); "
        f"{len(os.sched_getaffinity(0))} cores; Python {sys.version.split()[0]}"
    )
    if not args.skip_readers:
        compare_readers(warc, args.repeat)
    if not args.skip_local:
        end_to_end(warc, pages, args.repeat, peer=not args.no_peer)
    if args.ray:
        on_ray(warc, pages, args.ray)
    return 0


if __name__ == "__main__":
    sys.exit(main())
