"""Lesson 0: check that the lab works — the backend, the gateway and DNS."""

from __future__ import annotations

from gwlab.functions import deploy_function
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lessons import common
from gwlab.lessons.common import cli, field_is, holds

SELF_CHECK_FUNCTION = "gwlab-self-check"
SELF_CHECK_ZONE = "self-check.gwlab.test"


def _backend(ctx: StepContext) -> Outcome:
    apis = ctx.client("apigatewayv2").get_apis()["Items"]
    return Outcome(
        f"The {ctx.env.backend} backend answers in {ctx.region}; it holds {len(apis)} API(s)."
    )


def _gateway(ctx: StepContext) -> Outcome:
    arn = deploy_function(
        ctx, SELF_CHECK_FUNCTION, "def handler(event, context):\n    return {'ok': True}\n"
    )["FunctionArn"]
    apigw = ctx.client("apigatewayv2")
    api_id = apigw.create_api(Name="gwlab-self-check", ProtocolType="HTTP", Target=arn)["ApiId"]
    try:
        response = ctx.gateway.request(
            "GET", f"https://{api_id}.execute-api.{ctx.region}.amazonaws.com/self-check"
        )
    finally:
        apigw.delete_api(ApiId=api_id)
        ctx.client("lambda").delete_function(FunctionName=SELF_CHECK_FUNCTION)
    return Outcome(
        f"A request through the local gateway answered {response.status} {response.text}",
        shown=response,
    )


def _dns(ctx: StepContext) -> Outcome:
    route53 = ctx.client("route53")
    zone = route53.create_hosted_zone(Name=SELF_CHECK_ZONE, CallerReference="gwlab-self-check")
    zone_id = zone["HostedZone"]["Id"]
    try:
        answer = ctx.env.dns.resolve(SELF_CHECK_ZONE, "SOA")
    finally:
        route53.delete_hosted_zone(Id=zone_id)
    return Outcome(f"The lab's DNS server on {ctx.env.dns.address[0]} answered: {answer[0]}")


LESSON = Lesson(
    id="00-welcome",
    title="Welcome and self-check",
    goal="Check that the embedded AWS, the local gateway and the DNS server all work.",
    steps=(
        Step(
            id="check_backend",
            title="The embedded AWS answers",
            explanation="List the HTTP APIs with boto3. Against the embedded backend nothing "
            "leaves your machine and no real credentials are used.",
            action=_backend,
            cli=lambda ctx: cli("apigatewayv2", "get-apis", {}, ctx.region),
            checks=(
                holds(
                    "the backend is local unless real AWS was chosen on purpose",
                    lambda ctx: ctx.env.backend,
                    lambda backend: backend in ("embedded", "server", "aws"),
                    "embedded, server, or an opted-in aws",
                ),
                field_is(
                    "get-apis answers with a list",
                    lambda ctx: isinstance(ctx.client("apigatewayv2").get_apis()["Items"], list),
                    True,
                ),
            ),
            replay=False,
        ),
        Step(
            id="check_gateway",
            title="The local gateway answers",
            explanation="Create a throwaway function and API, send one request through the "
            "local gateway, and delete both again.",
            action=_gateway,
            cli=lambda ctx: common.curl(
                "GET", f"https://<api-id>.execute-api.{ctx.region}.amazonaws.com/self-check"
            ),
            checks=(
                field_is(
                    "nothing of the self-check is left behind",
                    lambda ctx: common.find_api(ctx, "gwlab-self-check"),
                    None,
                ),
            ),
            replay=False,
        ),
        Step(
            id="check_dns",
            title="The DNS server answers",
            explanation="Create a throwaway hosted zone, ask the lab's DNS server for its SOA "
            "record, and delete the zone again.",
            action=_dns,
            cli=lambda ctx: f"dig {SELF_CHECK_ZONE} SOA",
            checks=(
                field_is(
                    "nothing of the self-check is left behind",
                    lambda ctx: common.find_zone(ctx, SELF_CHECK_ZONE),
                    None,
                ),
            ),
            replay=False,
        ),
    ),
)
