"""Parameter parsing: what a learner types becomes a value or one clear line."""

from __future__ import annotations

import pytest

from gwlab.lab.params import ParamError, format_value, parse_int, parse_list, parse_mapping
from gwlab.lessons import params


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("A=1, B=two", {"A": "1", "B": "two"}),
        ('{"A": "1"}', {"A": "1"}),
        ("", {}),
        ("LOG_LEVEL=", {"LOG_LEVEL": ""}),
    ],
)
def test_mapping(raw: str, value: dict[str, str]) -> None:
    assert parse_mapping(raw) == value


@pytest.mark.parametrize(
    ("raw", "error"),
    [("A", "'A' is not NAME=value"), ("{1", "not a JSON object"), ("=x", "not NAME=value")],
)
def test_mapping_errors(raw: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_mapping(raw)


def test_list_and_int() -> None:
    assert parse_list(" a, b ,, c ") == ("a", "b", "c")
    assert parse_list('["x", "y"]') == ("x", "y")
    assert parse_int(" 42 ") == 42
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int("4.2")


def test_values_show_in_fields_as_they_are_typed() -> None:
    assert format_value({"A": "1", "B": "2"}) == "A=1, B=2"
    assert format_value(("x", "y")) == "x, y"
    assert parse_mapping(format_value({"A": "1", "B": "2"})) == {"A": "1", "B": "2"}


def test_param_errors_name_the_field_and_use_aws_words() -> None:
    with pytest.raises(ParamError) as raised:
        params.stage_name("prod").value("my stage")
    assert str(raised.value).startswith("Stage name: Invalid stage name 'my stage'")
    assert raised.value.label == "Stage name"
    assert "\n" not in str(raised.value)
    assert params.stage_variables({}).value("TABLE_NAME=t, LOG_LEVEL=warn") == {
        "TABLE_NAME": "t",
        "LOG_LEVEL": "warn",
    }
