"""Load on ``winnow serve`` beside the same work done in-process.

Two runs over the WCXB dev pages, alternated for ``--rounds`` rounds so that
the machine's changing load hits both alike:

- **in-process**: ``--workers`` processes (forked), each calling
  ``winnow.extract(page)`` on its share of the pages in a loop for
  ``--duration`` seconds. This is the fair peer of a server with that many
  extraction workers: the same number of processes doing extraction and
  nothing else (no HTTP, no IPC). With ``--baseline json`` each page is also
  rendered as the server answers it, ``json.dumps(doc.to_dict())``, so that
  only the cost of serving differs.
- **server**: ``winnow serve --workers N`` started as the command line does, on
  loopback, and ``--clients`` concurrent keep-alive connections posting the
  pages (``Content-Type: text/html``, raw bytes) for ``--duration`` seconds;
  each answer is the Document as JSON. The client is a few lines of asyncio
  over raw sockets rather than an HTTP library, to keep its own CPU use — which
  shares the machine with the server — small.

Reported per run: pages/s, p50 and p99 latency (in-process: one extract call;
server: request to full response), errors (server: any answer but 200, or a
broken connection), the CPU seconds the extracting processes used (in-process:
the workers; server: the server and its workers, not the load client) and
pages per CPU second. The last lines give the server's throughput as a share
of in-process (median over rounds) and its p99/p50, against the targets
(≥ 0.85, ≤ 5), with the machine's load average.

On a shared machine wall-clock throughput flatters the server: under
contention the kernel shares the cores per runnable process, and the server
run has more of them (server, workers, client) than the in-process run. Pages
per CPU second does not depend on that share, so its ratio is reported too —
it is the cost of HTTP, IPC and JSON rendering per page.

Data: *WCXB (Foley, 2026)*, CC-BY-4.0, at ``../shared/data/wcxb-dev`` (``--data``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from wcxb import DEFAULT_DATA, list_pages, read_html

import winnow
from winnow.memory import bound_heap

THROUGHPUT_TARGET = 0.85
TAIL_TARGET = 5.0
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
# Big enough for every dev page: the run measures speed, not the body cap.
MAX_BODY = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    pages: int
    seconds: float
    latencies: list[float]
    errors: int
    load: tuple[float, float]  # 1-minute load average before and after
    cpu: float  # CPU seconds of the extracting processes during the run

    @property
    def per_cpu(self) -> float:
        return self.pages / self.cpu if self.cpu else 0.0

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def in_process(pages: Sequence[bytes], workers: int, duration: float, render: bool) -> Run:
    context = multiprocessing.get_context("fork")
    start = time.time() + 1.0  # every worker warmed up and waiting
    pipes = [context.Pipe(duplex=False) for _ in range(workers)]
    procs = [
        context.Process(
            target=_extract_loop, args=(pages, i, workers, start, duration, render, send)
        )
        for i, (_, send) in enumerate(pipes)
    ]
    load_before = os.getloadavg()[0]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    cpu = 0.0
    for receive, _ in pipes:
        worker_latencies, worker_cpu = receive.recv()
        latencies += worker_latencies
        cpu += worker_cpu
    for proc in procs:
        proc.join()
    return Run(
        "in-process", len(latencies), duration, latencies, 0, (load_before, os.getloadavg()[0]), cpu
    )


def _extract_loop(
    pages: Sequence[bytes],
    first: int,
    step: int,
    start: float,
    duration: float,
    render: bool,
    out: Connection,
) -> None:
    bound_heap()
    winnow.extract(pages[0])  # load the model before the clock starts
    time.sleep(max(0.0, start - time.time()))
    end = time.perf_counter() + duration
    cpu_start = time.process_time()
    latencies = []
    index = first
    while True:
        began = time.perf_counter()
        if began >= end:
            break
        doc = winnow.extract(pages[index % len(pages)])
        if render:
            json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")
        latencies.append(time.perf_counter() - began)
        index += step
    out.send((latencies, time.process_time() - cpu_start))


def server(pages: Sequence[bytes], workers: int, clients: int, duration: float) -> Run:
    command = [
        sys.executable,
        "-m",
        "winnow.cli",
        "serve",
        "--port",
        "0",
        "--workers",
        str(workers),
        "--max-body",
        str(MAX_BODY),
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        port = _port(process)
        asyncio.run(_drive(port, pages[:clients], clients, 2.0))  # warm up, untimed
        pids = [process.pid, *_children(process.pid)]
        load_before, cpu_before = os.getloadavg()[0], _cpu_seconds(pids)
        latencies, errors = asyncio.run(_drive(port, pages, clients, duration))
        load_after, cpu = os.getloadavg()[0], _cpu_seconds(pids) - cpu_before
    finally:
        process.terminate()
        process.wait(timeout=30)
    return Run(
        "server", len(latencies), duration, latencies, errors, (load_before, load_after), cpu
    )


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pids: Sequence[int]) -> float:
    """utime + stime of the processes, from /proc (Linux)."""
    ticks = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _port(process: subprocess.Popen[str]) -> int:
    assert process.stderr is not None
    for line in process.stderr:
        found = LISTENING.search(line)
        if found:
            return int(found.group(1))
    raise RuntimeError("winnow serve did not start")


async def _drive(
    port: int, pages: Sequence[bytes], clients: int, duration: float
) -> tuple[list[float], int]:
    end = time.perf_counter() + duration
    latencies: list[float] = []
    errors = [0]
    counter = iter(range(10**9))

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < end:
                page = pages[next(counter) % len(pages)]
                began = time.perf_counter()
                ok = await _post(reader, writer, page)
                latencies.append(time.perf_counter() - began)
                if not ok:
                    errors[0] += 1
        finally:
            writer.close()

    results = await asyncio.gather(*(client() for _ in range(clients)), return_exceptions=True)
    errors[0] += sum(1 for result in results if isinstance(result, BaseException))
    return latencies, errors[0]


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, page: bytes) -> bool:
    writer.write(
        b"POST /extract HTTP/1.1\r\nHost: bench\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(page)}\r\n\r\n".encode()
        + page
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    await reader.readexactly(int(length.group(1)) if length else 0)
    return head.startswith(b"HTTP/1.1 200 ")


def report(runs: Sequence[Run]) -> None:
    print(
        f"{'run':<12} {'pages':>7} {'pages/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p99/p50':>8} {'errors':>6} {'CPU s':>7} {'pages/CPU s':>11}  load before/after"
    )
    for run in runs:
        p50, p99 = run.percentile(0.5), run.percentile(0.99)
        print(
            f"{run.name:<12} {run.pages:>7} {run.rate:>8.1f} {p50 * 1000:>8.1f} "
            f"{p99 * 1000:>8.1f} {p99 / p50 if p50 else 0:>8.2f} {run.errors:>6} "
            f"{run.cpu:>7.1f} {run.per_cpu:>11.1f}  {run.load[0]:.1f}/{run.load[1]:.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--limit",
        type=int,
        default=200,
        help="cycle over the first N dev pages (default: 200; both runs see the same mix)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--baseline",
        choices=("extract", "json"),
        default="extract",
        help="in-process work per page: extract only (default), or also render JSON",
    )
    args = parser.parse_args(argv)
    pages = [read_html(args.data, info.id) for info in list_pages(args.data, limit=args.limit)]
    print(
        f"{len(pages)} dev pages; {args.workers} workers, {args.clients} clients, "
        f"{args.duration:g} s per run, {args.rounds} rounds; in-process baseline: "
        f"{args.baseline}; {os.cpu_count()} CPUs"
    )
    runs: list[Run] = []
    for _ in range(args.rounds):
        runs.append(in_process(pages, args.workers, args.duration, args.baseline == "json"))
        runs.append(server(pages, args.workers, args.clients, args.duration))
    report(runs)
    ratios = [s.rate / b.rate for b, s in zip(runs[::2], runs[1::2], strict=True)]
    served = [run for run in runs if run.name == "server"]
    tails = [run.percentile(0.99) / run.percentile(0.5) for run in served]
    errors = sum(run.errors for run in served)
    per_cpu = [s.per_cpu / b.per_cpu for b, s in zip(runs[::2], runs[1::2], strict=True)]
    print(
        f"server/in-process throughput: {statistics.median(ratios):.2f} median "
        f"(target >= {THROUGHPUT_TARGET}; rounds {_listed(ratios)}); pages per CPU second: "
        f"{statistics.median(per_cpu):.2f} median (rounds {_listed(per_cpu)})"
    )
    print(
        f"server p99/p50: {statistics.median(tails):.2f} median (target <= {TAIL_TARGET:g}; "
        f"rounds {_listed(tails)}); server errors: {errors} (target 0)"
    )


def _listed(values: Sequence[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)
    return 0


if __name__ == "__main__":
    sys.exit(main())
