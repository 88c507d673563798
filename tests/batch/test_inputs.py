"""Inputs: directories, globs, gzip, JSONL, text dumps and URL lists (a loopback server)."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from warcfile import page

from winnow import cli
from winnow.batch.fetch import USER_AGENT

TEXT_DUMP = (
    "Harbour council approves ferry timetable\n\n"
    "The council voted on Tuesday to restore the night ferry to the islands. "
    "Crossings will leave at a quarter past eleven on three nights a week.\n\n"
    "Cabins must be booked in advance; deck seats can be bought on board.\n"
)


def run(tmp_path: Path, *inputs: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = tmp_path / "rows.jsonl"
    assert cli.main(["run", *inputs, "-o", str(out), "--workers", "2", *extra]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_directory_is_searched_for_the_files_it_can_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_bytes(page(1))
    (folder / "sub" / "b.html.gz").write_bytes(gzip.compress(page(2)))
    (folder / "c.txt").write_text(TEXT_DUMP, encoding="utf-8")
    (folder / "truth.json").write_text("{}", encoding="utf-8")  # not an input kind: left alone
    (folder / "broken.html.gz").write_bytes(gzip.compress(page(3))[:-30])
    rows = run(tmp_path, str(folder))
    files = [Path(r["source"]["file"]).name for r in rows]
    assert files == ["a.html", "broken.html.gz", "c.txt", "b.html.gz"]
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "ok"]
    assert rows[1]["reason"] == "unreadable"
    assert "night ferry" in rows[2]["text"] and "Story 2, paragraph 0" in rows[3]["text"]


def test_globs_and_jsonl_records(tmp_path: Path) -> None:
    for n in (1, 2):
        (tmp_path / f"p{n}.html").write_bytes(page(n))
    lines = [
        json.dumps({"html": page(5).decode(), "url": "https://news.example/5"}),
        "",
        json.dumps({"text": TEXT_DUMP}),
        "{not json",
        json.dumps({"body": "no html or text field"}),
        json.dumps(["a list"]),
    ]
    jsonl = tmp_path / "records.jsonl.gz"
    jsonl.write_bytes(gzip.compress("\n".join(lines).encode()))
    rows = run(tmp_path, str(tmp_path / "p*.html"), str(jsonl))
    got = [
        (Path(r["source"]["file"]).name, r["source"]["line"], r["status"], r["reason"])
        for r in rows
    ]
    assert got == [
        ("p1.html", None, "ok", None),
        ("p2.html", None, "ok", None),
        ("records.jsonl.gz", 1, "ok", None),
        ("records.jsonl.gz", 3, "ok", None),
        ("records.jsonl.gz", 4, "error", "bad-json"),
        ("records.jsonl.gz", 5, "error", "bad-json"),
        ("records.jsonl.gz", 6, "error", "bad-json"),
    ]
    assert rows[2]["url"] == "https://news.example/5"
    assert rows[3]["text"].startswith("The council voted")


def test_an_input_that_names_nothing_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["run", str(tmp_path / "nothing-*.warc.gz"), "-o", str(tmp_path / "o.jsonl")])
    assert status == 2
    assert "no such file, directory or matching pattern" in capsys.readouterr().err


class Site(BaseHTTPRequestHandler):
    """A loopback web site: one page in Latin-1, a redirect, a 404, an image, a huge page."""

    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Site.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/latin")
            self.end_headers()
            return
        routes = {
            "/latin": (
                200,
                "text/html; charset=iso-8859-1",
                page(7).replace(b"harbour", "café".encode("latin-1")),
            ),
            "/image": (200, "image/png", b"\x89PNG\r\n"),
            "/huge": (200, "text/html", b"<p>The long page goes on about the pier.</p>" * 50_000),
        }
        status, kind, body = routes.get(self.path, (404, "text/html", b"<p>not here</p>"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_list_is_fetched(tmp_path: Path, site: str) -> None:
    urls = tmp_path / "pages.urls"
    paths = ["/moved", "/missing", "/image", "/huge", "/latin"]
    urls.write_text("# pages to fetch\n" + "".join(f"{site}{p}\n" for p in paths) + "ftp://x/\n")
    rows = run(tmp_path, str(urls), extra=("--max-bytes", "100000"))
    got = [(r["source"]["line"], r["status"], r["reason"]) for r in rows]
    assert got == [
        (2, "ok", None),
        (3, "skipped", "http-status"),
        (4, "skipped", "not-html"),
        (5, "ok", None),
        (6, "ok", None),
        (7, "error", "bad-url"),
    ]
    assert rows[0]["url"] == f"{site}/latin"  # where the redirect ended
    assert "the café council met" in rows[0]["text"]  # decoded with the header's charset
    assert any(d["rule"] == "too-large" for d in rows[3]["removed"])
    assert Site.agents and all(agent == USER_AGENT for agent in Site.agents)
