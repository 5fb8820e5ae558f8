"""One headless Chromium for every browser test (Debian's package, driven by Playwright).

Playwright's own browser download is never used (it cannot work on these
machines); ``.ci/run`` installs Debian's ``chromium``. Without a Chromium the
browser tests are skipped with a reason that says how to get one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

#: The launch flags NOTEBOOK_TOOLING.md found necessary on these machines.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium's Local Network Access checks stop a page from reaching 127.0.0.1
    # before CORS is even consulted; the tests are about CORS, so they are off.
    "--disable-features=LocalNetworkAccessChecks",
]


def find_chromium() -> str | None:
    """``$GWLAB_CHROMIUM``, or a Chromium/Chrome on the PATH."""
    explicit = os.environ.get("GWLAB_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """The Playwright driver, started once."""
    from playwright.sync_api import sync_playwright

    if find_chromium() is None:
        pytest.skip(
            "no Chromium found: install Debian's 'chromium' (as .ci/run does) or set "
            "GWLAB_CHROMIUM to a Chromium or Chrome binary"
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def launch_chromium(playwright_session: Any) -> Iterator[Any]:
    """``launch(*extra_args)``: a Chromium with the shared flags plus ``extra_args``.

    Browsers are cached by their arguments, so tests that need the same
    host-resolver rules share one browser; all are closed at the end.
    """
    browsers: dict[tuple[str, ...], Any] = {}

    def launch(*extra_args: str) -> Any:
        key = tuple(extra_args)
        if key not in browsers:
            browsers[key] = playwright_session.chromium.launch(
                executable_path=find_chromium(), args=[*CHROMIUM_ARGS, *extra_args]
            )
        return browsers[key]

    yield launch
    for browser in browsers.values():
        browser.close()
