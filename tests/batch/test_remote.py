"""Input files named by address are downloaded, read, and named by their address in rows."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcfile import member, page, response

from winnow import cli

pytest.importorskip("fastwarc", reason="WARC input needs the batch extra")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "site"
    folder.mkdir()
    handler = functools.partial(Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_warc_and_a_page_by_address(tmp_path: Path, served: tuple[Path, str]) -> None:
    folder, site = served
    (folder / "crawl.warc.gz").write_bytes(b"".join(member(response(n)) for n in range(3)))
    (folder / "one.html").write_bytes(page(7))
    out = tmp_path / "rows.jsonl"
    inputs = [f"{site}/crawl.warc.gz", f"{site}/missing.warc.gz", f"{site}/one.html"]
    assert cli.main(["run", *inputs, "-o", str(out), "--workers", "1"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = [(r["source"]["file"], r["status"], r["reason"]) for r in rows]
    assert got == [
        (f"{site}/crawl.warc.gz", "ok", None),
        (f"{site}/crawl.warc.gz", "ok", None),
        (f"{site}/crawl.warc.gz", "ok", None),
        (f"{site}/missing.warc.gz", "error", "unreadable"),
        (f"{site}/one.html", "ok", None),
    ]
    assert rows[1]["url"] == "https://news.example/1" and rows[1]["source"]["offset"] > 0
    assert "404" in rows[3]["detail"]
    assert "Story 7, paragraph 0" in rows[4]["text"]
