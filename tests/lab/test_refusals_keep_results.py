"""A refused value records nothing and changes nothing, through lab.run and the widgets.

Issue 16, items 2 and 3: a typo through ``lab.run`` used to replace a recorded pass with
``invalid``; a blank mapping key re-pointed the domain's root, a blank origin list wiped the
API's CORS origins, and source without a handler deployed (every request then answered 500).
"""

from __future__ import annotations

import builtins
import html
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_course import BAD_VALUES, inventory

from gwlab.lab import Lab
from gwlab.lab.progress import Progress
from gwlab.lessons import LESSONS, common
from gwlab.ui import LessonPanel, StepCard

BLANKS = ("", "   ", "\t", " \t\n ")
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound: Handler 'handler' missing on module 'app'"


@pytest.fixture
def progress(tmp_path: Path, kernel_session: None) -> Iterator[Path]:
    """A fresh progress file, in a kernel with no session yet (closed again afterwards)."""
    yield tmp_path / "progress.json"


def lab_at(lesson: str, progress: Path, *passed: str) -> Lab:
    """A Lab of ``lesson`` whose steps ``passed`` have been run and passed."""
    lab = Lab(lesson, progress=progress)
    for step in passed:
        result = lab.run(step)
        assert result.status == "passed", repr(result)
    return lab


def mappings(lab: Lab) -> list[tuple[str, str, str]]:
    """The course domain's API mappings: (key, stage, api id)."""
    items = lab.env.client("apigatewayv2").get_api_mappings(DomainName=common.DOMAIN)["Items"]
    return sorted((m.get("ApiMappingKey", ""), m["Stage"], m["ApiId"]) for m in items)


def cors(lab: Lab) -> Any:
    """The course API's CORS configuration."""
    api = lab.env.client("apigatewayv2").get_api(ApiId=lab.ids["api_id"])
    return api.get("CorsConfiguration")


def function_code(lab: Lab) -> tuple[str, str]:
    """The course function's code hash and handler setting."""
    found = lab.env.client("lambda").get_function(FunctionName=common.EMULATED.function)
    return found["Configuration"]["CodeSha256"], found["Configuration"]["Handler"]


def recorded(lab: Lab, step: str) -> tuple[str, str | None, str]:
    """What the progress file says of ``step``: its text, a fresh reader's status, the table's."""
    key = lab.lesson.key(step)
    fresh = Progress.load(lab.progress.path).results.get(key)
    table = lab.results
    rows = table[(table["lesson"] == lab.lesson.id) & (table["step"] == step)]
    return (
        lab.progress.path.read_text(encoding="utf-8"),
        fresh.status if fresh is not None else None,
        str(rows["status"].iloc[0]) if not rows.empty else "",
    )


def assert_refused(result: Any, label: str, words: str = "") -> None:
    """An ``invalid`` result: one line, naming the field."""
    assert result.status == "invalid", repr(result)
    assert result.message.startswith(f"{label}: ") and words in result.message, result.message
    assert "\n" not in result.message and "\n" not in repr(result)


# --- item 2: a refusal through lab.run keeps the recorded pass --------------------------------

PASSED_THEN_TYPO = [
    ("01", "deploy_function", ()),
    ("02", "create_stage", ()),
    ("05", "map_v1", ("map_root",)),
    ("07", "configure_cors", ()),
]


@pytest.mark.parametrize(
    ("lesson", "step", "before"),
    PASSED_THEN_TYPO,
    ids=[f"{lesson}/{step}" for lesson, step, _ in PASSED_THEN_TYPO],
)
def test_a_typo_through_lab_run_keeps_the_recorded_pass(
    progress: Path, lesson: str, step: str, before: tuple[str, ...]
) -> None:
    lab = lab_at(lesson, progress, *before, step)
    kept = recorded(lab, step)
    assert kept[1:] == ("passed", "passed")
    backend = inventory(lab.env)
    for param in lab.lesson.step(step).params:
        for bad in (BAD_VALUES[param.name][0], *BLANKS):
            typed: dict[str, Any] = {param.name: bad}
            refused = lab.run(step, **typed)
            assert_refused(refused, param.label)  # the caller still gets the refusal
            assert recorded(lab, step) == kept, f"{param.name}={bad!r} changed the record"
            assert lab.status(step) == "passed"
            assert inventory(lab.env) == backend, f"{param.name}={bad!r} changed the backend"
    assert "passed" in repr(lab) and "invalid" not in repr(lab)


def test_a_refusal_of_a_step_never_run_records_nothing(progress: Path) -> None:
    lab = Lab("05", progress=progress)
    refused = lab.run("map_v1", mapping_key="/v1")
    assert_refused(refused, "Mapping key", "should not start with a '/'")
    assert lab.last("map_v1") is None and lab.status("map_v1") == "not run"
    assert "05-api-mappings/map_v1" not in Progress.load(progress).results


# --- item 3: blank required fields, and values that change what the step does not own ----------


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_a_blank_mapping_key_never_re_points_the_root(progress: Path, blank: str) -> None:
    lab = lab_at("05", progress, "map_root", "map_v1")
    before, kept = mappings(lab), recorded(lab, "map_v1")
    assert ("", "$default", lab.ids["api_id"]) in before
    for step in ("map_v1", "map_multi_level"):
        refused = lab.run(step, mapping_key=blank)
        assert_refused(refused, "Mapping key", "a value is required")
        assert mappings(lab) == before, f"{step} with {blank!r} changed the mappings"
    refused = lab.run("map_v1", mapping_key=None)
    assert_refused(refused, "Mapping key", "a value is required (the lesson uses v1)")
    assert mappings(lab) == before and recorded(lab, "map_v1") == kept


def test_a_mapping_step_never_re_points_another_steps_mapping(progress: Path) -> None:
    lab = lab_at("05", progress, "map_root", "map_v1", "map_multi_level")
    before = mappings(lab)
    refused = lab.run("map_multi_level", mapping_key="v1")  # v1 -> dev would take prod's place
    assert_refused(refused, "Mapping key", "v1 is step map_v1's mapping (to stage prod)")
    refused = lab.run("map_v1", mapping_key="orders/v1")
    assert_refused(refused, "Mapping key", "orders/v1 is step map_multi_level's mapping")
    assert mappings(lab) == before
    assert lab.status("map_multi_level") == "passed" and lab.status("map_v1") == "passed"
    # A step's own mapping, a mapping it would not change, and a key nobody uses still work.
    assert lab.run("map_v1", mapping_key="v1", stage_name="prod").status == "passed"
    unchanged = lab.run("map_multi_level", mapping_key="v1", stage_name="prod")
    assert unchanged.status == "failed", repr(unchanged)  # nothing to re-point; not dev
    assert mappings(lab) == before
    assert lab.run("map_multi_level", mapping_key="v3").status == "passed"
    assert ("v3", "dev", lab.ids["api_id"]) in mappings(lab)


@pytest.mark.parametrize("step", ["configure_cors"])
def test_blank_allowed_origins_never_wipe_the_cors_configuration(progress: Path, step: str) -> None:
    lab = lab_at("07", progress, "configure_cors", "explicit_routes")
    before, kept = cors(lab), recorded(lab, "configure_cors")
    assert before["AllowOrigins"] == ["https://example.com", "http://localhost:3000"]
    for blank in (*BLANKS, " , ", "[]", ()):
        assert_refused(lab.run(step, origins=blank), "Allowed origins", "a value is required")
        assert_refused(lab.run(step, methods=blank), "Allowed methods", "a value is required")
        assert cors(lab) == before, f"origins={blank!r} changed the CORS configuration"
    assert recorded(lab, "configure_cors") == kept


NO_HANDLER = [
    "import json\n",
    "def main(event, context):\n    return {'statusCode': 200}\n",
    "class App:\n    def handler(self, event, context):\n        return {}\n",
    "def outer():\n    def handler(event, context):\n        return {}\n",
    "app.handler = print\n",
    "# def handler(event, context):\n",
]


@pytest.mark.parametrize(
    ("lesson", "step", "before"),
    [("01", "deploy_function", ()), ("03", "deploy_handler", ())],
    ids=["01/deploy_function", "03/deploy_handler"],
)
def test_source_without_its_handler_is_refused_before_it_deploys(
    progress: Path, lesson: str, step: str, before: tuple[str, ...]
) -> None:
    lab = lab_at(lesson, progress, *before, step)
    code, kept = function_code(lab), recorded(lab, step)
    for source in NO_HANDLER:
        refused = lab.run(step, source=source)
        assert_refused(refused, "Handler source (app.py)", HANDLER_NOT_FOUND)
        assert function_code(lab) == code, f"{source!r} was deployed"
    assert recorded(lab, step) == kept


def test_the_handler_check_reads_the_source_and_never_runs_it(progress: Path) -> None:
    lab = lab_at("01", progress, "deploy_function")
    code = function_code(lab)
    source = "import builtins\nbuiltins.gwlab_source_ran = True\n"
    assert_refused(
        lab.run("deploy_function", source=source), "Handler source (app.py)", HANDLER_NOT_FOUND
    )
    assert not hasattr(builtins, "gwlab_source_ran")
    assert function_code(lab) == code


def test_a_handler_bound_by_assignment_or_in_a_block_deploys_and_answers(progress: Path) -> None:
    lab = Lab("01", progress=progress)
    renamed = common.HELLO_HANDLER.replace("def handler(", "def answer(")
    assert "def handler" not in renamed
    sources = (
        f"{renamed}\nhandler = answer\n",
        f"{renamed}\nif True:\n    handler = answer\n",
        f"{renamed}\ntry:\n    from extra import handler\nexcept ImportError:\n"
        "    handler = answer\n",
    )
    for source in sources:
        assert lab.run("deploy_function", source=source).status == "passed"
        called = lab.run("call_default_stage", with_prerequisites=True)
        assert called.status == "passed", repr(called)


def test_every_field_of_every_step_refuses_a_blank_value_before_anything_runs(
    progress: Path,
) -> None:
    tried, fields = 0, sum(len(step.params) for lesson in LESSONS for step in lesson.steps)
    for lesson in LESSONS:
        lab = Lab(lesson.id, progress=progress)
        backend = inventory(lab.env)
        text = progress.read_text(encoding="utf-8") if progress.exists() else None
        for step in lesson.steps:
            for param in step.params:
                for blank in (*BLANKS, None):
                    typed: dict[str, Any] = {param.name: blank}
                    refused = lab.run(step.id, **typed)
                    assert_refused(refused, param.label)
                    tried += 1
            assert lab.last(step.id) is None
        assert inventory(lab.env) == backend, f"a blank field of {lesson.id} changed the backend"
        assert (progress.read_text(encoding="utf-8") if progress.exists() else None) == text
    assert fields >= 20 and tried == fields * (len(BLANKS) + 1)


def test_every_steps_defaults_pass_its_own_checks(progress: Path) -> None:
    """No lesson's default is blank or fails its step's ``vet`` (verify uses the defaults)."""
    lab = Lab("00", progress=progress)
    for lesson in LESSONS:
        for step in lesson.steps:
            step.values(None, lab.context())


# --- the widgets: the same refusals record nothing --------------------------------------------


def card(lab: Lab, step: str) -> StepCard:
    return next(c for c in LessonPanel(lab).cards if c.step.id == step)


def shown(output: Any) -> str:
    parts = [item.get("data", {}) for item in output.outputs]
    return html.unescape("\n".join(d.get("text/html") or d.get("text/plain") or "" for d in parts))


WIDGET_CASES: list[tuple[str, tuple[str, ...], str, str, str, Callable[[Lab], Any], str]] = [
    ("05", ("map_root",), "map_v1", "mapping_key", "", mappings, "a value is required"),
    ("05", ("map_root",), "map_v1", "mapping_key", " \t ", mappings, "a value is required"),
    ("05", ("map_root", "map_v1"), "map_multi_level", "mapping_key", "v1", mappings, "map_v1's"),
    ("07", (), "configure_cors", "origins", "", cors, "a value is required"),
    ("07", (), "configure_cors", "origins", " , ", cors, "a value is required"),
    ("01", (), "deploy_function", "source", "import json\n", function_code, HANDLER_NOT_FOUND),
]


@pytest.mark.parametrize(
    ("lesson", "before", "step", "name", "value", "state", "words"),
    WIDGET_CASES,
    ids=[f"{c[2]}-{c[3]}={c[4]!r}" for c in WIDGET_CASES],
)
def test_the_same_refusals_through_a_card_record_nothing(
    progress: Path,
    lesson: str,
    before: tuple[str, ...],
    step: str,
    name: str,
    value: str,
    state: Callable[[Lab], Any],
    words: str,
) -> None:
    lab = lab_at(lesson, progress, *before)
    shown_card = card(lab, step)
    shown_card.run_button.click()  # the lesson's values: a pass
    last = lab.last(step)
    assert last is not None and last.passed
    kept, backend = recorded(lab, step), state(lab)
    field = next(f for f in shown_card.fields if f.param.name == name)
    field.input.value = value
    shown_card.run_button.click()
    assert "invalid" in shown_card.badge.value
    assert words in shown(shown_card.output) + html.unescape(field.error.value)
    assert recorded(lab, step) == kept and state(lab) == backend
    assert lab.last(step) == last
