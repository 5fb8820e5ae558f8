"""Learner-editable step parameters: parsed and checked before anything runs.

A parameter turns the text a learner typed into a value, or into a one-line
:class:`ParamError` that the widget shows beside the field. Checks reuse the
emulator's AWS rules, so a typo is caught with AWS's own wording.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError

from gwlab.errors import GwlabError


class ParamError(GwlabError, ValueError):
    """A parameter value the step cannot use; ``str()`` is one line."""

    def __init__(self, label: str, reason: str) -> None:
        super().__init__(f"{label}: {reason}")
        self.label = label
        self.reason = reason


Parser = Callable[[str], Any]
Validator = Callable[[Any], None]


def parse_text(raw: str) -> str:
    """Text, stripped of surrounding blanks."""
    return raw.strip()


def parse_list(raw: str) -> tuple[str, ...]:
    """``a, b, c`` (or a JSON list) -> ``("a", "b", "c")``."""
    text = raw.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a JSON list ({error.msg})") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("use a list of strings")
        return tuple(v.strip() for v in value)
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse_mapping(raw: str) -> dict[str, str]:
    """``A=1, B=2`` (or a JSON object) -> ``{"A": "1", "B": "2"}``."""
    text = raw.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a JSON object ({error.msg})") from None
        if not isinstance(value, dict):
            raise ValueError("use a JSON object of names and values")
        return {str(k): str(v) for k, v in value.items()}
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"'{part}' is not NAME=value")
        pairs[name.strip()] = value.strip()
    return pairs


def parse_int(raw: str) -> int:
    """A whole number."""
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError(f"'{raw.strip()}' is not a whole number") from None


def format_value(value: Any) -> str:
    """How a value is shown in a text field (the inverse of the parsers)."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def aws_rule(check: Callable[[Any], None]) -> Validator:
    """A validator from one of the emulator's AWS rules, keeping AWS's wording."""

    def validate(value: Any) -> None:
        try:
            check(value)
        except JsonRESTError as error:
            raise ValueError(" ".join(str(error.message).split())) from None

    return validate


@dataclass(frozen=True)
class Param:
    """One editable parameter of a step."""

    name: str
    label: str
    default: Any
    help: str = ""
    parse: Parser = parse_text
    validate: Validator | None = None

    def value(self, raw: Any) -> Any:
        """The checked value of ``raw`` (text from a field, or a Python value)."""
        try:
            value = self.parse(raw) if isinstance(raw, str) else raw
            if self.validate is not None:
                self.validate(value)
        except (ValueError, TypeError) as error:
            raise ParamError(self.label, str(error)) from None
        return value

    def default_for(self, context: Any = None) -> Any:
        """The default value; a callable default is called with the step's context.

        (Some defaults depend on where the lab runs — a learner's own domain name
        against real AWS, ``api.example.com`` in the emulator.)
        """
        return self.default(context) if callable(self.default) else self.default

    def default_text(self, context: Any = None) -> str:
        """The default as it appears in a field."""
        return format_value(self.default_for(context))
