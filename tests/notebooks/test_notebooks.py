"""The notebooks: built from their sources, shaped alike, clean outputs, re-runnable."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from gwlab.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The notebooks' sources, which the lead builds the notebooks from.
SOURCES = sorted((ROOT / "tools" / "notebooks").glob("[0-9][0-9]_*.md"))
HEADINGS = (
    "## Overview",
    "## Prerequisites",
    "## Summary",
    "## What's next",
    "## Resources",
)
#: Markdown links: ``[title](url)``.
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
#: The one-line note a notebook gives where its lesson relies on a behaviour that
#: AWS_FACTS marks ASSUMED (no public source either way).
ASSUMED_LINE = re.compile(r"^> \*\*Assumed:\*\* .*real AWS may differ\.$", re.M)
#: Which notebook relies on which ASSUMED behaviour (AWS_FACTS, "Still ASSUMED after the
#: second audit"), from the steps of its lesson module, and a phrase its Assumed line
#: must hold.
ASSUMED_IN = {
    "02_stages": {
        # l02 create_stage: "a request to the stage finds nothing to serve" expects 404.
        "a named stage never deployed answers 404": "no deployment answers `404",
        # l02 auto_deploy_dev: update-stage AutoDeploy=True, then dev serves GET /items.
        "update-stage --auto-deploy deploys at once": "`update-stage --auto-deploy`",
    },
    "05_api_mappings": {
        # l05 forgotten_mapping: the response shown carries the error type header.
        "x-amzn-errortype on the 403": "`x-amzn-errortype: ForbiddenException`",
        # l05 map_multi_level: "the longest key that matches whole path segments".
        "mapping keys match whole path segments only": "whole path segments",
    },
    "07_cors": {
        # l07 explicit_routes, preflight_*, deploy_prod, exercise: preflights answer 204.
        "preflight status 204": "`204`",
        # l07 prod_waits / deploy_prod: prod has no CORS until it is deployed again.
        "CORS waits for a deployment on a non-auto-deploy stage": "next deployment",
    },
}
#: What must never appear in a stored output: keys, credentials, this machine's paths.
FORBIDDEN = [
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"aws_secret_access_key", re.I),
    re.compile(r"gwlab-fake-(access|secret)-key"),
    re.compile(r"/(root|home|Users)/[^\s'\"]*"),
    re.compile(r"/tmp/[^\s'\"]+"),
    re.compile(r"[A-Z]:\\\\Users\\\\"),
]


@functools.cache
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


def _cells(source: Path) -> list[Any]:
    """The cells a notebook source builds (read by jupytext)."""
    return list(_builder().build(source).cells)


def _markdown(source: Path) -> str:
    """All markdown cells of a notebook source, in order."""
    return "\n".join(c.source for c in _cells(source) if c.cell_type == "markdown")


def _resources(source: Path) -> str:
    """The text of a source's Resources section (its last section)."""
    markdown = _markdown(source)
    assert "## Resources" in markdown, source.name
    return markdown.split("## Resources", 1)[1]


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_notebook_has_the_same_skeleton(path: Path) -> None:
    """Read from the sources: test_notebooks_match_their_sources covers the notebooks."""
    first = _cells(path)[0]
    markdown = _markdown(path)
    assert first.cell_type == "markdown" and first.source.startswith(f"# {int(path.stem[:2])} · ")
    positions = [markdown.find(heading) for heading in HEADINGS]
    assert all(p >= 0 for p in positions), dict(zip(HEADINGS, positions, strict=True))
    assert positions == sorted(positions)
    for image in re.findall(r"!\[([^\]]*)\]\(", markdown) + re.findall(r"<img[^>]*>", markdown):
        assert image.strip() and ("alt=" in image or not image.startswith("<img"))


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_notebook_ends_with_its_aws_documentation(path: Path) -> None:
    """Resources: a short bulleted list of the pages the notebook covers, over https."""
    resources = _resources(path)
    assert "\n## " not in resources, "Resources is the last section"
    items = [line for line in resources.splitlines() if line.startswith("- ")]
    links = [LINK.search(item) for item in items]
    assert 2 <= len(items) <= 6, items
    assert all(link is not None and link.group(1).strip() for link in links), items
    assert all(link.group(2).startswith("https://") for link in links if link), items


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_link_in_a_notebook_is_https(path: Path) -> None:
    for title, url in LINK.findall(_markdown(path)):
        assert url.startswith("https://"), (path.name, title, url)


def test_the_assumed_table_names_real_notebooks() -> None:
    assert set(ASSUMED_IN) <= {p.stem for p in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_a_notebook_says_which_behaviour_it_shows_is_assumed(path: Path) -> None:
    """Each ASSUMED behaviour a lesson relies on has its one-line note in the notebook."""
    notes = ASSUMED_LINE.findall(_markdown(path))
    for behaviour, phrase in ASSUMED_IN.get(path.stem, {}).items():
        assert [note for note in notes if phrase in note], (path.name, behaviour, phrase)
    for line in _markdown(path).splitlines():
        if "**Assumed:**" in line:
            assert ASSUMED_LINE.match(line), f"{path.name}: one line, in the usual form: {line}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_code_cells_are_one_liners(path: Path) -> None:
    """Every code cell is one line — but the empty ones a learner writes an exercise in."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = [line for line in cell.source.splitlines() if not line.startswith("#")]
        if not code and "gwlab-exercise" in cell.metadata.get("tags", []):
            continue  # the cell for the learner's code (its comment says what to write)
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
        "import json\nfrom gwlab.lab.progress import Progress\np = Progress.load()\n"
        "print(json.dumps({k: r.status for k, r in p.results.items()}))\n"
        "print(json.dumps({k: r.status for k, r in p.exercises.items()}))"
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
    # passed; the exercises (which a learner solves in code) are all "not attempted".
    steps, checked = map(json.loads, notebook.cells[-1].outputs[0]["text"].splitlines())
    exercises = {lesson.key(e) for lesson in LESSONS for e in lesson.exercise_ids}
    assert len(steps) > 40
    assert {k: s for k, s in steps.items() if s != "passed"} == {}
    assert checked == dict.fromkeys(exercises, "not attempted")


def test_only_rebuilds_the_notebooks_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = _builder()
    monkeypatch.setattr(builder, "NOTEBOOKS", tmp_path)  # never the repository's notebooks
    assert builder.main(["--only", "5", "--only", "07", "--no-execute"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "05_api_mappings.ipynb",
        "07_cors.ipynb",
    ]
    with pytest.raises(SystemExit):
        builder.main(["--only", "42", "--no-execute"])


def test_the_build_stores_exercise_cells_without_outputs() -> None:
    builder = _builder()
    notebook = nbformat.v4.new_notebook()
    for source, tags in (("lab.check('x')", [builder.EXERCISE_TAG]), ("lab", [])):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = tags
        cell.execution_count = 3
        cell.metadata["execution"] = {"iopub.status.busy": "2026-12-03T07:00:00Z"}
        cell.outputs = [nbformat.v4.new_output("stream", text="not attempted")]
        notebook.cells.append(cell)
    assert builder.strip_exercises(notebook) == 1
    exercise, plain = notebook.cells
    assert (exercise.outputs, exercise.execution_count) == ([], None)
    assert "execution" not in exercise.metadata
    assert plain.outputs and plain.execution_count == 3  # other cells keep what they showed
    assert builder.strip_exercises(notebook) == 0


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_step_of_a_lesson_has_a_cell_in_its_notebook(lesson: Any) -> None:
    """A step added to a lesson module but not to its notebook source is caught here."""
    (source,) = (ROOT / "tools" / "notebooks").glob(f"{lesson.id[:2]}_*.md")
    code = "\n".join(c.source for c in _cells(source) if c.cell_type == "code")
    missing = [step.id for step in lesson.steps if f'"{step.id}"' not in code]
    assert missing == [], f"{source.name} has no cell for {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_exercise_has_its_card_an_empty_cell_and_its_check(lesson: Any) -> None:
    """The "Your turn" pattern: card, an empty cell for the learner's code, the check."""
    (source,) = (ROOT / "tools" / "notebooks").glob(f"{lesson.id[:2]}_*.md")
    cells = [c for c in _cells(source) if c.cell_type == "code"]
    for exercise in lesson.exercises:
        card = f'lab.exercise_card("{exercise.id}")'
        (at,) = [n for n, c in enumerate(cells) if c.source.strip() == card]
        mine = cells[at : at + 3]
        assert mine[2].source.strip() == f'lab.check("{exercise.id}")', source.name
        learner = [line for line in mine[1].source.splitlines() if not line.startswith("#")]
        assert not "".join(learner).strip(), f"{source.name}: the cell for your code is not empty"
        for cell in mine:
            assert "gwlab-exercise" in cell.metadata.get("tags", []), (source.name, cell.source)
    revealing = [c.source for c in cells if "lab.solution(" in c.source or "lab.hint(" in c.source]
    assert revealing == [], f"{source.name}: a cell that reveals when run"
