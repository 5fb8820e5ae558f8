"""Install: time and size of a fresh virtual environment with the kit.

The subject is ``python -m venv`` and ``pip install <this repository>`` (what a
learner does, without ``-e`` so that the package itself is in the venv); the
peer is the same with only gwlab's boto3 and moto requirements (the bare
stack the other figures compare with). Both use pip's cache as it is on this
machine (warm after the first round), so the figure is install work rather
than download speed. Size is the total of the venv's file sizes.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import ROOT, Figure, Settings, Side, alternate, run_checked, scaled

NAME = "install"


def bare_requirements() -> list[str]:
    """gwlab's own boto3 and moto requirements, as installed here."""
    wanted = [
        requirement
        for requirement in importlib.metadata.requires("gwlab") or []
        if requirement.startswith(("boto3", "moto")) and "extra ==" not in requirement
    ]
    if len(wanted) != 2:
        raise RuntimeError(f"cannot find gwlab's boto3 and moto requirements in {wanted}")
    return wanted


def folder_size(folder: Path) -> int:
    """Bytes of every file below ``folder`` (links not followed)."""
    return sum(
        (Path(top) / name).lstat().st_size for top, _, names in os.walk(folder) for name in names
    )


def install(requirements: list[str], scratch: Path, sizes: list[float]) -> float:
    """Seconds to make a venv and install ``requirements``; its size goes to ``sizes``."""
    folder = Path(tempfile.mkdtemp(prefix="venv-", dir=scratch))
    started = time.perf_counter()
    run_checked([sys.executable, "-m", "venv", str(folder)])
    run_checked([str(folder / "bin" / "python"), "-m", "pip", "install", "-q", *requirements])
    elapsed = time.perf_counter() - started
    sizes.append(folder_size(folder))
    shutil.rmtree(folder)
    return elapsed


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Install the kit and the bare stack in turn."""
    kit_sizes: list[float] = []
    bare_sizes: list[float] = []
    bare = bare_requirements()
    kit_s, bare_s = alternate(
        lambda: install([str(ROOT)], scratch, kit_sizes),
        lambda: install(bare, scratch, bare_sizes),
        settings.pick(2, 1),
    )
    megabyte = 1 / 2**20
    return [
        Figure.compare(
            "install_time",
            "s",
            Side.of("python -m venv + pip install gwlab", kit_s),
            Side.of(f"python -m venv + pip install {' '.join(bare)}", bare_s),
        ),
        Figure.compare(
            "install_size",
            "MiB",
            Side.of("the venv with gwlab", scaled(kit_sizes, megabyte)),
            Side.of("the venv with boto3 and moto only", scaled(bare_sizes, megabyte)),
        ),
    ]
