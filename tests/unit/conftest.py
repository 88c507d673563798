"""Fixtures shared by the unit tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from types import ModuleType

import pytest

# Set by .ci/run: there the C extensions must have been built, so a missing one
# fails its tests instead of skipping them.
REQUIRED = os.environ.get("WINNOW_EXTENSIONS") == "required"


@pytest.fixture(scope="session")
def extension() -> Callable[[str], ModuleType]:
    """Import one of winnow's optional C extensions by name ("_segment", ...),
    skipping the test where it was not built (failing under
    ``WINNOW_EXTENSIONS=required``)."""

    def load(name: str) -> ModuleType:
        try:
            return importlib.import_module(f"winnow.{name}")
        except ImportError:
            if REQUIRED:
                pytest.fail(f"winnow.{name} is not built, and WINNOW_EXTENSIONS=required is set")
            pytest.skip(f"winnow.{name} is not built here")

    return load
