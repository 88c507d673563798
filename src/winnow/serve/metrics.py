"""What ``GET /metrics`` reports, in the Prometheus text format.

prometheus_client rather than hand-written text: it is the reference
implementation of the format (escaping, cumulative histogram buckets, ``_sum``
and ``_count``, HELP/TYPE lines), it has no dependencies, and every scraper
reads its output. Each app gets its own registry — no process-global state, so
two apps (or tests) never mix their counts.

Series:

- ``winnow_requests_total{route, status}`` and
  ``winnow_request_duration_seconds{route}`` for every HTTP request, ``route``
  being one of the app's routes or ``other`` (so a scan of random paths cannot
  grow the label set);
- ``winnow_errors_total{reason}``, one reason per ApiError kind;
- ``winnow_pages_total`` (pages extracted) and ``winnow_pages_per_second``,
  the rate over the last ``RATE_WINDOW`` seconds, for readers without PromQL's
  ``rate()``;
- ``winnow_workers`` (alive) and ``winnow_worker_restarts_total``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Extraction takes ~15 ms on a median dev page and seconds on a huge one; the
# budget is 10 s. Buckets from 5 ms to the budget, roughly doubling.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Seconds over which winnow_pages_per_second is averaged (Prometheus' usual 1m).
RATE_WINDOW = 60
CONTENT_TYPE = CONTENT_TYPE_LATEST


class RateWindow:
    """Events per second over the last ``seconds`` seconds, in one-second slots."""

    def __init__(self, seconds: int = RATE_WINDOW, clock: Callable[[], float] = time.monotonic):
        self._seconds = seconds
        self._clock = clock
        self._started = clock()
        self._slots = [0] * seconds
        self._slot_second = [-1] * seconds

    def add(self, count: int = 1) -> None:
        second = int(self._clock())
        index = second % self._seconds
        if self._slot_second[index] != second:
            self._slot_second[index] = second
            self._slots[index] = 0
        self._slots[index] += count

    def rate(self) -> float:
        now = self._clock()
        second = int(now)
        recent = sum(
            count
            for count, slot_second in zip(self._slots, self._slot_second, strict=True)
            if second - slot_second < self._seconds
        )
        span = min(float(self._seconds), max(now - self._started, 1.0))
        return recent / span


class Metrics:
    """The app's counters; ``render`` gives the exposition text."""

    def __init__(self, workers_alive: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "winnow_requests",
            "HTTP requests answered, by route and status.",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "winnow_request_duration_seconds",
            "Time from request to response, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "winnow_errors", "Error responses, by reason.", ["reason"], registry=self.registry
        )
        self.pages = Counter("winnow_pages", "Pages extracted.", registry=self.registry)
        self.page_rate = RateWindow()
        pages_per_second = Gauge(
            "winnow_pages_per_second",
            f"Pages extracted per second over the last {RATE_WINDOW} s.",
            registry=self.registry,
        )
        pages_per_second.set_function(self.page_rate.rate)
        workers = Gauge("winnow_workers", "Extraction workers alive.", registry=self.registry)
        workers.set_function(workers_alive)
        self.restarts = Counter(
            "winnow_worker_restarts",
            "Workers killed and replaced (time budget spent, or the worker died).",
            registry=self.registry,
        )

    def page_done(self) -> None:
        self.pages.inc()
        self.page_rate.add()

    def answered(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route=route, status=str(status)).inc()
        self.latency.labels(route=route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
