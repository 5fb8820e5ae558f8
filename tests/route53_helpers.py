"""Building Route 53 change batches in tests, and reading their outcome."""

from __future__ import annotations

from typing import Any

import botocore.exceptions

import gwlab

US_EAST_1_APIGATEWAY_ZONE = "Z1UJRXOUMOOFQ8"
US_WEST_2_APIGATEWAY_ZONE = "Z2OJLYMUO9EFXC"
DOMAIN_TARGET = "d-abc123.execute-api.us-east-1.amazonaws.com"


def records(name: str, rr_type: str, *values: str, ttl: int = 300) -> dict[str, Any]:
    """A plain record set."""
    return {
        "Name": name,
        "Type": rr_type,
        "TTL": ttl,
        "ResourceRecords": [{"Value": value} for value in values],
    }


def alias(
    name: str,
    target: str = DOMAIN_TARGET,
    zone_id: str = US_EAST_1_APIGATEWAY_ZONE,
    rr_type: str = "A",
    **extra: Any,
) -> dict[str, Any]:
    """An alias record set (to the API Gateway domain name by default)."""
    return {
        "Name": name,
        "Type": rr_type,
        "AliasTarget": {"HostedZoneId": zone_id, "DNSName": target, "EvaluateTargetHealth": False},
        **extra,
    }


def create(rrset: dict[str, Any]) -> dict[str, Any]:
    return {"Action": "CREATE", "ResourceRecordSet": rrset}


def upsert(rrset: dict[str, Any]) -> dict[str, Any]:
    return {"Action": "UPSERT", "ResourceRecordSet": rrset}


def delete(rrset: dict[str, Any]) -> dict[str, Any]:
    return {"Action": "DELETE", "ResourceRecordSet": rrset}


class HostedZone:
    """A hosted zone created through boto3, and its change batches."""

    def __init__(self, env: gwlab.LabEnv, name: str = "example.com") -> None:
        self.route53 = env.client("route53")
        created = self.route53.create_hosted_zone(Name=name, CallerReference=name)
        self.id: str = created["HostedZone"]["Id"]
        self.creation: dict[str, Any] = created["ChangeInfo"]

    def submit(self, *changes: dict[str, Any], comment: str | None = None) -> dict[str, Any]:
        batch: dict[str, Any] = {"Changes": list(changes)}
        if comment is not None:
            batch["Comment"] = comment
        response = self.route53.change_resource_record_sets(HostedZoneId=self.id, ChangeBatch=batch)
        return dict(response["ChangeInfo"])

    def rejection(self, *changes: dict[str, Any]) -> tuple[str, str, int]:
        """(code, message, HTTP status) of a batch that must fail."""
        try:
            self.submit(*changes)
        except botocore.exceptions.ClientError as error:
            return (
                error.response["Error"]["Code"],
                error.response["Error"]["Message"],
                error.response["ResponseMetadata"]["HTTPStatusCode"],
            )
        raise AssertionError(f"Route 53 accepted {changes}")

    def record_sets(self) -> list[dict[str, Any]]:
        return list(
            self.route53.list_resource_record_sets(HostedZoneId=self.id)["ResourceRecordSets"]
        )

    def names_and_types(self) -> set[tuple[str, str]]:
        return {(r["Name"], r["Type"]) for r in self.record_sets()}
