"""Which host a custom domain name answers for: its own, its wildcard's, and no other.

Issue 17, items 1 and 7. A host that the lab's DNS sends to API Gateway but that no
custom domain name is (the apex aliased to api.example.com's target) must fail as in AWS,
with a trace that says why — it used to raise ``UnknownHostError`` (a 421 over HTTP). A
wildcard custom domain name ``*.example.com`` answers for one label in its place, and a
custom domain name of the exact host wins (http-api-custom-domain-names).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

import gwlab
from gwlab.functions import deploy_function
from gwlab.gateway import UnknownHostError

from route53_helpers import alias, create

ECHO = (
    "import json\n"
    "def handler(event, context):\n"
    "    return {'statusCode': 200, 'body': json.dumps({\n"
    "        'domainName': event['requestContext']['domainName'],\n"
    "        'stage': event['requestContext']['stage'], 'rawPath': event['rawPath']})}\n"
)


def issued(env: gwlab.LabEnv, name: str) -> str:
    """An ISSUED certificate for ``name`` in the environment's region."""
    arn = env.client("acm").request_certificate(DomainName=name, ValidationMethod="DNS")
    return str(arn["CertificateArn"])


@pytest.fixture
def world(env: gwlab.LabEnv) -> dict[str, Any]:
    """An API with stages prod and $default; api.example.com, *.example.com, a.example.com."""
    apigw = env.client("apigatewayv2")
    arn = deploy_function(env, "echo", ECHO)["FunctionArn"]
    api = apigw.create_api(Name="items", ProtocolType="HTTP", Target=arn)["ApiId"]
    apigw.create_stage(ApiId=api, StageName="prod")
    apigw.create_deployment(ApiId=api, StageName="prod")
    targets = {}
    for name, stage in (("api.example.com", "$default"), ("*.example.com", "prod")):
        domain = apigw.create_domain_name(
            DomainName=name, DomainNameConfigurations=[{"CertificateArn": issued(env, name)}]
        )
        targets[name] = domain["DomainNameConfigurations"][0]["ApiGatewayDomainName"]
        apigw.create_api_mapping(DomainName=name, ApiId=api, Stage=stage)
    route53 = env.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="hosts")["HostedZone"]
    route53.change_resource_record_sets(
        HostedZoneId=zone["Id"],
        ChangeBatch={
            "Changes": [
                # the mistake: the apex aliased to another domain's target
                create(alias("example.com", targets["api.example.com"])),
                create(alias("api.example.com", targets["api.example.com"])),
            ]
        },
    )
    return {"api": api, "targets": targets, "zone": zone["Id"]}


def hops(response: Any) -> list[tuple[str, bool, str]]:
    return [(hop.stage, hop.ok, hop.summary) for hop in response.trace.hops]


def test_a_host_dns_sends_to_api_gateway_but_no_domain_is_refused_with_why(
    env: gwlab.LabEnv, world: dict[str, Any]
) -> None:
    response = env.gateway.request("GET", "https://example.com/items")
    assert response.status == 403 and json.loads(response.body) == {"message": "Forbidden"}
    assert response.event is None  # the function never ran
    (host, ok_host, why_host), (cert, ok_cert, why_cert) = hops(response)[:2]
    assert (host, ok_host, cert, ok_cert) == ("host", False, "certificate", False)
    target = world["targets"]["api.example.com"]
    assert f"sends example.com to API Gateway (A alias to {target})" in why_host
    assert "no custom domain name is example.com" in why_host
    assert "no certificate of API Gateway covers example.com" in why_cert
    assert "certificate name mismatch" in why_cert


def test_a_host_nothing_sends_to_api_gateway_is_still_unknown(
    env: gwlab.LabEnv, world: dict[str, Any]
) -> None:
    with pytest.raises(UnknownHostError, match="no API or custom domain name answers"):
        env.gateway.request("GET", "https://nowhere.example.org/items")


def test_the_same_refusal_over_http(env: gwlab.LabEnv, world: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{env.gateway.url}/items", headers={"Host": "example.com"}, method="GET"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert json.loads(refused.value.read()) == {"message": "Forbidden"}


def test_a_wildcard_domain_answers_for_one_label_and_an_exact_name_wins(
    env: gwlab.LabEnv, world: dict[str, Any]
) -> None:
    through_wildcard = env.gateway.request("GET", "https://shop.example.com/items")
    assert through_wildcard.status == 200, hops(through_wildcard)
    assert json.loads(through_wildcard.body) == {
        "domainName": "shop.example.com",
        "stage": "prod",
        "rawPath": "/items",
    }
    host = hops(through_wildcard)[0]
    assert host[:2] == ("host", True)
    assert "matches the wildcard custom domain name *.example.com" in host[2]
    # api.example.com is its own custom domain name: the wildcard does not take it
    exact = env.gateway.request("GET", "https://api.example.com/items")
    assert json.loads(exact.body)["stage"] == "$default"
    # one label only: a.b.example.com is not covered by *.example.com
    with pytest.raises(UnknownHostError):
        env.gateway.request("GET", "https://a.b.example.com/items")
