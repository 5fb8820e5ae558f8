"""Learner-editable step parameters: parsed and checked before anything runs.

A parameter turns what a learner typed (or passed to ``lab.run``) into a value,
or into a one-line :class:`ParamError` that the widget shows beside the field.
Checks reuse the emulator's AWS rules, so a typo is caught with AWS's own
wording. Anything a parser cannot use — another Python type, text too long or
nested too deeply, invisible characters — is refused the same way, and a
refusal repeats at most :data:`ECHO_CHARS` of the value, escaped.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError

from gwlab.errors import GwlabError

#: The most of a value a refusal repeats (longer values end in "…").
ECHO_CHARS = 60
#: The longest refusal: a label, AWS's sentence and an echo fit.
MESSAGE_CHARS = 240
#: The longest one-line field (a name, a URL): far above any AWS name.
MAX_LINE = 4096
#: The longest list or mapping field, as typed.
MAX_LIST_TEXT = 16384
#: The most items in a list or mapping field (API Gateway's largest per-API quota).
MAX_ITEMS = 300
#: The longest item of a list or mapping (name or value).
MAX_ITEM = 1024
#: The longest handler source.
MAX_CODE = 65536
#: JSON a list or mapping field takes is flat: a list of strings, an object of values.
MAX_JSON_DEPTH = 2
#: The largest whole number a field takes.
MAX_INT = 10**15

#: Characters that reorder text as displayed (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CODE_WHITESPACE = frozenset("\t\n\r\f")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,16}")


def shown(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` as a refusal repeats it: invisible characters escaped, ``limit`` at most."""
    out: list[str] = []
    size = 0
    for char in text:
        piece = char if _visible(char) else repr(char)[1:-1]
        if size + len(piece) > limit:
            while out and size > limit - 1:
                size -= len(out.pop())
            out.append("…")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def _visible(char: str) -> bool:
    return char == " " or (char.isprintable() and char not in BIDI_CONTROLS)


def _one_line(message: str) -> str:
    """``message`` on one line, nothing invisible, :data:`MESSAGE_CHARS` at most."""
    return shown(" ".join(message.split()), MESSAGE_CHARS)


class ParamError(GwlabError, ValueError):
    """A parameter value the step cannot use; ``str()`` is one short line."""

    def __init__(self, label: str, reason: str) -> None:
        message = _one_line(f"{label}: {reason}")
        super().__init__(message)
        self.label = label
        #: The reason as shown (after the label): one short line.
        self.reason = message[len(label) + 2 :] if message.startswith(f"{label}: ") else message


Parser = Callable[[Any], Any]
Validator = Callable[[Any], None]


def _kind(value: object) -> str:
    """A value's type as a refusal names it."""
    return "None" if value is None else type(value).__name__


def _text(raw: object, limit: int, what: str = "text") -> str:
    """``raw`` if it is text of at most ``limit`` characters, else a ValueError."""
    if not isinstance(raw, str):
        raise ValueError(f"use {what}, not {_kind(raw)}")
    text = str.__str__(raw)  # a plain str, whatever a subclass does
    if len(text) > limit:
        raise ValueError(f"{len(text)} characters is too long (at most {limit})")
    return text


def _invisible(char: str) -> str:
    name = "a bidi control" if char in BIDI_CONTROLS else "an invisible character"
    if char.isascii():
        name = "a control character"
    return f"{name} (U+{ord(char):04X})"


def check_visible(text: str, *, code: bool = False) -> str:
    """``text`` if every character shows; refuses NUL, controls and bidi characters.

    Source code (``code=True``) may hold tabs and line breaks and invisible
    characters inside strings, but no other control character and no bidi control.
    """
    for position, char in enumerate(text, 1):
        if code:
            bad = char in BIDI_CONTROLS or (
                char not in _CODE_WHITESPACE and unicodedata.category(char) == "Cc"
            )
        else:
            bad = not _visible(char)
        if bad:
            raise ValueError(f"contains {_invisible(char)} at character {position}; remove it")
    return text


def parse_text(raw: object) -> str:
    """One line of text, stripped of surrounding blanks, every character visible."""
    return check_visible(_text(raw, MAX_LINE).strip())


def parse_code(raw: object) -> str:
    """Source code: several lines, no NUL, control or bidi characters."""
    return check_visible(_text(raw, MAX_CODE, "source code as text").strip(), code=True)


def _item(value: object, position: int, limit: int = MAX_ITEM) -> str:
    """One item of a list or mapping: visible text of at most ``limit`` characters."""
    if not isinstance(value, str):
        raise ValueError(f"item {position} is {_kind(value)}, not text")
    text = str.__str__(value).strip()
    if len(text) > limit:
        raise ValueError(f"item {position} has {len(text)} characters (at most {limit})")
    return check_visible(text)


def _count(items: int) -> None:
    if items > MAX_ITEMS:
        raise ValueError(f"{items} items is too many (at most {MAX_ITEMS})")


def _json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
        elif char in "]}":
            depth -= 1
    return deepest


class _JsonRefused(ValueError):
    """JSON that parses but holds what no field takes (``NaN``, ``Infinity``)."""


def _no_constant(name: str) -> Any:
    raise _JsonRefused(f"{name} is not a value a field takes")


def _json(text: str, shape: str) -> Any:
    """``text`` parsed as flat JSON; deep, huge or odd JSON is one ValueError."""
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"nested too deeply: use {shape}")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ValueError(f"not {shape} ({error.msg})") from None
    except _JsonRefused:
        raise
    except ValueError:  # a number with more digits than Python converts
        raise ValueError(f"not {shape} (a number is too long)") from None
    except RecursionError:
        raise ValueError(f"nested too deeply: use {shape}") from None


def parse_list(raw: object) -> tuple[str, ...]:
    """``a, b, c`` (or a JSON list, or a Python list or tuple) -> ``("a", "b", "c")``."""
    if isinstance(raw, (list, tuple)):
        values: Any = raw
    else:
        text = _text(raw, MAX_LIST_TEXT, "a comma-separated list").strip()
        if not text.startswith("["):
            parts = [part for part in text.split(",") if part.strip()]
            _count(len(parts))
            return tuple(_item(part, n) for n, part in enumerate(parts, 1))
        values = _json(text, "a JSON list")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError("use a list of strings")
    _count(len(values))
    return tuple(_item(value, n) for n, value in enumerate(values, 1))


def _mapping_value(name: str, value: object) -> str:
    """A mapping's value as text: text, or a finite number (JSON's ``1``)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"the value of {shown(name)} is {_kind(value)}: use text or a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"the value of {shown(name)} is not a finite number")
    if isinstance(value, int) and not -MAX_INT <= value <= MAX_INT:
        raise ValueError(f"the value of {shown(name)} is too large a number")
    return value if isinstance(value, str) else str(value)


def _checked_pairs(items: Mapping[Any, Any]) -> dict[str, str]:
    _count(len(items))
    pairs: dict[str, str] = {}
    for position, (name, value) in enumerate(items.items(), 1):
        key = _item(name, position)
        pairs[key] = _item(_mapping_value(key, value), position)
    return pairs


def parse_mapping(raw: object) -> dict[str, str]:
    """``A=1, B=2`` (or a JSON object, or a Python mapping) -> ``{"A": "1", "B": "2"}``."""
    if isinstance(raw, Mapping):
        return _checked_pairs(raw)
    text = _text(raw, MAX_LIST_TEXT, "NAME=value pairs").strip()
    if not text:
        return {}
    if text.startswith("{"):
        value = _json(text, "a JSON object")
        if not isinstance(value, dict):
            raise ValueError("use a JSON object of names and values")
        return _checked_pairs(value)
    parts = list(filter(None, (p.strip() for p in text.split(","))))
    _count(len(parts))
    pairs: dict[str, str] = {}
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"'{shown(part)}' is not NAME=value")
        pairs[name.strip()] = value.strip()
    return _checked_pairs(pairs)


def parse_int(raw: object) -> int:
    """A whole number: an ``int``, or ASCII digits and a sign (no ``1_0``, no other digits)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not -MAX_INT <= raw <= MAX_INT:
            raise ValueError("is not a whole number a field takes (too large)")
        return int(raw)
    if not isinstance(raw, str):
        raise ValueError(f"use a whole number, not {_kind(raw)}")
    text = raw.strip()
    if len(text) > 32 or not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"'{shown(text)}' is not a whole number")
    value = int(text)
    if not -MAX_INT <= value <= MAX_INT:
        raise ValueError(f"'{shown(text)}' is not a whole number a field takes (too large)")
    return value


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
            raise ValueError(str(error.message)) from None

    return validate


def _texts(value: object) -> Iterator[str]:
    """The text in ``value`` a refusal may repeat: itself, or its items (first ones only)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for count, (name, item) in enumerate(value.items()):
            if count >= MAX_ITEMS:
                break
            yield from (text for text in (name, item) if isinstance(text, str))
    elif isinstance(value, (list, tuple)):
        yield from (item for item in value[:MAX_ITEMS] if isinstance(item, str))


def _echoed_short(reason: str, *values: object) -> str:
    """``reason`` with each long or invisible piece of ``values`` it repeats shortened."""
    pieces = {text for value in values for text in _texts(value) if text}
    for piece in sorted(pieces, key=len, reverse=True):
        short = shown(piece)
        if short != piece and piece in reason:
            reason = reason.replace(piece, short)
    return reason


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
        """The checked value of ``raw`` (text from a field, or a Python value).

        Raises :class:`ParamError`, one short line, for anything else: never another error.
        """
        value: Any = None
        try:
            value = self.parse(raw)
            if self.validate is not None:
                self.validate(value)
        except (ValueError, TypeError) as error:
            raise ParamError(self.label, _echoed_short(str(error), value, raw)) from None
        except (RecursionError, MemoryError):  # the compiler's or a parser's stack ran out
            raise ParamError(self.label, "nested too deeply") from None
        except Exception as error:  # a rule that could not read the value: still one line
            raise ParamError(
                self.label, f"cannot use this value ({type(error).__name__})"
            ) from None
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
