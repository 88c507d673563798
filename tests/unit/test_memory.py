"""bound_heap: glibc's mmap threshold is fixed (the effect is measured by benchmarks/memory.py)."""

from __future__ import annotations

import platform

import pytest

from winnow.memory import bound_heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_bound_heap_sets_the_threshold_on_glibc() -> None:
    assert bound_heap() is True
