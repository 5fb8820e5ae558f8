"""Cold start: a fresh interpreter until its first API exists, gwlab against bare moto + boto3.

Each measurement starts a new interpreter (this venv's Python, in an empty
folder, without ``AWS_*`` or ``GWLAB_*`` variables) and takes the wall time
from just before the process is started to the moment, read on the same clock
inside the child, when ``create_api`` has returned; the child's shutdown is
not counted.

JupyterLab's dependencies install rfc3987-syntax, which costs bare moto about a
second at import (see docs/PERFORMANCE.md) and which gwlab defers. The details
also give bare moto as it starts where that package is not installed (the
import is blocked), measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.measure import Figure, Settings, Side, alternate, run_checked

NAME = "cold_start"
RATIO_LIMIT = 1.2

GWLAB = """
import gwlab
env = gwlab.start()
env.client("apigatewayv2").create_api(Name="cold", ProtocolType="HTTP")
"""

BARE = """
import boto3
from moto import mock_aws
mock_aws().start()
boto3.client(
    "apigatewayv2", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
).create_api(Name="cold", ProtocolType="HTTP")
"""

#: Bare moto where rfc3987-syntax is not installed (as in a venv without JupyterLab).
BARE_WITHOUT_GRAMMAR = 'import sys\nsys.modules["rfc3987_syntax"] = None\n' + BARE

_DONE = "import time\nprint(time.time())\n"


def clean_environment() -> dict[str, str]:
    """This process's environment without AWS or gwlab settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GWLAB_"))}


def cold_run(script: str, folder: Path) -> float:
    """Seconds from starting an interpreter on ``script`` until it prints that it is done."""
    started = time.time()
    printed = run_checked(
        [sys.executable, "-c", script + _DONE], cwd=folder, env=clean_environment()
    )
    return float(printed.split()[-1]) - started


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Start both interpreters in turn (after one unmeasured start each to warm the disk)."""
    if not settings.quick:
        cold_run(GWLAB, scratch)
        cold_run(BARE, scratch)
    gwlab_s, bare_s = alternate(
        lambda: cold_run(GWLAB, scratch), lambda: cold_run(BARE, scratch), settings.pick(10, 1)
    )
    figure = Figure.compare(
        NAME,
        "s",
        Side.of("fresh interpreter: import gwlab; gwlab.start(); create_api", gwlab_s),
        Side.of("fresh interpreter: moto mock_aws + boto3 client; create_api", bare_s),
        limit=RATIO_LIMIT,
    )
    without = [cold_run(BARE_WITHOUT_GRAMMAR, scratch) for _ in range(settings.pick(5, 1))]
    figure.details = {
        "bare_without_rfc3987_syntax_median_s": statistics.median(without),
        "ratio_to_bare_without_rfc3987_syntax": figure.subject.stats.median
        / statistics.median(without),
    }
    return [figure]
