"""--resume after SIGKILL finishes the run without duplicates or gaps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcfile import page

PAGES = 200
PART_ROWS = 10


def pages(folder: Path) -> Path:
    folder.mkdir()
    for n in range(PAGES):
        (folder / f"{n:04d}.html").write_bytes(page(n))
    return folder


def winnow_run(*args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "winnow.cli", "run", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def committed(parts: Path) -> int:
    """Complete parts: the part file and its sidecar of counts, written after it."""
    if not parts.is_dir():
        return 0
    names = {p.name for p in parts.iterdir()}
    return sum(1 for n in names if n.startswith("part-") and f"{n}.json" in names)


def same_rows(one: Path, other: Path) -> bool:
    if one.suffix == ".parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        return bool(pq.read_table(one).equals(pq.read_table(other)))
    return one.read_bytes() == other.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_resume_after_sigkill_gives_the_same_rows_as_one_run(tmp_path: Path, suffix: str) -> None:
    folder = pages(tmp_path / "pages")
    common = ["--workers", "1", "--part-rows", str(PART_ROWS)]
    whole = tmp_path / ("whole" + suffix)
    assert winnow_run(str(folder), "-o", str(whole), *common).wait(timeout=120) == 0

    out = tmp_path / ("out" + suffix)
    parts = Path(str(out) + ".parts")
    run = winnow_run(str(folder), "-o", str(out), *common)
    deadline = time.monotonic() + 60
    while committed(parts) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    run.send_signal(signal.SIGKILL)
    assert run.wait(timeout=10) == -signal.SIGKILL
    kept = committed(parts)
    assert 3 <= kept < PAGES // PART_ROWS, "the run must be killed part-way"
    assert not out.exists()

    resumed = winnow_run(str(folder), "-o", str(out), *common, "--resume")
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert same_rows(out, whole)
    if suffix == ".jsonl":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == PAGES == len(set(lines))
    summary = err.decode()
    assert f"{PAGES} records in = {PAGES} ok + 0 skipped + 0 errors" in summary
    assert f"{PAGES - kept * PART_ROWS} records this run" in summary
    assert not parts.exists()


def test_resume_refuses_other_inputs(tmp_path: Path) -> None:
    folder = pages(tmp_path / "pages")
    out = tmp_path / "out.jsonl"
    parts = Path(str(out) + ".parts")
    run = winnow_run(str(folder), "-o", str(out), "--workers", "1", "--part-rows", "5")
    while committed(parts) < 1 and run.poll() is None:
        time.sleep(0.005)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.html").write_bytes(page(1))
    again = winnow_run(str(other), "-o", str(out), "--resume", "--part-rows", "5")
    _, err = again.communicate(timeout=60)
    assert again.returncode == 2
    assert b"same inputs and options" in err
