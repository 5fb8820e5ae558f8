"""What makes a lab kernel start fast, kept apart from what the lab does.

Every piece here may fail, or be switched off, and then only costs time:

- :mod:`~gwlab.startup.cache`: the user's cache folder (``GWLAB_CACHE=off`` or no home
  folder: none); entries written whole, checked against a digest, never trusted else.
- :mod:`~gwlab.startup.botocore_data`: botocore's parsed files and service lists,
  kept there between kernels.
- :mod:`~gwlab.startup.loaders`: one botocore loader shared by gwlab's clients and
  moto, reading through that cache with botocore's public loader API.
- :mod:`~gwlab.startup.heap`: long one-off work with the cycle collector paused, and
  one ``gc.freeze()`` per process.

Nothing here replaces anything of the standard library, the interpreter or moto:
``heap`` only calls the ``gc`` module's public switches (``disable``/``enable`` around
a block, and ``freeze`` once per process, which moves what exists out of later
collections and is not undone). The two changes
to moto that use this machinery (shared loaders, URL builders compiled on first use)
are emulator additions in :mod:`gwlab.emulator.speedups`, applied while an
environment is open and undone when it closes. ACM's issuing key, kept in the same
cache folder, is part of the embedded ACM (:mod:`gwlab.emulator.acm.issuing_key`).
Figures and history: docs/PERFORMANCE.md, "Start-up: the current design".

This package imports nothing at import time, so that any module may use one piece.
"""
