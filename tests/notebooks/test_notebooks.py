"""The notebooks: built from their sources, shaped alike, clean outputs, re-runnable."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from nbclient import NotebookClient

from gwlab.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HEADINGS = ("## Overview", "## Prerequisites", "## Summary", "## What's next")
#: What must never appear in a stored output: keys, credentials, this machine's paths.
FORBIDDEN = [
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"aws_secret_access_key", re.I),
    re.compile(r"gwlab-fake-(access|secret)-key"),
    re.compile(r"/(root|home|Users)/[^\s'\"]*"),
    re.compile(r"/tmp/[^\s'\"]+"),
    re.compile(r"[A-Z]:\\\\Users\\\\"),
]


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", ROOT / "tools" / "build_notebooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_one_notebook_per_lesson() -> None:
    from gwlab.lessons import LESSONS

    assert [p.stem[:2] for p in NOTEBOOKS] == [lesson.id[:2] for lesson in LESSONS]


def test_notebooks_match_their_sources() -> None:
    assert _builder().differences() == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_has_the_same_skeleton(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert notebook.cells[0].source.startswith(f"# {int(path.stem[:2])} · ")
    positions = [markdown.find(heading) for heading in HEADINGS]
    assert all(p >= 0 for p in positions), dict(zip(HEADINGS, positions, strict=True))
    assert positions == sorted(positions)
    for image in re.findall(r"!\[([^\]]*)\]\(", markdown) + re.findall(r"<img[^>]*>", markdown):
        assert image.strip() and ("alt=" in image or not image.startswith("<img"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_code_cells_are_one_liners(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = [line for line in cell.source.splitlines() if not line.startswith("#")]
        assert len(code) == 1, cell.source
        if "NBVAL_IGNORE_OUTPUT" in cell.source:
            assert "# Why: " in cell.source, "each ignored output says why"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_outputs_hold_no_secrets_or_machine_paths(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = str(output.get("text", "")) + " ".join(
                str(value) for value in output.get("data", {}).values()
            )
            for pattern in FORBIDDEN:
                found = pattern.search(text)
                assert found is None, f"{path.name}: {found.group(0) if found else ''}"
            assert output.get("output_type") != "error", f"{path.name} stored an error"


@pytest.mark.slow
def test_every_notebook_runs_twice_in_a_row_in_one_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run All, then Run All again — for every notebook, one after the other, in one kernel.

    (Each notebook on its own in a fresh kernel is what the nbval run does.)
    """
    monkeypatch.setenv("GWLAB_PROGRESS", str(tmp_path / "progress.json"))
    cells = []
    for path in NOTEBOOKS:
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        cells += code + code
    cells.append(
        "import json\nfrom gwlab.lab.progress import Progress\n"
        "print(json.dumps({k: r.status for k, r in Progress.load().results.items()}))"
    )
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    assert not [o for c in notebook.cells for o in c.outputs if o.output_type == "error"]
    # The second Run All turned no recorded pass red: every step the notebooks run has
    # passed; only the exercises (which a learner solves) are failed as first verified.
    stored = json.loads(notebook.cells[-1].outputs[0]["text"])
    exercises = {lesson.key(s.id) for lesson in LESSONS for s in lesson.steps if s.is_exercise}
    assert len(stored) > 45
    assert {k: s for k, s in stored.items() if k not in exercises and s != "passed"} == {}
    assert {stored[k] for k in exercises} == {"failed"}
