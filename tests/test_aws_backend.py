"""The aws backend: refuses without the opt-in, and tags everything it creates.

The tagging paths run against the server backend standing in for AWS.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest

import gwlab
from gwlab.backends.aws import ALLOW_REAL_AWS_ENV_VAR
from gwlab.backends.moto_backed import current_owner
from gwlab.backends.tagging import LAB_TAG, LEARNER_TAG, learner_id

EXPECTED = {LAB_TAG: "apigw-http-stages-domains", LEARNER_TAG: "ada"}


@pytest.mark.parametrize("value", [None, "0", "yes", "true", ""])
def test_refuses_without_opt_in(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(ALLOW_REAL_AWS_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(ALLOW_REAL_AWS_ENV_VAR, value)
    with pytest.raises(gwlab.RealAwsNotAllowed) as refused:
        gwlab.start("aws")
    text = str(refused.value)
    assert "\n" not in text
    assert "Nothing has been sent to AWS" in text
    assert f"{ALLOW_REAL_AWS_ENV_VAR}=1" in text
    assert "cost money" in text
    if value is not None:
        assert repr(value) in text


def test_refusal_happens_before_any_client_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_REAL_AWS_ENV_VAR, raising=False)
    made: list[str] = []
    import boto3

    monkeypatch.setattr(boto3.Session, "client", lambda *a, **k: made.append("client"))
    with pytest.raises(gwlab.RealAwsNotAllowed):
        gwlab.start("aws")
    assert made == []


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[gwlab.LabEnv, gwlab.LabEnv]]:
    """(the server backend playing AWS, an opted-in aws env pointed at it)."""
    monkeypatch.setenv(ALLOW_REAL_AWS_ENV_VAR, "1")
    with (
        gwlab.start("server") as aws_itself,
        gwlab.start("aws", learner="ada", endpoint_url=aws_itself.endpoint_url) as env,
    ):
        yield aws_itself, env


def test_opted_in_env_reports_itself(stand_in: tuple[gwlab.LabEnv, gwlab.LabEnv]) -> None:
    aws_itself, env = stand_in
    assert env.backend == "aws"
    assert env.seed is None
    assert env.endpoint_url == aws_itself.endpoint_url
    assert current_owner() is not None  # the aws env did not supersede the stand-in


def test_every_creation_is_tagged_and_own_tags_are_kept(
    stand_in: tuple[gwlab.LabEnv, gwlab.LabEnv],
) -> None:
    aws_itself, env = stand_in
    api = env.client("apigatewayv2")
    created = api.create_api(Name="t", ProtocolType="HTTP", Tags={"team": "blue"})
    arn = f"arn:aws:apigateway:us-east-1::/apis/{created['ApiId']}"
    tags = aws_itself.client("apigatewayv2").get_tags(ResourceArn=arn)["Tags"]
    assert tags == {**EXPECTED, "team": "blue"}

    acm = env.client("acm")
    cert = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")
    cert_tags = acm.list_tags_for_certificate(CertificateArn=cert["CertificateArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in cert_tags} == EXPECTED

    route53 = env.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]
    zone_id = zone["Id"].rsplit("/", 1)[-1]
    zone_tags = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id)
    assert {t["Key"]: t["Value"] for t in zone_tags["ResourceTagSet"]["Tags"]} == EXPECTED

    iam = env.client("iam")
    role = iam.create_role(
        RoleName="lab-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]
    role_tags = iam.list_role_tags(RoleName="lab-role")["Tags"]
    assert {t["Key"]: t["Value"] for t in role_tags} == EXPECTED

    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {}\n")
    function = env.client("lambda").create_function(
        FunctionName="items",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="app.handler",
        Code={"ZipFile": code.getvalue()},
    )
    function_tags = env.client("lambda").list_tags(Resource=function["FunctionArn"])["Tags"]
    assert function_tags == EXPECTED


def test_learner_id_is_cleaned_for_tag_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWLAB_LEARNER", "ada lovelace <ada@example.com>")
    assert learner_id() == "ada lovelace -ada@example.com-"
    assert learner_id("bob") == "bob"
