"""``gwlab lab``: open JupyterLab at the first notebook."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from gwlab.errors import NotebooksNotFoundError

NAME = "lab"
#: Where a wheel install copies the notebooks for the learner to work in.
WORKING_COPY = Path("gwlab-notebooks")
_FIRST_NOTEBOOK = "00_*.ipynb"
#: The installed ``gwlab`` package folder.
_PACKAGE = Path(__file__).resolve().parent.parent


def add_parser(commands: Any) -> None:
    """Register ``gwlab lab``."""
    parser = commands.add_parser(
        NAME,
        help="open JupyterLab at the first notebook (other options go to jupyter lab)",
        description=(
            "Open JupyterLab at the lab's first notebook. Options gwlab does not know "
            "(--no-browser, --port 8888, ...) are passed on to jupyter lab."
        ),
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the folder of notebooks to open (default: the lab's own notebooks)",
    )
    parser.set_defaults(handler=handle, accepts_extra=True)


def _has_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob(_FIRST_NOTEBOOK))


def find_notebooks(explicit: Path | None = None, package: Path = _PACKAGE) -> Path:
    """The folder to open: ``explicit``, the source checkout's, or a working copy.

    A wheel install carries the notebooks inside the package; they are copied
    into ``./gwlab-notebooks`` once (a learner's edited copies are never
    overwritten) so that progress is saved where the learner works.
    """
    if explicit is not None:
        if not _has_notebooks(explicit):
            raise NotebooksNotFoundError(f"no lab notebooks ({_FIRST_NOTEBOOK}) in {explicit}")
        return explicit.resolve()
    checkout = package.parent / "notebooks"
    if _has_notebooks(checkout):
        return checkout
    packaged = package / "_notebooks"
    if not _has_notebooks(packaged):
        raise NotebooksNotFoundError(
            "the lab's notebooks are not installed; reinstall gwlab or pass --dir"
        )
    WORKING_COPY.mkdir(exist_ok=True)
    for source in packaged.glob("*.ipynb"):
        target = WORKING_COPY / source.name
        if not target.exists():
            shutil.copyfile(source, target)
    return WORKING_COPY.resolve()


def jupyter_command(folder: Path, extra: list[str]) -> list[str]:
    """The ``jupyter lab`` command line that opens the first notebook in ``folder``."""
    first = sorted(folder.glob(_FIRST_NOTEBOOK))[0]
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        *extra,
        str(first),
    ]


def handle(args: argparse.Namespace, extra: list[str]) -> int:
    """Run JupyterLab in the foreground until it exits (Ctrl-C stops it)."""
    command = jupyter_command(find_notebooks(args.dir), extra)
    process = subprocess.Popen(command)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            # JupyterLab got the same Ctrl-C and asks to confirm; wait for it.
            continue
