"""API Gateway v2's input rules, one function per rule, each raising AWS's error.

The rules and quotas are those of ``../shared/AWS_FACTS.md``; each function
names the section it implements. They take plain values (moto's camelCase
request dictionaries where a structure is involved) so they can be reused by
any backend method.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moto.acm.exceptions import AWSResourceNotFoundException
from moto.acm.models import CertBundle, acm_backends

from gwlab.emulator.apigatewayv2 import exceptions as errors

# Quotas (AWS_FACTS, "Stages and deployments": http-api-quotas).
STAGES_PER_API = 10
ROUTES_PER_API = 300
INTEGRATIONS_PER_API = 300
STAGE_VARIABLES_PER_STAGE = 100
STAGE_VARIABLE_NAME_MAX = 64
#: The service model allows 2048; AWS's quota page (and so gwlab) enforces 512.
STAGE_VARIABLE_VALUE_MAX = 512
DOMAIN_NAMES_PER_REGION = 120
API_MAPPINGS_PER_DOMAIN = 200
API_MAPPING_KEY_MAX = 300

DEFAULT_STAGE = "$default"
DEFAULT_ROUTE = "$default"

_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_VARIABLE_VALUE = re.compile(r"^[A-Za-z0-9\-._~:/?#&=,]+$")
_MAPPING_KEY = re.compile(r"^[A-Za-z0-9$\-_.+!*'()/]*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_PATH_SEGMENT = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+$")
_PATH_PARAMETER = re.compile(r"^\{[A-Za-z0-9_.-]+\+?\}$")

ROUTE_METHODS = frozenset({"ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
CORS_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"})
_SCHEME_WILDCARDS = frozenset({"*", "http://*", "https://*"})
_ORIGIN = re.compile(r"^https?://[^*/\s]+$")
_LAMBDA_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[^:]+)?$"
)


def check_stage_name(name: str) -> None:
    """Stage names: ``$default``, or letters, digits, ``-`` and ``_``, at most 128."""
    if name != DEFAULT_STAGE and not _STAGE_NAME.match(name or ""):
        raise errors.InvalidStageName(name)


def check_stage_variables(variables: Mapping[str, str], *, removals_allowed: bool) -> None:
    """Names, values and lengths of stage variables (AWS_FACTS, "Stage variables").

    In ``update_stage`` an empty value removes a variable (``removals_allowed``).
    """
    for name, value in variables.items():
        if len(name) > STAGE_VARIABLE_NAME_MAX or not _VARIABLE_NAME.match(name):
            raise errors.InvalidStageVariableName(name)
        if value == "" and removals_allowed:
            continue
        if not isinstance(value, str) or not _VARIABLE_VALUE.match(value):
            raise errors.InvalidStageVariableValue(str(value))
        if len(value) > STAGE_VARIABLE_VALUE_MAX:
            raise errors.StageVariableValueTooLong(name, STAGE_VARIABLE_VALUE_MAX)


def merged_stage_variables(current: Mapping[str, str], update: Mapping[str, str]) -> dict[str, str]:
    """The variables after ``update_stage``: set or change each given one, remove on ``""``."""
    check_stage_variables(update, removals_allowed=True)
    merged = dict(current)
    for name, value in update.items():
        if value == "":
            merged.pop(name, None)
        else:
            merged[name] = value
    check_variable_count(merged)
    return merged


def check_variable_count(variables: Mapping[str, str]) -> None:
    """At most 100 stage variables per stage."""
    if len(variables) > STAGE_VARIABLES_PER_STAGE:
        raise errors.TooManyStageVariables(STAGE_VARIABLES_PER_STAGE)


def check_route_key(route_key: str) -> None:
    """``$default`` or ``METHOD /path`` (AWS_FACTS, "Routes")."""
    if route_key == DEFAULT_ROUTE:
        return
    method, _, path = (route_key or "").partition(" ")
    if method not in ROUTE_METHODS:
        raise errors.InvalidRouteKey(
            route_key,
            "start with ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, or use $default",
        )
    if not path.startswith("/") or " " in path:
        raise errors.InvalidRouteKey(route_key, "the path must start with '/' after one space")
    if path == "/":
        return
    if path.endswith("/"):
        raise errors.InvalidRouteKey(route_key, "the path may not end with '/'")
    segments = path[1:].split("/")
    for position, segment in enumerate(segments):
        if segment == "":
            raise errors.InvalidRouteKey(route_key, "the path may not contain '//'")
        if segment.startswith("{") or segment.endswith("}"):
            if not _PATH_PARAMETER.match(segment):
                raise errors.InvalidRouteKey(route_key, f"malformed path parameter {segment}")
            if segment.endswith("+}") and position != len(segments) - 1:
                raise errors.InvalidRouteKey(
                    route_key, "a greedy path variable {name+} may only be the last segment"
                )
        elif not _PATH_SEGMENT.match(segment):
            raise errors.InvalidRouteKey(route_key, f"invalid characters in '{segment}'")


def check_cors(cors: Mapping[str, Any] | None) -> None:
    """A CORS configuration as AWS accepts it (AWS_FACTS, "CORS on HTTP APIs")."""
    if not cors:
        return
    origins = list(cors.get("allowOrigins") or [])
    for origin in origins:
        if origin not in _SCHEME_WILDCARDS and not _ORIGIN.match(origin):
            raise errors.InvalidCorsOrigin(origin)
    if cors.get("allowCredentials") and "*" in origins:
        raise errors.CredentialsWithWildcardOrigin()
    for method in cors.get("allowMethods") or []:
        if method.upper() not in CORS_METHODS:
            raise errors.InvalidCorsMethod(method)
    max_age = cors.get("maxAge")
    if max_age is not None and (
        isinstance(max_age, bool) or not isinstance(max_age, int) or not -1 <= max_age <= 86400
    ):
        raise errors.InvalidCorsMaxAge(max_age)


def check_mapping_key(key: str) -> None:
    """Empty, or one or more levels of allowed characters (AWS_FACTS, "API mappings")."""
    if key.startswith("/") or "//" in key:
        raise errors.InvalidApiMappingKey(
            "API mapping key should not start with a '/' or have consecutive '/'s."
        )
    if key.endswith("/"):
        raise errors.InvalidApiMappingKey("API mapping key should not end with a '/'.")
    if len(key) > API_MAPPING_KEY_MAX:
        raise errors.InvalidApiMappingKey(
            f"API mapping key is longer than {API_MAPPING_KEY_MAX} characters."
        )
    if not _MAPPING_KEY.match(key):
        raise errors.InvalidApiMappingKey(
            f"API mapping key {key} contains invalid characters; use letters, digits and "
            "$-_.+!*'()/"
        )


def check_domain_name(domain_name: str) -> None:
    """A DNS name of two or more labels; a leading ``*.`` label makes a wildcard domain."""
    labels = (domain_name or "").split(".")
    if labels[0] == "*":
        labels = labels[1:]
    if len(domain_name) > 253 or len(labels) < 2 or not all(map(_DOMAIN_LABEL.match, labels)):
        raise errors.InvalidDomainName(domain_name)


def certificate_covers(certificate_names: list[str], domain_name: str) -> bool:
    """Whether a certificate for ``certificate_names`` is valid for ``domain_name``.

    An exact name matches; ``*.example.com`` matches one more label only.
    """
    wanted = domain_name.lower().rstrip(".")
    for name in (n.lower().rstrip(".") for n in certificate_names):
        if name == wanted:
            return True
        if name.startswith("*.") and "." in wanted and wanted.split(".", 1)[1] == name[2:]:
            return True
    return False


def usable_certificate(arn: str, domain_name: str, region: str, account_id: str) -> CertBundle:
    """The ISSUED certificate ``arn`` of ``region`` that covers ``domain_name``, or raise.

    The region comes from the ARN first, so a certificate in the wrong region is
    reported as such (the classic mistake) whether or not it exists.
    """
    parts = (arn or "").split(":")
    if len(parts) < 6 or parts[2] != "acm":
        raise errors.CertificateNotFoundForDomain(arn)
    if parts[3] != region:
        raise errors.CertificateInWrongRegion(arn, region)
    try:
        certificate = acm_backends[parts[4] or account_id][region].get_certificate(arn)
    except AWSResourceNotFoundException:
        raise errors.CertificateNotFoundForDomain(arn) from None
    if certificate.status != "ISSUED":
        raise errors.CertificateNotIssued(arn, certificate.status)
    names = [certificate.common_name, *certificate.sans]
    if not certificate_covers([str(n) for n in names if n], domain_name):
        raise errors.CertificateDoesNotCover(arn, domain_name)
    return certificate


def quick_create_integration_type(target: str) -> tuple[str, str, str]:
    """``(integration type, payload format version, method)`` for a quick-create target."""
    if _LAMBDA_ARN.match(target):
        return "AWS_PROXY", "2.0", "POST"
    if re.match(r"^https?://[^\s]+$", target):
        return "HTTP_PROXY", "1.0", "ANY"
    raise errors.InvalidQuickCreateTarget(target)
