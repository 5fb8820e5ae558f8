"""What running awscli inside the kernel needs, without changing the learner's process.

awscli is written to run one command per process. :func:`import_awscli` undoes what
its import changes process-wide (``AWS_DATA_PATH``, ``sys.meta_path``).
awscli prints to the process's streams, and the kernel's gateway and DNS threads
print too: :func:`captured_streams` routes the calling thread's writes into buffers,
lets every other thread's through, and puts the original streams back. Used by
``%aws`` (:mod:`gwlab.awscli_runner`) and the card's CLI parser (:mod:`gwlab.lab.code`).
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: One capture at a time (re-entrant: a capture inside one in the same thread waits for none).
_lock = threading.RLock()


class Routed:
    """A stream that sends one thread's writes to a buffer and everyone else's on.

    One per stream for the whole process, never freed: ``print`` in another thread
    may hold the object ``sys.stdout`` was a moment ago without owning a reference,
    so a stream swapped in and dropped after each command could be freed under it
    (a crash, seen with CPython 3.11). A plain object, not an ``io`` class (whose
    finaliser would flush it); anything else asked of it is the original stream's.
    """

    def __init__(self, original: TextIO) -> None:
        self._original = original
        self._buffer: io.StringIO | None = None
        self._owner: int | None = None

    def capture(self, original: TextIO, buffer: io.StringIO | None) -> None:
        """Send this thread's writes to ``buffer`` (``None``: stop), the rest to ``original``."""
        self._original = original
        self._buffer = buffer
        self._owner = threading.get_ident() if buffer is not None else None

    def _target(self) -> TextIO:
        buffer = self._buffer
        if buffer is not None and threading.get_ident() == self._owner:
            return buffer
        return self._original

    def write(self, text: str) -> int:
        """Write to the buffer from the capturing thread, else to the original stream."""
        self._target().write(text)
        return len(text)

    def flush(self) -> None:
        """Flush where this thread writes."""
        self._target().flush()

    def isatty(self) -> bool:
        """Not a terminal for the running command (no colours, no pager)."""
        target = self._target()
        return False if target is self._buffer else target.isatty()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._original, name)


#: The process's two routed streams (see :class:`Routed`), made at the first command.
_routed: dict[str, Routed] = {}


@contextmanager
def captured_streams() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Keep this thread's writes to ``sys.stdout`` / ``sys.stderr``; other threads' pass.

    One capture at a time in the process (a lock): the others wait.
    """
    with _lock:
        yield from _capture()


def _capture() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    old_out, old_err = sys.stdout, sys.stderr
    if not _routed:
        _routed.update(stdout=Routed(old_out), stderr=Routed(old_err))
    routed_out, routed_err = _routed["stdout"], _routed["stderr"]
    # If a stream is still routed (put back by someone else), keep what it routes to.
    if old_out is routed_out:
        old_out = routed_out._original
    if old_err is routed_err:
        old_err = routed_err._original
    routed_out.capture(old_out, out)
    routed_err.capture(old_err, err)
    sys.stdout, sys.stderr = routed_out, routed_err
    try:
        yield out, err
    finally:
        routed_out.capture(old_out, None)
        routed_err.capture(old_err, None)
        # Put back only what is still ours (someone may have replaced it meanwhile).
        if sys.stdout is routed_out:
            sys.stdout = old_out
        if sys.stderr is routed_err:
            sys.stderr = old_err


def import_awscli() -> Any:
    """Import awscli, undoing what its import changes in the process.

    ``import awscli`` appends its data folder to ``AWS_DATA_PATH`` and puts a finder in
    ``sys.meta_path`` (for its vendored botocore). gwlab gives its session the data
    folder directly and keeps the process's botocore, so both are put back as they were.
    """
    if "awscli" in sys.modules:
        return sys.modules["awscli"]
    data_path = os.environ.get("AWS_DATA_PATH")
    finders = list(sys.meta_path)
    import awscli  # type: ignore[import-untyped]

    if data_path is None:
        os.environ.pop("AWS_DATA_PATH", None)
    else:
        os.environ["AWS_DATA_PATH"] = data_path
    sys.meta_path[:] = [finder for finder in sys.meta_path if finder in finders]
    return awscli
