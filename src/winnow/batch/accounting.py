"""Counting rows by status and reason, the end-of-run summary, and the progress bar.

Records in = ok + skipped + errors, always: every record becomes one row, and
the tally counts rows as they are written.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass(slots=True)
class Tally:
    """Rows written, by status and by (status, reason)."""

    status: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # "skipped:not-html", ...

    def count(self, status: str, reason: str | None) -> None:
        self.status[status] += 1
        if status != "ok":
            self.reasons[f"{status}:{reason}"] += 1

    def add(self, row: dict[str, Any]) -> None:
        self.count(row["status"], row["reason"])

    def merge(self, other: Tally) -> None:
        self.status.update(other.status)
        self.reasons.update(other.reasons)

    @property
    def total(self) -> int:
        return sum(self.status.values())

    @property
    def errors(self) -> int:
        return self.status["error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": dict(sorted(self.status.items())),
            "reasons": dict(sorted(self.reasons.items())),
        }

    @classmethod
    def load(cls, path: str) -> Tally:
        import json

        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(Counter(data["status"]), Counter(data["reasons"]))


def summary(tally: Tally, seconds: float, done_now: int, out: str) -> str:
    """The lines printed at the end of a run."""
    ok, skipped, errors = (tally.status[s] for s in ("ok", "skipped", "error"))
    lines = [
        f"winnow run: {tally.total} records in = {ok} ok + {skipped} skipped + {errors} errors",
    ]
    for status in ("skipped", "error"):
        parts = [
            f"{key.partition(':')[2]} {count}"
            for key, count in sorted(tally.reasons.items())
            if key.startswith(status + ":")
        ]
        if parts:
            lines.append(f"  {status} by reason: " + ", ".join(parts))
    rate = done_now / seconds if seconds > 0 else 0.0
    lines.append(f"  {done_now} records this run in {seconds:.1f} s, {rate:.1f} pages/s; to {out}")
    return "\n".join(lines)


class Progress:
    """A live bar (records, rate, errors) on a terminal; nothing at all otherwise."""

    def __init__(self, stream: IO[str] | None = None, initial: int = 0) -> None:
        self._stream = stream or sys.stderr
        self._bar: Any = None
        if self._stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                file=self._stream, unit=" rec", initial=initial, dynamic_ncols=True, smoothing=0.1
            )

    def update(self, errors: int) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(f"errors {errors}", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
