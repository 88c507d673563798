"""OUT's extension picks the format; every format holds the same rows, in input order."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from warcfile import page

from winnow import cli

pq = pytest.importorskip("pyarrow.parquet", reason="Parquet output needs the batch extra")
zstandard = pytest.importorskip("zstandard", reason="zstd output needs the batch extra")

PAGES = 7


@pytest.fixture
def jsonl_input(tmp_path: Path) -> Path:
    """Seven records: one page is empty, one record has no page."""
    lines = [{"html": page(n).decode(), "url": f"https://news.example/{n}"} for n in range(PAGES)]
    lines[3] = {"html": "<html><body></body></html>", "url": "https://news.example/3"}
    lines[5] = {"html": 5, "url": "https://news.example/5"}
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
    return path


def read_back(out: Path) -> list[dict[str, Any]]:
    name = out.name
    if out.is_dir():
        parts = sorted(p for p in out.iterdir() if p.suffix == ".parquet")
        return [row for p in parts for row in pq.read_table(p).to_pylist()]
    if name.endswith(".parquet"):
        return pq.read_table(out).to_pylist()  # type: ignore[no-any-return]
    data = out.read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    if name.endswith(".zst"):
        reader = zstandard.ZstdDecompressor().stream_reader(
            io.BytesIO(data), read_across_frames=True
        )
        data = reader.read()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def essentials(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (r["source"]["line"], r["url"], r["status"], r["reason"], r["text"], r["title"])
        for r in rows
    ]


@pytest.mark.parametrize(
    "name", ["out.jsonl", "out.jsonl.gz", "out.jsonl.zst", "out.parquet", "shards/"]
)
def test_every_format_holds_the_same_rows(tmp_path: Path, jsonl_input: Path, name: str) -> None:
    out = tmp_path / name
    args = ["run", str(jsonl_input), "-o", str(out), "--workers", "2", "--part-rows", "3"]
    assert cli.main(args) == 0
    rows = read_back(out)
    assert [r["source"]["line"] for r in rows] == list(range(1, PAGES + 1))
    assert [r["status"] for r in rows] == ["ok", "ok", "ok", "skipped", "ok", "error", "ok"]
    assert rows[3]["reason"] == "no-content" and rows[5]["reason"] == "bad-json"
    assert rows[0]["title"] == "Story number 0" and "paragraph 3" in rows[0]["text"]
    assert rows[5]["text"] is None and rows[5]["blocks"] == []
    reference = tmp_path / "reference.jsonl"
    if not reference.exists():
        cli.main(["run", str(jsonl_input), "-o", str(reference), "--workers", "1"])
    assert essentials(rows) == essentials(read_back(reference))
    if out.is_dir():
        assert len([p for p in out.iterdir() if p.suffix == ".parquet"]) == 3  # 3 + 3 + 1 rows
    else:
        assert not Path(str(out) + ".parts").exists()


def test_output_does_not_depend_on_the_number_of_workers(tmp_path: Path, jsonl_input: Path) -> None:
    one, two = tmp_path / "one.jsonl.gz", tmp_path / "two.jsonl.gz"
    assert cli.main(["run", str(jsonl_input), "-o", str(one), "--workers", "1"]) == 0
    assert (
        cli.main(["run", str(jsonl_input), "-o", str(two), "--workers", "2", "--part-rows", "2"])
        == 0
    )
    assert gzip.decompress(one.read_bytes()) == gzip.decompress(two.read_bytes())


def test_the_parquet_schema_is_fixed(tmp_path: Path, jsonl_input: Path) -> None:
    out = tmp_path / "out.parquet"
    assert cli.main(["run", str(jsonl_input), "-o", str(out), "--format", "markdown"]) == 0
    schema = pq.read_schema(out)
    assert schema.names[:6] == ["source", "url", "status", "reason", "detail", "text"]
    assert str(schema.field("blocks").type).startswith("list<element: struct<kind: string")
    row = pq.read_table(out).to_pylist()[0]
    assert row["text"].startswith("# Story number 0")
    assert row["blocks"][0]["kind"] == "heading" or row["blocks"][0]["kind"] == "paragraph"


def test_an_empty_input_gives_an_empty_output(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert cli.main(["run", str(empty), "-o", str(out)]) == 0
    assert pq.read_table(out).num_rows == 0


@pytest.mark.parametrize(
    ("out", "message"),
    [("out.json", "OUT must end in"), ("file.txt/out.jsonl", "out.jsonl.parts")],
)
def test_an_unusable_output_stops_the_run_before_it_starts(
    tmp_path: Path, jsonl_input: Path, out: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file.txt").write_text("a file, not a folder", encoding="utf-8")
    assert cli.main(["run", str(jsonl_input), "-o", str(tmp_path / out)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("module", "out", "engine", "message"),
    [
        ("pyarrow", "out.parquet", "local", ".parquet output needs pyarrow"),
        ("zstandard", "out.jsonl.zst", "local", ".jsonl.zst output needs zstandard"),
        ("ray", "shards/", "ray", "--engine ray needs Ray"),
    ],
)
def test_a_missing_extra_is_named_before_the_run_starts(
    tmp_path: Path,
    jsonl_input: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: str,
    out: str,
    engine: str,
    message: str,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    args = ["run", str(jsonl_input), "-o", str(tmp_path / out), "--engine", engine]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "pip install 'winnow[" in err
    assert not (tmp_path / out).exists()
