"""Lesson 6: Route 53 — an alias A record to the custom domain, and why not a CNAME."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from gwlab.errors import LocalOnlyError
from gwlab.lab import Lesson, Outcome, Param, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.params import parse_int
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import Reader, cli, field_is, holds
from gwlab.lessons.exercise_checks import code

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


def _apex_domain(ctx: StepContext) -> Outcome:
    """The zone apex as a custom domain name, with a certificate of its own (no mapping yet)."""
    apex = common.names(ctx).zone
    arn = common.certificate_in(ctx, apex, ctx.region)
    found = common.custom_domain(ctx, apex, arn)
    config = found["DomainNameConfigurations"][0]
    return Outcome(
        f"{apex} is a custom domain name served by {config['ApiGatewayDomainName']} (hosted "
        f"zone {config.get('HostedZoneId')}); nothing maps it to an API yet",
        {
            "apex_certificate_arn": arn,
            "apex_target": config["ApiGatewayDomainName"],
            "apex_zone_id": config.get("HostedZoneId", ""),
        },
        shown=config,
    )


def _check_apex_alias(ctx: StepContext) -> Feedback:
    apex, api_domain = common.names(ctx).zone, common.names(ctx).domain()
    domain = common.find_domain(ctx, apex)
    if domain is None:
        return failed(
            f"{code(apex)} is no custom domain name any more: run the step before the "
            "exercise again."
        )
    apex_target = exercise_checks.target_of(domain)
    mappings = ctx.client("apigatewayv2").get_api_mappings(DomainName=apex)["Items"]
    for mapping in mappings:
        ctx.created("api_mapping", mapping["ApiMappingId"], parent=apex)
    root = next((m for m in mappings if m.get("ApiMappingKey", "") == ""), None)
    zone_id = ctx.id("zone_id")
    records = exercise_checks.records(ctx, zone_id, apex)
    at_apex = records.get("A")
    if at_apex is not None:
        ctx.created("record", f"{apex.rstrip('.')}.|A", region="global", parent=zone_id)
    if root is None and not mappings and at_apex is None:
        return not_attempted(f"{code(apex)} has no API mapping and no A record at the apex yet.")
    if root is None:
        return failed(
            f"{code(apex)} has no API mapping at its root, so API Gateway answers "
            f"{code('403 Forbidden')} at https://{apex}/items: map its root (an empty key) "
            f"to a stage of the API."
        )
    if root["ApiId"] != ctx.id("api_id"):
        return failed(
            f"The root of {code(apex)} is mapped to API {code(root['ApiId'])}, not to the "
            f"course's API {code(ctx.id('api_id'))}."
        )
    if at_apex is None:
        return failed(
            f"{code(apex)} is mapped, but the zone has no A record at the apex, so DNS cannot "
            "find it. A CNAME can't sit at the apex (Route 53 refuses it); an alias A record can."
        )
    points = exercise_checks.points_at(at_apex)
    if not points:
        return failed(
            "The apex A record is a plain one with fixed addresses: make "
            f"it an alias (AliasTarget) to {code(apex_target)}."
        )
    if points != apex_target:
        if points == ctx.id("domain_target"):
            return failed(
                f"The apex alias points at {code(points)}, the target of {code(api_domain)}: "
                f"point it at {code(apex_target)}, the one `create-domain-name` gave {code(apex)}."
            )
        return failed(
            f"The apex alias points at {code(points)}, not at {code(apex_target)}, the target "
            f"create-domain-name gave {code(apex)}."
        )
    found, wanted = (exercise_checks.addresses(ctx, name) for name in (apex, apex_target))
    if found is None:
        return passed(f"{code(apex)} is mapped and aliased to its own target.")
    if not found or found != wanted:
        return failed(
            f"The lab's DNS server answers {code(', '.join(found) or 'nothing')} for "
            f"{code(apex)}, not the target's addresses: is the change INSYNC yet?"
        )
    url = f"https://{apex}/items"
    response = exercise_checks.request(ctx, "GET", url)
    reached = common.event_field(response, "requestContext.domainName") if response else None
    if response is None or response.status != 200 or reached != apex:
        shown = exercise_checks.answered(response) if response else "nothing"
        return failed(f"DNS is right, but GET {code(url)} answered {code(shown)}.")
    return passed(
        f"{code(apex)} resolves to its own target (an alias A record at the apex, which a CNAME "
        f"can't be) and GET {code(url)} reached the function on stage "
        f"{code(common.event_field(response, 'requestContext.stage'))}."
    )


def _apex_mapping_cli(ctx: StepContext) -> str:
    return common.mapping_cli(ctx, common.names(ctx).zone, "$default")


def _apex_record_cli(ctx: StepContext, record_type: str, target: str, zone_id: str) -> str:
    record: dict[str, Any] = {"Name": common.names(ctx).zone, "Type": record_type}
    if record_type == "CNAME":
        record |= {"TTL": 300, "ResourceRecords": [{"Value": target}]}
    else:
        record["AliasTarget"] = {
            "HostedZoneId": zone_id,
            "DNSName": target,
            "EvaluateTargetHealth": False,
        }
    return _batch_cli(ctx, "UPSERT", record)


APEX_ALIAS = Exercise(
    id="apex_alias",
    title="Serve the API at the apex too",
    task="Make `https://example.com/items` reach the API. The step above made `example.com` a "
    "custom domain name; map its root to the API's `$default` stage, and give the zone apex "
    "the DNS record that sends `example.com` to that domain's own target.",
    check=_check_apex_alias,
    hints=(
        "Two things are missing: API Gateway does not know which API `example.com` serves, "
        "and DNS does not know where `example.com` is. At the apex, one kind of record only "
        "will do.",
        "`create-api-mapping` (boto3: `create_api_mapping`) with `DomainName`, `ApiId` and "
        "`Stage`; then Route 53's `change-resource-record-sets` (`change_resource_record_sets`) "
        "with an `UPSERT` of an `A` record whose `AliasTarget` is `lab.ids['apex_target']` in "
        "zone `lab.ids['apex_zone_id']`.",
    ),
    solution=lambda ctx: (
        _apex_mapping_cli(ctx),
        _apex_record_cli(ctx, "A", ctx.id("apex_target"), ctx.id("apex_zone_id")),
    ),
    mistakes=(
        Mistake(
            "a CNAME at the apex",
            lambda ctx: (
                _apex_mapping_cli(ctx),
                _apex_record_cli(ctx, "CNAME", ctx.id("apex_target"), ""),
            ),
            says="A CNAME can't sit at the apex",
        ),
        Mistake(
            "the apex aliased to api.example.com's target",
            lambda ctx: (
                _apex_mapping_cli(ctx),
                _apex_record_cli(ctx, "A", ctx.id("domain_target"), ctx.id("domain_zone_id")),
            ),
            says="the target of `api.example.com`",
        ),
        Mistake(
            "the alias without a mapping",
            lambda ctx: (
                _apex_record_cli(ctx, "A", ctx.id("apex_target"), ctx.id("apex_zone_id")),
            ),
            says="no API mapping at its root",
        ),
    ),
    requires=("apex_domain",),
)


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
            id="apex_domain",
            title="The apex needs a custom domain name of its own",
            explanation="API Gateway answers only for its custom domain names, each covered by "
            "a certificate: pointing example.com at api.example.com's target is not enough. "
            "Request a certificate for example.com and make it a custom domain name; its own "
            "d-… target is what the apex must point at.",
            action=_apex_domain,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx,
                common.names(ctx).zone,
                ctx.id_or("apex_certificate_arn", "<certificate-arn for it>"),
            ),
            requires=("create_hosted_zone",),
            checks=(
                holds(
                    "example.com has a d-… target of its own",
                    lambda ctx: (
                        exercise_checks.target_of(common.find_domain(ctx, common.names(ctx).zone)),
                        ctx.id("domain_target"),
                    ),
                    lambda pair: str(pair[0]).startswith("d-") and pair[0] != pair[1],
                    "a d-… name that is not api.example.com's",
                ),
            ),
            replay=False,
        ),
    ),
    exercises=(APEX_ALIAS,),
)
