"""Lesson 9: the whole path of one request, from DNS to the event — then clean up."""

from __future__ import annotations

from gwlab.gateway import Trace
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lessons import common, exercise_checks
from gwlab.lessons.common import DOMAIN, answers, cli, domain_url, holds
from gwlab.lessons.exercise_checks import code


def end_to_end_trace(ctx: StepContext) -> Trace:
    """DNS, then the gateway's hops, for ``https://api.example.com/v1/items``."""
    trace = Trace()
    domain = common.names(ctx).domain()
    url = domain_url("/v1/items", domain)
    target = ctx.id("domain_target")
    addresses = ", ".join(common.a_addresses(ctx, domain))
    trace.add("dns", f"{domain} A -> {addresses} (alias of {target})")
    response = common.send(ctx, "GET", url)
    trace.hops.extend(response.trace.hops)
    stage = common.event_field(response, "requestContext.stage")
    trace.add(
        "event",
        f"the function saw rawPath {common.event_field(response, 'rawPath')} on stage {stage}",
    )
    return trace


def _end_to_end(ctx: StepContext) -> Outcome:
    trace = end_to_end_trace(ctx)
    url = domain_url("/v1/items", common.names(ctx).domain())
    return Outcome(f"GET {url}: {len(trace.hops)} hops from DNS to the event", shown=trace)


BETA = "beta"
BETA_TABLE = "my-frontend-app-data-beta"
DEV_TABLE = "my-frontend-app-data-dev"  # what the handler of lesson 3 reads without TABLE_NAME


def _check_beta(ctx: StepContext) -> Feedback:
    api_id, domain = ctx.id("api_id"), ctx.id("domain_name")
    stage = common.find_stage(ctx, api_id, BETA)
    mapping = common.find_mapping(ctx, domain, BETA)
    if mapping is not None:
        ctx.created("api_mapping", mapping["ApiMappingId"], parent=domain)
    if stage is None and mapping is None:
        return not_attempted(f"There is no stage {code(BETA)} and no mapping {code(BETA)} yet.")
    if stage is None:
        return failed(f"There is no stage {code(BETA)} on the course's API yet.")
    if not stage.get("DeploymentId"):
        return failed(
            f"Stage {code(BETA)} exists, but it serves no deployment: a named stage serves "
            "nothing until you deploy it."
        )
    table = (stage.get("StageVariables") or {}).get("TABLE_NAME")
    if table is None:
        return failed(
            f"Stage {code(BETA)} has no {code('TABLE_NAME')} variable, so the function falls "
            f"back to the dev table ({code(DEV_TABLE)})."
        )
    if table != BETA_TABLE:
        return failed(f"Stage {code(BETA)} reads table {code(table)}, not {code(BETA_TABLE)}.")
    if mapping is None:
        return failed(
            f"{code(domain)} has no mapping with the key {code(BETA)}, so "
            f"{code('/' + BETA + '/items')} goes to the root mapping's stage instead."
        )
    if mapping["ApiId"] != api_id or mapping["Stage"] != BETA:
        return failed(
            f"{code(domain + '/' + BETA)} is mapped to stage {code(mapping['Stage'])}, not "
            f"{code(BETA)}."
        )
    found, wanted = (
        exercise_checks.addresses(ctx, name) for name in (domain, ctx.id("domain_target"))
    )
    if found is not None and (not found or found != wanted):
        return failed(
            f"The lab's DNS server does not send {code(domain)} to its custom domain's "
            "addresses any more: check its alias record (lesson 6)."
        )
    url = domain_url(f"/{BETA}/items", domain)
    response = exercise_checks.request(ctx, "GET", url)
    if response is None:
        return passed(f"Stage {code(BETA)} is deployed, reads {code(BETA_TABLE)}, and is mapped.")
    got = (
        response.status,
        common.event_field(response, "requestContext.stage"),
        common.body_field(response, "table"),
    )
    if got != (200, BETA, BETA_TABLE):
        return failed(
            f"Everything is in place, yet GET {code(url)} answered "
            f"{code(exercise_checks.answered(response))}."
        )
    return passed(
        f"DNS sends {code(domain)} to {code(ctx.id('domain_target'))}; GET {code(url)} reached "
        f"stage {code(BETA)}, which reads {code(BETA_TABLE)}, and the function saw rawPath "
        f"{code(common.event_field(response, 'rawPath'))}: the mapping key is stripped."
    )


def _beta_stage_cli(ctx: StepContext, *, variables: bool = True) -> str:
    return cli(
        "apigatewayv2",
        "create-stage",
        {
            "--api-id": ctx.id("api_id"),
            "--stage-name": BETA,
            "--stage-variables": f"TABLE_NAME={BETA_TABLE}" if variables else None,
        },
        ctx.region,
    )


def _deploy_beta_cli(ctx: StepContext) -> str:
    return cli(
        "apigatewayv2",
        "create-deployment",
        {"--api-id": ctx.id("api_id"), "--stage-name": BETA},
        ctx.region,
    )


def _map_beta_cli(ctx: StepContext, stage: str = BETA, key: str = BETA) -> str:
    return common.mapping_cli(ctx, ctx.id("domain_name"), stage, key)


BETA_STAGE = Exercise(
    id="beta_stage",
    title="A beta for partners",
    task="Partners get a beta of the API at `https://api.example.com/beta/items`: a stage "
    "`beta` of the course's API that serves its current routes and reads the table "
    "`my-frontend-app-data-beta` from its stage variables.",
    check=_check_beta,
    hints=(
        "Three lessons meet here: a named stage and its deployment (2), a stage variable (3), "
        "an API mapping on the custom domain (5). DNS is already done (6).",
        "`create-stage` (with `StageVariables`), `create-deployment` for that stage, then "
        "`create-api-mapping` with `DomainName`, `ApiId`, `Stage` and `ApiMappingKey`.",
    ),
    solution=lambda ctx: (_beta_stage_cli(ctx), _deploy_beta_cli(ctx), _map_beta_cli(ctx)),
    mistakes=(
        Mistake(
            "the stage never deployed",
            lambda ctx: (_beta_stage_cli(ctx), _map_beta_cli(ctx)),
            says="serves no deployment",
        ),
        Mistake(
            "no stage variable",
            lambda ctx: (
                _beta_stage_cli(ctx, variables=False),
                _deploy_beta_cli(ctx),
                _map_beta_cli(ctx),
            ),
            says="falls back to the dev table",
        ),
        Mistake(
            "beta mapped to prod",
            lambda ctx: (
                _beta_stage_cli(ctx),
                _deploy_beta_cli(ctx),
                _map_beta_cli(ctx, stage=ctx.id("stage")),
            ),
            says="is mapped to stage `prod`",
        ),
        Mistake(
            "the key written /beta",
            lambda ctx: (
                _beta_stage_cli(ctx),
                _deploy_beta_cli(ctx),
                _map_beta_cli(ctx, key="/beta"),
            ),
            says="no mapping with the key `beta`",
        ),
    ),
    requires=("06-route53/alias_record", "07-cors/deploy_prod"),
)


LESSON = Lesson(
    id="09-review",
    title="Review and clean-up",
    goal="Follow one request from DNS to the Lambda event, then delete what the lab made.",
    steps=(
        Step(
            id="end_to_end",
            title="From DNS to the event",
            explanation="Resolve api.example.com, then send GET /v1/items through the gateway "
            "and follow every hop.",
            action=_end_to_end,
            cli=lambda ctx: (
                f"dig {common.names(ctx).domain()} A && "
                + common.curl("GET", domain_url("/v1/items", common.names(ctx).domain()))
            ),
            requires=("06-route53/alias_record", "07-cors/deploy_prod"),
            checks=(
                holds(
                    "DNS sends api.example.com to the custom domain's addresses",
                    lambda ctx: (
                        common.a_addresses(ctx, common.names(ctx).domain()),
                        common.a_addresses(ctx, ctx.id("domain_target")),
                    ),
                    common.same_nonempty,
                    "the same addresses",
                ),
                answers(
                    "the request reaches prod's /items",
                    "GET",
                    lambda ctx: domain_url("/v1/items"),
                    200,
                    event={
                        "requestContext.stage": "prod",
                        "rawPath": "/items",
                        "requestContext.domainName": DOMAIN,
                    },
                ),
            ),
            replay=False,
        ),
    ),
    exercises=(BETA_STAGE,),
)
