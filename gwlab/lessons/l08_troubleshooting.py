"""Lesson 8: three broken setups — diagnose each with the tracer, fix it, verify."""

from __future__ import annotations

from gwlab.lab import Lesson, Outcome, Param, Step, StepContext
from gwlab.lab.step import Action
from gwlab.lessons import common, params
from gwlab.lessons.common import answers, cli, domain_url, holds

FRONTEND_URL = "https://api.example.com/v1/items"


def _status(ctx: StepContext) -> str:
    return common.names(ctx).domain("status")


def _eu(ctx: StepContext) -> str:
    return common.names(ctx).domain("eu")


def _break_status(ctx: StepContext) -> Outcome:
    domain = _status(ctx)
    common.custom_domain(ctx, domain, common.certificate_in(ctx, domain, ctx.region))
    return Outcome(f"{domain} exists — and the status page says it is broken")


def _fix_status(ctx: StepContext) -> Outcome:
    domain, stage = _status(ctx), ctx.params["stage_name"]
    mapping = common.root_mapping(ctx, domain, stage)
    return Outcome(f"Mapped the root of {domain} to {stage} ({mapping})")


def _break_eu(ctx: StepContext) -> Outcome:
    domain = _eu(ctx)
    certificate = common.certificate_in(ctx, domain, ctx.params["region"])
    ctx.client("apigatewayv2").create_domain_name(
        DomainName=domain, DomainNameConfigurations=[{"CertificateArn": certificate}]
    )
    return Outcome("unreachable: the certificate is in another region")


def _fix_eu(ctx: StepContext) -> Outcome:
    domain, region = _eu(ctx), ctx.params["region"]
    common.custom_domain(ctx, domain, common.certificate_in(ctx, domain, region))
    common.root_mapping(ctx, domain, "prod")
    return Outcome(f"{domain} uses a certificate from {region} and maps to prod")


def _call(url_param: str | None, url: str = "") -> Action:
    def action(ctx: StepContext) -> Outcome:
        target = str(ctx.params[url_param]) if url_param else url
        response = common.send(ctx, "GET", target)
        stage = common.event_field(response, "requestContext.stage")
        return Outcome(
            f"GET {target} answered {response.status}" + (f" from stage {stage}" if stage else ""),
            shown=response,
        )

    return action


def _check_url(value: object) -> None:
    if not str(value).startswith(("https://", "http://")):
        raise ValueError("use a full URL such as https://api.example.com/v1/items")


LESSON = Lesson(
    id="08-troubleshooting",
    title="Troubleshooting lab",
    goal="Diagnose three broken setups with the request tracer, fix them, and verify.",
    steps=(
        Step(
            id="broken_status_site",
            title="Case 1: status.example.com answers 403",
            explanation="Someone created status.example.com with a good certificate. Every "
            "request gets 403 Forbidden. Trace one: which hop stops?",
            action=_break_status,
            cli=lambda ctx: common.curl("GET", domain_url("/items", _status(ctx))),
            requires=("07-cors/deploy_prod",),
            until=("fix_status_site",),
            checks=(
                answers(
                    "the site answers 403",
                    "GET",
                    lambda ctx: domain_url("/items", _status(ctx)),
                    403,
                ),
            ),
        ),
        Step(
            id="fix_status_site",
            title="Fix case 1",
            explanation="The trace stops at the mapping hop: there is none. Map the root.",
            action=_fix_status,
            cli=lambda ctx: cli(
                "apigatewayv2",
                "create-api-mapping",
                {
                    "--domain-name": _status(ctx),
                    "--api-id": ctx.id_or("api_id", "<api-id>"),
                    "--stage": ctx.params.get("stage_name", "prod"),
                },
                ctx.region,
            ),
            params=(params.stage_name("prod"),),
            requires=("broken_status_site",),
            checks=(
                answers(
                    "the site answers 200",
                    "GET",
                    lambda ctx: domain_url("/items", _status(ctx)),
                    200,
                ),
            ),
            hint="A custom domain answers 403 until an API mapping connects it to a stage.",
        ),
        Step(
            id="broken_eu_site",
            title="Case 2: eu.example.com cannot be created",
            explanation="The certificate for eu.example.com was requested in the wrong region. "
            "Read AWS's message: it names the region the certificate must be in.",
            action=_break_eu,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx,
                _eu(ctx),
                common.certificate_placeholder(ctx.params.get("region", "us-west-2")),
            ),
            params=(params.region("us-west-2", "Certificate region"),),
            expects_error="BadRequestException",
            requires=("07-cors/deploy_prod",),
            until=("fix_eu_site",),
            replay=False,
        ),
        Step(
            id="fix_eu_site",
            title="Fix case 2",
            explanation="Request the certificate in the API's region, then create the domain "
            "and its mapping.",
            action=_fix_eu,
            cli=lambda ctx: cli(
                "acm",
                "request-certificate",
                {"--domain-name": _eu(ctx), "--validation-method": "DNS"},
                ctx.params.get("region", ctx.region),
            ),
            params=(params.region("us-east-1", "Certificate region"),),
            requires=("07-cors/deploy_prod",),
            checks=(
                holds(
                    "the domain exists",
                    lambda ctx: (
                        (common.find_domain(ctx, _eu(ctx)) or {}).get("DomainName"),
                        _eu(ctx),
                    ),
                    lambda pair: pair[0] == pair[1],
                    "the eu domain name",
                ),
                answers(
                    "the site answers 200 from prod",
                    "GET",
                    lambda ctx: domain_url("/items", _eu(ctx)),
                    200,
                    event={"requestContext.stage": "prod"},
                ),
            ),
            hint="The certificate must be in the same region as the API.",
        ),
        Step(
            id="broken_frontend_url",
            title="Case 3: the frontend gets 404",
            explanation="The frontend calls https://api.example.com/prod/items, expecting the "
            "prod stage. Trace it: which mapping and which stage does it reach?",
            action=_call(None, "https://api.example.com/prod/items"),
            cli=lambda ctx: common.curl("GET", "https://api.example.com/prod/items"),
            requires=("07-cors/deploy_prod",),
            checks=(
                answers(
                    "the request gets 404",
                    "GET",
                    lambda ctx: "https://api.example.com/prod/items",
                    404,
                ),
            ),
            replay=False,
        ),
        Step(
            id="fix_frontend_url",
            title="Fix case 3",
            explanation="On a custom domain the stage comes from the mapping, never from a path "
            "prefix. Give the frontend the URL that reaches prod.",
            action=_call("url"),
            cli=lambda ctx: common.curl("GET", str(ctx.params.get("url", FRONTEND_URL))),
            params=(Param("url", "Frontend URL", FRONTEND_URL, validate=_check_url),),
            requires=("07-cors/deploy_prod",),
            checks=(
                answers(
                    "the frontend's URL reaches prod's /items",
                    "GET",
                    lambda ctx: str(ctx.params["url"]),
                    200,
                    event={"requestContext.stage": "prod", "rawPath": "/items"},
                ),
            ),
            hint="api.example.com/v1/… is mapped to prod; /prod/… is just a path on $default.",
            replay=False,
        ),
    ),
)
