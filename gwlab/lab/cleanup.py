"""Delete what the lab created, in dependency order, and report each deletion.

Mappings go before their domain names, records before their hosted zones,
APIs (with their stages, routes and deployments) before the functions they
call, and certificates last, once no domain name uses them: AWS refuses to
delete an API a mapping uses or a certificate a domain name uses, and so does
the emulator. Something already gone is reported as such; a failure is
reported with AWS's code and message (a mapping made outside the lab still
holding the API, say) and the rest carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from gwlab.lab.context import Resource
from gwlab.lab.runner import aws_error

if TYPE_CHECKING:
    import pandas as pd

    from gwlab.env import LabEnv

#: Deletion order: a kind is deleted only after every kind before it.
ORDER = (
    "api_mapping",
    "record",
    "domain_name",
    "hosted_zone",
    "api",
    "function",
    "role",
    "certificate",
)
#: Error codes that mean "already gone".
_GONE = {
    "NotFoundException",
    "NoSuchHostedZone",
    "ResourceNotFoundException",
    "NoSuchEntity",
    "NoSuchRecord",
}


@dataclass(frozen=True)
class Deletion:
    """One row of the clean-up table."""

    kind: str
    id: str
    region: str
    outcome: str


def _delete_mapping(env: LabEnv, r: Resource) -> None:
    env.client("apigatewayv2", r.region).delete_api_mapping(DomainName=r.parent, ApiMappingId=r.id)


def _delete_record(env: LabEnv, r: Resource) -> None:
    name, record_type = r.id.rsplit("|", 1)
    route53 = env.client("route53")
    listed = route53.list_resource_record_sets(
        HostedZoneId=r.parent, StartRecordName=name, StartRecordType=record_type, MaxItems="1"
    )["ResourceRecordSets"]
    if not listed or listed[0]["Name"] != name or listed[0]["Type"] != record_type:
        raise ClientError({"Error": {"Code": "NoSuchRecord", "Message": name}}, "Delete")
    route53.change_resource_record_sets(
        HostedZoneId=r.parent,
        ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": listed[0]}]},
    )


def _delete_zone(env: LabEnv, r: Resource) -> None:
    route53 = env.client("route53")
    zone = route53.get_hosted_zone(Id=r.id)["HostedZone"]
    leftovers = [
        record
        for record in route53.list_resource_record_sets(HostedZoneId=r.id)["ResourceRecordSets"]
        if not (record["Name"] == zone["Name"] and record["Type"] in ("SOA", "NS"))
    ]
    if leftovers:
        route53.change_resource_record_sets(
            HostedZoneId=r.id,
            ChangeBatch={
                "Changes": [{"Action": "DELETE", "ResourceRecordSet": x} for x in leftovers]
            },
        )
    route53.delete_hosted_zone(Id=r.id)


_DELETERS: dict[str, Callable[[Any, Resource], None]] = {
    "api_mapping": _delete_mapping,
    "record": _delete_record,
    "domain_name": lambda env, r: env.client("apigatewayv2", r.region).delete_domain_name(
        DomainName=r.id
    ),
    "hosted_zone": _delete_zone,
    "api": lambda env, r: env.client("apigatewayv2", r.region).delete_api(ApiId=r.id),
    "function": lambda env, r: env.client("lambda", r.region).delete_function(FunctionName=r.id),
    "role": lambda env, r: env.client("iam").delete_role(RoleName=r.id),
    "certificate": lambda env, r: env.client("acm", r.region).delete_certificate(
        CertificateArn=r.id
    ),
}


def delete_all(env: LabEnv, resources: list[Resource]) -> list[Deletion]:
    """Delete ``resources`` in :data:`ORDER` (newest first within a kind)."""
    rank = {kind: n for n, kind in enumerate(ORDER)}
    ordered = sorted(reversed(resources), key=lambda r: rank.get(r.kind, len(rank)))
    report = []
    for resource in ordered:
        deleter = _DELETERS.get(resource.kind)
        if deleter is None:
            outcome = f"not deleted: gwlab does not know how to delete a {resource.kind}"
        else:
            try:
                deleter(env, resource)
                outcome = "deleted"
            except ClientError as error:
                code, message = aws_error(error)
                outcome = "already gone" if code in _GONE else f"failed: {code}: {message}"
        report.append(Deletion(resource.kind, resource.id, resource.region, outcome))
    return report


def deletion_table(report: list[Deletion]) -> pd.DataFrame:
    """The clean-up report as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(
        [(d.kind, d.id, d.region, d.outcome) for d in report],
        columns=["kind", "id", "region", "outcome"],
    )
