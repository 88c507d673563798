"""Timing two or more ways of doing the same work, side by side in one process."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

Key = TypeVar("Key", bound=Hashable)


def best_seconds(
    runs: dict[Key, Callable[[Any], object]], items: list[Any], repeat: int
) -> dict[Key, float]:
    """Best CPU seconds over ``repeat`` rounds for all items, per run, alternating the order.

    CPU time (``time.process_time``), so that other processes on a loaded
    machine weigh less; the order of the runs flips every round, so that
    neither always comes first with cold caches.
    """
    best = dict.fromkeys(runs, float("inf"))
    for n in range(repeat):
        for name in list(runs)[:: 1 if n % 2 else -1]:
            run = runs[name]
            start = time.process_time()
            for item in items:
                run(item)
            best[name] = min(best[name], time.process_time() - start)
    return best
