"""Every exercise of the course, proved the way issue 19 asks (section 3).

For each exercise, in a fresh lab of its lesson with its required steps run: doing
nothing is "not attempted"; the reference solution passes, once as the boto3 code the
lab shows and once as its ``aws`` commands through ``%aws``'s runner; each typical
mistake fails with its own message. The exercises are read from the course, so this
covers every lesson's as it lands.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gwlab.awscli_runner import run_cli
from gwlab.lab import Lab
from gwlab.lab.code import calls_from_cli
from gwlab.lab.exercise import Exercise, Mistake, boto3_solution
from gwlab.lab.plugins import course

LESSONS = course().LESSONS
EXERCISES = [(lesson.id, exercise) for lesson in LESSONS for exercise in lesson.exercises]
IDS = [f"{lesson_id}/{exercise.id}" for lesson_id, exercise in EXERCISES]
MISTAKES = [
    (lesson_id, exercise, mistake)
    for lesson_id, exercise in EXERCISES
    for mistake in exercise.mistakes
]
MISTAKE_IDS = [
    f"{lesson_id}/{exercise.id}/{mistake.what}" for lesson_id, exercise, mistake in MISTAKES
]


@pytest.fixture
def fresh(tmp_path: Path, kernel_session: None) -> Iterator[Any]:
    """``fresh(lesson_id, exercise)``: a new lab of the lesson, the exercise's steps run."""
    counter = iter(range(1000))

    def make(lesson_id: str, exercise: Exercise) -> Lab:
        from gwlab.lab.session import close_session

        close_session()  # each lab its own kernel session: nothing left from the last one
        lab = Lab(lesson_id, progress=tmp_path / f"p{next(counter)}.json")
        assert lab.notices == []
        for step in exercise.requires:
            if "/" in step and not step.startswith(f"{lesson_id}/"):
                # Another lesson's step: the lab rebuilt it (lab.check refuses otherwise).
                assert step in lab.context().state.passed, f"{step} was not rebuilt"
                continue
            result = lab.run(step.split("/")[-1], with_prerequisites=True)
            assert result.passed, repr(result)
        return lab

    yield make


def check(lab: Lab, exercise: Exercise) -> Any:
    """What ``lab.check`` finds (and records), as the learner would call it."""
    return lab.check(exercise.id)


def run_aws(lab: Lab, commands: tuple[str, ...]) -> list[str]:
    """Each command through ``%aws``'s runner; the one-line errors of those refused."""
    return [
        f"{result.error}: {command}"
        for command in commands
        if (result := run_cli(command, env=lab.env)).error
    ]


def attempt(lab: Lab, mistake: Mistake) -> list[str]:
    """A mistake's commands, through ``%aws``'s runner, as a learner would type them."""
    return run_aws(lab, mistake.commands(lab.context()))


# --- what every exercise is made of -------------------------------------------------------------


def test_every_lesson_from_01_to_09_has_an_exercise() -> None:
    numbered = [lesson for lesson in LESSONS if "01" <= lesson.id[:2] <= "09"]
    assert len(numbered) == 9
    assert [lesson.id for lesson in numbered if not lesson.exercises] == []


@pytest.mark.parametrize(("lesson_id", "exercise"), EXERCISES, ids=IDS)
def test_an_exercise_has_a_task_two_hints_and_two_mistakes(
    lesson_id: str, exercise: Exercise
) -> None:
    assert exercise.task.strip() and exercise.title.strip()
    assert len(exercise.hints) >= 2 and all(hint.strip() for hint in exercise.hints)
    assert len(exercise.mistakes) >= 2
    assert len({m.says for m in exercise.mistakes}) == len(exercise.mistakes)
    lesson = next(x for x in LESSONS if x.id == lesson_id)
    for step in exercise.requires:
        owner = step.split("/")[0] if "/" in step else lesson_id
        assert step.split("/")[-1] in next(x for x in LESSONS if x.id == owner).step_ids
    assert lesson.exercise(exercise.id) is exercise


# --- doing nothing, and the reference solution ---------------------------------------------------


@pytest.mark.parametrize(("lesson_id", "exercise"), EXERCISES, ids=IDS)
def test_nothing_done_is_not_attempted_and_the_boto3_solution_passes(
    fresh: Any, lesson_id: str, exercise: Exercise
) -> None:
    lab = fresh(lesson_id, exercise)
    before = check(lab, exercise)
    assert before.status == "not attempted", before
    assert before.message.strip()
    commands = exercise.solution(lab.context())
    assert commands and all(command.startswith("aws ") for command in commands)
    for command in commands:  # each one a real AWS CLI command (awscli's parser says so)
        assert len(calls_from_cli(command, region=lab.env.region)) == 1, command
    source = boto3_solution(exercise, lab.context())
    exec(compile(source, "<solution>", "exec"), {"lab": lab})
    after = check(lab, exercise)
    assert after.status == "passed", after
    assert after.message.strip() and "\n" not in after.message


@pytest.mark.parametrize(("lesson_id", "exercise"), EXERCISES, ids=IDS)
def test_the_cli_solution_through_aws_magic_passes(
    fresh: Any, lesson_id: str, exercise: Exercise
) -> None:
    lab = fresh(lesson_id, exercise)
    assert run_aws(lab, exercise.solution(lab.context())) == []
    after = check(lab, exercise)
    assert after.status == "passed", after


# --- typical mistakes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("lesson_id", "exercise", "mistake"), MISTAKES, ids=MISTAKE_IDS)
def test_a_typical_mistake_fails_with_its_own_message(
    fresh: Any, lesson_id: str, exercise: Exercise, mistake: Mistake
) -> None:
    lab = fresh(lesson_id, exercise)
    attempt(lab, mistake)
    feedback = check(lab, exercise)
    assert feedback.status == "failed", feedback
    assert mistake.says in feedback.message, feedback.message
    assert "\n" not in feedback.message
    others = [m.says for m in exercise.mistakes if m is not mistake]
    assert not any(says in feedback.message for says in others), feedback.message


@pytest.mark.parametrize(("lesson_id", "exercise"), EXERCISES, ids=IDS)
def test_without_a_local_gateway_the_solution_passes_on_aws_state(
    fresh: Any, lesson_id: str, exercise: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against real AWS there is no local gateway or DNS server (the env refuses both, as
    here): a check then judges what AWS holds, and the reference solution still passes."""
    from gwlab.env import LabEnv
    from gwlab.errors import NoLocalDnsError, NoLocalGatewayError

    lab = fresh(lesson_id, exercise)
    exec(compile(boto3_solution(exercise, lab.context()), "<solution>", "exec"), {"lab": lab})

    def no_gateway(self: LabEnv) -> None:
        raise NoLocalGatewayError()

    def no_dns(self: LabEnv) -> None:
        raise NoLocalDnsError()

    monkeypatch.setattr(LabEnv, "gateway", property(no_gateway))
    monkeypatch.setattr(LabEnv, "dns", property(no_dns))
    after = check(lab, exercise)
    assert after.status == "passed", after
