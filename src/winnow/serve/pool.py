"""A fixed number of extraction worker processes, and a way to hand them jobs.

Each worker answers one job at a time. A request waits for an idle worker, sends
its job and waits for the reply, all inside the request's time budget. If the
budget runs out (or the request is cancelled, or the worker dies) while a
worker holds the job, that worker is killed and a fresh one takes its place:
a worker stuck on a pathological page is replaced, never left running.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import sys
from collections.abc import Callable, Sequence

from winnow.serve.worker import FRAME_HEADER, READY, Job, Reply

WORKER_COMMAND = (sys.executable, "-m", "winnow.serve.worker")

# How long a new worker may take to import winnow and load the model. On the
# 2-core CI machine under load a start took up to about 3 s; 60 s only catches
# a worker that will never come up.
START_TIMEOUT = 60.0


class WorkerDied(Exception):
    """A worker's pipe closed before it answered (it crashed or was killed)."""


class Worker:
    """One worker process and its two pipes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @property
    def pid(self) -> int:
        return self.process.pid

    async def call(self, job: Job) -> Reply:
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        answer = await self._exchange(payload)
        try:
            reply = pickle.loads(answer)  # written by our own child
        except Exception as exc:  # a garbled frame: the worker cannot be trusted any more
            raise WorkerDied(f"worker {self.pid} sent an unreadable reply: {exc}") from exc
        if not isinstance(reply, Reply):
            raise WorkerDied(f"worker {self.pid} answered with a {type(reply).__name__}")
        return reply

    async def wait_ready(self) -> None:
        if await self._read_frame() != READY:
            raise WorkerDied(f"worker {self.pid} did not start")

    async def _exchange(self, payload: bytes) -> bytes:
        stdin = self.process.stdin
        assert stdin is not None  # created with PIPE
        try:
            stdin.write(FRAME_HEADER.pack(len(payload)) + payload)
            await stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise WorkerDied(f"worker {self.pid} is gone") from exc
        return await self._read_frame()

    async def _read_frame(self) -> bytes:
        stdout = self.process.stdout
        assert stdout is not None  # created with PIPE
        try:
            (size,) = FRAME_HEADER.unpack(await stdout.readexactly(FRAME_HEADER.size))
            return await stdout.readexactly(size)
        except asyncio.IncompleteReadError as exc:
            raise WorkerDied(f"worker {self.pid} closed its pipe") from exc

    async def stop(self) -> None:
        """Kill the process and reap it."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


async def start_worker(command: Sequence[str] = WORKER_COMMAND) -> Worker:
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        # Worker replies can be megabytes; the default 64 KiB limit only applies
        # to line reads, which are not used, but keep the buffer roomy.
        limit=1 << 20,
    )
    worker = Worker(process)
    try:
        async with asyncio.timeout(START_TIMEOUT):
            await worker.wait_ready()
    except BaseException:
        await worker.stop()
        raise
    return worker


class WorkerPool:
    """``size`` workers; ``run`` gives a job to the first idle one."""

    def __init__(
        self,
        size: int,
        command: Sequence[str] = WORKER_COMMAND,
        on_restart: Callable[[], None] = lambda: None,
    ) -> None:
        self.size = size
        self._command = tuple(command)
        self._on_restart = on_restart
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self._restarts: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(start_worker(self._command) for _ in range(self.size)))
        for worker in workers:
            self._add(worker)

    def pids(self) -> list[int]:
        return sorted(worker.pid for worker in self._workers)

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.returncode is None)

    async def run(self, job: Job) -> Reply:
        """The job's reply. Time out with ``asyncio.timeout`` around this call."""
        worker = await self._idle.get()
        while worker.process.returncode is not None:  # died while idle (killed from outside)
            self._replace(worker)
            worker = await self._idle.get()
        answered = False
        try:
            reply = await worker.call(job)
            answered = True
            return reply
        finally:
            if answered:
                self._idle.put_nowait(worker)
            else:  # timed out, cancelled or died mid-job: its state is unknown
                self._replace(worker)

    def _add(self, worker: Worker) -> None:
        self._workers.add(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        task = asyncio.get_running_loop().create_task(self._restart(worker))
        self._restarts.add(task)
        task.add_done_callback(self._restarts.discard)

    async def _restart(self, worker: Worker) -> None:
        """Reap ``worker`` and start its successor (``close`` cancels this)."""
        await worker.stop()
        self._on_restart()
        while True:
            try:
                new = await start_worker(self._command)
            except (OSError, WorkerDied, TimeoutError):
                await asyncio.sleep(1.0)  # e.g. out of processes: try again, slowly
                continue
            self._add(new)
            return

    async def close(self) -> None:
        for task in list(self._restarts):
            task.cancel()
        await asyncio.gather(*self._restarts, return_exceptions=True)
        workers, self._workers = list(self._workers), set()
        await asyncio.gather(*(worker.stop() for worker in workers))
