"""What the exercises' checks share: lookups of what the learner built, and requests.

An exercise's check reads the backend however the learner made things (boto3,
``%aws``, the console of real AWS), so these helpers look resources up by name
rather than by an id a step recorded. They never raise for something absent: they
return ``None`` or an empty list, and the check turns that into feedback.
"""

from __future__ import annotations

from typing import Any

from gwlab.errors import LocalOnlyError
from gwlab.gateway import GatewayResponse
from gwlab.lab import StepContext
from gwlab.lessons import common


def code(text: object) -> str:
    """``text`` as a Markdown code span (names and values in feedback)."""
    return f"`{text}`"


def request(
    ctx: StepContext, method: str, url: str, headers: dict[str, str] | None = None
) -> GatewayResponse | None:
    """A request through the local gateway; ``None`` against real AWS (no local gateway)."""
    try:
        return common.send(ctx, method, url, headers)
    except LocalOnlyError:
        return None


def answered(response: GatewayResponse) -> str:
    """``404 {"message":"Not Found"}``: a response's status and body, on one line."""
    body = " ".join(response.text.split())
    return f"{response.status} {body[:120]}".rstrip()


def covers(certificate_name: str, domain: str) -> bool:
    """Whether a certificate name covers ``domain``: exactly, or as a one-label ``*.`` wildcard."""
    name, wanted = certificate_name.lower().rstrip("."), domain.lower().rstrip(".")
    if name == wanted:
        return True
    return name.startswith("*.") and wanted.partition(".")[2] == name[2:] and "." in wanted


def certificates(ctx: StepContext, region: str) -> list[dict[str, Any]]:
    """Every ACM certificate of ``region``, described (names, status)."""
    acm = ctx.client("acm", region)
    found = []
    for item in acm.list_certificates()["CertificateSummaryList"]:
        found.append(acm.describe_certificate(CertificateArn=item["CertificateArn"])["Certificate"])
    return found


def names_of(certificate: dict[str, Any]) -> list[str]:
    """The names a certificate lists: its domain and its alternative names."""
    return [certificate["DomainName"], *certificate.get("SubjectAlternativeNames", [])]


def covering(ctx: StepContext, domain: str, region: str) -> list[dict[str, Any]]:
    """The certificates of ``region`` that cover ``domain``."""
    return [
        certificate
        for certificate in certificates(ctx, region)
        if any(covers(name, domain) for name in names_of(certificate))
    ]


def apis_named(ctx: StepContext, name: str) -> list[dict[str, Any]]:
    """Every API called ``name`` (API names need not be unique)."""
    return [
        dict(api) for api in ctx.client("apigatewayv2").get_apis()["Items"] if api["Name"] == name
    ]


def target_of(domain: dict[str, Any] | None) -> str:
    """The ``d-….execute-api…`` target of a custom domain name (``""`` without one)."""
    configs = (domain or {}).get("DomainNameConfigurations") or [{}]
    return str(configs[0].get("ApiGatewayDomainName", ""))


def records(ctx: StepContext, zone_id: str, name: str) -> dict[str, dict[str, Any]]:
    """The record sets of ``name`` in the zone, by type."""
    wanted = name.rstrip(".") + "."
    listed = ctx.client("route53").list_resource_record_sets(HostedZoneId=zone_id)
    return {
        str(record["Type"]): dict(record)
        for record in listed["ResourceRecordSets"]
        if record["Name"] == wanted
    }


def points_at(record: dict[str, Any] | None) -> str:
    """Where an A alias or a CNAME record points (``""`` for anything else)."""
    if not record:
        return ""
    alias = record.get("AliasTarget")
    if alias:
        return str(alias.get("DNSName", "")).rstrip(".")
    values = record.get("ResourceRecords") or [{}]
    return str(values[0].get("Value", "")).rstrip(".") if record.get("Type") == "CNAME" else ""


def addresses(ctx: StepContext, name: str) -> list[str] | None:
    """The A addresses the lab's DNS server answers for ``name``; ``None`` against real AWS.

    dnspython is imported here, on the first query, not with the lessons: a lab that never
    asks DNS never loads its resolver.
    """
    import dns.exception
    import dns.resolver

    try:
        return common.a_addresses(ctx, name)
    except LocalOnlyError:
        return None
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
        return []
    except dns.exception.Timeout:
        raise OSError(f"the lab's DNS server did not answer for {name}") from None
