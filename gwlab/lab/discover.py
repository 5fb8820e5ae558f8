"""Find what gwlab created in a real AWS account — by its tags, never anything else.

Every resource the ``aws`` backend creates carries ``gwlab:lab`` (and
``gwlab:learner``). Discovery lists each kind the lab creates, keeps those with
the tag (and, when a learner is given, that learner's tag), and adds the Route
53 records that alias a discovered custom domain. An untagged resource is never
returned, so clean-up never touches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlab.backends.tagging import LAB_TAG, LEARNER_TAG
from gwlab.lab.context import Resource

if TYPE_CHECKING:
    from gwlab.env import LabEnv


def _ours(tags: dict[str, str], learner: str | None) -> bool:
    return LAB_TAG in tags and (learner is None or tags.get(LEARNER_TAG) == learner)


def _pairs(tags: Iterable[dict[str, str]]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags}


def _api_gateway(
    env: LabEnv, region: str, learner: str | None, targets: set[str]
) -> Iterator[Resource]:
    """APIs, domain names and their mappings.

    Adds each domain's API Gateway target (``d-….execute-api…``) to ``targets``, for the
    alias records pointing at it.
    """
    apigw = env.client("apigatewayv2", region)
    for api in apigw.get_apis()["Items"]:
        if _ours(api.get("Tags", {}), learner):
            yield Resource("api", api["ApiId"], region)
    for domain in apigw.get_domain_names()["Items"]:
        if not _ours(domain.get("Tags", {}), learner):
            continue
        name = domain["DomainName"]
        targets.update(
            str(config.get("ApiGatewayDomainName", "")).rstrip(".").lower()
            for config in domain.get("DomainNameConfigurations", [])
        )
        yield Resource("domain_name", name, region)
        for mapping in apigw.get_api_mappings(DomainName=name)["Items"]:
            yield Resource("api_mapping", mapping["ApiMappingId"], region, parent=name)


def _functions(env: LabEnv, region: str, learner: str | None) -> Iterator[Resource]:
    client = env.client("lambda", region)
    for function in client.list_functions()["Functions"]:
        tags = client.list_tags(Resource=function["FunctionArn"]).get("Tags", {})
        if _ours(tags, learner):
            yield Resource("function", function["FunctionName"], region)


def _certificates(env: LabEnv, region: str, learner: str | None) -> Iterator[Resource]:
    acm = env.client("acm", region)
    for certificate in acm.list_certificates()["CertificateSummaryList"]:
        arn = certificate["CertificateArn"]
        if _ours(
            _pairs(acm.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])), learner
        ):
            yield Resource("certificate", arn, region)


def _roles(env: LabEnv, learner: str | None) -> Iterator[Resource]:
    iam = env.client("iam")
    for role in iam.list_roles()["Roles"]:
        tags = _pairs(iam.list_role_tags(RoleName=role["RoleName"]).get("Tags", []))
        if _ours(tags, learner):
            yield Resource("role", role["RoleName"], "global")


def _route53(env: LabEnv, targets: set[str], learner: str | None) -> Iterator[Resource]:
    route53 = env.client("route53")
    for zone in route53.list_hosted_zones()["HostedZones"]:
        zone_id = str(zone["Id"]).rsplit("/", 1)[-1]
        tags = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id)
        if _ours(_pairs(tags["ResourceTagSet"].get("Tags", [])), learner):
            yield Resource("hosted_zone", zone_id, "global")
            continue  # deleting the zone deletes its records
        records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
        for record in records:
            alias = record.get("AliasTarget", {}).get("DNSName", "").rstrip(".").lower()
            if alias in targets:
                yield Resource(
                    "record", f"{record['Name']}|{record['Type']}", "global", parent=zone_id
                )


def tagged_resources(
    env: LabEnv, regions: Iterable[str], learner: str | None = None
) -> list[Resource]:
    """Every resource tagged by gwlab (for ``learner``, when given) in ``regions``."""
    found: list[Resource] = []
    targets: set[str] = set()
    for region in dict.fromkeys(regions):
        found += _api_gateway(env, region, learner, targets)
        found += _functions(env, region, learner)
        found += _certificates(env, region, learner)
    found += _roles(env, learner)
    found += _route53(env, targets, learner)
    return found
