"""Regular expressions compiled once per machine instead of once per kernel.

A notebook kernel compiles 400-500 regular expressions before its first step
has run: boto3, botocore, moto (its table of every service's URL patterns),
werkzeug and urllib3 compile theirs when imported, and moto compiles a
service's URL patterns and routing rules on its first request. Python's
``re`` parses and translates each pattern in Python code, 45-70 ms of every
notebook's first cell, the same work in every kernel.

Translating a pattern always gives the same result for the same Python, so
this module keeps the result (the instructions ``re`` hands to its C engine,
with the group names) in the machine cache (:mod:`gwlab.machine_cache`), in
``marshal`` form. Once :func:`install` has run, ``re`` looks there first and
gives the C engine the kept instructions; a pattern it does not find is
translated as before. A kept entry makes a pattern object equal to the one
``re`` makes itself (``re.Pattern`` equality compares the instructions), which
:func:`install` checks before it changes anything.

What is kept is only what gwlab's own heavy start-up work compiles — the
blocks run under :func:`recording` (importing the lab, rebuilding earlier
lessons) — never what a learner's own cells compile. The file is named after
the Python build; an unreadable or foreign file is ignored and written anew, a
folder that cannot be written only costs the time, and a Python whose ``re``
works differently (or a ``re.DEBUG`` pattern) is simply left alone.
"""

from __future__ import annotations

import contextlib
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gwlab import machine_cache

try:  # Python 3.11+; on 3.10 the cache is not used
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    _compiler = None

#: Changes when what is kept changes shape.
FORMAT = 1
#: At most this many patterns are kept (what the whole course compiles is about 600).
LIMIT = 4096

Key = tuple[Any, int]  # (pattern text: str or bytes, flags)
#: flags with the pattern's inline flags, instructions, groups, group index, index group
Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_PROBES: tuple[tuple[Any, int], ...] = (
    (r"(?P<stage>[A-Za-z0-9_\-]+)/(?P<rest>.*)$", 0),
    (r"(?i)^https?://[^/]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(/.*)?$", 0),
    (rb"(\d+)\s*(?:ms|s)\b", re.ASCII),
    (r"[^\W\d](?<!_)\w*", re.UNICODE | re.MULTILINE),
)

_lock = threading.Lock()
_local = threading.local()
_kept: dict[Key, Entry] = {}
_added = 0
_original: Any = None


def path() -> Path:
    """The file of this Python build's kept patterns."""
    return machine_cache.folder() / "patterns" / f"{sys.implementation.cache_tag}.marshal"


def _stamp() -> tuple[Any, ...]:
    return (FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE)


def _translate(pattern: Any, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``pattern`` (3.11-3.13)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    group_index = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, number in group_index.items():
        index_group[number] = name
    return (
        int(flags | parsed.state.flags),
        [int(op) for op in code],
        parsed.state.groups - 1,
        group_index,
        tuple(index_group),
    )


def _engine(pattern: Any, entry: Entry) -> re.Pattern[Any]:
    flags, code, groups, group_index, index_group = entry
    compiled: re.Pattern[Any] = _sre.compile(pattern, flags, code, groups, group_index, index_group)
    return compiled


def _compile(pattern: Any, flags: Any = 0) -> Any:
    """``re._compiler.compile``, answered from the kept patterns where it can be."""
    if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return _original(pattern, flags)
    key = (pattern, int(flags))
    entry = _kept.get(key)
    if entry is not None:
        try:
            return _engine(pattern, entry)
        except Exception:  # a damaged entry (the C engine checks what it is given)
            _kept.pop(key, None)
    entry = _translate(pattern, int(flags))
    if getattr(_local, "depth", 0) and len(_kept) < LIMIT:
        global _added
        with _lock:
            _kept[key] = entry
            _added += 1
    return _engine(pattern, entry)


def _load() -> dict[Key, Entry]:
    kept: dict[Key, Entry] | None = machine_cache.read_stamped(path(), _stamp(), dict)
    return kept or {}


def _agrees() -> bool:
    """Whether kept instructions make the same pattern objects as ``re`` itself does."""
    try:
        return all(
            _engine(pattern, _translate(pattern, flags)) == _original(pattern, flags)
            for pattern, flags in _PROBES
        )
    except Exception:
        return False


def install() -> bool:
    """Make ``re`` use the kept patterns from now on (once per process); ``False`` if it cannot."""
    global _original
    with _lock:
        if _original is not None:
            return True
        if _compiler is None:
            return False
        _original = _compiler.compile
        if not _agrees():
            _original = None
            return False
        _kept.update(_load())
        _compiler.compile = _compile
        return True


def is_installed() -> bool:
    """Whether ``re`` looks at the kept patterns in this process."""
    return _original is not None and _compiler.compile is _compile


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Keep what the block compiles (in this thread); the outermost block writes the file."""
    install()
    depth = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    try:
        yield
    finally:
        _local.depth = depth
        if depth == 0:
            save()


def save() -> None:
    """Write the kept patterns, with any another kernel wrote meanwhile, if this one added some."""
    global _added
    with _lock:
        if not _added:
            return
        for key, entry in _load().items():
            _kept.setdefault(key, entry)
        machine_cache.keep_stamped(path(), _stamp(), _kept)
        _added = 0
