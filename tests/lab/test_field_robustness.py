"""Every field of every step, fed values of every wrong kind: one short line, never a traceback.

Each (field, value) pair goes through the field's parser and through ``lab.run``; a
refusal must be a single line of at most ``MESSAGE_CHARS`` characters with nothing
invisible in it, and the emulated AWS must be as it was. A few values are good for some
fields (``123`` is a max-age, ``1_0`` a stage name): those are listed in ``GOOD_FOR``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from gwlab.errors import GwlabError
from gwlab.lab import Lab, Param
from gwlab.lab.params import ParamError, parse_int, parse_list, parse_mapping
from gwlab.lab.session import close_session
from gwlab.lessons import LESSONS

#: The longest refusal a learner may be shown.
MESSAGE_CHARS = 240

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Values of every kind a learner (or a paste) can hand a field, by a short name.
BAD_VALUES: dict[str, Any] = {
    "None": None,
    "int": 123,
    "huge int": 10**5000,
    "float": 1.5,
    "nan": float("nan"),
    "inf": float("inf"),
    "bool": True,
    "bytes": b"x",
    "empty list": [],
    "empty dict": {},
    "list of None": [None],
    "dict of ints": {1: 2},
    "object": object(),
    "500 000 characters": "x" * 500_000,
    "1.5 MB of HTML": "<b>" * 500_000,
    "10 000-character header name": "X" * 10_000,
    "newline and NUL": "\n\x00",
    "NUL inside": "a\x00b",
    "tab inside": "a\tb",
    "newline inside": "GET /a\nb",
    "bidi override": "ab\u202ecd",
    "bidi isolate": "v1\u2066x",
    "left-to-right mark": "prod\u200e",
    "zero-width space": "a\u200bb",
    "line separator": "a\u2028b",
    "deep JSON list": "[" * 100_000,
    "deep JSON object": '{"a":' * 100_000,
    "deep closed JSON": "[" * 100_000 + "]" * 100_000,
    "deep JSON in bounds": "[" * 8000 + "]" * 8000,
    "deep Python": "-" * 60_000 + "1",
    "deep Python calls": "f" + "()" * 30_000,
    "JSON NaN": '{"A": NaN}',
    "JSON null value": '{"A": null}',
    "JSON nested value": '{"A": ["x"]}',
    "huge JSON number": '{"A": ' + "9" * 5000 + "}",
    "arabic-indic digit": "\u0665",
    "underscore digits": "1_0",
    "digits 5000 long": "9" * 5000,
    "tuple of ints": (1, 2),
    "long list": ["GET /a"] * 10_000,
}

#: Values some fields accept as they are: (parameter name, value name).
GOOD_FOR = {
    ("max_age", "int"),
    ("api_name", "arabic-indic digit"),
    ("api_name", "underscore digits"),
    ("stage_name", "underscore digits"),
    ("mapping_key", "underscore digits"),
    ("name", "underscore digits"),
    ("headers", "underscore digits"),
    ("source", "underscore digits"),
    # An empty list or mapping is well-formed; whether a step may use one is its own rule.
    ("origins", "empty list"),
    ("methods", "empty list"),
    ("headers", "empty list"),
    ("routes", "empty list"),
    ("variables", "empty dict"),
}
# An API name is any 1 to 128 characters; these texts are also valid Python (whether the
# source defines a handler is the step's own check).
GOOD_FOR |= {
    (field, value)
    for field in ("api_name", "source")
    for value in ("JSON NaN", "JSON null value", "JSON nested value")
}
GOOD_FOR |= {("source", "10 000-character header name"), ("source", "newline inside")}

FIELDS = [
    (lesson.id, step.id, param)
    for lesson in LESSONS
    for step in lesson.steps
    for param in step.params
]
FIELD_IDS = [f"{lesson}/{step}/{param.name}" for lesson, step, param in FIELDS]


def one_line_problem(message: str) -> str:
    """What is wrong with ``message`` as a refusal ("" when nothing is)."""
    if len(message) > MESSAGE_CHARS:
        return f"{len(message)} characters"
    for char in message:
        if char in BIDI or (char != " " and not char.isprintable()):
            return f"contains U+{ord(char):04X} ({unicodedata.category(char)})"
    return ""


def parse_outcome(param: Param, value: Any) -> tuple[str, str]:
    """``("refused", message)``, ``("accepted", "")`` or ``("traceback", error)``."""
    try:
        param.value(value)
    except ParamError as error:
        return "refused", str(error)
    except Exception as error:  # what this test exists to find
        return "traceback", f"{type(error).__name__}: {str(error)[:100]}"
    return "accepted", ""


def tally_parsers() -> tuple[Counter[str], list[str]]:
    """Feed every bad value to every field's parser: counts and what went wrong."""
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for lesson_id, step_id, param in FIELDS:
        for name, value in BAD_VALUES.items():
            counts["tries"] += 1
            outcome, message = parse_outcome(param, value)
            where = f"{lesson_id}/{step_id}/{param.name} <- {name}"
            if outcome == "refused":
                problem = one_line_problem(message)
                counts["one-line refusals" if not problem else "bad refusals"] += 1
                if problem:
                    wrong.append(f"{where}: refusal {problem}")
            elif outcome == "accepted":
                counts["accepted (good for the field)"] += 1
                if (param.name, name) not in GOOD_FOR:
                    counts["accepted wrongly"] += 1
                    wrong.append(f"{where}: accepted")
            else:
                counts["tracebacks"] += 1
                wrong.append(f"{where}: {message}")
    return counts, wrong


def test_every_parser_refuses_every_bad_value_in_one_short_line() -> None:
    counts, wrong = tally_parsers()
    print(dict(counts))
    # 23 fields since issue 19 turned the field exercises into code exercises and lesson 8
    # into diagnose-and-fix (its fix steps and their pre-filled fields went).
    assert counts["tries"] == len(FIELDS) * len(BAD_VALUES) and len(FIELDS) >= 23
    assert wrong == [], "\n".join(wrong[:40])


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * 100_000, "too long"),
        ("[" * 8000, "nested too deeply"),
        ("[" * 8000 + "]" * 8000, "nested too deeply"),
        ('["a", ["b"]]', "use a list of strings"),
        ("x" * 500_000, "too long"),
    ],
)
def test_a_list_refuses_deep_or_huge_input_before_parsing(raw: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as raised:
        parse_list(raw)
    assert not one_line_problem(str(raised.value))


def test_json_too_deep_for_python_is_one_line_even_past_the_depth_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gwlab.lab import params as engine

    monkeypatch.setattr(engine, "MAX_JSON_DEPTH", 10**9)  # json.loads itself recurses now
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_list("[" * 8000 + "]" * 8000)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"a":' * 100_000, "too long"),
        ('{"a":' * 3000, "nested too deeply"),
        ('{"A": NaN}', "NaN"),
        ('{"A": null}', "text or a number"),
        ("A=" + "\x00", "U+0000"),
        ("TABLE\nNAME=1", "U+000A"),
    ],
)
def test_a_mapping_refuses_deep_odd_or_invisible_input(raw: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)) as raised:
        parse_mapping(raw)
    assert not one_line_problem(str(raised.value))


@pytest.mark.parametrize("raw", ["\u0665", "1_0", "\uff11", "1.0", "", "1e3", "0x10", True, 2.0])
def test_a_whole_number_is_ascii_digits_only(raw: Any) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_int(raw)
    assert parse_int(" -1 ") == -1 and parse_int("+600") == 600 and parse_int(86400) == 86400


@pytest.mark.parametrize(
    ("field", "raw", "words"),
    [
        ("domain_name", "orders\u202eevil", "U+202E"),
        ("domain_name", "orders\x00", "U+0000"),
        ("stage_name", "prod\u200f", "U+200F"),
        ("headers", "X" * 1000, "at most 256 characters"),
        ("headers", "X" * 10_000, "at most 1024"),
        ("headers", "X-Ok, X-\u2066b", "U+2066"),
        ("source", "def handler(e, c):\n    return '\u202e'\n", "U+202E"),
        ("source", "x = 1\x00", "U+0000"),
        ("source", "-" * 60_000 + "1", "nested too deeply"),
        ("source", "not " * 15_000 + "x", "nested too deeply"),
    ],
)
def test_names_refuse_invisible_characters_and_header_names_are_bounded(
    field: str, raw: str, words: str
) -> None:
    param = next(p for _, _, p in FIELDS if p.name == field)
    with pytest.raises(ParamError, match=re.escape(words)) as raised:
        param.value(raw)
    assert not one_line_problem(str(raised.value))


def test_a_long_value_is_echoed_short_and_escaped() -> None:
    param = next(p for _, _, p in FIELDS if p.name == "stage_name")
    with pytest.raises(ParamError) as raised:
        param.value("my stage" + "x" * 3000)
    message = str(raised.value)
    assert message.startswith("Stage name: Invalid stage name 'my stagexxx")
    assert "…': stage names only allow a-zA-Z0-9_-" in message  # AWS's sentence is kept
    assert not one_line_problem(message)
    with pytest.raises(ParamError) as raised:
        param.value("a b\tc")
    assert "\t" not in str(raised.value) and "U+0009" in str(raised.value)
    # A short, visible value is repeated as AWS repeats it.
    with pytest.raises(ParamError, match=r"^Stage name: Invalid stage name 'my stage': "):
        param.value("my stage")


@pytest.mark.parametrize(
    "lesson",
    [None, 3, b"03", "", "   ", "x" * 500_000, "03\n", "nope", "\u0663", ["03"]],
    ids=lambda value: repr(value)[:20],
)
def test_a_bad_lesson_id_is_one_line_naming_the_lessons(lesson: Any, kernel_session: None) -> None:
    with pytest.raises(GwlabError) as raised:
        Lab(lesson)
    message = str(raised.value)
    assert "02-stages" in message and "\n" not in message and len(message) < 400, message


# --- through lab.run, against a backend with the whole course built --------------------------


@pytest.fixture(scope="module")
def labs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Lab]]:
    """One session with the whole course rebuilt; a Lab per lesson."""
    close_session()
    progress = tmp_path_factory.mktemp("robustness") / "progress.json"
    made = {"09-review": Lab("09-review", progress=progress)}
    for lesson in LESSONS[:-1]:
        made[lesson.id] = Lab(lesson.id, progress=progress)
    yield made
    close_session()


def run_outcome(lab: Lab, step_id: str, param: Param, value: Any) -> tuple[str, str]:
    """What ``lab.run`` made of one bad value: refused, ran, or a traceback."""
    try:
        result = lab.run(step_id, **{param.name: value})
    except Exception as error:
        return "traceback", f"{type(error).__name__}: {str(error)[:100]}"
    if result.status != "invalid":
        return "ran", f"{result.status}: {result.message[:100]}"
    if not result.message.startswith(f"{param.label}: "):
        return "ran", f"refused by another field: {result.message[:100]}"
    return "refused", result.message


@pytest.mark.shared_env
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_lab_run_refuses_every_bad_value_and_changes_nothing(
    labs: dict[str, Lab], lesson: Any
) -> None:
    from test_course import inventory

    lab = labs[lesson.id]
    before = inventory(lab.env)
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for step in lesson.steps:
        for param in step.params:
            for name, value in BAD_VALUES.items():
                if (param.name, name) in GOOD_FOR:
                    continue  # a good value would run the step
                counts["tries"] += 1
                outcome, message = run_outcome(lab, step.id, param, value)
                problem = one_line_problem(message) if outcome == "refused" else message
                counts[outcome if not problem else f"{outcome} (wrong)"] += 1
                if problem:
                    wrong.append(f"{step.id}/{param.name} <- {name}: {outcome}: {problem}")
    print(lesson.id, dict(counts))
    assert wrong == [], "\n".join(wrong[:40])
    assert inventory(lab.env) == before, "a refused value changed the emulated AWS"


@pytest.mark.shared_env
def test_the_widgets_refuse_every_bad_text_in_one_line(labs: dict[str, Lab]) -> None:
    from gwlab.ui import StepCard

    texts = {name: value for name, value in BAD_VALUES.items() if isinstance(value, str)}
    for lesson_id, step_id, param in FIELDS:
        lab = labs[lesson_id]
        card = StepCard(lab, lab.lesson.step(step_id))
        field = next(f for f in card.fields if f.param.name == param.name)
        for name, text in texts.items():
            if (param.name, name) in GOOD_FOR:
                continue
            field.input.value = text
            assert card.run() is None, (step_id, param.name, name)  # nothing ran
            assert "invalid" in card.badge.value
            shown = field.error.value
            assert "role='alert'" in shown and len(shown) < MESSAGE_CHARS * 6 + 200, shown[:300]
            assert "\n" not in shown and "\x00" not in shown
        field.input.value = param.default_text(lab.context())
