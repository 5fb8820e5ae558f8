"""Memory: a kernel's peak RSS after every lesson, against a kernel that imported boto3 and moto.

Each side is a fresh Jupyter kernel of this interpreter (the one nbval uses),
started in the repository so that it can import :mod:`benchmarks.steps`. The
subject clicks through every lesson's steps (solved) in that kernel; the peer
only runs ``import boto3, moto``. Each kernel then reports its own peak
resident set size (``VmHWM`` on Linux).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.measure import ROOT, Figure, Settings, Side, alternate, scaled

NAME = "memory"
#: Printed by the kernel: its peak RSS in bytes. ``VmHWM`` (Linux) counts this process
#: only; ``ru_maxrss`` (elsewhere) may include the parent's memory at fork time.
PEAK_RSS = """
import resource, sys
try:
    with open("/proc/self/status") as status:
        print(next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:")))
except OSError:
    scale = 1 if sys.platform == "darwin" else 1024
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale)
"""


def kernel_peak(code: str) -> float:
    """Bytes of peak RSS of a fresh kernel after it ran ``code``."""
    from jupyter_client.manager import start_new_kernel

    environment = {k: v for k, v in os.environ.items() if k != "GWLAB_BACKEND"}
    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(ROOT), env=environment, stderr=subprocess.DEVNULL
    )
    printed: list[str] = []

    def collect(message: dict[str, Any]) -> None:
        if message["header"]["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    try:
        for cell in (code, PEAK_RSS):
            reply = client.execute_interactive(cell, timeout=600, output_hook=collect)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the kernel failed: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return float("".join(printed).split()[-1])


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Start kernels in turn: one runs the lessons, the other only imports."""
    progress = Path(tempfile.mkdtemp(dir=scratch)) / "progress.json"
    lessons = (
        "from benchmarks.steps import run_every_lesson\n"
        f"run_every_lesson({str(progress)!r}, quick={settings.quick})"
    )
    lessons_b, imports_b = alternate(
        lambda: kernel_peak(lessons),
        lambda: kernel_peak("import boto3, moto"),
        settings.pick(3, 1),
    )
    megabyte = 1 / 2**20
    return [
        Figure.compare(
            NAME,
            "MiB",
            Side.of(
                "peak RSS of a kernel after every lesson"
                + (" (quick: the first two)" if settings.quick else ""),
                scaled(lessons_b, megabyte),
            ),
            Side.of(
                "peak RSS of a kernel that imported boto3 and moto", scaled(imports_b, megabyte)
            ),
        )
    ]
