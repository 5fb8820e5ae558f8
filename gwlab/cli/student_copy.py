"""``gwlab student-copy DEST``: the notebooks without solutions, or with them locked.

Cells tagged ``solution`` are removed (``--solutions strip``) or kept without their
outputs (``lock``). The cells of a "Your turn" exercise (tag ``gwlab-exercise``) are
always kept, and always without outputs or execution counts: a stored check or hint
would tell what the solution is.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from gwlab.errors import GwlabError

NAME = "student-copy"
#: The cell tag that marks a solution cell.
SOLUTION_TAG = "solution"
#: The tag of an exercise's cells (tools/build_notebooks.py stores them without outputs).
EXERCISE_TAG = "gwlab-exercise"


def add_parser(commands: Any) -> None:
    """Register ``gwlab student-copy``."""
    parser = commands.add_parser(
        NAME,
        help="copy the notebooks for students, solutions stripped or locked",
        description="Copy the lab's notebooks into DEST for a class: solution cells removed "
        "(--solutions strip, the default), or kept but locked (--solutions lock).",
    )
    parser.add_argument("dest", type=Path, help="the folder to create")
    parser.add_argument("--solutions", choices=("strip", "lock"), default="strip")
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="the notebooks to copy (default: the lab's own)",
    )
    parser.set_defaults(handler=handle)


def student_copy(source: Path, dest: Path, solutions: str) -> list[Path]:
    """Copy every lesson notebook of ``source`` to ``dest``; return the files written."""
    import nbformat

    from gwlab.lab.reveal import LOCK_FILE

    if dest.exists() and any(dest.iterdir()):
        raise GwlabError(f"{dest} is not empty: choose a new folder for the student copy")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        kept = []
        for cell in notebook.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if SOLUTION_TAG in tags and solutions == "strip":
                continue
            if (SOLUTION_TAG in tags or EXERCISE_TAG in tags) and cell.cell_type == "code":
                cell.outputs = []  # a stored output would give the solution away
                cell.execution_count = None
            kept.append(cell)
        notebook.cells = kept
        target = dest / path.name
        nbformat.write(notebook, target)  # type: ignore[no-untyped-call]
        written.append(target)
    if solutions == "lock":
        (dest / LOCK_FILE).write_text("Solutions are locked in this copy.\n", encoding="utf-8")
    for extra in ("README.md",):
        if (source / extra).exists():
            shutil.copyfile(source / extra, dest / extra)
    return written


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """Write the copy and say what it holds."""
    from gwlab.cli.lab import find_notebooks

    written = student_copy(find_notebooks(args.source), args.dest, args.solutions)
    how = "without solution cells" if args.solutions == "strip" else "with solutions locked"
    print(f"gwlab student-copy: wrote {len(written)} notebook(s) to {args.dest}, {how}.")
    return 0
