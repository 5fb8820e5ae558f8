"""The folder where gwlab keeps what every kernel would otherwise make again.

It is the user's cache folder (``$XDG_CACHE_HOME/gwlab``, else ``~/.cache/gwlab``).
Every cache is optional: with ``GWLAB_CACHE=off``, or no home folder to find,
nothing is read or written; a folder that cannot be written, or an entry that is
missing, unreadable, stale or damaged, only costs the time of making it again.
Each entry is written whole (a temporary file, then a rename), readable only by its
owner, and carries a SHA-256 digest of its content: an entry that does not match
its digest is never used, so a damaged file can never change what gwlab does.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

#: ``GWLAB_CACHE`` values that turn every cache off.
OFF = frozenset({"off", "0", "no", "false"})
#: The first bytes of every entry (the format of this module's files).
MAGIC = b"gwlab-cache 2\n"
_DIGEST = hashlib.sha256().digest_size

#: Where nothing can be read or written (a path under a file, not a folder).
_NOWHERE = Path(os.devnull) / "gwlab"


def enabled() -> bool:
    """Whether caches are used at all: not with ``GWLAB_CACHE=off``, nor without a folder."""
    return _base() is not None


def _base() -> Path | None:
    if os.environ.get("GWLAB_CACHE", "").strip().lower() in OFF:
        return None
    cache = os.environ.get("XDG_CACHE_HOME")
    if cache and os.path.isabs(cache):
        return Path(cache) / "gwlab"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None
    return home / ".cache" / "gwlab" if home.is_absolute() else None


def folder() -> Path:
    """The cache folder (it may not exist yet); a place nothing can be written when off."""
    return _base() or _NOWHERE


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600, with its digest; never raises."""
    if not enabled():
        return
    with contextlib.suppress(Exception):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(MAGIC + hashlib.sha256(data).digest() + data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def read(path: Path) -> bytes | None:
    """What :func:`keep` kept at ``path``, if it is whole and matches its digest."""
    if not enabled():
        return None
    try:
        kept = path.read_bytes()
    except Exception:
        return None
    head = len(MAGIC) + _DIGEST
    if len(kept) < head or not kept.startswith(MAGIC):
        return None
    data = kept[head:]
    if hashlib.sha256(data).digest() != kept[len(MAGIC) : head]:
        return None
    return data


def read_stamped(path: Path, stamp: tuple[Any, ...], kind: type | tuple[type, ...]) -> Any | None:
    """What :func:`keep_stamped` kept at ``path`` under exactly ``stamp``, if it is a ``kind``."""
    data = read(path)
    if data is None:
        return None
    try:
        kept = marshal.loads(data)
        if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp):
            return None
    except Exception:  # includes MemoryError from a length field gone wrong
        return None
    return kept[1] if isinstance(kept[1], kind) else None


def keep_stamped(path: Path, stamp: tuple[Any, ...], data: Any) -> None:
    """Keep ``data`` at ``path`` in ``marshal`` form, valid only under ``stamp``; never raises."""
    if not enabled():
        return
    try:
        payload = marshal.dumps((stamp, data))
    except Exception:  # not marshallable: nothing is kept
        return
    keep(path, payload)
