"""Lesson 9: the whole path of one request, from DNS to the event — then clean up."""

from __future__ import annotations

from gwlab.gateway import Trace
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lessons import common
from gwlab.lessons.common import DOMAIN, answers, domain_url, holds


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
)
