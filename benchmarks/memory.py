"""Memory of winnow alone over the WCXB dev pages, in one process.

Runs ``winnow.extract(html).text`` on every page, in id order, and reports
the peak resident set size (``getrusage(RUSAGE_SELF).ru_maxrss``, KiB on
Linux) and the current resident set size (``/proc/self/statm``) after the
first ``--checkpoint`` pages and after all of them. Growth is the change in
current RSS between those two points: a long batch must not creep upwards.
Pages are read one at a time, so the harness holds one page, not the set.
Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from wcxb import DEFAULT_DATA, list_pages, read_html

import winnow
from winnow.memory import bound_heap

# Targets for a batch worker: peak RSS within a small container's budget, and
# no more than 10% growth once caches and interned strings have warmed up.
PEAK_TARGET_MB: Final = 300.0
GROWTH_TARGET: Final = 0.10
# Pages after which memory is first measured: enough to warm every cache.
CHECKPOINT_PAGES: Final = 200
MB: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Snapshot:
    pages: int
    peak_mb: float
    current_mb: float


def snapshot(pages: int) -> Snapshot:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    current = resident_pages * os.sysconf("SC_PAGE_SIZE")
    return Snapshot(pages=pages, peak_mb=peak_kib * 1024 / MB, current_mb=current / MB)


def run(data: Path, limit: int | None, checkpoint: int) -> tuple[list[Snapshot], int]:
    """Extract every page; snapshots after ``checkpoint`` pages and at the end."""
    snapshots: list[Snapshot] = []
    errors = 0
    infos = list_pages(data, limit=limit)
    for done, info in enumerate(infos, start=1):
        errors += _extract(data, info.id)
        if done == checkpoint:
            snapshots.append(snapshot(done))
    snapshots.append(snapshot(len(infos)))
    return snapshots, errors


def _extract(data: Path, page_id: str) -> int:
    """Extract one page; 1 if it raised, else 0."""
    try:
        _ = winnow.extract(read_html(data, page_id)).text
    except Exception:  # noqa: BLE001 - memory is measured whatever the output
        return 1
    return 0


def second_pass(data: Path, limit: int | None, first: Snapshot) -> None:
    """Run every page again: a leak grows RSS pass after pass, a high-water mark does not."""
    infos = list_pages(data, limit=limit)
    for info in infos:
        _extract(data, info.id)
    again = snapshot(2 * len(infos))
    growth = (again.current_mb - first.current_mb) / first.current_mb
    print(
        f"second pass over the same pages: current RSS {again.current_mb:.1f} MB, "
        f"{growth:+.1%} over the end of the first pass"
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report(snapshots: Sequence[Snapshot], errors: int) -> None:
    for s in snapshots:
        print(
            f"after {s.pages:>5} pages: peak RSS {s.peak_mb:7.1f} MB, "
            f"current RSS {s.current_mb:7.1f} MB"
        )
    peak = max(s.peak_mb for s in snapshots)
    print(
        f"peak RSS: {peak:.1f} MB (target <= {PEAK_TARGET_MB:.0f} MB: "
        f"{verdict(peak <= PEAK_TARGET_MB)})"
    )
    if len(snapshots) == 2:
        first, last = snapshots
        growth = (last.current_mb - first.current_mb) / first.current_mb
        print(
            f"growth after page {first.pages}: {growth:+.1%} "
            f"(target <= {GROWTH_TARGET:.0%}: {verdict(growth <= GROWTH_TARGET)})"
        )
    else:
        print("growth: not measured (fewer pages than the checkpoint)")
    if errors:
        print(f"errors: {errors} pages raised (their memory is still counted)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="default: %(default)s")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument(
        "--checkpoint",
        type=int,
        default=CHECKPOINT_PAGES,
        help="pages before the first measurement (default: %(default)s)",
    )
    parser.add_argument(
        "--no-bound-heap",
        dest="bound_heap",
        action="store_false",
        help="leave glibc's mmap threshold dynamic (what a bare `import winnow` gets)",
    )
    parser.add_argument(
        "--passes", type=int, choices=(1, 2), default=2, help="2 adds a leak check (default)"
    )
    args = parser.parse_args(argv)
    if not (args.data / "metadata.json").is_file():
        sys.exit(f"no WCXB data at {args.data}")
    if args.bound_heap:
        print(f"winnow.memory.bound_heap(), as winnow's CLI does: {bound_heap()}")
    snapshots, errors = run(args.data, args.limit, args.checkpoint)
    report(snapshots, errors)
    if args.passes > 1:
        second_pass(args.data, args.limit, snapshots[-1])


if __name__ == "__main__":
    main()
