"""Every step of every lesson, in course order: run, verify, re-run, bad input, clean-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.lab import Lab
from gwlab.lab.session import close_session
from gwlab.lessons import LESSONS

#: For each parameter name, a value a learner might mistype, and what the message says.
BAD_VALUES = {
    "stage_name": ("pro d", "stage names only allow"),
    "variables": ("TABLE NAME=x", "Invalid stage variable name"),
    "mapping_key": ("/v1", "should not start with a '/'"),
    "route_key": ("GET /items/", "may not end with '/'"),
    "routes": ("GET /items, items", "Invalid route key 'items'"),
    "origins": ("https://*.example.com", "Invalid CORS allow-origin"),
    "methods": ("FETCH", "Invalid CORS allow-method"),
    "headers": ("Content Type", "'Content Type' is not an HTTP header name"),
    "max_age": ("forever", "not a whole number"),
    "source": ("def handler(event, context:\n", "line 1"),
    "domain_name": ("localhost", "Invalid domain name"),
    "record_name": ("api..example.com", "Invalid domain name"),
    "zone_name": ("com", "Invalid domain name"),
    "name": ("LOG-LEVEL", "Invalid stage variable name"),
    "region": ("mars-1", "not an AWS region name"),
    "seconds": ("60", "use 0 to 10 seconds"),
    "url": ("api.example.com/v1/items", "use a full URL"),
    "api_name": ("", "an API name has 1 to 128 characters"),
}
STEPS = [(lesson.id, step.id) for lesson in LESSONS for step in lesson.steps]


def inventory(env: gwlab.LabEnv) -> dict[str, Any]:
    """What the backend holds, as learners would see it (deployment ids left out)."""
    apigw = env.client("apigatewayv2")
    found: dict[str, Any] = {}
    for api in apigw.get_apis()["Items"]:
        found[f"api {api['Name']}"] = {
            "stages": sorted(
                (s["StageName"], s.get("AutoDeploy"), tuple(sorted(s.get("StageVariables", {}))))
                for s in apigw.get_stages(ApiId=api["ApiId"])["Items"]
            ),
            "routes": sorted(r["RouteKey"] for r in apigw.get_routes(ApiId=api["ApiId"])["Items"]),
            "integrations": len(apigw.get_integrations(ApiId=api["ApiId"])["Items"]),
            "cors": api.get("CorsConfiguration"),
        }
    for domain in apigw.get_domain_names()["Items"]:
        name = domain["DomainName"]
        found[f"domain {name}"] = sorted(
            (m.get("ApiMappingKey", ""), m["Stage"])
            for m in apigw.get_api_mappings(DomainName=name)["Items"]
        )
    route53 = env.client("route53")
    for zone in route53.list_hosted_zones()["HostedZones"]:
        records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        found[f"zone {zone['Name']}"] = sorted((r["Name"], r["Type"]) for r in records)
    for region in ("us-east-1", "us-west-2"):
        certificates = env.client("acm", region).list_certificates()["CertificateSummaryList"]
        found[f"certificates {region}"] = sorted(c["DomainName"] for c in certificates)
    functions = env.client("lambda").list_functions()["Functions"]
    found["functions"] = sorted(f["FunctionName"] for f in functions)
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Lab]]:
    """One session for the whole course; a Lab per lesson, made when its first step runs."""
    close_session()
    labs: dict[str, Lab] = {}
    yield labs
    close_session()


def _lab(course: dict[str, Lab], lesson_id: str, progress: Path) -> Lab:
    if lesson_id not in course:
        course[lesson_id] = Lab(lesson_id, progress=progress)
    return course[lesson_id]


@pytest.mark.shared_env
@pytest.mark.parametrize(
    ("lesson_id", "step_id"), STEPS, ids=[f"{lesson}/{step}" for lesson, step in STEPS]
)
def test_step_runs_verifies_reruns_and_refuses_bad_input(
    course: dict[str, Lab], lesson_id: str, step_id: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    progress = tmp_path_factory.getbasetemp() / "course-progress.json"
    lab = _lab(course, lesson_id, progress)
    step = lab.lesson.step(step_id)

    # In course order every prerequisite has passed already; a case selected alone (-k)
    # runs its lesson's missing ones first.
    first = lab.run(step_id, with_prerequisites=True)
    assert first.status == "passed", repr(first)
    assert "\n" not in first.message
    if step.checks:
        verified = lab.verify(step_id)
        assert verified.status == "passed", repr(verified)

    before = inventory(lab.env)
    again = lab.run(step_id)
    assert again.status == "passed", repr(again)
    assert inventory(lab.env) == before, "re-running the step changed the backend"

    for param in step.params:
        bad, words = BAD_VALUES[param.name]
        refused = lab.run(step_id, **{param.name: bad})
        assert refused.status == "invalid", (param.name, repr(refused))
        assert words in refused.message and "\n" not in refused.message
        assert refused.message.startswith(f"{param.label}: ")
        assert inventory(lab.env) == before, f"a bad {param.name} changed the backend"
    assert lab.last(step_id) is not None


@pytest.mark.shared_env
def test_cleanup_deletes_everything_the_course_made(
    course: dict[str, Lab], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # After the cases above, or alone (-k): then the Lab rebuilds the whole course first.
    lab = _lab(course, "09-review", tmp_path_factory.getbasetemp() / "course-progress.json")
    table = lab.cleanup()
    assert set(table["outcome"]) == {"deleted"}
    assert list(table["kind"]).index("api_mapping") < list(table["kind"]).index("domain_name")
    assert list(table["kind"]).index("record") < list(table["kind"]).index("hosted_zone")
    assert list(table["kind"]).index("domain_name") < list(table["kind"]).index("certificate")
    left = inventory(lab.env)
    assert [k for k, v in left.items() if v] == [], left
    assert lab.cleanup().empty  # nothing left to delete


EXERCISES = [(lesson, exercise) for lesson in LESSONS for exercise in lesson.exercises]


@pytest.mark.shared_env  # runs while the course's session (module fixture) is open
@pytest.mark.parametrize(
    ("lesson", "exercise"), EXERCISES, ids=[f"{les.id}/{ex.id}" for les, ex in EXERCISES]
)
def test_every_exercise_is_authored_whole(lesson: Any, exercise: Any) -> None:
    """A task, escalating hints, typical mistakes each with its own words, known prerequisites.

    Whether the solution passes and each mistake fails is test_exercise_solutions.py's.
    """
    assert exercise.id not in lesson.step_ids, "an exercise and a step of one name"
    assert lesson.exercise_ids.count(exercise.id) == 1
    assert exercise.title and exercise.task.strip() and "\n" not in exercise.title
    assert len(exercise.hints) >= 2 and all(hint.strip() for hint in exercise.hints)
    assert len(exercise.mistakes) >= 2
    says = [mistake.says for mistake in exercise.mistakes]
    assert all(says) and len(set(says)) == len(says), says
    known = {lesson_.key(step.id) for lesson_ in LESSONS for step in lesson_.steps}
    assert {lesson.key(required) for required in exercise.requires} <= known


@pytest.mark.shared_env
def test_every_lesson_but_the_welcome_has_an_exercise() -> None:
    assert [lesson.id for lesson in LESSONS if not lesson.exercises] == ["00-welcome"]
