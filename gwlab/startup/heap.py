"""Heavy one-off work without the cycle collector's full passes over it.

Importing boto3, moto, ipywidgets or pandas and rebuilding earlier lessons create
objects that live as long as the kernel; the collector's full passes over them find
next to nothing to free. :func:`settled` pauses the collector for such a block and,
the first time only, freezes what exists (:func:`gc.freeze`) so that later passes
skip those long-lived objects. A freeze also keeps whatever garbage is waiting at
that moment, so it happens at most once per process: re-running a notebook's
``Lab(...)`` cell, or any later block, only pauses the collector.
"""

from __future__ import annotations

import gc
import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_frozen = False


def _freeze_once() -> None:
    """``gc.freeze()`` if no block of this process has frozen yet."""
    global _frozen
    with _lock:
        if _frozen:
            return
        _frozen = True
    gc.freeze()


@contextmanager
def settled(*, freeze: bool = True) -> Iterator[None]:
    """Run the block with the cycle collector paused; the first such block then freezes.

    ``freeze=False`` only pauses (for work a later block of the same start-up
    follows, so that one freeze covers both). Nested blocks leave the pause to the
    outermost one, and a collector the program disabled itself stays as it was:
    nothing is frozen. Usable as a decorator (``@settled()``).
    """
    pausing = gc.isenabled()  # not in a nested block, nor if the program disabled it
    if pausing:
        gc.disable()
    try:
        yield
    finally:
        if pausing:
            if freeze:
                _freeze_once()
            gc.enable()


def import_settled(name: str) -> None:
    """Import module ``name``; the first time, inside :func:`settled`."""
    if name not in sys.modules:
        with settled():
            importlib.import_module(name)
