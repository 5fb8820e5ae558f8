"""Running a step again, at any later point, gives a truthful result and keeps the pass.

Issue 16, item 1: run every notebook twice in one kernel, or go back to an earlier lesson,
and 9 (or 12) of 52 steps used to turn red — their checks were about a moment that had
passed ("the stage has no deployment yet" after the deployment), and the failure replaced
the recorded pass. A check that holds only until a later step runs now names that step
(``until``): once it has passed, such a check is shown as past and not counted, and a step
made only of such checks says so (status ``past``) without touching its recorded result.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from gwlab.lab import Lab, StepResult
from gwlab.lab.progress import Progress
from gwlab.lab.runner import recorded
from gwlab.lessons import LESSONS, course_order, lesson_by_id

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: A second run may show ``past`` where the first passed; nothing else may change.
RED = {"failed", "blocked", "invalid"}


@pytest.fixture
def progress(tmp_path: Path, kernel_session: None) -> Iterator[Path]:
    """A fresh progress file, in a kernel with no session yet."""
    yield tmp_path / "progress.json"


def run_notebook(path: Path, namespace: dict[str, Any]) -> list[StepResult]:
    """Run ``path``'s code cells in ``namespace`` as a kernel would; the step results shown."""
    results = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                value = eval(compile(cell.source, path.name, "eval"), namespace)
            except SyntaxError:
                exec(compile(cell.source, path.name, "exec"), namespace)
                value = None
        if isinstance(value, StepResult):
            results.append(value)
    return results


def changes(first: list[StepResult], second: list[StepResult]) -> list[str]:
    """Each result of ``second`` whose status differs from the same cell's in ``first``."""
    assert [(r.lesson, r.step) for r in first] == [(r.lesson, r.step) for r in second]
    return [
        f"{a.lesson}/{a.step}: {a.status} -> {b.status}: {b.message}"
        for a, b in zip(first, second, strict=True)
        if a.status != b.status
    ]


def stored(progress: Path) -> dict[str, str]:
    """The status the progress file holds for each step."""
    return {key: result.status for key, result in Progress.load(progress).results.items()}


@pytest.mark.parametrize("order", ["each twice", "all again"])
def test_running_the_notebooks_again_turns_no_pass_red(
    order: str, progress: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each notebook twice in a row, or lessons 0-8 and then all of them again (revisits)."""
    monkeypatch.setenv("GWLAB_PROGRESS", str(progress))
    monkeypatch.chdir(ROOT / "notebooks")
    namespace: dict[str, Any] = {}
    early = [path for path in NOTEBOOKS if not path.name.startswith("09")]
    first: list[StepResult] = []
    second: list[StepResult] = []
    if order == "each twice":
        for path in NOTEBOOKS:
            first += run_notebook(path, namespace)
            second += run_notebook(path, namespace)
    else:
        for path in early:
            first += run_notebook(path, namespace)
        before = stored(progress)
        for path in early:
            second += run_notebook(path, namespace)
        assert {k: s for k, s in stored(progress).items() if before.get(k) == "passed"} == {
            k: "passed" for k, s in before.items() if s == "passed"
        }
    assert len(first) > 40
    changed = changes(first, second)
    assert not [line for line in changed if line.split(": ")[1].split(" -> ")[1] in RED], changed
    assert all(" -> past: " in line for line in changed), changed
    past = [r for r in second if r.status == "past"]
    assert past and not any(recorded(r) for r in past)
    if order == "all again":  # lesson 1's "no route but $default" moment ended in lesson 2
        assert "01-default-stage/call_default_stage: passed -> past" in " ".join(changed)


def test_a_check_that_held_until_a_later_step_is_shown_past_and_not_counted(
    progress: Path,
) -> None:
    lab = Lab("02", progress=progress)
    assert lab.run("create_stage").status == "passed"
    assert lab.run("deploy_stage").status == "passed"
    again = lab.run("create_stage")
    assert again.status == "passed", repr(again)  # AutoDeploy is still false: it counts
    assert [c.status for c in again.checks] == ["passed", "past", "past"]
    assert again.checks_passed == "1/1 +2 past"
    assert all(c.past == "Deploy to prod" for c in again.checks[1:])
    assert "held before 'Deploy to prod' ran; now: " in repr(again)
    html = again._repr_html_()
    assert "held until “Deploy to prod” ran; not counted now" in html
    assert "status: past" in html
    # the record keeps which checks were past, and reads back the same
    assert lab.last("create_stage") == again
    assert Progress.load(progress).results["02-stages/create_stage"] == again


def test_a_past_check_still_fails_when_the_step_that_ends_it_has_not_run(
    progress: Path,
) -> None:
    """Only a later step of the lab ends a moment: a change of the learner's is a failure."""
    lab = Lab("02", progress=progress)
    assert lab.run("create_stage").status == "passed"
    apigw = lab.env.client("apigatewayv2")
    apigw.create_deployment(ApiId=lab.ids["api_id"], StageName="prod")  # by hand, not the step
    result = lab.run("create_stage")
    assert result.status == "failed", repr(result)
    assert [c.status for c in result.checks] == ["passed", "failed", "failed"]
    assert lab.last("create_stage") == result


def test_a_step_made_only_of_a_past_moment_keeps_its_recorded_pass(progress: Path) -> None:
    lab = Lab("05", progress=progress)
    shown = lab.run("forgotten_mapping")
    assert shown.status == "passed", repr(shown)
    assert lab.run("map_root").status == "passed"
    again = lab.run("forgotten_mapping")
    assert again.status == "past", repr(again)
    assert "before “Map the root to $default”, which has run since" in again.message
    assert "its earlier result stands" in again.message
    assert again.checks[0].status == "past"
    assert lab.last("forgotten_mapping") == shown  # not recorded over the pass
    assert Progress.load(progress).results["05-api-mappings/forgotten_mapping"] == shown
    assert lab.shown("forgotten_mapping").status == 200  # what the request got, now


def test_a_mistake_that_can_no_longer_be_provoked_says_why(progress: Path) -> None:
    lab = Lab("04", progress=progress)
    assert lab.run("request_certificate").status == "passed"
    provoked = lab.run("wrong_region")
    assert provoked.status == "passed", repr(provoked)
    assert lab.run("create_domain_name").status == "passed"
    again = lab.run("wrong_region")
    assert again.status == "past", repr(again)
    assert again.message.startswith(
        "AWS answered ConflictException: The domain name resource already exists. "
        "This step shows what happens before “Create the custom domain name”"
    )
    assert lab.last("wrong_region") == provoked


def test_a_moment_step_never_seen_points_at_a_reset(progress: Path) -> None:
    """Skipped, then run after the step that ends its moment: nothing is claimed."""
    lab = Lab("05", progress=progress)
    assert lab.run("map_root").status == "passed"
    late = lab.run("forgotten_mapping")
    assert late.status == "past"
    assert "lab.reset() starts the lesson again in a fresh environment" in late.message
    assert lab.last("forgotten_mapping") is None
    lab.reset()
    assert lab.run("forgotten_mapping").status == "passed"


def test_every_until_names_a_later_step_of_the_course() -> None:
    """A moment can only be ended by a step that comes after it, and that step exists."""
    order = course_order()
    found = 0
    for lesson in LESSONS:
        for step in lesson.steps:
            keys = set(step.until) | {key for check in step.checks for key in check.until}
            for key in keys:
                full = lesson.key(key)
                other, step_id = full.split("/")
                lesson_by_id(other).step(step_id)  # raises for a step that does not exist
                assert order.index(full) > order.index(lesson.key(step.id)), (step.id, key)
                found += 1
    assert found >= 11  # lesson 8's fix steps (and their moments) went in issue 19


def test_every_status_has_a_symbol_and_only_past_is_never_stored() -> None:
    from typing import get_args

    from gwlab.lab import progress, results

    assert set(get_args(results.Status)) == set(results.ALL_STATUSES)
    assert set(results.STATUS_SYMBOLS) == {*results.ALL_STATUSES, "not run"}
    assert set(results.ALL_STATUSES) - progress.STATUSES == {"past"}
