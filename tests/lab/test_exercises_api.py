"""The exercise API: lab.exercises, lab.check, the progress records behind them, lab.results.

Lesson 02's ``staging_stage`` is the exercise used; the learner's work is real boto3
calls on the lab's environment. Every lesson's reference solution and typical
mistakes are proven by ``test_exercise_solutions.py``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from gwlab.lab import Lab
from gwlab.lab import progress as progress_module
from gwlab.lab.exercise_results import ExerciseRecord, ExerciseResult
from gwlab.lab.progress import Progress


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None) -> Lab:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWLAB_SOLUTIONS", raising=False)
    lab = Lab("02-stages", progress=tmp_path / "progress.json")
    for step in lab.steps:
        assert lab.run(step).passed
    return lab


def _stored(path: Path) -> ExerciseRecord:
    return Progress.load(path).exercises["02-stages/staging_stage"]


def test_a_check_before_any_attempt_is_recorded_as_not_attempted(lab: Lab, tmp_path: Path) -> None:
    result = lab.check("staging_stage")
    assert result.status == "not attempted" and not result.passed
    assert result.attempts == 0
    assert "no stage `staging` yet" in result.message
    stored = _stored(tmp_path / "progress.json")
    assert (stored.status, stored.attempts, stored.first_passed) == ("not attempted", 0, None)
    assert lab.check("staging_stage").attempts == 0  # never counts as an attempt


def test_a_wrong_attempt_fails_with_its_message_and_counts(lab: Lab, tmp_path: Path) -> None:
    apigw = lab.env.client("apigatewayv2")
    apigw.create_stage(ApiId=lab.ids["api_id"], StageName="staging")  # never deployed
    result = lab.check("staging_stage")
    assert result.status == "failed"
    assert result.message == (
        "stage `staging` exists, but it serves no deployment: a named stage serves nothing "
        "until you deploy it"
    )
    assert lab.check("staging_stage").attempts == 2
    stored = _stored(tmp_path / "progress.json")
    assert (stored.status, stored.attempts, stored.first_passed) == ("failed", 2, None)
    assert "\n" not in repr(result).splitlines()[0] and "Traceback" not in repr(result)


def test_the_first_pass_is_kept_on_later_checks(lab: Lab, tmp_path: Path) -> None:
    apigw = lab.env.client("apigatewayv2")
    api_id = lab.ids["api_id"]
    apigw.create_stage(ApiId=api_id, StageName="staging")
    assert lab.check("staging_stage").status == "failed"
    apigw.create_deployment(ApiId=api_id, StageName="staging")
    passed = lab.check("staging_stage")
    assert passed.passed and passed.attempts == 2 and passed.first_passed
    apigw.delete_stage(ApiId=api_id, StageName="staging")  # broken again
    later = lab.check("staging_stage")
    assert later.status == "not attempted" and later.first_passed == passed.first_passed
    stored = _stored(tmp_path / "progress.json")
    assert stored.first_passed == passed.first_passed and stored.attempts == 2


def test_auto_deploy_is_a_correct_solution(lab: Lab) -> None:
    apigw = lab.env.client("apigatewayv2")
    apigw.create_stage(ApiId=lab.ids["api_id"], StageName="staging", AutoDeploy=True)
    result = lab.check("staging_stage")
    assert result.passed, repr(result)


def test_an_unknown_exercise_is_one_line_and_not_recorded(lab: Lab) -> None:
    for result in (lab.check("stagin_stage"), lab.exercise_card("stagin_stage")):
        assert isinstance(result, ExerciseResult)
        assert result.status == "invalid"
        assert result.message == (
            "lesson 02-stages has no exercise 'stagin_stage'; its exercises are: staging_stage"
        )
    assert lab.progress.exercises == {}


def test_lab_exercises_lists_status_and_attempts(lab: Lab) -> None:
    assert repr(lab.exercises) == (
        "Exercises of 02-stages:\n  ○ staging_stage: A staging stage - not attempted (0 attempts)"
    )
    lab.env.client("apigatewayv2").create_stage(ApiId=lab.ids["api_id"], StageName="staging")
    lab.check("staging_stage")
    assert repr(lab.exercises).endswith("staging_stage: A staging stage - failed (1 attempt)")
    markup = lab.exercises._repr_html_()
    assert "<code>staging_stage</code>" in markup and "status: failed" in markup
    assert lab.exercises.ids == ["staging_stage"]


def test_results_html_with_a_dollar_is_kept_from_mathjax() -> None:
    result = ExerciseResult("05-api-mappings", "x", "X", "failed", "mapped to `$default`")
    assert "mathjax_ignore" in result._repr_html_()
    assert "<code>$default</code>" in result._repr_html_()
    plain = ExerciseResult("05-api-mappings", "x", "X", "failed", "no dollar")
    assert "mathjax_ignore" not in plain._repr_html_()
    assert repr(result) == (
        "✖ 05-api-mappings / x (check): failed - mapped to `$default`\n  attempts: 0"
    )


def test_lab_results_has_a_row_per_exercise(lab: Lab) -> None:
    lab.hint("staging_stage")
    lab.env.client("apigatewayv2").create_stage(
        ApiId=lab.ids["api_id"], StageName="staging", AutoDeploy=True
    )
    lab.check("staging_stage")
    frame = lab.results
    assert list(frame["kind"]).count("step") == len(lab.steps)  # rebuilt steps are not stored
    row = frame[frame["kind"] == "exercise"].iloc[0]
    assert (row["lesson"], row["step"], row["action"], row["status"]) == (
        "02-stages",
        "staging_stage",
        "check",
        "passed",
    )
    assert (row["attempts"], row["hints used"], row["solution revealed"]) == ("1", "1", "no")
    assert row["first passed"].startswith("20")
    assert list(frame["kind"])[-1] == "exercise"  # exercises after the steps


def test_reset_forgets_the_checks_but_keeps_what_was_revealed(lab: Lab, tmp_path: Path) -> None:
    lab.hint("staging_stage")
    lab.env.client("apigatewayv2").create_stage(ApiId=lab.ids["api_id"], StageName="staging")
    lab.check("staging_stage")
    lab.reset()
    for progress in (lab.progress, Progress.load(tmp_path / "progress.json")):
        record = progress.exercises["02-stages/staging_stage"]
        assert (record.status, record.attempts, record.hints) == ("not attempted", 0, 1)


def test_a_check_that_cannot_be_saved_says_so_and_is_kept_in_memory(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (tmp_path / "progress.json").read_bytes()

    def disk_full(*args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module, "_open", disk_full)
    lab.env.client("apigatewayv2").create_stage(ApiId=lab.ids["api_id"], StageName="staging")
    result = lab.check("staging_stage")
    assert result.status == "failed" and result.attempts == 1
    assert result.notice.startswith("Not saved: ") and "No space left" in result.notice
    assert "  note: Not saved: " in repr(result) and "role='alert'" in result._repr_html_()
    assert lab.progress.exercises["02-stages/staging_stage"].attempts == 1  # in memory
    hint = lab.hint("staging_stage")
    assert hint.level == "1 of 2" and hint.notice.startswith("Not saved: ")
    assert (tmp_path / "progress.json").read_bytes() == before


# --- the progress file ---------------------------------------------------------------------------


RECORD = ExerciseRecord(
    "02-stages", "staging_stage", "failed", "no deployment", 2, None, "2026-01-01T00:00:00", 1
)


def test_exercise_records_round_trip_and_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    record, unsaved = progress.exercise(RECORD.key, lambda old: RECORD)
    assert unsaved == "" and record == RECORD
    passed = replace(RECORD, status="passed", first_passed="t")
    progress.exercise(RECORD.key, lambda old: passed)
    header, *lines = path.read_text().splitlines()
    assert json.loads(header)["format"] == 2
    assert [json.loads(line)["exercise"]["status"] for line in lines] == ["failed", "passed"]
    assert json.loads(lines[0])["exercise"] == {
        "key": "02-stages/staging_stage",
        "status": "failed",
        "message": "no deployment",
        "attempts": 2,
        "first_passed": None,
        "at": "2026-01-01T00:00:00",
        "hints": 1,
        "solution": False,
    }
    assert Progress.load(path).exercises == {RECORD.key: passed}


def test_an_unchanged_record_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    progress.exercise(RECORD.key, lambda old: RECORD)
    size = path.stat().st_size
    progress.exercise(RECORD.key, lambda old: old or RECORD)
    assert path.stat().st_size == size


def test_two_kernels_count_each_other_s_attempts(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    first, second = Progress.load(path), Progress.load(path)

    def attempt(old: ExerciseRecord | None) -> ExerciseRecord:
        base = old or ExerciseRecord("02-stages", "staging_stage")
        return replace(base, status="failed", attempts=base.attempts + 1)

    first.exercise(RECORD.key, attempt)
    second.exercise(RECORD.key, attempt)  # reads the first kernel's line before changing
    first.exercise(RECORD.key, attempt)
    assert Progress.load(path).exercises[RECORD.key].attempts == 3


def test_a_file_without_exercise_lines_still_loads(tmp_path: Path) -> None:
    """Format 2 as gwlab wrote it before exercises: results and reveals only."""
    path = tmp_path / "progress.json"
    path.write_text(
        '{"format": 2, "gwlab": "0.1.0"}\n{"revealed": "02-stages/create_stage", "kind": "hint"}\n'
    )
    progress = Progress.load(path)
    assert progress.notices == [] and progress.exercises == {}
    assert progress.revealed == {"02-stages/create_stage": ["hint"]}


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "no-slash", "status": "passed"},
        {"key": "02-stages/x", "status": "blocked"},
        {"key": "02-stages/x", "status": "failed", "attempts": -1},
        {"key": "02-stages/x", "status": "failed", "attempts": True},
        {"key": "02-stages/x", "status": "failed", "first_passed": 3},
        "not a record",
    ],
    ids=repr,
)
def test_a_bad_exercise_line_is_set_aside_like_any_bad_line(tmp_path: Path, bad: object) -> None:
    path = tmp_path / "progress.json"
    Progress.load(path).exercise(RECORD.key, lambda old: RECORD)
    with path.open("a") as stream:
        stream.write(json.dumps({"exercise": bad}) + "\n")
    progress = Progress.load(path)
    assert progress.exercises == {RECORD.key: RECORD}  # the good line is kept
    assert progress.skipped == 1
    assert any("could not be read" in notice for notice in progress.notices)


def test_a_compacted_file_keeps_the_exercises(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text('{\n "format": 1,\n "gwlab": "0.1.0",\n "results": {\n }\n}\n')
    progress = Progress.load(path)  # format 1: the next change rewrites the whole file
    progress.exercise(RECORD.key, lambda old: RECORD)
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["format"] == 2 and len(lines) == 2
    assert Progress.load(path).exercises == {RECORD.key: RECORD}
