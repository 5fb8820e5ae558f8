"""Custom domain names, certificates and API mappings (AWS_FACTS, "Custom domains")."""

from __future__ import annotations

from typing import Any

import pytest
from moto import settings

import gwlab

DOMAIN = "api.example.com"


def _certificate(env: gwlab.LabEnv, domain: str = DOMAIN, region: str = "us-east-1") -> str:
    acm = env.client("acm", region_name=region)
    arn: str = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    return arn


def _pending_certificate(env: gwlab.LabEnv, monkeypatch: pytest.MonkeyPatch) -> str:
    """A certificate still waiting for DNS validation (moto issues them after a wait)."""
    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", 3600)
    return _certificate(env)


@pytest.fixture
def domain(env: gwlab.LabEnv, apigw: Any) -> dict[str, Any]:
    created: dict[str, Any] = apigw.create_domain_name(
        DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": _certificate(env)}]
    )
    return created


def test_domain_name_carries_the_fields_aws_returns(env: gwlab.LabEnv, apigw: Any) -> None:
    arn = _certificate(env)
    created = apigw.create_domain_name(
        DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": arn}]
    )
    (config,) = created["DomainNameConfigurations"]
    target = config["ApiGatewayDomainName"]
    assert target.startswith("d-") and target.endswith(".execute-api.us-east-1.amazonaws.com")
    assert len(target.split(".")[0]) == 12
    assert config["HostedZoneId"] == "Z1UJRXOUMOOFQ8"
    assert config["DomainNameStatus"] == "AVAILABLE"
    assert config["EndpointType"] == "REGIONAL"
    assert config["SecurityPolicy"] == "TLS_1_2"
    assert config["CertificateArn"] == arn
    assert apigw.get_domain_name(DomainName=DOMAIN)["DomainNameConfigurations"] == [config]
    assert [d["DomainName"] for d in apigw.get_domain_names()["Items"]] == [DOMAIN]


@pytest.mark.parametrize(
    ("region", "zone"),
    [("us-west-2", "Z2OJLYMUO9EFXC"), ("eu-central-1", "Z1U9ULNL0V5AJ3")],
)
def test_hosted_zone_id_is_the_regions_api_gateway_zone(
    env: gwlab.LabEnv, region: str, zone: str
) -> None:
    apigw = env.client("apigatewayv2", region_name=region)
    created = apigw.create_domain_name(
        DomainName=DOMAIN,
        DomainNameConfigurations=[{"CertificateArn": _certificate(env, region=region)}],
    )
    (config,) = created["DomainNameConfigurations"]
    assert config["HostedZoneId"] == zone
    assert config["ApiGatewayDomainName"].endswith(f".execute-api.{region}.amazonaws.com")


def test_certificate_in_the_wrong_region(env: gwlab.LabEnv, aws_error: Any) -> None:
    """The classic mistake: a us-east-1 certificate for an API in us-west-2."""
    arn = _certificate(env, region="us-east-1")
    west = env.client("apigatewayv2", region_name="us-west-2")
    with aws_error(
        "BadRequestException",
        f"Invalid certificate ARN: {arn}. Certificate must be in 'us-west-2'.",
    ):
        west.create_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": arn}]
        )
    assert west.get_domain_names()["Items"] == []


def test_certificate_must_exist_be_issued_and_cover_the_domain(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    with aws_error(
        "BadRequestException", f"Invalid certificate ARN: {missing}. Certificate not found."
    ):
        apigw.create_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": missing}]
        )
    other = _certificate(env, "www.example.org")
    with aws_error(
        "BadRequestException", f"Certificate {other} does not cover the domain name {DOMAIN}"
    ):
        apigw.create_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": other}]
        )
    pending = _pending_certificate(env, monkeypatch)
    with aws_error(
        "BadRequestException",
        f"Certificate {pending} is PENDING_VALIDATION; a custom domain name needs an ISSUED "
        "certificate",
    ):
        apigw.create_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": pending}]
        )


@pytest.mark.parametrize(
    ("domain_name", "covered"),
    [("api.example.com", True), ("example.com", False), ("a.b.example.com", False)],
)
def test_wildcard_certificate_covers_one_label(
    env: gwlab.LabEnv, apigw: Any, domain_name: str, covered: bool
) -> None:
    arn = _certificate(env, "*.example.com")
    try:
        apigw.create_domain_name(
            DomainName=domain_name, DomainNameConfigurations=[{"CertificateArn": arn}]
        )
        created = True
    except apigw.exceptions.BadRequestException as error:
        assert "does not cover" in str(error)
        created = False
    assert created is covered


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        ({"EndpointType": "EDGE"}, "Invalid endpoint type EDGE"),
        ({"SecurityPolicy": "TLS_1_0"}, "Invalid security policy TLS_1_0"),
    ],
)
def test_only_regional_tls_1_2_domains(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, configuration: dict[str, str], message: str
) -> None:
    config = {"CertificateArn": _certificate(env), **configuration}
    with aws_error("BadRequestException") as raised:
        apigw.create_domain_name(DomainName=DOMAIN, DomainNameConfigurations=[config])
    assert raised.value.response["Error"]["Message"].startswith(message)


@pytest.mark.parametrize("name", ["localhost", "-api.example.com", "api..example.com", "a b.com"])
def test_invalid_domain_names(env: gwlab.LabEnv, apigw: Any, aws_error: Any, name: str) -> None:
    with aws_error("BadRequestException", f"Invalid domain name: {name}"):
        apigw.create_domain_name(
            DomainName=name, DomainNameConfigurations=[{"CertificateArn": _certificate(env)}]
        )


def test_duplicate_domain_name_is_a_conflict(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, domain: dict[str, Any]
) -> None:
    with aws_error("ConflictException"):
        apigw.create_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": _certificate(env)}]
        )


def test_update_domain_name_switches_certificate_and_keeps_the_target(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, domain: dict[str, Any]
) -> None:
    target = domain["DomainNameConfigurations"][0]["ApiGatewayDomainName"]
    new_arn = _certificate(env, "*.example.com")
    updated = apigw.update_domain_name(
        DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": new_arn}]
    )
    (config,) = updated["DomainNameConfigurations"]
    assert config["CertificateArn"] == new_arn
    assert config["ApiGatewayDomainName"] == target
    wrong = _certificate(env, region="eu-west-1")
    with aws_error(
        "BadRequestException",
        f"Invalid certificate ARN: {wrong}. Certificate must be in 'us-east-1'.",
    ):
        apigw.update_domain_name(
            DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": wrong}]
        )
    assert (
        apigw.get_domain_name(DomainName=DOMAIN)["DomainNameConfigurations"][0]["CertificateArn"]
        == new_arn
    )


def test_delete_domain_name_with_mappings_deletes_them(
    apigw: Any, aws_error: Any, domain: dict[str, Any], api_id: str
) -> None:
    apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="$default")
    apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v1")
    apigw.delete_domain_name(DomainName=DOMAIN)
    assert apigw.get_domain_names()["Items"] == []
    with aws_error("NotFoundException", "Invalid domain name identifier specified"):
        apigw.get_api_mappings(DomainName=DOMAIN)


def test_mapping_shapes_root_single_and_multi_level(
    apigw: Any, domain: dict[str, Any], api_id: str
) -> None:
    root = apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="$default")
    assert "ApiMappingKey" not in root
    assert root["Stage"] == "$default" and root["ApiId"] == api_id
    assert len(root["ApiMappingId"]) == 10
    v1 = apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v1")
    deep = apigw.create_api_mapping(
        DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="orders/v1/items"
    )
    assert (v1["ApiMappingKey"], deep["ApiMappingKey"]) == ("v1", "orders/v1/items")
    listed = apigw.get_api_mappings(DomainName=DOMAIN)["Items"]
    assert sorted(m.get("ApiMappingKey", "") for m in listed) == ["", "orders/v1/items", "v1"]
    fetched = apigw.get_api_mapping(DomainName=DOMAIN, ApiMappingId=v1["ApiMappingId"])
    assert fetched["Stage"] == "prod"


def test_mapping_errors(apigw: Any, aws_error: Any, domain: dict[str, Any], api_id: str) -> None:
    apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v1")
    with aws_error("ConflictException", "ApiMapping key already exists for this domain name"):
        apigw.create_api_mapping(
            DomainName=DOMAIN, ApiId=api_id, Stage="$default", ApiMappingKey="v1"
        )
    with aws_error("NotFoundException", "Invalid API identifier specified nope"):
        apigw.create_api_mapping(DomainName=DOMAIN, ApiId="nope", Stage="prod")
    with aws_error("BadRequestException", "Invalid stage identifier specified"):
        apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="staging")
    with aws_error("NotFoundException", "Invalid domain name identifier specified"):
        apigw.create_api_mapping(DomainName="other.example.com", ApiId=api_id, Stage="prod")
    assert len(apigw.get_api_mappings(DomainName=DOMAIN)["Items"]) == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("/v1", "API mapping key should not start with a '/' or have consecutive '/'s."),
        ("v1//x", "API mapping key should not start with a '/' or have consecutive '/'s."),
        ("v1/", "API mapping key should not end with a '/'."),
        (
            "v 1",
            "API mapping key v 1 contains invalid characters; use letters, digits and $-_.+!*'()/",
        ),
        (
            "v1?",
            "API mapping key v1? contains invalid characters; use letters, digits and $-_.+!*'()/",
        ),
        ("k" * 301, "API mapping key is longer than 300 characters."),
    ],
)
def test_invalid_mapping_keys(
    apigw: Any, aws_error: Any, domain: dict[str, Any], api_id: str, key: str, message: str
) -> None:
    with aws_error("BadRequestException", message):
        apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey=key)


@pytest.mark.parametrize("key", ["v1", "orders/v1/items", "$-_.+!*'()", "k" * 300])
def test_valid_mapping_keys(apigw: Any, domain: dict[str, Any], api_id: str, key: str) -> None:
    created = apigw.create_api_mapping(
        DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey=key
    )
    assert created["ApiMappingKey"] == key


def test_update_api_mapping(
    apigw: Any, aws_error: Any, domain: dict[str, Any], api_id: str
) -> None:
    v1 = apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v1")
    apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v2")
    moved = apigw.update_api_mapping(
        DomainName=DOMAIN,
        ApiMappingId=v1["ApiMappingId"],
        ApiId=api_id,
        Stage="$default",
        ApiMappingKey="v3",
    )
    assert (moved["Stage"], moved["ApiMappingKey"]) == ("$default", "v3")
    with aws_error("ConflictException", "ApiMapping key already exists for this domain name"):
        apigw.update_api_mapping(
            DomainName=DOMAIN, ApiMappingId=v1["ApiMappingId"], ApiId=api_id, ApiMappingKey="v2"
        )
    with aws_error("BadRequestException", "Invalid stage identifier specified"):
        apigw.update_api_mapping(
            DomainName=DOMAIN, ApiMappingId=v1["ApiMappingId"], ApiId=api_id, Stage="nope"
        )
    with aws_error("NotFoundException"):
        apigw.update_api_mapping(DomainName=DOMAIN, ApiMappingId="nope", ApiId=api_id)
    kept = apigw.get_api_mapping(DomainName=DOMAIN, ApiMappingId=v1["ApiMappingId"])
    assert (kept["Stage"], kept["ApiMappingKey"]) == ("$default", "v3")


def test_at_most_200_mappings_per_domain(
    apigw: Any, aws_error: Any, domain: dict[str, Any], api_id: str
) -> None:
    for n in range(200):
        apigw.create_api_mapping(
            DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey=f"k{n}"
        )
    with aws_error("BadRequestException", "A custom domain name can have at most 200 API mappings"):
        apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="x")
