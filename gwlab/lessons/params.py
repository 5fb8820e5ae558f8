"""The learner-editable parameters the lessons use, each checked with AWS's rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gwlab.emulator.apigatewayv2 import validation as rules
from gwlab.lab import Param
from gwlab.lab.params import aws_rule, parse_code, parse_int, parse_list, parse_mapping, shown


def stage_name(default: str, label: str = "Stage name") -> Param:
    """A stage name: letters, digits, ``-``, ``_`` (at most 128), or ``$default``."""
    return Param(
        "stage_name",
        label,
        default,
        "letters, digits, - and _",
        validate=aws_rule(rules.check_stage_name),
    )


def _check_variables(value: Any) -> None:
    rules.check_stage_variables(value, removals_allowed=False)
    rules.check_variable_count(value)


def stage_variables(default: dict[str, str]) -> Param:
    """Stage variables as ``NAME=value, NAME2=value2``."""
    return Param(
        "variables",
        "Stage variables",
        default,
        "NAME=value, NAME2=value2",
        parse=parse_mapping,
        validate=aws_rule(_check_variables),
    )


def mapping_key(default: str) -> Param:
    """An API mapping key: empty, ``v1`` or several levels such as ``orders/v1``."""
    return Param(
        "mapping_key",
        "Mapping key",
        default,
        "e.g. v1 or orders/v1",
        validate=aws_rule(rules.check_mapping_key),
    )


def route_key(default: str) -> Param:
    """A route key such as ``GET /items``."""
    return Param(
        "route_key",
        "Route key",
        default,
        "METHOD /path, e.g. GET /items",
        validate=aws_rule(rules.check_route_key),
    )


def origins(default: tuple[str, ...]) -> Param:
    """CORS origins: exact origins, ``*``, ``https://*`` or ``http://*``."""
    return Param(
        "origins",
        "Allowed origins",
        default,
        "comma separated",
        parse=parse_list,
        validate=aws_rule(lambda value: rules.check_cors({"allowOrigins": list(value)})),
    )


def methods(default: tuple[str, ...]) -> Param:
    """CORS methods."""
    return Param(
        "methods",
        "Allowed methods",
        default,
        "comma separated",
        parse=parse_list,
        validate=aws_rule(lambda value: rules.check_cors({"allowMethods": list(value)})),
    )


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: The longest header name a field takes (RFC 9110 sets none; servers cap whole header lines).
HEADER_NAME_MAX = 256


def _check_header_names(values: Any) -> None:
    for name in values:
        if len(name) > HEADER_NAME_MAX:
            raise ValueError(
                f"a header name has at most {HEADER_NAME_MAX} characters ({len(name)} given)"
            )
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"'{shown(name)}' is not an HTTP header name")


def headers(default: tuple[str, ...]) -> Param:
    """CORS request headers (HTTP header names, or ``*``)."""
    return Param(
        "headers",
        "Allowed headers",
        default,
        "comma separated",
        parse=parse_list,
        validate=_check_header_names,
    )


def max_age(default: int) -> Param:
    """CORS max age in seconds (-1 to 86400)."""
    return Param(
        "max_age",
        "Max age (s)",
        default,
        "-1 to 86400",
        parse=parse_int,
        validate=aws_rule(lambda value: rules.check_cors({"maxAge": value})),
    )


def domain_name(default: str | Callable[[Any], str]) -> Param:
    """A custom domain name."""
    return Param("domain_name", "Domain name", default, validate=aws_rule(rules.check_domain_name))


def region(default: str, label: str = "Region") -> Param:
    """An AWS region name."""

    def check(value: Any) -> None:
        from gwlab.backends.base import check_region

        try:
            check_region(value)
        except Exception as error:
            raise ValueError(str(error)) from None

    return Param("region", label, default, validate=check)


def source(default: str) -> Param:
    """A Python handler's source code."""

    def check(value: Any) -> None:
        try:
            compile(value, "app.py", "exec")
        except SyntaxError as error:
            raise ValueError(f"line {error.lineno}: {error.msg}") from None

    return Param("source", "Handler source (app.py)", default, parse=parse_code, validate=check)


def _check_api_name(value: Any) -> None:
    if not 1 <= len(str(value)) <= 128:
        raise ValueError("an API name has 1 to 128 characters")


def api_name(default: str) -> Param:
    """An API's name."""
    return Param("api_name", "API name", default, validate=_check_api_name)


def record_name(default: str | Callable[[Any], str]) -> Param:
    """A DNS record name inside the hosted zone."""
    return Param("record_name", "Record name", default, validate=aws_rule(rules.check_domain_name))


def zone_name(default: str | Callable[[Any], str]) -> Param:
    """A hosted zone name."""
    return Param("zone_name", "Zone", default, validate=aws_rule(rules.check_domain_name))


def variable_name(default: str) -> Param:
    """The name of one stage variable."""
    return Param(
        "name",
        "Variable to remove",
        default,
        validate=aws_rule(
            lambda value: rules.check_stage_variables({value: "x"}, removals_allowed=False)
        ),
    )


def route_keys(default: tuple[str, ...]) -> Param:
    """Several route keys, comma separated."""

    def check(values: Any) -> None:
        for key in values:
            rules.check_route_key(key)

    return Param(
        "routes", "Routes", default, "comma separated", parse=parse_list, validate=aws_rule(check)
    )
