"""The worker pool: a dead or overrunning worker costs only its own record."""

from __future__ import annotations

import os
import signal
import time

from warcfile import page

from winnow.batch.encode import decode
from winnow.batch.pool import Pool
from winnow.batch.records import Page, Record, Source
from winnow.options import Options


def slow_page() -> bytes:
    depth = 80_000  # takes well over ten seconds to extract
    return b"<html><body>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body></html>"


def collect_all(pool: Pool) -> dict[int, dict[str, object]]:
    rows: dict[int, dict[str, object]] = {}
    deadline = time.monotonic() + 60
    while pool.busy and time.monotonic() < deadline:
        rows.update((seq, decode(done, "json")) for seq, done in pool.collect(timeout=1))
    return rows


def test_a_killed_worker_costs_only_its_record() -> None:
    pool = Pool(2, Options(), "text", budget=60)
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
    pool = Pool(1, Options(), "markdown", budget=1.0)
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
