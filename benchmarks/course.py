"""The course: nbval over every notebook against nbval over as many empty notebooks.

Both sides are one ``python -m pytest`` process with the test suite's nbval
options (strict, this interpreter's kernel, the suite's sanitize file), timed
from start to exit. An empty notebook has one code cell, ``pass``: each costs
a kernel start and nothing else, so that side is the floor of validating that
many notebooks. The quick setting validates only the first notebook.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import ROOT, Figure, Settings, Side, alternate, run_checked, timed

NAME = "course"
RATIO_LIMIT = 2.0
#: One sample per side and round, each a whole nbval run whose time moves by ±5 % on
#: these machines: five rounds make the medians (and so the ratio) steadier than three.
ROUNDS = 5
NBVAL = [
    "-q",
    "-p",
    "no:cacheprovider",
    "-o",
    "addopts=",
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    str(ROOT / "tests" / "nbval_sanitize.cfg"),
]
EMPTY_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "pass",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def nbval(notebooks: list[Path], scratch: Path) -> None:
    """Validate ``notebooks`` with nbval in a new pytest process; raise if any cell fails."""
    progress = Path(tempfile.mkdtemp(dir=scratch)) / "progress.json"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "GWLAB_BACKEND"},
        "GWLAB_PROGRESS": str(progress),
    }
    run_checked(
        [sys.executable, "-m", "pytest", *NBVAL, *map(str, notebooks)], cwd=ROOT, env=environment
    )


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Validate the course and the empty notebooks in turn."""
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))[: 1 if settings.quick else None]
    folder = Path(tempfile.mkdtemp(prefix="empty-notebooks-", dir=scratch))
    empty = [folder / f"empty_{n:02d}.ipynb" for n in range(len(notebooks))]
    for path in empty:
        path.write_text(json.dumps(EMPTY_NOTEBOOK), encoding="utf-8")
    course_s, empty_s = alternate(
        lambda: timed(lambda: nbval(notebooks, scratch)),
        lambda: timed(lambda: nbval(empty, scratch)),
        settings.pick(ROUNDS, 1),
    )
    figure = Figure.compare(
        NAME,
        "s",
        Side.of(f"nbval over {len(notebooks)} notebook(s) of the course", course_s),
        Side.of(f"nbval over {len(empty)} empty notebook(s) (kernel starts)", empty_s),
        limit=RATIO_LIMIT,
    )
    figure.details = {"notebooks": [path.name for path in notebooks]}
    return [figure]
