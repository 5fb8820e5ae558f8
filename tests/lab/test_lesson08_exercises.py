"""Lesson 8, diagnose-and-fix: the lab breaks each case, the learner's own call fixes it.

For each case, in a fresh lab: the step that breaks it, then the check says "not
attempted"; the reference solution (its boto3 form, and its ``aws`` commands through
``%aws``'s runner when that exists) passes; each typical mistake fails with its own
message; running the step again undoes a fix. Everything goes through the embedded
AWS and the local gateway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from gwlab.awscli_runner import run_cli
from gwlab.lab import Lab
from gwlab.lab.code import boto3_code, calls_from_cli
from gwlab.lab.exercise import Exercise, Feedback, boto3_solution, run_check
from gwlab.lab.session import close_session
from gwlab.lessons.l08_troubleshooting import EU_SITE, FRONTEND_URL, LESSON, STATUS_SITE

HOW = ["boto3", "aws"]
CASES = [STATUS_SITE, EU_SITE, FRONTEND_URL]
MISTAKES = [(exercise, mistake) for exercise in CASES for mistake in exercise.mistakes]


@pytest.fixture
def fresh(tmp_path: Path, kernel_session: None) -> Iterator[Callable[[Exercise], Lab]]:
    """``fresh(exercise)``: a new lab of lesson 8 (its own session), the case broken."""
    numbers = count()

    def make(exercise: Exercise) -> Lab:
        close_session()
        lab = Lab("08", progress=tmp_path / f"progress{next(numbers)}.json")
        (step,) = exercise.requires
        result = lab.run(step, with_prerequisites=True)
        assert result.passed, repr(result)
        return lab

    yield make


def check(lab: Lab, exercise: Exercise) -> Feedback:
    return run_check(exercise, lab.context())


def run(lab: Lab, commands: tuple[str, ...], how: str = "boto3") -> list[str]:
    """Each command as the learner would type it; the ones AWS refused."""
    refused = []
    for command in commands:
        if how == "aws":
            result = run_cli(command, env=lab.env)
            if result.error:
                refused.append(str(result.error))
            continue
        code = boto3_code(calls_from_cli(command, region=lab.env.region), region=lab.env.region)
        try:
            exec(compile(code, "<learner>", "exec"), {"lab": lab})
        except ClientError as error:
            refused.append(error.response["Error"]["Code"])
    return refused


# --- what the lesson is made of --------------------------------------------------------------


def test_the_lesson_builds_each_case_and_fixes_none() -> None:
    assert LESSON.exercise_ids == ["status_site", "eu_site", "frontend_url"]
    assert LESSON.step_ids == ["broken_status_site", "broken_eu_site", "broken_frontend_url"]
    assert [exercise.requires for exercise in CASES] == [(step,) for step in LESSON.step_ids]
    for step in LESSON.steps:  # no field to fill in, so none holds an answer
        assert step.params == ()
        assert "fix" not in step.id and step.replay is False
    for exercise in CASES:
        assert len(exercise.hints) >= 2 and len(exercise.mistakes) >= 2
        assert len({mistake.says for mistake in exercise.mistakes}) == len(exercise.mistakes)


# --- each case: broken, solved, broken again -------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("exercise", CASES, ids=[e.id for e in CASES])
def test_broken_is_not_attempted_the_solution_passes_and_the_step_breaks_it_again(
    fresh: Callable[[Exercise], Lab], exercise: Exercise, how: str
) -> None:
    lab = fresh(exercise)
    before = check(lab, exercise)
    assert before.status == "not attempted", before
    commands = exercise.solution(lab.context())
    if how == "boto3":
        exec(compile(boto3_solution(exercise, lab.context()), "<solution>", "exec"), {"lab": lab})
    else:
        assert run(lab, commands, "aws") == []
    after = check(lab, exercise)
    assert after.status == "passed", after
    assert "\n" not in after.message
    again = lab.run(exercise.requires[0])
    assert again.passed, repr(again)
    assert check(lab, exercise) == before


def test_case_1_the_request_really_answers_403_then_200_from_prod(
    fresh: Callable[[Exercise], Lab],
) -> None:
    lab = fresh(STATUS_SITE)
    url = "https://status.example.com/items"
    response = lab.request("GET", url)
    assert response.status == 403 and response.json() == {"message": "Forbidden"}
    assert run(lab, STATUS_SITE.solution(lab.context())) == []
    served = lab.request("GET", url)
    assert served.status == 200 and served.event["requestContext"]["stage"] == "prod"


def test_case_2_the_step_shows_awss_message_and_the_solution_uses_the_teams_other_certificate(
    fresh: Callable[[Exercise], Lab],
) -> None:
    lab = fresh(EU_SITE)
    result = lab.last("broken_eu_site")
    assert result is not None
    assert "Certificate must be in 'us-east-1'" in result.message
    domain_line, mapping_line = EU_SITE.solution(lab.context())
    arns = [
        item["CertificateArn"]
        for item in lab.env.client("acm").list_certificates()["CertificateSummaryList"]
        if item["DomainName"] == "eu.example.com"
    ]
    assert len(arns) == 1 and f"CertificateArn={arns[0]}" in domain_line
    assert "create-api-mapping" in mapping_line and "--stage prod" in mapping_line


def test_case_3_the_fix_keeps_the_other_paths_working(fresh: Callable[[Exercise], Lab]) -> None:
    lab = fresh(FRONTEND_URL)
    assert lab.request("GET", "https://api.example.com/prod/items").status == 404
    assert run(lab, FRONTEND_URL.solution(lab.context())) == []
    for path, stage in (("/prod/items", "prod"), ("/v1/items", "prod"), ("/items", "$default")):
        response = lab.request("GET", f"https://api.example.com{path}")
        assert response.status == 200, path
        assert response.event["requestContext"]["stage"] == stage
        assert response.event["rawPath"] == "/items"


# --- typical mistakes ------------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    ("exercise", "mistake"), MISTAKES, ids=[f"{e.id}/{m.what}" for e, m in MISTAKES]
)
def test_a_typical_mistake_fails_with_its_own_message(
    fresh: Callable[[Exercise], Lab], exercise: Exercise, mistake: Any, how: str
) -> None:
    lab = fresh(exercise)
    assert run(lab, mistake.commands(lab.context()), how) == []  # AWS accepts each call
    feedback = check(lab, exercise)
    assert feedback.status == "failed", feedback
    assert mistake.says in feedback.message, feedback.message
    assert "\n" not in feedback.message
    others = [m.says for m in exercise.mistakes if m is not mistake]
    assert not any(says in feedback.message for says in others), feedback.message


def test_case_3_the_root_re_pointed_as_well_as_the_fix_says_to_put_it_back(
    fresh: Callable[[Exercise], Lab],
) -> None:
    lab = fresh(FRONTEND_URL)
    re_point = FRONTEND_URL.mistakes[0].commands(lab.context())
    run(lab, (*re_point, *FRONTEND_URL.solution(lab.context())))
    feedback = check(lab, FRONTEND_URL)
    assert feedback.status == "failed"
    assert "now answers from stage `prod`, not `$default` as before" in feedback.message


def test_a_case_whose_domain_was_deleted_says_how_to_rebuild_it(
    fresh: Callable[[Exercise], Lab],
) -> None:
    lab = fresh(STATUS_SITE)
    lab.env.client("apigatewayv2").delete_domain_name(DomainName="status.example.com")
    feedback = check(lab, STATUS_SITE)
    assert feedback.status == "failed"
    assert "no longer a custom domain name" in feedback.message
    assert "run Case 1's step again" in feedback.message
    assert lab.run("broken_status_site").passed
    assert check(lab, STATUS_SITE).status == "not attempted"


def test_what_a_check_finds_is_cleaned_up(fresh: Callable[[Exercise], Lab]) -> None:
    lab = fresh(EU_SITE)
    run(lab, EU_SITE.solution(lab.context()))
    assert check(lab, EU_SITE).passed
    report = lab.cleanup()
    deleted = report[report["outcome"] == "deleted"]
    assert {"eu.example.com"} <= set(deleted[deleted["kind"] == "domain_name"]["id"])
    assert not report["outcome"].str.startswith("failed").any(), report
    assert lab.env.client("apigatewayv2").get_domain_names()["Items"] == []
