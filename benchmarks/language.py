"""How well and how fast winnow's language detector names a page's language.

On every WCXB dev page (Foley, 2026; CC-BY-4.0) whose ``<html lang>`` is set,
``winnow.stages.language.detect`` reads the ground-truth main text and its
answer is compared with the primary subtag of ``lang``. Detection is timed
per page (the model loads before the timer starts), beside py3langid's own
``classify`` on the whole text in the same run.

    .venv-bench/bin/python benchmarks/language.py
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import py3langid  # type: ignore[import-untyped]
from wcxb import DEFAULT_DATA, list_pages, read_html  # benchmarks/ is on sys.path as a script

from winnow.stages import language

_LANG = re.compile(rb"<html[^>]*?\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    language.detect("warm up: load the model before the timer starts, please")
    agree = total = abstained = 0
    seconds = seconds_plain = 0.0
    py3langid.classify("warm up the package's own default identifier too")
    wrong: list[str] = []
    for info in list_pages(args.data):
        match = _LANG.search(read_html(args.data, info.id)[:4096])
        truth = json.loads((args.data / "ground-truth" / f"{info.id}.json").read_text("utf-8"))
        text = truth["ground_truth"].get("main_content") or ""
        if not match or not text:
            continue
        start = time.perf_counter()
        found = language.detect(text)
        seconds += time.perf_counter() - start
        start = time.perf_counter()
        py3langid.classify(text)
        seconds_plain += time.perf_counter() - start
        total += 1
        abstained += found is None
        if found == match.group(1).decode().lower():
            agree += 1
        else:
            wrong.append(f"{info.id}: lang={match.group(1).decode()} detected={found}")
    print(f"pages with <html lang>: {total}")
    print(f"detector agrees: {agree} ({agree / max(total, 1):.3f}); abstained: {abstained}")
    print(
        f"time: {1000 * seconds / max(total, 1):.2f} ms a page; py3langid.classify on the whole "
        f"text in the same run: {1000 * seconds_plain / max(total, 1):.2f} ms "
        f"(ratio {seconds / max(seconds_plain, 1e-9):.2f})"
    )
    for line in wrong:
        print("  ", line)


if __name__ == "__main__":
    main()
