"""Build the lab's notebooks from their sources, and store fresh outputs.

The sources (``tools/notebooks/NN_name.md``) are plain text: cells separated by
lines ``%% markdown`` or ``%% code``; words after the kind are cell tags
(``%% code solution`` marks a solution cell, which ``gwlab student-copy`` strips
or locks). This script writes
``notebooks/NN_name.ipynb`` and, unless ``--no-execute``, runs every notebook in
order, each in a fresh kernel, with one fresh progress file for the whole run —
exactly as the test suite's nbval run does — and stores the outputs.

    python tools/build_notebooks.py            # rebuild and re-run all notebooks
    python tools/build_notebooks.py --check    # exit 1 if a notebook differs from its source
    python tools/build_notebooks.py --only 05  # rebuild and re-run notebook 05 alone
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "notebooks"
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def read_source(path: Path) -> list[tuple[str, list[str], str]]:
    """``[(kind, tags, text), ...]`` from a source file."""
    cells: list[tuple[str, list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("%% "):
            kind, *tags = line[3:].split()
            if kind not in ("markdown", "code"):
                raise ValueError(f"{path.name}: unknown cell kind {kind!r}")
            cells.append((kind, tags, []))
        elif cells:
            cells[-1][2].append(line)
        elif line.strip():
            raise ValueError(f"{path.name}: text before the first %% line")
    return [(kind, tags, "\n".join(lines).strip("\n")) for kind, tags, lines in cells]


def build(path: Path) -> nbformat.NotebookNode:
    """The notebook of a source, without outputs."""
    notebook = nbformat.v4.new_notebook()
    for kind, tags, text in read_source(path):
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = maker(text)
        if tags:
            cell.metadata["tags"] = tags
        notebook.cells.append(cell)
    for n, cell in enumerate(notebook.cells):
        cell["id"] = f"{path.stem[:2]}-{n:02d}"  # stable ids keep diffs small
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def _shape(cells: list[nbformat.NotebookNode]) -> list[tuple[str, str, list[str]]]:
    """What must match between a notebook and its source: kinds, texts and tags."""
    return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in cells]


def differences() -> list[str]:
    """Notebooks whose cells (kind and text) differ from their source."""
    problems = []
    for source in sorted(SOURCES.glob("*.md")):
        target = NOTEBOOKS / f"{source.stem}.ipynb"
        if not target.exists():
            problems.append(f"{target.name} is missing")
            continue
        stored = nbformat.read(target, as_version=4)
        if _shape(stored.cells) != _shape(build(source).cells):
            problems.append(f"{target.name} differs from {source.relative_to(ROOT)}")
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
    if args.check:
        problems = differences()
        print("\n".join(problems) or "notebooks match their sources")
        return 1 if problems else 0
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["GWLAB_PROGRESS"] = str(Path(scratch) / "progress.json")
        for source in sources:
            notebook = build(source)
            if not args.no_execute:
                NotebookClient(
                    notebook,
                    timeout=300,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(NOTEBOOKS)}},
                ).execute()
            nbformat.write(notebook, NOTEBOOKS / f"{source.stem}.ipynb")
            print(f"wrote notebooks/{source.stem}.ipynb", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
