"""Discovery by tag: what ``gwlab cleanup`` would delete, and what it must leave alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import gwlab
from gwlab.backends.tagging import LAB_TAG, LEARNER_TAG
from gwlab.lab.discover import tagged_resources

from route53_helpers import HostedZone, alias, create

ADA = {LAB_TAG: "gwlab", LEARNER_TAG: "ada"}


@pytest.fixture
def env() -> Iterator[gwlab.LabEnv]:
    with gwlab.start("embedded") as started:
        yield started


def _domain(env: gwlab.LabEnv, name: str, tags: dict[str, str]) -> str:
    arn = env.client("acm").request_certificate(DomainName=name)["CertificateArn"]
    created = env.client("apigatewayv2").create_domain_name(
        DomainName=name,
        DomainNameConfigurations=[{"CertificateArn": arn, "EndpointType": "REGIONAL"}],
        Tags=tags,
    )
    return str(created["DomainNameConfigurations"][0]["ApiGatewayDomainName"])


def test_alias_records_to_a_learners_domain_are_found_in_an_untagged_zone(
    env: gwlab.LabEnv,
) -> None:
    ada_target = _domain(env, "api-ada.class.example.org", ADA)
    bob_target = _domain(env, "api-bob.class.example.org", {LAB_TAG: "gwlab", LEARNER_TAG: "bob"})
    zone = HostedZone(env, "class.example.org")  # the class's zone: not tagged
    zone.submit(
        create(alias("api-ada.class.example.org", ada_target)),
        create(alias("api-bob.class.example.org", bob_target)),
    )

    found = tagged_resources(env, ["us-east-1"], learner="ada")

    assert [(r.kind, r.id) for r in found] == [
        ("domain_name", "api-ada.class.example.org"),
        ("record", "api-ada.class.example.org.|A"),
    ]
    assert found[1].parent == zone.id.rsplit("/", 1)[-1]


def test_a_tagged_zone_is_deleted_whole_not_record_by_record(env: gwlab.LabEnv) -> None:
    target = _domain(env, "api.example.org", ADA)
    zone = HostedZone(env, "example.org")
    zone.route53.change_tags_for_resource(
        ResourceType="hostedzone",
        ResourceId=zone.id.rsplit("/", 1)[-1],
        AddTags=[{"Key": k, "Value": v} for k, v in ADA.items()],
    )
    zone.submit(create(alias("api.example.org", target)))

    kinds = [r.kind for r in tagged_resources(env, ["us-east-1"], learner="ada")]

    assert kinds == ["domain_name", "hosted_zone"]
