"""A real JupyterLab on loopback, for the browser tests."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support import running_jupyterlab


@contextmanager
def jupyterlab(root: Path, home: Path) -> Iterator[str]:
    """Serve ``root`` with JupyterLab (no token, loopback only); yield its base URL."""
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    with running_jupyterlab(command, home, {"GWLAB_PROGRESS": str(home / "progress.json")}) as base:
        yield base
