"""The progress file: survives restarts, appends a line per change, sets bad lines aside.

More faults (read-only folders, wrong types, several writers, large files) are in
``test_progress_faults.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from gwlab.lab import Lab, StepResult
from gwlab.lab import progress as progress_module
from gwlab.lab.exercise_results import ExerciseRecord
from gwlab.lab.progress import Progress
from gwlab.lab.results import CheckResult

RESULT = StepResult(
    lesson="01-default-stage",
    step="quick_create",
    title="Quick-create",
    action="run",
    status="passed",
    message="Created it",
    checks=(CheckResult("it exists", True, "x", "x"),),
    resources={"api_id": "abc"},
    duration_ms=12.5,
)


def _files(folder: Path) -> list[str]:
    """The folder's files, but the lock file the kernels share."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_results_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    assert progress.record(RESULT) == ""
    reloaded = Progress.load(path)
    assert reloaded.results == {"01-default-stage/quick_create": RESULT}
    assert reloaded.notices == []
    assert json.loads(path.read_text().splitlines()[0])["format"] == 2
    assert _files(tmp_path) == ["progress.json"]  # no temporary left


def test_a_failed_write_keeps_the_old_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    progress.record(RESULT)
    before = path.read_text()

    def disk_full(*args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module, "_open", disk_full)
    unsaved = progress.record(replace(RESULT, status="failed"))
    assert unsaved.startswith("Not saved: ") and "No space left on device" in unsaved
    assert "\n" not in unsaved
    assert progress.results["01-default-stage/quick_create"].status == "failed"  # in memory
    assert path.read_text() == before
    assert _files(tmp_path) == ["progress.json"]


def test_the_file_has_a_line_per_change_and_only_new_lines_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    progress.record(RESULT)
    progress.record(replace(RESULT, step="call_default_stage", message="Called\nit"))
    header, *lines = path.read_text().splitlines()
    assert json.loads(header)["format"] == 2
    assert [json.loads(line)["result"]["step"] for line in lines] == [
        "quick_create",
        "call_default_stage",
    ]  # one line each, appended, the message's line break escaped
    assert StepResult.from_record(json.loads(lines[0])["result"]) == RESULT

    parsed: list[str] = []
    real_result = progress_module._result

    def counting(record: dict[str, object]) -> StepResult | None:
        parsed.append(str(record["step"]))
        return real_result(record)

    monkeypatch.setattr(progress_module, "_result", counting)
    progress.record(replace(RESULT, status="failed"))
    progress.refresh()
    assert parsed == []  # the file holds what this object wrote: nothing to parse
    Progress.load(path).record(replace(RESULT, step="another"))  # another kernel writes
    parsed.clear()
    progress.refresh()
    assert parsed == ["another"]  # only the line the other kernel appended
    assert set(progress.results) == {
        "01-default-stage/quick_create",
        "01-default-stage/call_default_stage",
        "01-default-stage/another",
    }
    assert progress.results["01-default-stage/quick_create"].status == "failed"


def test_a_file_of_gwlab_before_issue_16_is_read_and_then_rewritten(tmp_path: Path) -> None:
    """Format 1 (one JSON document, a line per result) is read, and becomes JSON lines."""
    path = tmp_path / "progress.json"
    record = json.dumps(RESULT.to_record(), sort_keys=True)
    path.write_text(
        '{\n "format": 1,\n "gwlab": "0.1.0",\n'
        ' "revealed": {"01-default-stage/quick_create": ["hint"]},\n'
        f' "results": {{\n  "01-default-stage/quick_create": {record}\n }}\n}}\n'
    )
    progress = Progress.load(path)
    assert progress.results == {"01-default-stage/quick_create": RESULT}
    assert progress.revealed == {"01-default-stage/quick_create": ["hint"]}
    assert progress.notices == []
    progress.record(replace(RESULT, step="another"))
    assert json.loads(path.read_text().splitlines()[0])["format"] == 2
    again = Progress.load(path)
    assert set(again.results) == {"01-default-stage/quick_create", "01-default-stage/another"}
    assert again.revealed == {"01-default-stage/quick_create": ["hint"]}


def test_kernels_sharing_one_file_keep_each_other_s_results(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    first, second = Progress.load(path), Progress.load(path)  # two notebooks' kernels
    other = replace(RESULT, lesson="02-stages", step="create_stage")
    first.record(RESULT)
    second.record(other)
    second.reveal("02-stages/create_stage", "hint")
    first.reveal("01-default-stage/quick_create", "solution")
    assert set(Progress.load(path).results) == {
        "01-default-stage/quick_create",
        "02-stages/create_stage",
    }
    assert Progress.load(path).revealed == {
        "02-stages/create_stage": ["hint"],
        "01-default-stage/quick_create": ["solution"],
    }
    second.forget("01-default-stage")  # lab.reset() in one kernel ...
    first.record(replace(RESULT, step="call_default_stage"))  # ... seen by the other
    assert set(Progress.load(path).results) == {
        "01-default-stage/call_default_stage",
        "02-stages/create_stage",
    }


def test_a_file_broken_while_a_lab_runs_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    progress.record(RESULT)
    path.write_text("{not json")
    progress.record(replace(RESULT, step="call_default_stage"))
    [aside] = [tmp_path / p for p in _files(tmp_path) if p != "progress.json"]
    assert aside.read_text() == "{not json"
    assert progress.notices == [
        f"Your progress file {path} could not be read (no line of it is a gwlab result); "
        f"the file as it was is kept as {aside.name}."
    ]  # and what this kernel knew is written back
    assert set(Progress.load(path).results) == {
        "01-default-stage/quick_create",
        "01-default-stage/call_default_stage",
    }


def test_a_broken_file_keeps_this_kernel_s_exercises_too(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    record = ExerciseRecord("02-stages", "staging_stage", "failed", "m", 1, None, "t", 1)
    progress.exercise(record.key, lambda old: record)
    path.write_text("{not json")
    progress.record(RESULT)  # reads the broken file, sets it aside, writes back what it knew
    again = Progress.load(path)
    assert again.exercises == {record.key: record}
    assert set(again.results) == {"01-default-stage/quick_create"}
    assert len(_files(tmp_path)) == 2  # the file and the copy set aside


@pytest.mark.parametrize(
    "garbage",
    [
        "{not json",
        '{"format": 99, "results": {}}',
        "[]",
        '{"format": 1, "results": {"x": {"bad": 1}}}',
    ],
)
def test_an_unreadable_file_is_set_aside_with_a_message(tmp_path: Path, garbage: str) -> None:
    path = tmp_path / "progress.json"
    path.write_text(garbage)
    progress = Progress.load(path)
    assert progress.results == {}
    (notice,) = progress.notices
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.unreadable-")]
    assert len(aside) == 1 and aside[0].read_text() == garbage
    assert aside[0].name in notice and "could not be read" in notice
    assert Progress.load(path).results == {}  # a fresh file
    progress.record(RESULT)
    assert Progress.load(path).results  # a fresh file works


def test_the_lab_shows_the_notice_and_carries_on(tmp_path: Path, kernel_session: None) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{truncated")
    lab = Lab("00", progress=path)
    assert any("could not be read" in n for n in lab.notices)
    assert "could not be read" in repr(lab)
    assert lab.run("check_backend").passed
    assert list(lab.results["step"]) == ["check_backend"]


def test_progress_survives_a_kernel_restart(tmp_path: Path) -> None:
    """A new Python process (as after a restart) reads what the last one recorded.

    Its backend is new, so the step's prerequisite runs again; the record stays.
    """
    path = tmp_path / "progress.json"
    script = (
        "import sys, gwlab\n"
        f"lab = gwlab.Lab('01', progress={str(path)!r})\n"
        "print(lab.run(sys.argv[1], with_prerequisites=True).status)\n"
        "print(','.join(lab.results['step']))\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", script, "deploy_function"],
        capture_output=True,
        text=True,
        check=True,
    )
    second = subprocess.run(
        [sys.executable, "-c", script, "quick_create"], capture_output=True, text=True, check=True
    )
    assert first.stdout.split() == ["passed", "deploy_function"]
    assert second.stdout.split() == ["passed", "deploy_function,quick_create"]
