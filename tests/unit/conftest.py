"""Fixtures shared by the unit tests."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType

import pytest

from winnow.compiled import PURE_PYTHON

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


@pytest.fixture(scope="session")
def pure_python_prints() -> Callable[[str], str]:
    """What ``code`` prints in a fresh interpreter with ``WINNOW_PURE_PYTHON=1``
    (the extensions are chosen at import, so only a new process can show it)."""

    def run(code: str) -> str:
        env = {**os.environ, PURE_PYTHON: "1"}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"{code!r} failed:\n{done.stderr}")
        return done.stdout.strip()

    return run


@pytest.fixture(scope="session")
def hand_rules(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped text model without its headline ranking: text mode then picks
    the headline by the hand rules (``structure._slug_title``, ``_title``)."""
    from importlib import resources

    import numpy as np

    from winnow.stages.textmode import MODEL, headline

    with np.load(resources.files("winnow.data").joinpath(MODEL).open("rb")) as arrays:
        kept = {k: arrays[k] for k in arrays.files if not k.startswith(headline.PREFIX)}
    path = tmp_path_factory.mktemp("model") / "hand-rules.npz"
    np.savez_compressed(path, **kept)
    return str(path)
