"""A short end-to-end sequence that shows a backend works: ``gwlab run``.

It builds the lesson's skeleton with plain boto3 calls (an HTTP API, a ``prod``
stage, a certificate, a custom domain, a ``v1`` mapping and a hosted zone) and
reports each call. The lessons replace it once they exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gwlab.env import LabEnv

DOMAIN = "api.example.com"
ZONE = "example.com"


@dataclass(frozen=True)
class SmokeStep:
    """One call of the smoke sequence and what it returned."""

    title: str
    result: str


def smoke_sequence(env: LabEnv) -> Iterator[SmokeStep]:
    """Run the sequence against ``env``, yielding each step as it completes.

    A failing call raises botocore's ``ClientError`` with AWS's own message.
    """
    api = env.client("apigatewayv2")
    acm = env.client("acm")
    route53 = env.client("route53")
    state: dict[str, str] = {}

    def create_api() -> str:
        state["api"] = api.create_api(Name="gwlab-smoke", ProtocolType="HTTP")["ApiId"]
        return f"ApiId {state['api']}"

    def create_stage() -> str:
        stage = api.create_stage(ApiId=state["api"], StageName="prod")
        return f"StageName {stage['StageName']}, AutoDeploy {stage.get('AutoDeploy', False)}"

    def request_certificate() -> str:
        arn = acm.request_certificate(DomainName=DOMAIN, ValidationMethod="DNS")["CertificateArn"]
        state["certificate"] = arn
        status = acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"]
        return f"{arn.rsplit('/', 1)[-1]} {status}"

    def create_domain_name() -> str:
        api.create_domain_name(
            DomainName=DOMAIN,
            DomainNameConfigurations=[{"CertificateArn": state["certificate"]}],
        )
        return f"DomainName {DOMAIN}"

    def create_api_mapping() -> str:
        mapping = api.create_api_mapping(
            DomainName=DOMAIN, ApiId=state["api"], Stage="prod", ApiMappingKey="v1"
        )
        return f"ApiMappingId {mapping['ApiMappingId']} (key v1 -> prod)"

    def create_hosted_zone() -> str:
        zone = route53.create_hosted_zone(Name=ZONE, CallerReference="gwlab-smoke")
        return f"Id {zone['HostedZone']['Id']}"

    def read_back() -> str:
        mappings = api.get_api_mappings(DomainName=DOMAIN)["Items"]
        return f"{len(mappings)} mapping(s) on {DOMAIN}"

    steps: list[tuple[str, Callable[[], str]]] = [
        ("apigatewayv2 create-api", create_api),
        ("apigatewayv2 create-stage", create_stage),
        ("acm request-certificate", request_certificate),
        ("apigatewayv2 create-domain-name", create_domain_name),
        ("apigatewayv2 create-api-mapping", create_api_mapping),
        ("route53 create-hosted-zone", create_hosted_zone),
        ("apigatewayv2 get-api-mappings", read_back),
    ]
    for title, call in steps:
        yield SmokeStep(title, call())
