"""Run All of every notebook, and the student copy, reveal no exercise's solution.

Each notebook runs in a fresh kernel (nbclient, as a learner's Run All), in a temporary
copy of the notebooks folder, where the progress file is. Afterwards the progress file
holds every exercise as ``not attempted`` — none failed — and no hint or solution
revealed, and no output holds a solution. ``gwlab student-copy`` of the lab's notebooks
holds no solution either, in outputs or metadata.

A solution's text is each command of its AWS CLI form and each call of its boto3 form
(compared without white space, in the text of every output and metadata field, HTML
entities decoded), with the ids a fresh kernel makes (the lab seeds moto, so a fresh
session here makes the same ones; the test checks that the API's id does appear in the
notebooks, and that the search finds each solution as the card shows it).
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from gwlab.lab import Lab
from gwlab.lab.exercise import boto3_solution, cli_solution
from gwlab.lab.progress import Progress
from gwlab.lab.session import close_session, new_session
from gwlab.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: Statements of a boto3 solution that say nothing of the answer (the client it makes).
GENERIC = "=lab.env.client("


def _flat(text: str) -> str:
    """``text`` as compared: HTML entities decoded, no white space."""
    return "".join(html.unescape(text).split())


def _statements(code: str) -> list[str]:
    """The top-level statements of ``code`` (a call spans the lines indented under it)."""
    blocks: list[list[str]] = []
    for line in code.splitlines():
        if line.strip() and not line[0].isspace() and not line.startswith(")"):
            blocks.append([])
        if blocks:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks]


def _strings(node: Any) -> list[str]:
    """Every string in a JSON-like value (outputs, metadata), keys included."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


@pytest.fixture(scope="module")
def solutions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every exercise's solution lines, by ``lesson/exercise``, as a fresh kernel would see."""
    found: dict[str, list[str]] = {}
    folder = tmp_path_factory.mktemp("solutions")
    try:
        for lesson in LESSONS:
            if not lesson.exercises:
                continue
            new_session(None)  # a fresh kernel's environment
            lab = Lab(lesson.id, progress=folder / "progress.json")
            for step in lab.steps:
                lab.run(step)
            context = lab.context()
            for exercise in lesson.exercises:
                pieces = cli_solution(exercise, context).splitlines()
                pieces += _statements(boto3_solution(exercise, context))
                found[lesson.key(exercise.id)] = [
                    _flat(piece) for piece in pieces if GENERIC not in _flat(piece)
                ]
                found[f"{lesson.key(exercise.id)}/shown"] = [
                    lab.solution(exercise.id)._repr_html_()
                ]
            found[f"{lesson.id}/api_id"] = [lab.ids["api_id"]]
    finally:
        close_session()
    return found


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[nbformat.NotebookNode]]:
    """The notebooks after Run All, each in its own fresh kernel; the folder they ran in."""
    folder = tmp_path_factory.mktemp("run-all")
    executed = []
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GWLAB_PROGRESS", raising=False)  # the kernels use ./gwlab-progress.json
        patch.delenv("GWLAB_SOLUTIONS", raising=False)
        for path in NOTEBOOKS:
            shutil.copy(path, folder / path.name)
            notebook = nbformat.read(folder / path.name, as_version=4)
            NotebookClient(
                notebook,
                timeout=300,
                kernel_name="python3",
                resources={"metadata": {"path": str(folder)}},
            ).execute()
            executed.append(notebook)
    return folder, executed


def _revealed(values: Any, solutions: dict[str, list[str]]) -> list[str]:
    """The solution pieces found in any string of ``values``."""
    text = "\n".join(_flat(s) for s in _strings(values))
    return [
        f"{key}: {piece}"
        for key, pieces in solutions.items()
        if not key.endswith(("/api_id", "/shown"))
        for piece in pieces
        if piece in text
    ]


@pytest.mark.shared_env
def test_run_all_records_no_failure_and_reveals_nothing(
    ran: tuple[Path, list[nbformat.NotebookNode]], solutions: dict[str, list[str]]
) -> None:
    folder, executed = ran
    progress = Progress.load(folder / "gwlab-progress.json", read_only=True)
    assert progress.notices == []
    assert progress.revealed == {}, "Run All revealed a step's hint or solution"
    exercises = {key for lesson in LESSONS for key in map(lesson.key, lesson.exercise_ids)}
    assert set(progress.exercises) == exercises  # every check cell ran ...
    for key, record in progress.exercises.items():  # ... and found nothing to check
        assert (record.status, record.attempts) == ("not attempted", 0), key
        assert (record.hints, record.solution, record.first_passed) == (0, False, None), key
    outputs = [[cell.get("outputs", []) for cell in nb.cells] for nb in executed]
    assert _revealed(outputs, solutions) == []


@pytest.mark.shared_env
def test_the_search_finds_each_solution_as_the_card_shows_it(
    solutions: dict[str, list[str]],
) -> None:
    shown = {key: pieces for key, pieces in solutions.items() if key.endswith("/shown")}
    assert len(shown) == sum(len(lesson.exercises) for lesson in LESSONS)
    for key, (markup,) in shown.items():
        exercise = key.removesuffix("/shown")
        found = {line.split(": ")[0] for line in _revealed([{"text/html": markup}], solutions)}
        assert exercise in found, key


@pytest.mark.shared_env
def test_exercise_cells_are_stored_without_outputs() -> None:
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if "gwlab-exercise" in cell.metadata.get("tags", []):
                assert cell.outputs == [] and cell.execution_count is None, (path.name, cell.id)


@pytest.mark.shared_env
@pytest.mark.parametrize("how", ["strip", "lock"])
def test_the_student_copy_holds_no_solution(
    tmp_path: Path, solutions: dict[str, list[str]], how: str
) -> None:
    from gwlab.cli.student_copy import student_copy

    written = student_copy(ROOT / "notebooks", tmp_path / "copy", how)
    assert len(written) == len(NOTEBOOKS)
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in written]
    stored = [[cell.get("outputs", []) for cell in d["cells"]] for d in documents]
    metadata = [[d["metadata"], *(cell["metadata"] for cell in d["cells"])] for d in documents]
    for lesson in LESSONS:
        if lesson.exercises:  # the ids the solutions were written with are the notebooks'
            assert solutions[f"{lesson.id}/api_id"][0] in json.dumps(stored)
    assert _revealed(stored, solutions) == []
    assert _revealed(metadata, solutions) == []
