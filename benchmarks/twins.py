"""What the benchmarks that hold winnow's C extensions against their Python
twins share: a digest of an extraction, and the same script's output in a
child with ``WINNOW_PURE_PYTHON=1`` (the extensions are chosen at import, so
only a new process runs the twins).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import winnow


def extraction_digest(page: bytes | str, url: str | None = None) -> str:
    """SHA-256 of ``winnow.extract(page, url=url).to_dict()`` as sorted JSON."""
    document = winnow.extract(page, url=url).to_dict()
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pure_python_output(script: str, args: Sequence[str]) -> Any:
    """The JSON that ``script args`` prints with ``WINNOW_PURE_PYTHON=1``."""
    child = subprocess.run(
        [sys.executable, script, *args],
        env={**os.environ, "WINNOW_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout)
