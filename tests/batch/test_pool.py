"""The worker pool: a dead or overrunning worker costs only its own record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcfile import page

from winnow.batch.encode import decode
from winnow.batch.pool import Pool
from winnow.batch.records import Page, Record, Source
from winnow.options import Options

# No depth cap: without it the slow page below takes well over ten seconds.
UNCAPPED = Options(max_depth=1_000_000)


def slow_page() -> bytes:
    depth = 80_000
    return b"<html><body>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body></html>"


def collect_all(pool: Pool) -> dict[int, dict[str, object]]:
    rows: dict[int, dict[str, object]] = {}
    deadline = time.monotonic() + 60
    while pool.busy and time.monotonic() < deadline:
        rows.update((seq, decode(done, "json")) for seq, done in pool.collect(timeout=1))
    return rows


def test_a_killed_worker_costs_only_its_record() -> None:
    pool = Pool(2, UNCAPPED, "text", budget=60)
    try:
        pool.submit(0, Record(Source("slow.html"), page=Page(slow_page())))
        victim = pool.pids()[0]
        pool.submit(1, Record(Source("fine.html"), page=Page(page(1))))
        time.sleep(0.3)
        os.kill(victim, signal.SIGKILL)
        rows = collect_all(pool)
        assert rows[0]["status"] == "error" and rows[0]["reason"] == "worker-died"
        assert "SIGKILL" in str(rows[0]["detail"])
        assert rows[0]["source"] == {
            "file": "slow.html",
            "offset": None,
            "record_id": None,
            "line": None,
        }
        assert rows[1]["status"] == "ok"
        assert victim not in pool.pids()
        pool.submit(2, Record(Source("after.html"), page=Page(page(2))))
        assert collect_all(pool)[2]["status"] == "ok"
    finally:
        pool.close()


def test_a_record_over_budget_is_a_timeout_and_the_pool_goes_on() -> None:
    pool = Pool(1, UNCAPPED, "markdown", budget=1.0)
    try:
        started = time.monotonic()
        pool.submit(0, Record(Source("slow.html"), page=Page(slow_page())))
        rows = collect_all(pool)
        assert rows[0]["reason"] == "timeout"
        assert time.monotonic() - started < 8
        pool.submit(1, Record(Source("fine.html"), "https://news.example/1", Page(page(1))))
        row = collect_all(pool)[1]
        assert row["status"] == "ok" and str(row["text"]).startswith("# Story number 1")
    finally:
        pool.close()


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux: /proc/PID/task/PID/children)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def workers_of(pid: int) -> list[int]:
    """The pool's workers: children of the forkserver, which is a child of the run."""
    return [grandchild for child in children(pid) for grandchild in children(child)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_run_goes_on_when_a_worker_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(page(1))
    (folder / "b.html").write_bytes(slow_page())
    (folder / "c.html").write_bytes(page(3))
    out = tmp_path / "rows.jsonl"
    command = [sys.executable, "-m", "winnow.cli", "run", str(folder), "-o", str(out)]
    uncapped = ["--max-depth", str(UNCAPPED.max_depth)]
    run = subprocess.Popen(
        [*command, "--workers", "1", "--budget", "120", *uncapped], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while not workers_of(run.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(2)  # a.html takes milliseconds, b.html many seconds: the worker is on b
    [worker] = workers_of(run.pid)
    os.kill(worker, signal.SIGKILL)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(Path(r["source"]["file"]).name, r["status"], r["reason"]) for r in rows] == [
        ("a.html", "ok", None),
        ("b.html", "error", "worker-died"),
        ("c.html", "ok", None),
    ]
    assert "SIGKILL" in rows[1]["detail"]
    assert b"3 records in = 2 ok + 0 skipped + 1 errors" in err
