"""What the lessons share: names, the learner's function, lookups, checks, CLI lines.

Every action is written to be idempotent: it looks for what it would create
(by name, key or domain) and reuses it, so re-running a step, or a notebook,
changes nothing the second time.
"""

from __future__ import annotations

import ast
import datetime
import shlex
from collections.abc import Callable, Mapping
from typing import Any

from gwlab.errors import LocalOnlyError
from gwlab.gateway import GatewayResponse
from gwlab.lab import Check, StepContext, Verdict, expect
from gwlab.lab.names import DOMAIN_ENV_VAR as DOMAIN_ENV_VAR
from gwlab.lab.names import EMULATED as EMULATED
from gwlab.lab.names import Names as Names
from gwlab.lab.names import execute_api_url as execute_api_url
from gwlab.lab.names import names as names

# --- names the course uses (the engine's, in gwlab/lab/names.py) ---------------------------------

RUNTIME = "python3.12"
DOMAIN = EMULATED.domain()
ZONE = EMULATED.zone


#: The handler setting of the course's function: ``handler`` in ``app.py``.
HANDLER = "app.handler"


def defines_handler(handler: str = HANDLER) -> Callable[[Any], None]:
    """A check that source text defines ``handler``'s function, for a step's ``vet``.

    The source is compiled to a syntax tree and read, never run in the kernel: a module
    without the function is refused before it is deployed, in Lambda's words
    (``Runtime.HandlerNotFound``), instead of every request later answering 500.
    """
    module, _, name = handler.rpartition(".")

    def check(source: Any) -> None:
        try:
            tree = ast.parse(str(source), f"{module}.py")
        except SyntaxError as error:
            where = f"line {error.lineno}: " if error.lineno else ""
            raise ValueError(f"{where}{error.msg}") from None
        except (ValueError, RecursionError, MemoryError) as error:
            raise ValueError(f"the source does not compile ({type(error).__name__})") from None
        bound = _top_level_names(tree.body)
        if name not in bound and "*" not in bound:
            raise ValueError(
                f"Runtime.HandlerNotFound: Handler '{name}' missing on module '{module}' "
                f"(define def {name}(event, context) at the top of the module)"
            )

    return check


def _top_level_names(body: list[ast.stmt]) -> set[str]:
    """The names a module's own statements bind (``*`` for a star import)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names |= _target_names(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            names |= _target_names(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        else:  # if / try / with / for / while / match: their blocks run at import too
            for block in ("body", "orelse", "finalbody"):
                names |= _top_level_names(getattr(node, block, []))
            for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                names |= _top_level_names(part.body)
    return names


def _target_names(target: ast.expr) -> set[str]:
    """The plain names an assignment target binds (``a``, ``a, b``; not ``a.b`` or ``a[0]``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return {name for element in target.elts for name in _target_names(element)}
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return set()


#: The handler deployed in lesson 1: it echoes what API Gateway sent.
HELLO_HANDLER = '''import json


def handler(event, context):
    """Answer with what API Gateway told the function about the request."""
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({
            "message": "Hello from the items function",
            "routeKey": event["routeKey"],
            "rawPath": event["rawPath"],
            "stage": event["requestContext"]["stage"],
        }),
    }
'''

#: The handler of lesson 3: it reads the stage's variables, with a default.
STAGE_VARIABLES_HANDLER = '''import json


def handler(event, context):
    """Pick the table and log level from the stage variables of the calling stage."""
    variables = event.get("stageVariables") or {}
    table = variables.get("TABLE_NAME", "my-frontend-app-data-dev")
    log_level = variables.get("LOG_LEVEL", "info")
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({
            "table": table,
            "logLevel": log_level,
            "routeKey": event["routeKey"],
            "rawPath": event["rawPath"],
            "stage": event["requestContext"]["stage"],
        }),
    }
'''

# --- AWS CLI lines --------------------------------------------------------------------------------


def cli(service: str, command: str, options: Mapping[str, Any], region: str | None = None) -> str:
    """``aws SERVICE COMMAND --opt value ...`` with each value quoted for a POSIX shell.

    ``True`` is a bare flag, ``None`` is left out.
    """
    words = ["aws", service, command]
    for option, value in options.items():
        if value is None or value is False:
            continue
        words.append(option)
        if value is not True:
            words.append(shlex.quote(str(value)))
    if region:
        words += ["--region", region]
    return " ".join(words)


def mapping_cli(ctx: StepContext, domain: str, stage: str, key: str = "") -> str:
    """``aws apigatewayv2 create-api-mapping`` of the course's API (no key: the root)."""
    options = {"--domain-name": domain, "--api-id": ctx.id("api_id"), "--stage": stage}
    return cli(
        "apigatewayv2",
        "create-api-mapping",
        {**options, "--api-mapping-key": key or None},
        ctx.region,
    )


def api_cli(
    command: str, options: Callable[[StepContext], Mapping[str, Any]]
) -> Callable[[StepContext], str]:
    """A step's ``cli``: ``aws apigatewayv2 COMMAND --api-id <the API> ...options(ctx)``."""

    def line(ctx: StepContext) -> str:
        return cli(
            "apigatewayv2",
            command,
            {"--api-id": ctx.id_or("api_id", "<api-id>"), **options(ctx)},
            ctx.region,
        )

    return line


#: ``aws apigatewayv2 create-deployment`` to the stage the lesson created (``prod``).
DEPLOY_STAGE_CLI = api_cli(
    "create-deployment", lambda ctx: {"--stage-name": ctx.id_or("stage", "prod")}
)


def create_domain_name_cli(ctx: StepContext, domain: str, certificate_arn: str) -> str:
    """``aws apigatewayv2 create-domain-name`` for ``domain`` with ``certificate_arn``."""
    return cli(
        "apigatewayv2",
        "create-domain-name",
        {
            "--domain-name": domain,
            "--domain-name-configurations": f"CertificateArn={certificate_arn}",
        },
        ctx.region,
    )


def certificate_placeholder(region: str) -> str:
    """A certificate ARN of ``region`` as shown before one exists."""
    return f"arn:aws:acm:{region}:<account-id>:certificate/<id>"


def curl(method: str, url: str, headers: Mapping[str, str] | None = None) -> str:
    """The ``curl`` line for a request against real AWS."""
    words = ["curl", "-i"]
    if method != "GET":
        words += ["-X", method]
    for name, value in (headers or {}).items():
        words += ["-H", shlex.quote(f"{name}: {value}")]
    return " ".join([*words, shlex.quote(url)])


# --- lookups (read the backend; ``None`` when absent) ---------------------------------------------


def find_api(ctx: StepContext, name: str | None = None) -> dict[str, Any] | None:
    """The HTTP API called ``name`` (by default the course's)."""
    wanted = name or names(ctx).api
    for api in ctx.client("apigatewayv2").get_apis()["Items"]:
        if api["Name"] == wanted:
            return dict(api)
    return None


def find_stage(ctx: StepContext, api_id: str, stage: str) -> dict[str, Any] | None:
    """Stage ``stage`` of ``api_id``."""
    for item in ctx.client("apigatewayv2").get_stages(ApiId=api_id)["Items"]:
        if item["StageName"] == stage:
            return dict(item)
    return None


def find_route(ctx: StepContext, api_id: str, route_key: str) -> dict[str, Any] | None:
    """The route ``route_key`` of ``api_id``."""
    for route in ctx.client("apigatewayv2").get_routes(ApiId=api_id)["Items"]:
        if route["RouteKey"] == route_key:
            return dict(route)
    return None


def find_domain(ctx: StepContext, domain: str, region: str | None = None) -> dict[str, Any] | None:
    """The custom domain name ``domain``."""
    for item in ctx.client("apigatewayv2", region).get_domain_names()["Items"]:
        if item["DomainName"] == domain:
            return dict(item)
    return None


def find_mapping(ctx: StepContext, domain: str, key: str) -> dict[str, Any] | None:
    """The API mapping of ``domain`` at ``key`` (``""`` is the root)."""
    for item in ctx.client("apigatewayv2").get_api_mappings(DomainName=domain)["Items"]:
        if item.get("ApiMappingKey", "") == key:
            return dict(item)
    return None


def custom_domain(ctx: StepContext, domain: str, certificate_arn: str) -> dict[str, Any]:
    """The custom domain name ``domain``: the existing one, or a new one with the certificate."""
    found = find_domain(ctx, domain)
    if found is None:
        found = ctx.client("apigatewayv2").create_domain_name(
            DomainName=domain, DomainNameConfigurations=[{"CertificateArn": certificate_arn}]
        )
    ctx.created("domain_name", domain)
    return dict(found)


def root_mapping(ctx: StepContext, domain: str, stage: str) -> str:
    """The id of ``domain``'s root mapping: the existing one, or a new one to ``stage``."""
    mapping = find_mapping(ctx, domain, "")
    if mapping is None:
        mapping = ctx.client("apigatewayv2").create_api_mapping(
            DomainName=domain, ApiId=ctx.id("api_id"), Stage=stage
        )
    ctx.created("api_mapping", mapping["ApiMappingId"], parent=domain)
    return str(mapping["ApiMappingId"])


def find_certificate(ctx: StepContext, domain: str, region: str | None = None) -> str | None:
    """The ARN of a certificate for exactly ``domain`` in ``region``."""
    acm = ctx.client("acm", region)
    for item in acm.list_certificates()["CertificateSummaryList"]:
        if item["DomainName"] == domain:
            return str(item["CertificateArn"])
    return None


def certificate_in(ctx: StepContext, domain: str, region: str) -> str:
    """A certificate for ``domain`` in ``region``: the existing one, or a new request."""
    arn = find_certificate(ctx, domain, region)
    if arn is None:
        arn = ctx.client("acm", region).request_certificate(
            DomainName=domain, ValidationMethod="DNS"
        )["CertificateArn"]
    ctx.created("certificate", arn, region=region)
    return arn


def find_zone(ctx: StepContext, name: str | None = None) -> str | None:
    """The id of the public hosted zone ``name`` (by default the course's)."""
    wanted = (name or names(ctx).zone).rstrip(".") + "."
    for zone in ctx.client("route53").list_hosted_zones()["HostedZones"]:
        if zone["Name"] == wanted:
            return str(zone["Id"]).rsplit("/", 1)[-1]
    return None


def integration_target(ctx: StepContext, api_id: str) -> str:
    """``integrations/<id>`` of the API's first integration (the function's)."""
    integration = ctx.client("apigatewayv2").get_integrations(ApiId=api_id)["Items"][0]
    return f"integrations/{integration['IntegrationId']}"


def without_dates(value: Any) -> Any:
    """``value`` with every date and response metadata left out (for stable display)."""
    if isinstance(value, dict):
        return {
            k: without_dates(v)
            for k, v in value.items()
            if k != "ResponseMetadata" and not isinstance(v, datetime.datetime)
        }
    if isinstance(value, list):
        return [without_dates(v) for v in value]
    return value


# --- URLs and requests ----------------------------------------------------------------------------


def domain_url(path: str, domain: str = DOMAIN) -> str:
    """``https://api.example.com{path}``."""
    return f"https://{domain}{path}"


UrlOf = Callable[[StepContext], str]
Reader = Callable[[StepContext], Any]


def stage_url(path: str, stage_key: str = "stage") -> UrlOf:
    """``path`` on the execute-api host under the stage recorded as ``stage_key``."""
    return lambda ctx: execute_api_url(ctx, f"/{ctx.id_or(stage_key, 'prod')}{path}")


def custom_domain_url(path: str) -> UrlOf:
    """``path`` on the course's custom domain (``api.example.com``, or its per-learner name)."""
    return lambda ctx: domain_url(path, ctx.id_or("domain_name", names(ctx).domain()))


def stage_field(stage_key: str, field: str, default: Any = None) -> Reader:
    """``field`` of the stage recorded as ``stage_key`` (``default`` when absent)."""
    return lambda ctx: (find_stage(ctx, ctx.id("api_id"), ctx.id(stage_key)) or {}).get(
        field, default
    )


def a_addresses(ctx: StepContext, name: str) -> list[str]:
    """The A addresses the lab's DNS server answers for ``name``, sorted."""
    return sorted(record.address for record in ctx.env.dns.resolve(name, "A"))


def same_nonempty(pair: tuple[Any, Any]) -> bool:
    """Both sides equal and not empty (two names resolving alike, two ids matching)."""
    return bool(pair[0]) and pair[0] == pair[1]


def send(
    ctx: StepContext, method: str, url: str, headers: Mapping[str, str] | None = None
) -> GatewayResponse:
    """A request through the local gateway."""
    return ctx.gateway.request(method, url, headers=dict(headers or {}))


def event_field(response: GatewayResponse, dotted: str) -> Any:
    """A field of the event the function received (``None`` when absent or no event)."""
    node: Any = response.event
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def body_field(response: GatewayResponse, name: str) -> Any:
    """A field of the JSON body (``None`` if the body is not a JSON object)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get(name) if isinstance(body, dict) else None


# --- checks -------------------------------------------------------------------------------------


def answers(
    description: str,
    method: str,
    url: UrlOf,
    status: int,
    *,
    headers: Mapping[str, str] | None = None,
    event: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    response_headers: Mapping[str, str | None] | None = None,
    hint: str = "",
) -> Check:
    """A check that sends a request and compares status, event fields, body and headers.

    In ``response_headers`` a ``None`` value means the header must be absent.
    """

    def evaluate(ctx: StepContext) -> Verdict:
        try:
            response = send(ctx, method, url(ctx), headers)
        except LocalOnlyError:
            raise LocalOnlyError(
                f"run {curl(method, url(ctx), headers)} and expect status {status}"
            ) from None
        wanted: dict[str, Any] = {"status": status}
        got: dict[str, Any] = {"status": response.status}
        for dotted, value in (event or {}).items():
            wanted[f"event.{dotted}"] = value
            got[f"event.{dotted}"] = event_field(response, dotted)
        for name, value in (body or {}).items():
            wanted[f"body.{name}"] = value
            got[f"body.{name}"] = body_field(response, name)
        for name, value in (response_headers or {}).items():
            wanted[name] = value
            got[name] = response.headers.get(name)
        return expect(wanted == got, _pairs(wanted), _pairs(got), hint)

    return Check(description, evaluate)


def _pairs(values: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k}={v!r}" if not isinstance(v, int) else f"{k}={v}" for k, v in values.items()
    )


def field_is(
    description: str, read: Callable[[StepContext], Any], expected: Any, hint: str = ""
) -> Check:
    """A check that ``read(ctx)`` equals ``expected``."""

    def evaluate(ctx: StepContext) -> Verdict:
        actual = read(ctx)
        return expect(actual == expected, repr(expected), repr(actual), hint)

    return Check(description, evaluate)


def holds(
    description: str,
    read: Callable[[StepContext], Any],
    test: Callable[[Any], bool],
    expected: str,
    hint: str = "",
) -> Check:
    """A check that ``test(read(ctx))`` is true; ``expected`` describes it in words."""

    def evaluate(ctx: StepContext) -> Verdict:
        actual = read(ctx)
        return expect(test(actual), expected, repr(actual), hint)

    return Check(description, evaluate)
