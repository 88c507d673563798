"""Whether this process may use winnow's optional C extensions.

``pip install`` builds ``winnow._forest``, ``winnow._langid``, ``winnow._segment``
and ``winnow._textstats`` where it finds a C compiler; each has a Python twin with
the same results. Setting
``WINNOW_PURE_PYTHON`` (to anything but empty or ``0``) keeps every process
that sees it on the Python twins, to compare or to rule the C code out.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

PURE_PYTHON = "WINNOW_PURE_PYTHON"


def pure_python() -> bool:
    """Whether the environment asks for the Python walks only."""
    return os.environ.get(PURE_PYTHON, "") not in ("", "0")


def function(module: str, name: str) -> Any:
    """``module.name`` from one of winnow's C extensions; None when
    ``pure_python()`` or when the extension is not built (or built before it
    had ``name``)."""
    if pure_python():
        return None
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):  # installed without a C compiler, or stale
        return None
