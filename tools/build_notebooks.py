"""Build the lab's notebooks from their sources, and store fresh outputs.

The sources (``tools/notebooks/NN_name.md``) are MyST Markdown notebooks (jupytext's
``md:myst`` format), so an author opens and runs one as a notebook in JupyterLab: a
YAML header (jupytext, kernelspec), then markdown separated by ``+++`` lines and
code cells in ```` ```{code-cell} ipython3 ```` fences. A cell's tags are the only
cell metadata that reaches the notebook (``:tags: [solution]`` marks a solution cell,
which ``gwlab student-copy`` strips or locks; ``:tags: [gwlab-exercise]`` marks the cells
of a "Your turn" exercise, whose outputs and execution counts are never stored, so the
built notebook shows nothing of an exercise and nbval runs those cells without comparing
them). This script writes
``notebooks/NN_name.ipynb`` and, unless ``--no-execute``, runs every notebook in
order, each in a fresh kernel, with one fresh progress file for the whole run —
exactly as the test suite's nbval run does — and stores the outputs.

    python tools/build_notebooks.py            # rebuild and re-run all notebooks
    python tools/build_notebooks.py --check    # exit 1 if a notebook differs from its source
    python tools/build_notebooks.py --only 05  # rebuild and re-run notebook 05 alone
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "notebooks"
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: A cell separator of the home-made format the sources used before jupytext.
OLD_MARKER = re.compile(r"^%% (markdown|code)\b", re.M)
#: The tag of an exercise's cells (card, empty cell, check): stored without outputs.
EXERCISE_TAG = "gwlab-exercise"
#: A fence line inside a code cell: an earlier ```{code-cell} fence was never closed.
FENCE = re.compile(r"^(```|~~~)", re.M)


class SourceError(ValueError):
    """A notebook source that is not a MyST notebook the build can trust."""


def read_source(path: Path) -> nbformat.NotebookNode:
    """A source, read by jupytext and checked: only markdown and code cells."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise SourceError(
            f"{path.name}: a source starts with its jupytext header (a '---' line), "
            "with nothing before it"
        )
    if "\n---\n" not in text:
        raise SourceError(f"{path.name}: its header has no closing '---' line")
    try:
        header = yaml.safe_load(text[4 : text.index("\n---\n")])
        notebook = jupytext.reads(text, fmt="md:myst")
    except Exception as error:  # yaml's, jupytext's: whatever the readers raise
        raise SourceError(f"{path.name}: jupytext cannot read it as MyST: {error}") from error
    if not isinstance(header, dict) or "text_representation" not in (header.get("jupytext") or {}):
        raise SourceError(f"{path.name}: its header has no jupytext text_representation")
    declared = header["jupytext"]["text_representation"].get("format_name")
    if declared != "myst":  # jupytext (and so JupyterLab) would read it otherwise
        raise SourceError(
            f"{path.name}: its header says format_name {declared!r}; sources are MyST (md:myst)"
        )
    for n, cell in enumerate(notebook.cells):
        where = f"{path.name}, cell {n}"
        if cell.cell_type not in ("markdown", "code"):
            raise SourceError(f"{where}: a {cell.cell_type} cell; only markdown and code")
        old = OLD_MARKER.search(cell.source)
        if old:
            raise SourceError(f"{where}: a '{old.group(0)}' line of the old format")
        if cell.cell_type == "code" and FENCE.search(cell.source):
            raise SourceError(f"{where}: a fence inside a code cell (one left unclosed?)")
    return notebook


def build(path: Path) -> nbformat.NotebookNode:
    """The notebook of a source, without outputs."""
    notebook = nbformat.v4.new_notebook()
    for cell in read_source(path).cells:
        maker = (
            nbformat.v4.new_markdown_cell
            if cell.cell_type == "markdown"
            else nbformat.v4.new_code_cell
        )
        built = maker(cell.source)
        if cell.metadata.get("tags"):
            built.metadata["tags"] = list(cell.metadata["tags"])
        notebook.cells.append(built)
    for n, cell in enumerate(notebook.cells):
        cell["id"] = f"{path.stem[:2]}-{n:02d}"  # stable ids keep diffs small
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def strip_exercises(notebook: nbformat.NotebookNode) -> int:
    """Remove the outputs and execution counts of exercise cells; how many cells had some."""
    stripped = 0
    for cell in notebook.cells:
        if cell.cell_type != "code" or EXERCISE_TAG not in cell.metadata.get("tags", []):
            continue
        stripped += bool(cell.outputs) or cell.execution_count is not None
        cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return stripped


def unexecuted(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """A notebook without what running it adds: outputs, counts, timings, widget state.

    The kernel's full ``language_info`` is cut back to its name, as the build writes it.
    """
    plain: dict[str, Any] = copy.deepcopy(dict(notebook))
    metadata = plain["metadata"] = dict(plain["metadata"])
    metadata.pop("widgets", None)
    if "language_info" in metadata:
        metadata["language_info"] = {"name": metadata["language_info"].get("name")}
    cells = []
    for cell in plain["cells"]:
        cell = dict(cell)
        cell["metadata"] = {k: v for k, v in cell["metadata"].items() if k != "execution"}
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    plain["cells"] = cells
    return plain


def _first_difference(stored: dict[str, Any], built: dict[str, Any]) -> str:
    """Where a stored notebook first differs from its build, in a few words."""
    if stored["metadata"] != built["metadata"]:
        return "notebook metadata"
    for n, (old, new) in enumerate(zip(stored["cells"], built["cells"], strict=False)):
        if old != new:
            return f"cell {n} ({new.get('id')})"
    if len(stored["cells"]) != len(built["cells"]):
        return f"{len(stored['cells'])} cells instead of {len(built['cells'])}"
    return "nbformat version"


def differences() -> list[str]:
    """Notebooks that differ from their source in anything but what running them adds."""
    problems = []
    for source in sorted(SOURCES.glob("*.md")):
        target = NOTEBOOKS / f"{source.stem}.ipynb"
        if not target.exists():
            problems.append(f"{target.name} is missing")
            continue
        stored = unexecuted(nbformat.read(target, as_version=4))
        built = unexecuted(build(source))
        if stored != built:
            where = _first_difference(stored, built)
            shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
            problems.append(f"{target.name} differs from {shown}: {where}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Build (and run) the notebooks, or check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the sources")
    parser.add_argument("--no-execute", action="store_true", help="write without outputs")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NN",
        help="rebuild only notebook NN (e.g. 05; repeatable), in a fresh kernel as nbval runs it",
    )
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("*.md"))
    if args.only:
        wanted = {number.zfill(2) for number in args.only}
        sources = [source for source in sources if source.stem[:2] in wanted]
        unknown = wanted - {source.stem[:2] for source in sources}
        if unknown:
            parser.error(f"no notebook source numbered {', '.join(sorted(unknown))}")
    try:
        return _run(args, sources)
    except SourceError as error:
        print(f"build_notebooks: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, sources: list[Path]) -> int:
    """Check or build ``sources``; a bad source raises SourceError before anything is written."""
    if args.check:
        problems = differences()
        print("\n".join(problems) or "notebooks match their sources")
        return 1 if problems else 0
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["GWLAB_PROGRESS"] = str(Path(scratch) / "progress.json")
        built = [(source, build(source)) for source in sources]  # every source reads
        for source, notebook in built:
            if not args.no_execute:
                NotebookClient(
                    notebook,
                    timeout=300,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(NOTEBOOKS)}},
                ).execute()
                strip_exercises(notebook)
            nbformat.write(notebook, NOTEBOOKS / f"{source.stem}.ipynb")
            print(f"wrote notebooks/{source.stem}.ipynb", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
