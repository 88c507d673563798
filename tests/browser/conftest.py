"""A headless Chromium for the browser tests, or a clear failure where there is none.

Chromium is Debian's ``chromium`` package (``.ci/run`` and the README's test
command install it with ``tools/install-chromium``); Playwright's Python
package drives it through ``executable_path``, so no browser is downloaded.
Where either is missing the tests FAIL, naming what to install, unless
``WINNOW_BROWSER_TESTS=optional`` says that browser tests are not required
here; then they skip. CI sets ``WINNOW_BROWSER_TESTS=required``.

Screenshots go to ``tests/artifacts/`` (git-ignored), for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("WINNOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent.parent / "artifacts"
REQUIRED = os.environ.get("WINNOW_BROWSER_TESTS", "required") != "optional"


def _unavailable(what: str) -> None:
    if REQUIRED:
        pytest.fail(
            f"browser tests cannot run: {what}. Install with tools/install-chromium "
            "(Debian: apt-get install -y chromium) and pip install -e '.[test]', or set "
            "WINNOW_BROWSER_TESTS=optional where browser tests are not required.",
            pytrace=False,
        )
    pytest.skip(f"browser tests not required here (WINNOW_BROWSER_TESTS=optional): {what}")


# Per module, not per session: Playwright's sync API runs an event loop in the
# main thread until it stops, and tests after these call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright is not installed ({exc})")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000
            )
        except Error as exc:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc.message.splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
