"""The folder where gwlab keeps what every kernel would otherwise make again.

It is the user's cache folder (``$XDG_CACHE_HOME/gwlab``, else ``~/.cache/gwlab``).
What is kept there can always be made again: a file that is missing, unreadable or
stale is simply made anew, and a folder that cannot be written only costs the time.
Files are written whole (a temporary file, then a rename) and readable only by their
owner.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any


def folder() -> Path:
    """The cache folder (it may not exist yet)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "gwlab"


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600; a folder that cannot be written is fine."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def read_stamped(path: Path, stamp: tuple[Any, ...], kind: type | tuple[type, ...]) -> Any | None:
    """What :func:`keep_stamped` kept at ``path`` under exactly ``stamp``, if it is a ``kind``."""
    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp):
        return None
    return kept[1] if isinstance(kept[1], kind) else None


def keep_stamped(path: Path, stamp: tuple[Any, ...], data: Any) -> None:
    """Keep ``data`` at ``path`` in ``marshal`` form, valid only under ``stamp``."""
    keep(path, marshal.dumps((stamp, data)))
