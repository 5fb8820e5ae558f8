"""Heavy one-off work without the cycle collector's full passes over it.

Python's cycle collector makes a full pass over every tracked object once enough
objects have survived the younger passes. Importing boto3, moto, ipywidgets or
pandas and rebuilding earlier lessons create hundreds of thousands of objects
that live as long as the kernel, so a notebook's first cells paid several full
passes (≈ 0.1 to 0.2 s per kernel) that found next to nothing to free: about 3,000
objects, 0.4 MB, after a whole course rebuild. :func:`settled` pauses the
collector for such a block and then freezes what exists (:func:`gc.freeze`), so
that later passes skip the long-lived objects instead of walking them again.

Freezing also keeps whatever garbage was waiting for the collector at that moment, so it
is for work done once: building a lab, and the first import of a heavy module
(:func:`import_settled`) — not for what runs on every click.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from gwlab import pattern_cache


@contextmanager
def settled() -> Iterator[None]:
    """Run the block with the cycle collector paused; then freeze what it built.

    Nested blocks leave the pause and the freeze to the outermost one, and a
    collector the program disabled itself stays as it was: nothing is frozen.
    The regular expressions the block compiles are kept for the next kernel
    (:func:`gwlab.pattern_cache.recording`). Usable as a decorator (``@settled()``).
    """
    pausing = gc.isenabled()  # not in a nested block, nor if the program disabled it
    if pausing:
        gc.disable()
    try:
        with pattern_cache.recording():
            yield
    finally:
        if pausing:
            gc.freeze()
            gc.enable()


def import_settled(name: str) -> None:
    """Import module ``name``; the first time, inside :func:`settled`."""
    if name not in sys.modules:
        with settled():
            importlib.import_module(name)
