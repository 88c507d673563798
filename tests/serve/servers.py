"""Start ``winnow serve`` as the command line does, on a free loopback port, for tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
# Starting means importing winnow and loading the model in each worker; on a
# busy 2-core machine that has taken several seconds.
START_TIMEOUT = 90.0


@dataclass
class Server:
    """A running ``winnow serve`` process and what it wrote on stderr."""

    process: subprocess.Popen[str]
    port: int
    log: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=timeout, trust_env=False)

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Until every worker is up again (after a test made the server replace one)."""
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while time.monotonic() < deadline:
                if client.get("/healthz").json()["status"] == "ok":
                    return
                time.sleep(0.1)
        raise AssertionError("the server's workers did not come back")

    def worker_pids(self) -> list[int]:
        return sorted(_children(self.process.pid))

    def rss_bytes(self) -> int:
        """Resident memory of the server and its workers together."""
        return sum(_rss(pid) for pid in [self.process.pid, *self.worker_pids()])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(*flags: str) -> Server:
    command = [sys.executable, "-m", "winnow.cli", "serve", "--port", "0", *flags]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )
    log: list[str] = []
    port = _wait_for_port(process, log)
    server = Server(process, port, log)
    # Keep draining stderr so the server never blocks on a full pipe.
    threading.Thread(target=_drain, args=(process, log), daemon=True).start()
    return server


def _wait_for_port(process: subprocess.Popen[str], log: list[str]) -> int:
    assert process.stderr is not None
    timer = threading.Timer(START_TIMEOUT, process.kill)
    timer.start()
    try:
        for line in process.stderr:
            log.append(line)
            found = LISTENING.search(line)
            if found:
                return int(found.group(1))
    finally:
        timer.cancel()
    raise RuntimeError("winnow serve did not start:\n" + "".join(log))


def _drain(process: subprocess.Popen[str], log: list[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        log.append(line)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def read_response(sock: socket.socket) -> bytes:
    """One HTTP/1.1 response with a Content-Length, head and body, read off a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    found = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(found.group(1)) if found else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body
