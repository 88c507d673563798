"""The Ray engine on a local Ray instance with 2 CPUs (CI installs the ray extra)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from warcfile import http, member, page, response

from winnow import cli

ray = pytest.importorskip(
    "ray", reason="Ray is not installed (pip install 'winnow[ray]'; CI has it)"
)
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield
    ray.shutdown()


def test_winnow_run_on_ray_accounts_for_every_record(local_ray: None, tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    records = [member(response(n)) for n in range(6)]
    records[2] = member(response(2, http(b"GIF89a", "image/gif")))
    records[4] = records[4][:-60]  # the last but one record is cut short
    warc.write_bytes(b"".join(records))
    (tmp_path / "one.html").write_bytes(page(9))
    out = tmp_path / "shards"
    assert (
        cli.main(["run", str(warc), str(tmp_path / "one.html"), "-o", str(out), "--engine", "ray"])
        == 0
    )
    rows = [r for p in sorted(out.glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    by_place = {(Path(r["source"]["file"]).name, r["source"]["offset"]): r for r in rows}
    assert len(rows) == len(by_place) == 7
    statuses = sorted((r["status"], r["reason"]) for r in rows)
    assert statuses == [("error", "unreadable")] + [("ok", None)] * 5 + [("skipped", "not-html")]
    assert "Story 9, paragraph 1" in by_place[("one.html", None)]["text"]


def test_extract_pages_inside_a_ray_data_pipeline(local_ray: None) -> None:
    from winnow.batch.ray_engine import extract_pages

    pages = ray.data.from_items(
        [{"html": page(n), "url": f"https://news.example/{n}"} for n in range(5)]
    )
    rows = extract_pages(pages, options=None, fmt="markdown").take_all()
    assert sorted(r["url"] for r in rows) == [f"https://news.example/{n}" for n in range(5)]
    assert all(r["status"] == "ok" and r["text"].startswith("# Story number") for r in rows)
