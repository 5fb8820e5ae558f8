"""gwlab.start(): each backend opens, hands out clients, and closes."""

from __future__ import annotations

import pytest

import gwlab
from gwlab.backends.moto_backed import current_owner


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_each_moto_backend_creates_and_reads_back(backend: str) -> None:
    with gwlab.start(backend) as env:
        api = env.client("apigatewayv2")
        created = api.create_api(Name="demo", ProtocolType="HTTP")
        assert [a["ApiId"] for a in api.get_apis()["Items"]] == [created["ApiId"]]
        assert env.backend == backend
        assert env.region == "us-east-1"
    assert env.closed


def test_endpoint_url_is_none_for_embedded_and_loopback_for_server() -> None:
    with gwlab.start() as env:
        assert env.endpoint_url is None
    with gwlab.start("server") as env:
        assert env.endpoint_url is not None
        assert env.endpoint_url.startswith("http://127.0.0.1:")


def test_client_in_another_region_keeps_certificates_per_region() -> None:
    with gwlab.start() as env:
        west = env.client("acm", region_name="us-west-2")
        arn = west.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")[
            "CertificateArn"
        ]
        assert arn.startswith("arn:aws:acm:us-west-2:")
        assert west.list_certificates()["CertificateSummaryList"]
        assert env.client("acm").list_certificates()["CertificateSummaryList"] == []


def test_certificates_are_issued_at_once() -> None:
    with gwlab.start() as env:
        acm = env.client("acm")
        arn = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")[
            "CertificateArn"
        ]
        assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"


def test_clients_are_reused_per_service_and_region() -> None:
    with gwlab.start() as env:
        assert env.client("apigatewayv2") is env.client("apigatewayv2")
        assert env.client("acm") is not env.client("acm", region_name="eu-west-1")


def test_a_closed_env_refuses_instead_of_sending() -> None:
    env = gwlab.start()
    api = env.client("apigatewayv2")
    env.close()
    with pytest.raises(gwlab.EnvClosedError, match=r"closed with env\.close"):
        api.get_apis()
    with pytest.raises(gwlab.EnvClosedError):
        env.client("apigatewayv2")
    env.close()  # idempotent


def test_starting_again_supersedes_the_open_env_and_keeps_the_new_one() -> None:
    first = gwlab.start()
    first_api = first.client("apigatewayv2")
    second = gwlab.start()
    try:
        assert first.closed and not second.closed
        with pytest.raises(gwlab.EnvClosedError, match="superseded"):
            first_api.get_apis()
        second.client("apigatewayv2").create_api(Name="kept", ProtocolType="HTTP")
        first.close()  # closing the old one must not touch the new one
        assert current_owner() is not None
        names = [a["Name"] for a in second.client("apigatewayv2").get_apis()["Items"]]
        assert names == ["kept"]
    finally:
        second.close()


def test_state_does_not_leak_from_one_env_to_the_next() -> None:
    for backend in ("embedded", "server", "embedded"):
        with gwlab.start(backend) as env:
            api = env.client("apigatewayv2")
            assert api.get_apis()["Items"] == []
            api.create_api(Name=f"from-{backend}", ProtocolType="HTTP")


def test_backend_chosen_by_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWLAB_BACKEND", "server")
    with gwlab.start() as env:
        assert env.backend == "server"


@pytest.mark.parametrize("name", ["moto", "", "real"])
def test_unknown_backend_is_one_clear_error(name: str) -> None:
    with pytest.raises(gwlab.UnknownBackendError, match="choose one of 'embedded', 'server'"):
        gwlab.start(name)
    assert current_owner() is None


@pytest.mark.parametrize("region", ["us-east", "US-EAST-1", "useast1", "", "us-east-1 "])
def test_invalid_region_fails_before_anything_opens(region: str) -> None:
    with pytest.raises(gwlab.InvalidRegionError, match="not an AWS region name"):
        gwlab.start(region=region)
    assert current_owner() is None


def test_repr_is_deterministic_and_html_escapes() -> None:
    with gwlab.start(region="eu-west-1", seed=7) as env:
        assert repr(env) == "LabEnv(backend='embedded', region='eu-west-1', seed=7)"
        html = env._repr_html_()
        assert "<code>eu-west-1</code>" in html
    assert repr(env).endswith("closed='closed with env.close()')")
