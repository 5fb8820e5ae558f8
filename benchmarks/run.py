"""The one benchmark command: measure, print the table, write ``results.json``.

    python -m benchmarks                      # every figure (several minutes)
    python -m benchmarks --quick              # the tiny setting (well under a minute)
    python -m benchmarks --only clicks --only gateway
    python -m benchmarks --out /tmp/results.json --strict

It exits 0 even when a target is missed (it measures, it does not test), 1
when a benchmark could not measure or, with ``--strict``, a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks import aws_magic, clicks, cold_start, course, dns_server, gateway, install, memory
from benchmarks.measure import (
    ROOT,
    Failure,
    Figure,
    Settings,
    compile_gwlab,
    legend,
    table,
    write_results,
)

#: Every benchmark, in the order they run.
BENCHMARKS: tuple[ModuleType, ...] = (
    cold_start,
    clicks,
    gateway,
    aws_magic,
    dns_server,
    course,
    memory,
    install,
)
#: Left out of the quick setting unless named with ``--only``.
NOT_QUICK = {install.NAME}
DEFAULT_OUT = ROOT / "benchmarks" / "results.json"

Measure = Callable[[Settings, Path], list[Figure]]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command's options."""
    names = [module.NAME for module in BENCHMARKS]
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure gwlab's speed and memory, each figure beside its floor or peer.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the tiny setting: few repetitions, two lessons, one notebook, no install",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(names)}",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where to write the results ({DEFAULT_OUT})"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def about(settings: Settings, names: list[str], seconds: float) -> dict[str, Any]:
    """What the run was, and on what."""
    import gwlab

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return {
        "setting": "quick" if settings.quick else "full",
        "benchmarks": names,
        "seconds": round(seconds, 1),
        "gwlab": gwlab.__version__,
        "commit": commit.stdout.strip() or None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _wanted(name: str, args: argparse.Namespace) -> bool:
    if args.only:
        return name in args.only
    return not (args.quick and name in NOT_QUICK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; print the table; write the results."""
    args = parse(argv)
    settings = Settings(quick=args.quick)
    chosen = [module for module in BENCHMARKS if _wanted(module.NAME, args)]
    figures: list[Figure] = []
    failures: list[Failure] = []
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="gwlab-bench-"))
    compile_gwlab()
    try:
        for module in chosen:
            print(f"measuring {module.NAME} ...", file=sys.stderr, flush=True)
            measure: Measure = module.measure
            try:
                figures += measure(settings, scratch)
            except Exception as error:
                traceback.print_exc()
                failures.append(Failure(module.NAME, f"{type(error).__name__}: {error}"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - started
    write_results(args.out, figures, failures, about(settings, [m.NAME for m in chosen], seconds))
    print(table(figures, failures))
    print()
    print(legend(figures))
    missed = [figure.name for figure in figures if not figure.met]
    print(
        f"\n{len(figures)} figure(s) in {seconds:.0f} s; targets missed: "
        f"{', '.join(missed) or 'none'}; results in {args.out}"
    )
    return 1 if failures or (args.strict and missed) else 0
