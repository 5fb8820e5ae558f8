"""gwlab progress export/collect and gwlab student-copy, run as an instructor would."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from gwlab.lab.exercise_results import ExerciseRecord
from gwlab.lab.progress import Progress
from gwlab.lab.results import StepResult

from support import BIN

ROOT = Path(__file__).resolve().parent.parent


def gwlab(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the gwlab command in ``cwd`` with no $GWLAB_PROGRESS (the default file is used)."""
    env = {k: v for k, v in os.environ.items() if k != "GWLAB_PROGRESS"}
    return subprocess.run(
        [str(BIN / "gwlab"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def _progress(path: Path, passed: list[str], failed: list[str] = ()) -> None:  # type: ignore[assignment]
    progress = Progress.load(path)
    for key, status in [(k, "passed") for k in passed] + [(k, "failed") for k in failed]:
        lesson, step = key.split("/")
        progress.record(
            StepResult(
                lesson, step, step, "run", status, "m", finished_at="2026-11-24T10:00:00+00:00"
            )
        )
    progress.reveal(passed[0], "hint")


def _exercise(
    path: Path, status: str, attempts: int, hints: int = 0, solution: bool = False
) -> None:
    first = "2026-11-24T10:05:00+00:00" if status == "passed" else None
    record = ExerciseRecord(
        "02-stages", "staging_stage", status, "m", attempts, first, "t", hints, solution
    )
    Progress.load(path).exercise(record.key, lambda old: record)


def test_export_writes_the_hand_in(tmp_path: Path) -> None:
    _progress(
        tmp_path / "gwlab-progress.json",
        ["01-default-stage/deploy_function"],
        ["01-default-stage/quick_create"],
    )
    result = gwlab("progress", "export", "--learner", "ada", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 step(s) passed of 2 recorded" in result.stdout
    document = json.loads((tmp_path / "gwlab-progress-ada.json").read_text())
    assert document["learner"] == "ada" and document["format"] == "gwlab-progress-export"
    assert document["gwlab"]
    assert document["steps"]["01-default-stage/deploy_function"] == {
        "status": "passed",
        "finished_at": "2026-11-24T10:00:00+00:00",
        "revealed": ["hint"],
    }
    assert document["steps"]["01-default-stage/quick_create"]["status"] == "failed"
    assert document["exercises"] == {}


def test_export_has_each_exercise_s_attempts_first_pass_hints_and_solution(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gwlab-progress.json"
    _progress(path, ["02-stages/create_stage"])
    _exercise(path, "passed", attempts=3, hints=2, solution=True)
    result = gwlab("progress", "export", "--learner", "ada", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 exercise(s) passed of 1 recorded" in result.stdout
    document = json.loads((tmp_path / "gwlab-progress-ada.json").read_text())
    assert document["exercises"] == {
        "02-stages/staging_stage": {
            "status": "passed",
            "attempts": 3,
            "first_passed": "2026-11-24T10:05:00+00:00",
            "hints": 2,
            "solution": True,
        }
    }


def test_collect_builds_the_class_table_and_skips_bad_files(tmp_path: Path) -> None:
    handins = tmp_path / "handins"
    handins.mkdir()
    for learner, passed in [
        ("ada", ["01-default-stage/deploy_function", "01-default-stage/quick_create"]),
        ("bob", ["01-default-stage/deploy_function"]),
        ("cy", ["00-welcome/check_backend"]),
    ]:
        home = tmp_path / learner
        home.mkdir()
        _progress(home / "gwlab-progress.json", passed)
        gwlab(
            "progress",
            "export",
            "--learner",
            learner,
            "--out",
            str(handins / f"{learner}.json"),
            cwd=home,
        )
    _exercise(tmp_path / "ada" / "gwlab-progress.json", "passed", attempts=2, hints=1)
    _exercise(tmp_path / "bob" / "gwlab-progress.json", "failed", attempts=4, solution=True)
    for learner in ("ada", "bob"):  # hand in again, with the exercise
        (handins / f"{learner}.json").unlink()
        gwlab(
            "progress",
            "export",
            "--learner",
            learner,
            "--out",
            str(handins / f"{learner}.json"),
            cwd=tmp_path / learner,
        )
    old = json.loads((handins / "cy.json").read_text())
    del old["exercises"]  # a hand-in from before exercises is still read
    (handins / "cy.json").write_text(json.dumps(old))
    bad = json.loads((handins / "bob.json").read_text())
    bad["exercises"]["02-stages/staging_stage"]["attempts"] = "many"
    bad["learner"] = "dee"
    (handins / "dee.json").write_text(json.dumps(bad))
    (handins / "broken.json").write_text("{not json")
    (handins / "other.json").write_text('{"format": "something else"}')
    result = gwlab("progress", "collect", str(handins), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "skipped broken.json: unreadable (JSONDecodeError)" in result.stderr
    assert "skipped other.json: not a gwlab progress export" in result.stderr
    assert "skipped dee.json: exercise 02-stages/staging_stage is not an exercise" in result.stderr
    assert "3 learner(s)" in result.stdout
    assert "Exercises the fewest learners passed:" in result.stdout
    with (handins / "class-progress.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert {(r["learner"], r["step"], r["status"]) for r in rows} >= {
        ("ada", "01-default-stage/quick_create", "passed"),
        ("bob", "01-default-stage/deploy_function", "passed"),
    }
    exercises = {r["learner"]: r for r in rows if r["kind"] == "exercise"}
    assert set(exercises) == {"ada", "bob"}
    assert {k: exercises["ada"][k] for k in ("step", "status", "attempts", "hints_used")} == {
        "step": "02-stages/staging_stage",
        "status": "passed",
        "attempts": "2",
        "hints_used": "1",
    }
    assert exercises["ada"]["first_passed"] == "2026-11-24T10:05:00+00:00"
    assert (exercises["ada"]["solution_revealed"], exercises["bob"]["solution_revealed"]) == (
        "no",
        "yes",
    )
    assert exercises["bob"]["revealed"] == "solution" and exercises["bob"]["first_passed"] == ""
    page = (handins / "class-progress.html").read_text()
    assert "<h2>Where the class is</h2>" in page and "ada" in page and "broken.json" in page
    assert "<h2>Exercises</h2>" in page and "02-stages/staging_stage" in page


def test_collect_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = gwlab("progress", "collect", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not a folder" in result.stderr


def _tagged(folder: Path, tag: str) -> list[nbformat.NotebookNode]:
    return [
        cell
        for path in sorted(folder.glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if tag in cell.metadata.get("tags", [])
    ]


def _lab_notebooks(folder: Path) -> Path:
    """A lab folder: a solution cell and an exercise's cells, all with stored outputs."""
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    cells = [
        ("lab.solution('staging_stage')", ["solution"]),
        ("lab.exercise_card('staging_stage')", ["gwlab-exercise"]),
        ("lab.check('staging_stage')", ["gwlab-exercise"]),
        ("lab.run('create_stage')", []),
    ]
    for source, tags in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = tags
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", text="aws apigatewayv2 create-stage")]
        notebook.cells.append(cell)
    nbformat.write(notebook, folder / "02_stages.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), folder / "00_welcome.ipynb")  # what marks a lab
    return folder


def test_student_copy_strips_or_locks_solutions(tmp_path: Path) -> None:
    source = _lab_notebooks(tmp_path / "lab")
    stripped, locked = tmp_path / "stripped", tmp_path / "locked"
    assert gwlab("student-copy", str(stripped), "--from", str(source), cwd=tmp_path).returncode == 0
    assert _tagged(stripped, "solution") == []
    exercise_cells = _tagged(stripped, "gwlab-exercise")
    assert len(exercise_cells) == 2  # kept, without what running them showed
    assert all(c.outputs == [] and c.execution_count is None for c in exercise_cells)
    (plain,) = [
        c
        for c in nbformat.read(stripped / "02_stages.ipynb", as_version=4).cells
        if not c.metadata["tags"]
    ]
    assert plain.outputs and plain.execution_count == 1  # other cells keep their outputs
    result = gwlab(
        "student-copy", str(locked), "--solutions", "lock", "--from", str(source), cwd=tmp_path
    )
    assert result.returncode == 0 and "with solutions locked" in result.stdout
    cells = _tagged(locked, "solution") + _tagged(locked, "gwlab-exercise")
    assert len(cells) == 3 and all(cell.outputs == [] for cell in cells)
    assert (locked / ".gwlab-solutions-locked").exists()
    script = (
        "import gwlab; lab = gwlab.Lab('02', progress='p.json'); "
        "print(lab.solution('staging_stage').locked)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=locked, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "True"
    again = gwlab("student-copy", str(locked), cwd=tmp_path)
    assert again.returncode == 2 and "is not empty" in again.stderr


def test_student_copy_of_the_lab_keeps_every_notebook(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    assert gwlab("student-copy", str(copy), cwd=tmp_path).returncode == 0
    assert len(list(copy.glob("*.ipynb"))) == len(list((ROOT / "notebooks").glob("[0-9]*.ipynb")))
    assert _tagged(copy, "solution") == []
