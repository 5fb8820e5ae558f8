"""``gwlab progress export`` and ``collect`` with odd files (issue 16, item 8).

Run in-process through ``gwlab.cli.main`` (the same code the console script runs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from gwlab.cli import main
from gwlab.lab.classroom import export_progress, write_export
from gwlab.lab.progress import Progress
from gwlab.lab.results import StepResult

PASSED = StepResult(
    "01-default-stage", "quick_create", "Quick", "run", "passed", "m", finished_at="2026-11-24"
)


def _gwlab(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's folder, the working directory, with no ``$GWLAB_PROGRESS``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWLAB_PROGRESS", raising=False)
    return tmp_path


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize("given", [["--progress", "gwlab-progres.json"], []])
def test_export_from_a_missing_file_is_one_line_and_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], given: list[str]
) -> None:
    status, out, err = _gwlab(capsys, "progress", "export", "--learner", "ada", *given)
    assert status == 2
    assert err.count("\n") == 1 and "no progress file at" in err
    assert "Hand this file in" not in out
    assert list(home.iterdir()) == []  # no empty hand-in


def test_exporting_a_corrupt_file_never_changes_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = home / "gwlab-progress.json"
    source.write_text(
        json.dumps({"format": 2})
        + "\n"
        + json.dumps({"result": PASSED.to_record()})
        + '\n{"result": {"status": 5}}\n{broken'
    )
    os.chmod(source, 0o640)
    before, mode = source.read_bytes(), source.stat()
    status, out, err = _gwlab(capsys, "progress", "export", "--learner", "ada")
    assert status == 0, err
    assert "1 step(s) passed of 1 recorded. Hand this file in." in out
    (note,) = err.splitlines()
    assert note.startswith("note: ") and "had 2 line(s) that could not be read" in note
    assert source.read_bytes() == before  # the learner's file, byte for byte
    assert source.stat().st_ino == mode.st_ino and source.stat().st_mode == mode.st_mode
    assert sorted(p.name for p in home.iterdir()) == [
        "gwlab-progress-ada.json",
        "gwlab-progress.json",
    ]  # nothing set aside, no lock file
    document = json.loads((home / "gwlab-progress-ada.json").read_text())
    assert document["steps"]["01-default-stage/quick_create"]["status"] == "passed"


def test_exporting_a_file_with_nothing_readable_is_one_line(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = home / "gwlab-progress.json"
    source.write_text("{not json at all")
    status, _, err = _gwlab(capsys, "progress", "export", "--learner", "ada")
    assert status == 2 and err.count("\n") == 1 and "nothing to hand in" in err
    assert [p.name for p in home.iterdir()] == ["gwlab-progress.json"]
    assert source.read_text() == "{not json at all"


def test_export_refuses_to_write_over_the_progress_file(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = home / "gwlab-progress.json"
    Progress.load(source).record(PASSED)
    before = source.read_bytes()
    status, _, err = _gwlab(capsys, "progress", "export", "--learner", "ada", "--out", str(source))
    assert status == 2 and err.count("\n") == 1 and "is your progress file itself" in err
    assert source.read_bytes() == before


def test_export_to_a_folder_that_does_not_exist_is_one_line(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Progress.load(home / "gwlab-progress.json").record(PASSED)
    status, _, err = _gwlab(
        capsys, "progress", "export", "--learner", "ada", "--out", "nowhere/x.json"
    )
    assert status == 2 and err.count("\n") == 1 and "could not write nowhere/x.json" in err


def test_export_of_a_folder_reads_the_file_in_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "work").mkdir()
    Progress.load(home / "work" / "gwlab-progress.json").record(PASSED)
    status, out, err = _gwlab(
        capsys, "progress", "export", "--learner", "ada", "--progress", "work"
    )
    assert status == 0 and "1 step(s) passed" in out
    assert "is a folder, not a file" in err and (home / "work").is_dir()


# --- collect ------------------------------------------------------------------------------


def _handin(name: str, **changes: Any) -> dict[str, Any]:
    progress = Progress(Path("unused"))
    progress.results = {"01-default-stage/quick_create": PASSED}
    return {**export_progress(progress, name), **changes}


ODD: dict[str, Any] = {
    "step-a-string.json": _handin("b1", steps={"01-default-stage/quick_create": "passed"}),
    "status-a-number.json": _handin("b2", steps={"01-default-stage/quick_create": {"status": 5}}),
    "revealed-a-string.json": _handin(
        "b3", steps={"01-default-stage/quick_create": {"status": "passed", "revealed": "hint"}}
    ),
    "revealed-numbers.json": _handin(
        "b4", steps={"01-default-stage/quick_create": {"status": "passed", "revealed": [1]}}
    ),
    "time-a-list.json": _handin(
        "b5", steps={"01-default-stage/quick_create": {"status": "passed", "finished_at": []}}
    ),
    "learner-a-number.json": _handin("b6", learner=7),
    "learner-blank.json": _handin("b7", learner="  "),
    "steps-a-list.json": _handin("b8", steps=[]),
    "deep.json": "[" * 100_000,
    "not-utf8.json": b"\xff\xfe{}",
    "a-list.json": [],
}


def test_collect_skips_each_odd_hand_in_in_one_line_and_keeps_going(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handins = tmp_path / "handins"
    handins.mkdir()
    write_export(_handin("ada"), handins / "ada.json")
    for name, content in ODD.items():
        if isinstance(content, bytes):
            (handins / name).write_bytes(content)
        else:
            text = content if isinstance(content, str) else json.dumps(content)
            (handins / name).write_text(text)
    (handins / "a-folder.json").mkdir()
    (handins / "new\nline.json").write_text("{}")
    status, out, err = _gwlab(capsys, "progress", "collect", str(handins))
    assert status == 0, err
    assert "1 learner(s)" in out
    lines = err.splitlines()
    assert len(lines) == len(ODD) + 2  # one line per skipped file
    for name in [*ODD, "a-folder.json"]:
        assert sum(line.startswith(f"skipped {name}: ") for line in lines) == 1, name
    assert any(line.startswith("skipped new\\nline.json: ") for line in lines)
    assert "skipped step-a-string.json: step 01-default-stage/quick_create is not" in err
    assert "skipped deep.json: unreadable (RecursionError)" in err
    assert (handins / "class-progress.csv").read_text().count("ada") == 1
