"""A WARC with injected faults: every record is accounted for, the run finishes."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from pathlib import Path

import pytest
from warcfile import http, member, page, record, response

from winnow import cli

pytest.importorskip("fastwarc", reason="WARC input needs the batch extra")

MAX_BYTES = 500_000


def nested_divs(depth: int) -> bytes:
    """A page whose nesting makes extraction take many seconds (quadratic in depth)."""
    return b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def bomb(size: int) -> bytes:
    """gzip data that inflates to ``size`` bytes: a page, then spaces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [packer.compress(page(8))]
    chunk = b" " * (1 << 20)
    out.extend(packer.compress(chunk) for _ in range(size >> 20))
    out.append(packer.flush())
    return b"".join(out)


def faulty_warc(path: Path) -> list[str]:
    """Write the WARC; return the expected (status:reason) of each page record, in order."""
    huge = b"<html><body>" + b"<p>A long page about ferries and piers.</p>" * 700_000
    members = [
        (response(0), "ok"),
        (record(b"GET /1 HTTP/1.1\r\n\r\n", "https://news.example/1", "request"), None),
        (response(2, http(b"\x89PNG....", "image/png")), "skipped:not-html"),
        (response(3, http(page(3), status="404 Not Found")), "skipped:http-status"),
        (response(4), "ok"),
        (response(5, length_delta=200), "error:bad-record"),
        (response(6), "ok"),
        (response(7, http(huge)), "ok"),  # 30 MB, read up to max_bytes
        (response(8, http(bomb(256 << 20), headers=("Content-Encoding: gzip",))), "ok"),
        (response(9, http(nested_divs(80_000))), "error:timeout"),
        (response(10), "ok"),
        (response(11), "error:unreadable"),  # its gzip member is cut short below
        (response(12), "ok"),
    ]
    data = [member(block) for block, _ in members]
    data[11] = data[11][: len(data[11]) // 2]
    path.write_bytes(b"".join(data))
    assert len(huge) > 30_000_000
    return [expected for _, expected in members if expected is not None]


def read_rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_record_of_a_faulty_warc_is_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc = tmp_path / "faults.warc.gz"
    expected = faulty_warc(warc)
    out = tmp_path / "rows.jsonl"
    args = ["run", str(warc), "-o", str(out), "--workers", "2", "--budget", "2"]
    args += ["--max-depth", "1000000"]  # no depth cap: the nested <div>s must overrun
    status = cli.main([*args, "--max-bytes", str(MAX_BYTES)])
    assert status == 0
    rows = read_rows(out)
    got = [r["status"] if r["status"] == "ok" else f"{r['status']}:{r['reason']}" for r in rows]
    assert got == expected
    offsets = [r["source"]["offset"] for r in rows]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    assert all(r["source"]["file"] == str(warc) for r in rows)
    assert rows[0]["url"] == "https://news.example/0" and "Story 0, paragraph 3" in rows[0]["text"]
    assert rows[0]["source"]["record_id"].startswith("<urn:uuid:")
    for big in (rows[6], rows[7]):  # the 30 MB page and the bomb: cut, and said so
        assert any(d["rule"] == "too-large" for d in big["removed"])
        assert f"max_bytes={MAX_BYTES}" in " ".join(d["reason"] for d in big["removed"])
    assert "Story 8" in rows[7]["text"]
    counts = Counter(r["status"] for r in rows)
    err = capsys.readouterr().err
    line = f"{len(rows)} records in = {counts['ok']} ok + {counts['skipped']} skipped"
    assert line + f" + {counts['error']} errors" in err
    assert "error by reason: bad-record 1, timeout 1, unreadable 1" in err
    assert "skipped by reason: http-status 1, not-html 1" in err


def test_a_warc_cut_short_ends_in_one_error_row(tmp_path: Path) -> None:
    warc = tmp_path / "cut.warc.gz"
    whole = member(response(0)) + member(response(1))
    warc.write_bytes(whole[:-40])
    out = tmp_path / "rows.jsonl"
    assert cli.main(["run", str(warc), "-o", str(out), "--workers", "1"]) == 0
    rows = read_rows(out)
    assert [(r["status"], r["reason"]) for r in rows] == [("ok", None), ("error", "unreadable")]
    assert rows[1]["source"]["offset"] == len(member(response(0)))


def test_an_uncompressed_warc_with_a_wrong_length(tmp_path: Path) -> None:
    warc = tmp_path / "plain.warc"
    warc.write_bytes(response(0) + response(1, length_delta=-50) + response(2))
    out = tmp_path / "rows.jsonl"
    assert cli.main(["run", str(warc), "-o", str(out), "--workers", "1"]) == 0
    rows = read_rows(out)
    assert [r["reason"] for r in rows] == [None, "bad-record", None]
    assert [r["url"] for r in rows] == [f"https://news.example/{n}" for n in range(3)]
