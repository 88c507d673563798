"""Worker processes that each extract one record at a time, under a time budget.

Each worker holds exactly one record. A worker that overruns the budget is
killed (SIGKILL) and its record becomes an error ``timeout``; a worker that
dies (killed from outside, out of memory, a crash in native code) costs only
its record, which becomes an error ``worker-died``. Either way a fresh worker
takes its place and the run goes on.

Workers are forked from a forkserver that has imported winnow and loaded its
models once (``batch.warm``), so a replacement starts warm in milliseconds and
shares no threads or locks with the parent (which runs the readers, the writer
and the progress bar).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from winnow.batch.encode import Encoded, Encoding, encode
from winnow.batch.records import Outcome, Record, row
from winnow.batch.work import process
from winnow.memory import bound_heap
from winnow.options import Options

Result = tuple[int, Encoded]
# What a worker does with a record: ``work.process``, or a peer extractor in a benchmark.
Work = Callable[[Record, Options, str], dict[str, Any]]
# Extra seconds a fetch may take on top of the extraction budget.
FETCH_ALLOWANCE = 30.0
# Extra seconds for a worker's first record where there is no forkserver
# (Windows): a spawned worker imports winnow and loads its models then.
COLD_START_ALLOWANCE = 30.0


def _context() -> Any:  # a ForkServerContext or SpawnContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["winnow.batch.warm"])
        return ctx
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, options: Options, fmt: str, work: Work, encoding: Encoding) -> None:
    """A worker's loop: receive (seq, record), send back (seq, row), until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    bound_heap()
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the parent is gone
            return
        if message is None:
            return
        seq, record = message
        conn.send((seq, encode(work(record, options, fmt), encoding)))


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    job: tuple[int, Record] | None = None
    deadline: float = 0.0
    warm: bool = False  # it has finished a record


class Pool:
    """``workers`` processes; ``submit`` to an idle one, ``collect`` finished rows."""

    def __init__(
        self,
        workers: int,
        options: Options,
        fmt: str,
        budget: float,
        work: Work = process,
        encoding: Encoding = "json",
    ) -> None:
        self._ctx = _context()
        self._options, self._fmt, self._budget, self._work = options, fmt, budget, work
        self._encoding: Encoding = encoding
        self._workers = [self._start() for _ in range(workers)]

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_serve,
            args=(child, self._options, self._fmt, self._work, self._encoding),
            daemon=True,
        )
        proc.start()
        child.close()
        return _Worker(proc, parent)

    @property
    def idle(self) -> int:
        return sum(1 for w in self._workers if w.job is None)

    @property
    def busy(self) -> int:
        return len(self._workers) - self.idle

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def submit(self, seq: int, record: Record) -> None:
        worker = next(w for w in self._workers if w.job is None)
        allowance = FETCH_ALLOWANCE if record.fetch else 0.0
        if not worker.warm and self._ctx.get_start_method() != "forkserver":
            allowance += COLD_START_ALLOWANCE
        worker.job, worker.deadline = (seq, record), time.monotonic() + self._budget + allowance
        worker.conn.send((seq, record))

    def collect(self, timeout: float | None = None) -> Iterator[Result]:
        """Rows of records that finished, overran or lost their worker (waits ``timeout`` s)."""
        busy = [w for w in self._workers if w.job is not None]
        if not busy:
            return
        wait = min(w.deadline for w in busy) - time.monotonic()
        wait = max(0.0, wait if timeout is None else min(wait, timeout))
        ready = multiprocessing.connection.wait(
            [w.conn for w in busy] + [w.process.sentinel for w in busy], wait
        )
        now = time.monotonic()
        for worker in busy:
            result = self._outcome(worker, ready, now)
            if result is not None:
                yield result

    def _outcome(self, worker: _Worker, ready: list[Any], now: float) -> Result | None:
        assert worker.job is not None
        seq, record = worker.job
        if worker.conn in ready:
            try:
                got: Result = worker.conn.recv()
                worker.job, worker.warm = None, True
                return got
            except (EOFError, OSError):
                pass
        elif worker.process.sentinel not in ready and now < worker.deadline:
            return None
        if worker.process.sentinel in ready or worker.conn in ready:
            outcome = Outcome("error", "worker-died", _death(worker.process))
        else:
            outcome = Outcome("error", "timeout", f"extraction took more than {self._budget:g} s")
        self._replace(worker)
        return seq, encode(row(record.source, record.url, outcome), self._encoding)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()

    def close(self) -> None:
        """Stop every worker: idle ones are asked, busy ones are killed."""
        for worker in self._workers:
            try:
                if worker.job is None:
                    worker.conn.send(None)
                else:
                    worker.process.kill()
            except OSError:
                worker.process.kill()
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


def _death(proc: BaseProcess) -> str:
    proc.join(timeout=1)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker process was killed by {name} (pid {proc.pid}; out of memory?)"
    return f"the worker process exited with status {code} (pid {proc.pid})"


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
