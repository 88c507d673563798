"""The end-of-run summary and the progress bar (shown on a terminal only)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcfile import page

from winnow import cli
from winnow.batch.accounting import Progress, Tally, summary


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_records_rate_and_errors_on_a_terminal() -> None:
    screen = Terminal()
    bar = Progress(screen)
    for errors in (0, 0, 1):
        bar.update(errors)
    bar.close()
    shown = screen.getvalue()
    assert "3 rec" in shown and "errors 1" in shown and "rec/s" in shown


def test_the_bar_is_silent_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = io.StringIO()
    bar = Progress(quiet)
    bar.update(0)
    bar.close()
    assert quiet.getvalue() == ""
    (tmp_path / "a.html").write_bytes(page(1))
    assert cli.main(["run", str(tmp_path / "a.html"), "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "winnow run: 1 records in = 1 ok + 0 skipped + 0 errors"
    assert len(err) == 2 and "pages/s" in err[1]  # the summary, and no bar


def test_the_summary_adds_up_and_groups_reasons() -> None:
    tally = Tally()
    rows = (
        [("ok", None)] * 5
        + [("skipped", "not-html")] * 2
        + [("error", "timeout"), ("error", "bad-record")]
    )
    for status, reason in rows:
        tally.add({"status": status, "reason": reason})
    text = summary(tally, 2.0, 9, "out.parquet")
    assert text.splitlines() == [
        "winnow run: 9 records in = 5 ok + 2 skipped + 2 errors",
        "  skipped by reason: not-html 2",
        "  error by reason: bad-record 1, timeout 1",
        "  9 records this run in 2.0 s, 4.5 pages/s; to out.parquet",
    ]
    assert json.loads(json.dumps(tally.to_dict()))["status"] == {"error": 2, "ok": 5, "skipped": 2}
