"""Deletes AWS refuses, refused here too, with nothing changed (AWS_FACTS, second audit).

An API or a stage that an API mapping uses, and a certificate that a custom
domain name uses, cannot be deleted; once the mapping or domain name is gone
they can. Every test runs in the embedded and the server backend (``env``).
"""

from __future__ import annotations

from typing import Any

import gwlab

from support import FUNCTION_ARN

DOMAIN = "api.example.com"
OTHER = "status.example.com"


def _certificate(env: gwlab.LabEnv, domain: str = DOMAIN) -> str:
    acm = env.client("acm")
    arn: str = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    return arn


def _domain(env: gwlab.LabEnv, apigw: Any, name: str, arn: str | None = None) -> str:
    arn = arn or _certificate(env, name)
    apigw.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": arn}])
    return arn


def _state(env: gwlab.LabEnv, apigw: Any) -> dict[str, Any]:
    """Everything a refused delete might have touched."""
    state: dict[str, Any] = {}
    for api in apigw.get_apis()["Items"]:
        stages = apigw.get_stages(ApiId=api["ApiId"])["Items"]
        state[api["ApiId"]] = sorted(s["StageName"] for s in stages)
    for domain in apigw.get_domain_names()["Items"]:
        name = domain["DomainName"]
        mappings = apigw.get_api_mappings(DomainName=name)["Items"]
        state[name] = (
            domain["DomainNameConfigurations"],
            sorted((m["ApiId"], m["Stage"], m.get("ApiMappingKey", "")) for m in mappings),
        )
    acm = env.client("acm")
    state["certificates"] = sorted(
        c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]
    )
    return state


def _status(raised: Any) -> int:
    return int(raised.value.response["ResponseMetadata"]["HTTPStatusCode"])


# --- delete-api ---------------------------------------------------------------------------


def test_delete_api_is_refused_while_a_mapping_uses_it(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, api_id: str
) -> None:
    _domain(env, apigw, DOMAIN)
    mapping = apigw.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="prod")
    before = _state(env, apigw)
    with aws_error(
        "BadRequestException",
        f"Deleting API {api_id} failed. Please remove all API mappings for the API from "
        "your custom domain names.",
    ) as raised:
        apigw.delete_api(ApiId=api_id)
    assert _status(raised) == 400
    assert _state(env, apigw) == before
    assert apigw.get_api(ApiId=api_id)["ApiId"] == api_id

    apigw.delete_api_mapping(DomainName=DOMAIN, ApiMappingId=mapping["ApiMappingId"])
    apigw.delete_api(ApiId=api_id)
    assert apigw.get_apis()["Items"] == []


def test_delete_api_is_refused_for_a_mapping_of_any_domain_and_any_stage(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, api_id: str
) -> None:
    """One mapping, of a second domain and of the $default stage, is enough to refuse."""
    _domain(env, apigw, DOMAIN)
    _domain(env, apigw, OTHER)
    apigw.create_api_mapping(DomainName=OTHER, ApiId=api_id, Stage="$default", ApiMappingKey="x")
    other_api = apigw.create_api(Name="unmapped", ProtocolType="HTTP")["ApiId"]
    before = _state(env, apigw)
    with aws_error("BadRequestException", None) as raised:
        apigw.delete_api(ApiId=api_id)
    assert raised.value.response["Error"]["Message"].startswith(f"Deleting API {api_id} failed.")
    assert _state(env, apigw) == before

    apigw.delete_api(ApiId=other_api)  # an API no mapping uses is deleted as before
    apigw.delete_domain_name(DomainName=OTHER)  # and deleting the domain frees the API
    apigw.delete_api(ApiId=api_id)
    assert apigw.get_apis()["Items"] == []


# --- delete-stage -------------------------------------------------------------------------


def test_delete_stage_is_refused_while_a_mapping_uses_it(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, api_id: str
) -> None:
    _domain(env, apigw, DOMAIN)
    mapping = apigw.create_api_mapping(
        DomainName=DOMAIN, ApiId=api_id, Stage="prod", ApiMappingKey="v1"
    )
    apigw.create_stage(ApiId=api_id, StageName="dev")
    before = _state(env, apigw)
    with aws_error(
        "BadRequestException",
        "Deleting stage prod failed. Please remove all API mappings related to the stage in "
        "your custom domain names.",
    ) as raised:
        apigw.delete_stage(ApiId=api_id, StageName="prod")
    assert _status(raised) == 400
    assert _state(env, apigw) == before
    assert apigw.get_stage(ApiId=api_id, StageName="prod")["StageName"] == "prod"

    apigw.delete_stage(ApiId=api_id, StageName="dev")  # an unmapped stage goes
    with aws_error("NotFoundException", "Invalid stage identifier specified") as raised:
        apigw.delete_stage(ApiId=api_id, StageName="dev")  # a missing one is still 404
    assert _status(raised) == 404
    apigw.delete_api_mapping(DomainName=DOMAIN, ApiMappingId=mapping["ApiMappingId"])
    apigw.delete_stage(ApiId=api_id, StageName="prod")
    assert [s["StageName"] for s in apigw.get_stages(ApiId=api_id)["Items"]] == ["$default"]


def test_only_a_mapping_of_the_same_api_holds_a_stage(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any, api_id: str
) -> None:
    """Another API's mapped ``prod`` does not hold this API's ``prod``, and vice versa."""
    other = apigw.create_api(Name="other", ProtocolType="HTTP", Target=FUNCTION_ARN)["ApiId"]
    apigw.create_stage(ApiId=other, StageName="prod")
    _domain(env, apigw, DOMAIN)
    apigw.create_api_mapping(DomainName=DOMAIN, ApiId=other, Stage="prod")
    apigw.delete_stage(ApiId=api_id, StageName="prod")
    assert [s["StageName"] for s in apigw.get_stages(ApiId=api_id)["Items"]] == ["$default"]
    with aws_error("BadRequestException", None):
        apigw.delete_stage(ApiId=other, StageName="prod")


# --- ACM delete-certificate ---------------------------------------------------------------


def test_delete_certificate_is_refused_while_a_domain_name_uses_it(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any
) -> None:
    arn = _domain(env, apigw, DOMAIN)
    acm = env.client("acm")
    before = _state(env, apigw)
    with aws_error(
        "ResourceInUseException", f"Certificate {arn} in account 123456789012 is in use."
    ) as raised:
        acm.delete_certificate(CertificateArn=arn)
    assert _status(raised) == 400
    assert _state(env, apigw) == before
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"

    apigw.delete_domain_name(DomainName=DOMAIN)
    acm.delete_certificate(CertificateArn=arn)
    assert acm.list_certificates()["CertificateSummaryList"] == []
    with aws_error(
        "ResourceNotFoundException", f"Certificate with arn {arn} not found in account 123456789012"
    ):
        acm.delete_certificate(CertificateArn=arn)  # a missing one: as before


def test_a_certificate_is_in_use_while_any_domain_name_uses_it(
    env: gwlab.LabEnv, apigw: Any, aws_error: Any
) -> None:
    """A wildcard certificate behind two names; switching a domain's certificate frees it."""
    acm = env.client("acm")
    wildcard: str = acm.request_certificate(DomainName="*.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    _domain(env, apigw, DOMAIN, wildcard)
    _domain(env, apigw, OTHER, wildcard)
    apigw.delete_domain_name(DomainName=OTHER)
    with aws_error("ResourceInUseException", None):
        acm.delete_certificate(CertificateArn=wildcard)

    exact = _certificate(env)
    apigw.update_domain_name(
        DomainName=DOMAIN, DomainNameConfigurations=[{"CertificateArn": exact}]
    )
    acm.delete_certificate(CertificateArn=wildcard)
    with aws_error("ResourceInUseException", None):
        acm.delete_certificate(CertificateArn=exact)
    assert [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]] == [
        exact
    ]
