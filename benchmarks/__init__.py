"""gwlab's benchmarks: speed and memory figures, each measured beside its floor or peer.

Run them with ``python -m benchmarks`` from the repository (``--help`` for the
options). This package imports nothing heavy, so that its helper processes
(:mod:`benchmarks.httpload`) start quickly.
"""
