"""gwlab progress export/collect and gwlab student-copy, run as an instructor would."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

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
    (handins / "broken.json").write_text("{not json")
    (handins / "other.json").write_text('{"format": "something else"}')
    result = gwlab("progress", "collect", str(handins), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "skipped broken.json: unreadable (JSONDecodeError)" in result.stderr
    assert "skipped other.json: not a gwlab progress export" in result.stderr
    assert "3 learner(s)" in result.stdout
    with (handins / "class-progress.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert {(r["learner"], r["step"], r["status"]) for r in rows} >= {
        ("ada", "01-default-stage/quick_create", "passed"),
        ("bob", "01-default-stage/deploy_function", "passed"),
    }
    page = (handins / "class-progress.html").read_text()
    assert "<h2>Where the class is</h2>" in page and "ada" in page and "broken.json" in page


def test_collect_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = gwlab("progress", "collect", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not a folder" in result.stderr


def _solution_cells(folder: Path) -> list[nbformat.NotebookNode]:
    return [
        cell
        for path in sorted(folder.glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if "solution" in cell.metadata.get("tags", [])
    ]


def test_student_copy_strips_or_locks_solutions(tmp_path: Path) -> None:
    assert len(_solution_cells(ROOT / "notebooks")) == 7
    stripped, locked = tmp_path / "stripped", tmp_path / "locked"
    assert gwlab("student-copy", str(stripped), cwd=tmp_path).returncode == 0
    assert len(list(stripped.glob("*.ipynb"))) == 10
    assert _solution_cells(stripped) == []
    result = gwlab("student-copy", str(locked), "--solutions", "lock", cwd=tmp_path)
    assert result.returncode == 0 and "with solutions locked" in result.stdout
    cells = _solution_cells(locked)
    assert len(cells) == 7 and all(cell.outputs == [] for cell in cells)
    assert (locked / ".gwlab-solutions-locked").exists()
    script = (
        "import gwlab; lab = gwlab.Lab('02', progress='p.json'); "
        "print(lab.solution('exercise_staging').locked)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=locked, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "True"
    again = gwlab("student-copy", str(locked), cwd=tmp_path)
    assert again.returncode == 2 and "is not empty" in again.stderr
