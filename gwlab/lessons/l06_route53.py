"""Lesson 6: Route 53 — an alias A record to the custom domain, and why not a CNAME."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from gwlab.errors import LocalOnlyError
from gwlab.lab import Lesson, Outcome, Param, Step, StepContext
from gwlab.lab.params import parse_int
from gwlab.lessons import common, params
from gwlab.lessons.common import ZONE, Reader, answers, cli, field_is, holds

PROPAGATION_RECORD = "_gwlab-propagation"


def _create_zone(ctx: StepContext) -> Outcome:
    name = ctx.params["zone_name"]
    zone_id = common.find_zone(ctx, name)
    if zone_id is None:
        zone = ctx.client("route53").create_hosted_zone(Name=name, CallerReference=f"gwlab-{name}")[
            "HostedZone"
        ]
        zone_id = str(zone["Id"]).rsplit("/", 1)[-1]
    ctx.created("hosted_zone", zone_id, region="global")
    return Outcome(f"Hosted zone {name} is {zone_id}", {"zone_id": zone_id, "zone_name": name})


def _zone_cli(ctx: StepContext) -> str:
    zone = ctx.params.get("zone_name", common.names(ctx).zone)
    return cli(
        "route53", "create-hosted-zone", {"--name": zone, "--caller-reference": f"gwlab-{zone}"}
    )


def _records(ctx: StepContext) -> list[dict[str, Any]]:
    listed = ctx.client("route53").list_resource_record_sets(HostedZoneId=ctx.id("zone_id"))
    return list(listed["ResourceRecordSets"])


def _record(name: str, record_type: str) -> Reader:
    wanted = name.rstrip(".") + "."

    def read(ctx: StepContext) -> dict[str, Any] | None:
        for record in _records(ctx):
            if record["Name"] == wanted and record["Type"] == record_type:
                return record
        return None

    return read


def _alias(ctx: StepContext) -> dict[str, Any]:
    return {
        "HostedZoneId": ctx.id("domain_zone_id"),
        "DNSName": ctx.id("domain_target"),
        "EvaluateTargetHealth": False,
    }


def _change(ctx: StepContext, action: str, record: dict[str, Any]) -> str:
    change = ctx.client("route53").change_resource_record_sets(
        HostedZoneId=ctx.id("zone_id"),
        ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]},
    )
    return str(change["ChangeInfo"]["Id"])


def _batch_cli(ctx: StepContext, action: str, record: dict[str, Any]) -> str:
    batch = {"Changes": [{"Action": action, "ResourceRecordSet": record}]}
    return cli(
        "route53",
        "change-resource-record-sets",
        {
            "--hosted-zone-id": ctx.id_or("zone_id", "<zone-id>"),
            "--change-batch": json.dumps(batch, separators=(",", ":")),
        },
    )


def _apex_cname(ctx: StepContext) -> Outcome:
    _change(
        ctx,
        "CREATE",
        {
            "Name": ctx.id("zone_name"),
            "Type": "CNAME",
            "TTL": 300,
            "ResourceRecords": [{"Value": ctx.id("domain_target")}],
        },
    )
    return Outcome("unreachable: Route 53 refuses a CNAME at the zone apex")


def _alias_record(ctx: StepContext) -> Outcome:
    name = ctx.params["record_name"]
    change_id = _change(ctx, "UPSERT", {"Name": name, "Type": "A", "AliasTarget": _alias(ctx)})
    ctx.created("record", f"{name.rstrip('.')}.|A", region="global", parent=ctx.id("zone_id"))
    status = ctx.client("route53").get_change(Id=change_id)["ChangeInfo"]["Status"]
    return Outcome(
        f"{name} A ALIAS {ctx.id('domain_target')} (change {status})",
        {"alias_change": change_id, "record_name": name},
    )


def _watch_propagation(ctx: StepContext) -> Outcome:
    seconds = ctx.params["seconds"]
    name = f"{PROPAGATION_RECORD}.{ctx.id('zone_name')}"
    with contextlib.suppress(LocalOnlyError):  # real Route 53 takes the time it takes
        ctx.env.propagation_delay = seconds
    try:
        change_id = _change(
            ctx,
            "UPSERT",
            {
                "Name": name,
                "Type": "TXT",
                "TTL": 60,
                "ResourceRecords": [{"Value": '"hello"'}],
            },
        )
        ctx.created("record", f"{name}.|TXT", region="global", parent=ctx.id("zone_id"))
        route53 = ctx.client("route53")
        first = route53.get_change(Id=change_id)["ChangeInfo"]["Status"]
        route53.get_waiter("resource_record_sets_changed").wait(
            Id=change_id, WaiterConfig={"Delay": 1, "MaxAttempts": int(seconds) + 30}
        )
        last = route53.get_change(Id=change_id)["ChangeInfo"]["Status"]
    finally:
        if ctx.env.backend != "aws":
            ctx.env.propagation_delay = 0
    return Outcome(
        f"The change was {first}, then {last} after the waiter", {"propagation_change": change_id}
    )


def _check_seconds(seconds: int) -> None:
    if not 0 <= seconds <= 10:
        raise ValueError("use 0 to 10 seconds")


def _serve_domain(ctx: StepContext) -> Outcome:
    """``domain`` as its own custom domain name (certificate, root mapping), aliased to it."""
    domain = ctx.params["domain_name"]
    found = common.custom_domain(ctx, domain, common.certificate_in(ctx, domain, ctx.region))
    common.root_mapping(ctx, domain, "$default")
    config = found["DomainNameConfigurations"][0]
    target = {
        "HostedZoneId": config["HostedZoneId"],
        "DNSName": config["ApiGatewayDomainName"],
        "EvaluateTargetHealth": False,
    }
    _change(ctx, "UPSERT", {"Name": domain, "Type": "A", "AliasTarget": target})
    ctx.created("record", f"{domain.rstrip('.')}.|A", region="global", parent=ctx.id("zone_id"))
    return Outcome(
        f"{domain} is a custom domain name (root mapped to $default) and {domain} A ALIAS "
        f"{config['ApiGatewayDomainName']}, its own target"
    )


def _apex_target(ctx: StepContext) -> tuple[str, str]:
    """Where the apex alias points, and the target of the apex's own custom domain name."""
    apex = common.names(ctx).zone
    record = _record(apex, "A")(ctx) or {}
    points_at = str(record.get("AliasTarget", {}).get("DNSName", "")).rstrip(".")
    domain = common.find_domain(ctx, apex) or {}
    configs = domain.get("DomainNameConfigurations") or [{}]
    return points_at, str(configs[0].get("ApiGatewayDomainName", ""))


def _dig(ctx: StepContext) -> Outcome:
    name = ctx.id_or("record_name", common.names(ctx).domain())
    answer = ctx.env.dns.resolve(name, "A")
    return Outcome(f"The lab's DNS server answered: {answer.to_text()}", shown=answer)


LESSON = Lesson(
    id="06-route53",
    title="Route 53 alias records",
    goal="Point api.example.com at the custom domain with an alias A record, checked with dig.",
    steps=(
        Step(
            id="create_hosted_zone",
            title="Create the hosted zone",
            explanation="A public hosted zone for example.com, with its NS and SOA records.",
            action=_create_zone,
            cli=_zone_cli,
            params=(params.zone_name(lambda ctx: common.names(ctx).zone),),
            requires=("04-custom-domain/create_domain_name",),
            checks=(
                holds(
                    "the zone has its NS and SOA records",
                    lambda ctx: sorted(
                        r["Type"]
                        for r in _records(ctx)
                        if r["Name"] == ctx.id("zone_name").rstrip(".") + "."
                    ),
                    lambda types: "NS" in types and "SOA" in types,
                    "NS and SOA at the apex",
                ),
                holds(
                    "the lab's DNS server answers for the zone",
                    lambda ctx: ctx.env.dns.resolve(ctx.id("zone_name"), "SOA").to_text(),
                    lambda text: " SOA " in text,
                    "an SOA record",
                ),
            ),
        ),
        Step(
            id="apex_cname",
            title="Why not a CNAME: the zone apex",
            explanation="A CNAME cannot sit at the zone apex (example.com). Route 53's alias "
            "record can, and queries to an API Gateway alias cost nothing.",
            action=_apex_cname,
            cli=lambda ctx: _batch_cli(
                ctx,
                "CREATE",
                {
                    "Name": common.names(ctx).zone,
                    "Type": "CNAME",
                    "TTL": 300,
                    "ResourceRecords": [{"Value": ctx.id_or("domain_target", "<d-name>")}],
                },
            ),
            expects_error="InvalidChangeBatch",
            requires=("create_hosted_zone",),
            replay=False,
        ),
        Step(
            id="alias_record",
            title="The alias A record",
            explanation="An A record with AliasTarget: DNSName is the ApiGatewayDomainName, "
            "HostedZoneId the region's API Gateway zone (not your own zone). No TTL.",
            action=_alias_record,
            cli=lambda ctx: _batch_cli(
                ctx,
                "UPSERT",
                {
                    "Name": ctx.params.get("record_name", common.names(ctx).domain()),
                    "Type": "A",
                    "AliasTarget": {
                        "DNSName": ctx.id_or("domain_target", "<d-name>"),
                        "HostedZoneId": ctx.id_or("domain_zone_id", "<zone-id>"),
                        "EvaluateTargetHealth": False,
                    },
                },
            ),
            params=(params.record_name(lambda ctx: common.names(ctx).domain()),),
            requires=("create_hosted_zone",),
            checks=(
                holds(
                    "the record is an alias to the domain's target",
                    lambda ctx: (
                        (_record(ctx.params["record_name"], "A")(ctx) or {})
                        .get("AliasTarget", {})
                        .get("DNSName", "")
                        .rstrip(".")
                    ),
                    bool,
                    "the d-… name",
                ),
                field_is(
                    "the change is INSYNC",
                    lambda ctx: ctx.client("route53").get_change(Id=ctx.id("alias_change"))[
                        "ChangeInfo"
                    ]["Status"],
                    "INSYNC",
                ),
                holds(
                    "api.example.com resolves to the target's addresses",
                    lambda ctx: (
                        common.a_addresses(ctx, ctx.params["record_name"]),
                        common.a_addresses(ctx, ctx.id("domain_target")),
                    ),
                    common.same_nonempty,
                    "the same A addresses for both names",
                ),
            ),
        ),
        Step(
            id="watch_propagation",
            title="Changes take a moment: PENDING, then INSYNC",
            explanation="Route 53 reports a change PENDING until every name server has it. Wait "
            "for INSYNC with boto3's resource_record_sets_changed waiter.",
            action=_watch_propagation,
            cli=lambda ctx: (
                f"aws route53 wait resource-record-sets-changed --id "
                f"{ctx.id_or('propagation_change', '<change-id>')}"
            ),
            params=(
                Param(
                    "seconds",
                    "Propagation delay (s)",
                    1,
                    "0 to 10",
                    parse=parse_int,
                    validate=_check_seconds,
                ),
            ),
            requires=("alias_record",),
            checks=(
                field_is(
                    "the change is INSYNC now",
                    lambda ctx: ctx.client("route53").get_change(Id=ctx.id("propagation_change"))[
                        "ChangeInfo"
                    ]["Status"],
                    "INSYNC",
                ),
            ),
            replay=False,
        ),
        Step(
            id="dig",
            title="Ask DNS, like dig",
            explanation="The answer is A records — no CNAME — with the addresses of the "
            "ApiGatewayDomainName.",
            action=_dig,
            cli=lambda ctx: f"dig {ctx.id_or('record_name', common.names(ctx).domain())} A",
            requires=("alias_record",),
            checks=(
                holds(
                    "the answer is A records, not a CNAME",
                    lambda ctx: ctx.env.dns.resolve(
                        ctx.id_or("record_name", common.names(ctx).domain()), "A"
                    ).to_text(),
                    lambda text: " A " in text and "CNAME" not in text,
                    "A records only",
                ),
            ),
            replay=False,
        ),
        Step(
            id="exercise_apex_alias",
            title="Exercise: serve the API at the apex too",
            explanation="Serve the API at https://example.com as well. An alias alone is not "
            "enough: API Gateway answers only for its custom domain names, each covered by a "
            "certificate. This step makes the name a custom domain name (certificate, root "
            "mapped to $default) and aliases it to its own d-… target — at the apex, what a "
            "CNAME cannot do. Change the domain name in the field, then Run.",
            action=_serve_domain,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx, ctx.params.get("domain_name", ZONE), "<certificate-arn for it>"
            ),
            params=(params.domain_name("www.example.com"),),
            requires=("alias_record",),
            checks=(
                holds(
                    "example.com is a custom domain name of its own",
                    lambda ctx: common.find_domain(ctx, common.names(ctx).zone) is not None,
                    bool,
                    "a custom domain name example.com",
                ),
                holds(
                    "the apex alias points at example.com's own target",
                    _apex_target,
                    common.same_nonempty,
                    "the d-… name create-domain-name gave example.com",
                ),
                answers(
                    "https://example.com/items reaches the API",
                    "GET",
                    lambda ctx: f"https://{common.names(ctx).zone}/items",
                    200,
                    event={"requestContext.domainName": ZONE, "rawPath": "/items"},
                ),
            ),
            hint="The apex is the zone's own name, example.com, and it needs a custom domain "
            "name of its own: an alias to api.example.com's target fails in AWS, as no "
            "certificate covers example.com there.",
            replay=False,
            solution={"domain_name": ZONE},
        ),
    ),
)
