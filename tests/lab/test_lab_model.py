"""The lab model outside the course's happy path: out of order, failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gwlab.lab import Lab
from gwlab.lab.session import close_session, current_session
from gwlab.lessons import LESSONS


@pytest.mark.parametrize("lesson", LESSONS[1:], ids=[lesson.id for lesson in LESSONS[1:]])
def test_out_of_order_steps_say_what_comes_first(
    lesson: Any, tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab(lesson.id, progress=tmp_path / "progress.json")
    assert lab.notices == [], lab.notices  # earlier lessons were rebuilt
    for step in lesson.steps:
        own = [r for r in step.requires if "/" not in r]
        if not own:
            continue
        result = lab.run(step.id)
        assert result.status == "blocked", repr(result)
        assert result.message == f"run {lesson.id}/{own[0]} first (this step builds on it)"
    last = lesson.steps[-1]
    done = lab.run(last.id, with_prerequisites=True)
    assert done.status == "passed", repr(done)


def test_a_failing_aws_call_is_a_red_row_not_a_traceback(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("02", progress=tmp_path / "progress.json")
    apigw = lab.env.client("apigatewayv2")
    api_id = current_session().state.ids["api_id"]
    apigw.delete_api(ApiId=api_id)  # the learner deleted the API behind the lab's back
    result = lab.run("create_stage")
    assert result.status == "failed"
    assert result.error_code == "NotFoundException"
    assert result.message == f"Invalid API identifier specified {api_id}"
    assert "AWS error: NotFoundException" in repr(result)


def test_rebuilding_replays_actions_only_and_builds_what_checked_runs_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None
) -> None:
    from test_course import inventory

    from gwlab.lab import runner
    from gwlab.lessons import lesson_by_id, lessons_before

    evaluated: list[str] = []
    evaluate = runner._evaluate

    def counting(check: Any, *args: Any) -> Any:
        evaluated.append(check.description)
        return evaluate(check, *args)

    monkeypatch.setattr(runner, "_evaluate", counting)
    lab = Lab("09", progress=tmp_path / "progress.json")
    assert lab.notices == [] and evaluated == []  # no check ran
    assert lab.progress.results == {}  # a rebuild is not the learner's progress
    rebuilt = inventory(lab.env)
    close_session()
    # The same steps run and checked one by one, as a learner runs them:
    checked = runner.Runner(current_session(), lesson_by_id)
    for earlier in lessons_before("09-review"):
        for step in earlier.steps:
            if step.replay:
                result = checked.run(earlier, step.id)
                assert result.status == "passed" and result.checks, repr(result)
    assert inventory(checked.session.env) == rebuilt


def test_lab_preflight_asks_what_a_browser_asks(tmp_path: Path, kernel_session: None) -> None:
    """A JSON PUT's preflight names content-type; a header CORS does not allow is refused."""
    lab = Lab("07", progress=tmp_path / "progress.json")
    assert lab.run("explicit_routes", with_prerequisites=True).passed
    url = "https://api.example.com/items"
    allowed = lab.preflight(url, origin="https://example.com")
    assert allowed.status == 204
    assert "content-type" in allowed.headers["access-control-allow-headers"].lower()
    refused = lab.preflight(url, origin="https://example.com", request_headers=("x-trace",))
    assert "access-control-allow-origin" not in refused.headers
    assert "x-trace is not in AllowHeaders" in repr(refused.trace)
