"""Language detection with py3langid's automaton walked in C and in Python, side by side.

For every text dump of the WCXB dev split (Foley, 2026; CC-BY-4.0), the
sample ``winnow.stages.language.detect`` classifies (the first 500
characters, whitespace collapsed) is classified by two py3langid identifiers
loaded in this process: one walking the byte automaton in C
(``winnow._langid``, as ``detect`` does where it is built) and py3langid's own,
walking it in Python. They alternate which goes first, ``--repeat`` rounds; the
best round of each counts (CPU time, ``time.process_time``, so that other
processes on a loaded machine weigh less). Every answer of the two is also
compared: language and probability must be equal bit for bit. The walk alone
(C ``Dfa.visits`` against py3langid's ``visit_counts``) is timed the same way,
and, with ``--extract``, the whole ``winnow.extract(dump, input="text")`` with
``detect`` using one identifier or the other, where the tables have left the
CPU's caches between two detections.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from py3langid.langid import visit_counts  # type: ignore[import-untyped]
from timing import best_seconds  # benchmarks/ is on sys.path as a script
from wcxb import DEFAULT_TEXT

import winnow
from winnow.stages import langid_dfa, language


def samples(text: Path) -> list[str]:
    """What ``language.detect`` classifies for each dump (its sample, when long enough)."""
    found = []
    for path in sorted(text.glob("*.txt")):
        dump = path.read_text("utf-8", errors="replace")
        sample = " ".join(dump[: language.MAX_CHARS].split())
        if len(sample) >= language.MIN_CHARS:
            found.append(sample)
    return found


# The walk from emptied caches: before each of this many samples, a write
# through a buffer larger than the CPU's caches pushes the automaton's tables
# out, as the rest of an extraction does between two detections.
COLD_TEXTS = 300
_EVICT_BYTES = 64 << 20


def cold_seconds(
    runs: dict[str, Callable[[bytes], object]], items: list[bytes], repeat: int
) -> dict[str, float]:
    """Best CPU seconds over ``repeat`` rounds, per run, of its calls alone, the
    caches emptied before each call; the order of the runs flips every round."""
    junk = np.zeros(_EVICT_BYTES, dtype=np.uint8)
    best = dict.fromkeys(runs, float("inf"))
    for n in range(repeat):
        for name in list(runs)[:: 1 if n % 2 else -1]:
            total = 0.0
            for item in items:
                junk[::64] += 1  # one write per cache line
                start = time.process_time()
                runs[name](item)
                total += time.process_time() - start
            best[name] = min(best[name], total)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT)
    parser.add_argument("--repeat", type=int, default=7, help="rounds per walk (7)")
    parser.add_argument("--extract", action="store_true", help="also time whole extractions")
    args = parser.parse_args(argv)
    compiled = langid_dfa.load()
    if not langid_dfa.is_compiled(compiled):
        print("winnow._langid is not built here (or WINNOW_PURE_PYTHON is set)", file=sys.stderr)
        return 1
    plain = langid_dfa.load(compiled=False)
    texts = samples(args.text)
    if not texts:
        print(f"no dumps of 40 characters or more in {args.text}", file=sys.stderr)
        return 1
    same = all(
        (a[0], a[1].hex()) == (b[0], b[1].hex())
        for a, b in ((compiled.classify(t), plain.classify(t)) for t in texts)
    )
    encoded = [plain._encode(t) for t in texts]
    tables = (plain.tk_nextmove, plain._rowbase, plain.tk_output)
    classify = best_seconds({"C": compiled.classify, "Python": plain.classify}, texts, args.repeat)
    walk = best_seconds(
        {"C": compiled._dfa.visits, "Python": lambda data: visit_counts(*tables, data)},
        encoded,
        args.repeat,
    )
    cold = cold_seconds(
        {"C": compiled._dfa.visits, "Python": lambda data: visit_counts(*tables, data)},
        encoded[:COLD_TEXTS],
        args.repeat,
    )
    size = sum(map(len, encoded)) / len(encoded)
    print(
        f"{len(texts)} dumps' samples, {size:.0f} bytes each; µs per sample, "
        f"best of {args.repeat} rounds (CPU time)"
    )
    for what, best in (("classify", classify), ("walk alone", walk)):
        c, py = (best[k] / len(texts) * 1e6 for k in ("C", "Python"))
        print(
            f"  {what}: C {c:.1f}  Python {py:.1f}  (Python/C {py / c:.2f}x; saved {py - c:.1f} µs)"
        )
    c, py = (cold[k] / min(len(encoded), COLD_TEXTS) * 1e6 for k in ("C", "Python"))
    print(f"  walk from emptied caches: C {c:.1f}  Python {py:.1f}  (Python/C {py / c:.2f}x)")
    print(f"  answers (language, probability bits): {'identical' if same else 'DIFFER'}")
    if args.extract:
        dumps = [path.read_bytes() for path in sorted(args.text.glob("*.txt"))]
        identifiers = {"C": compiled, "Python": plain}

        def extract_with(name: str) -> Callable[[bytes], object]:
            def run(dump: bytes) -> object:
                language._identifier = lambda: identifiers[name]  # type: ignore[method-assign]
                return winnow.extract(dump, input="text")

            return run

        best = best_seconds({k: extract_with(k) for k in identifiers}, dumps, args.repeat)
        c, py = (best[k] / len(dumps) * 1e3 for k in identifiers)
        print(
            f"  winnow.extract(dump, input='text'), {len(dumps)} dumps: C {c:.3f}  "
            f"Python {py:.3f} ms a dump (saved {1e3 * (py - c):.0f} µs, {(py - c) / py:.1%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
