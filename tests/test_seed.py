"""The seed makes every generated ID repeat from run to run, in both moto backends."""

from __future__ import annotations

import gwlab


def _generated_ids(backend: str, seed: int) -> dict[str, str]:
    with gwlab.start(backend, seed=seed) as env:
        api = env.client("apigatewayv2")
        acm = env.client("acm")
        route53 = env.client("route53")
        api_id = api.create_api(Name="x", ProtocolType="HTTP")["ApiId"]
        api.create_stage(ApiId=api_id, StageName="prod")
        arn = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")[
            "CertificateArn"
        ]
        api.create_domain_name(
            DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": arn}]
        )
        mapping = api.create_api_mapping(
            DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="v1"
        )["ApiMappingId"]
        zone = route53.create_hosted_zone(Name="example.com", CallerReference="c")["HostedZone"]
        return {"api": api_id, "certificate": arn, "mapping": mapping, "zone": zone["Id"]}


def test_same_seed_same_ids_across_runs_and_backends() -> None:
    first = _generated_ids("embedded", 42)
    assert _generated_ids("embedded", 42) == first
    assert _generated_ids("server", 42) == first


def test_another_seed_gives_other_ids() -> None:
    a, b = _generated_ids("embedded", 1), _generated_ids("embedded", 2)
    # moto 5.2.5 derives mapping ids from a hash of stage, domain and key, not
    # from the random source, so only these follow the seed.
    assert all(a[k] != b[k] for k in ("api", "certificate", "zone"))
