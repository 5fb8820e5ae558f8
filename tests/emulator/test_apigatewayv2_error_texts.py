"""AWS's codes and texts for unknown domain names and for mappings to a missing stage.

AWS_FACTS, second audit: ``get-domain-name`` of an unknown name is
``NotFoundException: Invalid domain name identifier specified``
(serverless-domain-manager#83, #369; CreateApiMapping too: aws-cdk#36708);
``create-api-mapping`` to a missing stage is ``BadRequestException`` (400)
``Invalid stage identifier specified``, not NotFound (aws-cdk#8983, #9078).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import gwlab

DOMAIN = "api.example.com"
UNKNOWN = "nowhere.example.com"
DOMAIN_NOT_FOUND = "Invalid domain name identifier specified"


@pytest.fixture
def mapping_id(env: gwlab.LabEnv, apigw: Any, api_id: str) -> str:
    arn = env.client("acm").request_certificate(DomainName=DOMAIN, ValidationMethod="DNS")[
        "CertificateArn"
    ]
    apigw.create_domain_name(DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": arn}])
    mapping = apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod")
    return str(mapping["ApiMappingId"])


def _calls(api_id: str, mapping_id: str) -> dict[str, Callable[[Any], Any]]:
    """Every operation that names a domain name, aimed at one that does not exist."""
    return {
        "get_domain_name": lambda c: c.get_domain_name(DomainName=UNKNOWN),
        "update_domain_name": lambda c: c.update_domain_name(
            DomainName=UNKNOWN, DomainNameConfigurations=[]
        ),
        "delete_domain_name": lambda c: c.delete_domain_name(DomainName=UNKNOWN),
        "get_api_mappings": lambda c: c.get_api_mappings(DomainName=UNKNOWN),
        "create_api_mapping": lambda c: c.create_api_mapping(
            DomainName=UNKNOWN, ApiId=api_id, Stage="prod"
        ),
        "get_api_mapping": lambda c: c.get_api_mapping(DomainName=UNKNOWN, ApiMappingId=mapping_id),
        "update_api_mapping": lambda c: c.update_api_mapping(
            DomainName=UNKNOWN, ApiMappingId=mapping_id, ApiId=api_id, Stage="prod"
        ),
        "delete_api_mapping": lambda c: c.delete_api_mapping(
            DomainName=UNKNOWN, ApiMappingId=mapping_id
        ),
    }


OPERATIONS = list(_calls("", ""))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unknown_domain_name_is_an_invalid_identifier(
    apigw: Any, aws_error: Any, api_id: str, mapping_id: str, operation: str
) -> None:
    with aws_error("NotFoundException", DOMAIN_NOT_FOUND) as raised:
        _calls(api_id, mapping_id)[operation](apigw)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # nothing changed: the real domain keeps its one mapping, no other domain appeared
    assert [d["DomainName"] for d in apigw.get_domain_names()["Items"]] == [DOMAIN]
    assert [m["ApiMappingId"] for m in apigw.get_api_mappings(DomainName=DOMAIN)["Items"]] == [
        mapping_id
    ]


def test_a_mapping_to_a_missing_stage_is_a_bad_request(
    apigw: Any, aws_error: Any, api_id: str, mapping_id: str
) -> None:
    with aws_error("BadRequestException", "Invalid stage identifier specified") as raised:
        apigw.create_api_mapping(
            DomainName=DOMAIN, ApiId=api_id, Stage="staging", ApiMappingKey="s"
        )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with aws_error("BadRequestException", "Invalid stage identifier specified") as raised:
        apigw.update_api_mapping(
            DomainName=DOMAIN, ApiMappingId=mapping_id, ApiId=api_id, Stage="staging"
        )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # only a mapping's reference to a stage is a bad request: GetStage stays 404
    with aws_error("NotFoundException", "Invalid stage identifier specified") as raised:
        apigw.get_stage(ApiId=api_id, StageName="staging")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    (kept,) = apigw.get_api_mappings(DomainName=DOMAIN)["Items"]
    assert (kept["ApiMappingId"], kept["Stage"], kept.get("ApiMappingKey")) == (
        mapping_id,
        "prod",
        None,
    )
