"""Lesson 4: a custom domain name and its ACM certificate — in the API's region."""

from __future__ import annotations

from typing import Any

from gwlab.emulator.aws_constants import apigateway_hosted_zone_id
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lessons import common, params
from gwlab.lessons.common import Reader, cli, field_is, holds


def _request_certificate(ctx: StepContext) -> Outcome:
    domain = ctx.params["domain_name"]
    arn = common.certificate_in(ctx, domain, ctx.region)
    certificate = ctx.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    record = certificate["DomainValidationOptions"][0].get("ResourceRecord", {})
    return Outcome(
        f"Certificate for {domain} in {ctx.region}: {certificate['Status']}. Its DNS "
        f"validation record is {record.get('Name')} CNAME {record.get('Value')}",
        {"certificate_arn": arn, "domain_name": domain},
    )


def _wrong_region(ctx: StepContext) -> Outcome:
    domain = ctx.id("domain_name")
    arn = common.certificate_in(ctx, domain, str(ctx.params["region"]))
    ctx.client("apigatewayv2").create_domain_name(
        DomainName=domain, DomainNameConfigurations=[{"CertificateArn": arn}]
    )
    return Outcome("unreachable: AWS refuses a certificate from another region")


def _create_domain(ctx: StepContext) -> Outcome:
    domain = ctx.id("domain_name")
    found = common.custom_domain(ctx, domain, ctx.id("certificate_arn"))
    config = found["DomainNameConfigurations"][0]
    return Outcome(
        f"{domain} is served by {config['ApiGatewayDomainName']} (hosted zone "
        f"{config.get('HostedZoneId')}); point DNS there",
        {
            "domain_target": config["ApiGatewayDomainName"],
            "domain_zone_id": config.get("HostedZoneId", ""),
        },
        shown=config,
    )


def _config(ctx: StepContext) -> dict[str, Any]:
    domain = common.find_domain(ctx, ctx.id("domain_name")) or {}
    configs = domain.get("DomainNameConfigurations") or [{}]
    return dict(configs[0])


def _config_field(field: str) -> Reader:
    return lambda ctx: _config(ctx).get(field)


def _request_other(ctx: StepContext) -> Outcome:
    domain = ctx.params["domain_name"]
    arn = common.certificate_in(ctx, domain, ctx.region)
    return Outcome(f"Certificate for {domain}: {arn.rsplit('/', 1)[-1]}")


def _status_of(domain: str) -> Reader:
    def read(ctx: StepContext) -> str | None:
        arn = common.find_certificate(ctx, domain)
        if arn is None:
            return None
        return str(
            ctx.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]["Status"]
        )

    return read


LESSON = Lesson(
    id="04-custom-domain",
    title="Custom domain and certificate",
    goal="Create api.example.com with a certificate from the API's own region.",
    steps=(
        Step(
            id="request_certificate",
            title="Request the certificate",
            explanation="An HTTP API's custom domain needs an ISSUED ACM certificate in the "
            "API's own region (not us-east-1 as for CloudFront). ACM validates it through a DNS "
            "record.",
            action=_request_certificate,
            cli=lambda ctx: cli(
                "acm",
                "request-certificate",
                {
                    "--domain-name": ctx.params.get("domain_name", common.names(ctx).domain()),
                    "--validation-method": "DNS",
                },
                ctx.region,
            ),
            params=(params.domain_name(lambda ctx: common.names(ctx).domain()),),
            requires=("03-stage-variables/set_prod_variables",),
            checks=(
                field_is(
                    "the certificate is issued",
                    lambda ctx: ctx.client("acm").describe_certificate(
                        CertificateArn=ctx.id("certificate_arn")
                    )["Certificate"]["Status"],
                    "ISSUED",
                ),
                holds(
                    "the certificate is in the API's region",
                    lambda ctx: (ctx.id("certificate_arn").split(":")[3], ctx.region),
                    common.same_nonempty,
                    "the API's region",
                ),
            ),
        ),
        Step(
            id="wrong_region",
            title="The classic mistake: a certificate from another region",
            explanation="Request the same certificate in another region and try to use it. "
            "API Gateway refuses, naming the region the certificate must be in.",
            action=_wrong_region,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx,
                ctx.id_or("domain_name", common.names(ctx).domain()),
                common.certificate_placeholder(ctx.params.get("region", "us-west-2")),
            ),
            params=(params.region("us-west-2", "Wrong region"),),
            expects_error="BadRequestException",
            requires=("request_certificate",),
            until=("create_domain_name",),
            replay=False,
            hint="Pick a region other than the API's own to see the refusal.",
        ),
        Step(
            id="create_domain_name",
            title="Create the custom domain name",
            explanation="create-domain-name returns ApiGatewayDomainName (d-….execute-api…) and "
            "the region's API Gateway HostedZoneId: the target for the DNS record.",
            action=_create_domain,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx,
                ctx.id_or("domain_name", common.names(ctx).domain()),
                ctx.id_or("certificate_arn", "<certificate-arn>"),
            ),
            requires=("request_certificate",),
            checks=(
                holds(
                    "the target is a d-… execute-api name",
                    _config_field("ApiGatewayDomainName"),
                    lambda name: str(name).startswith("d-") and ".execute-api." in str(name),
                    "d-<id>.execute-api.<region>.amazonaws.com",
                ),
                holds(
                    "the hosted zone is the region's API Gateway zone",
                    lambda ctx: (
                        _config(ctx).get("HostedZoneId"),
                        apigateway_hosted_zone_id(ctx.region),
                    ),
                    common.same_nonempty,
                    "the regional API Gateway zone id",
                ),
                field_is("the domain is available", _config_field("DomainNameStatus"), "AVAILABLE"),
                field_is("it is a regional endpoint", _config_field("EndpointType"), "REGIONAL"),
            ),
        ),
        Step(
            id="exercise_www_certificate",
            title="Exercise: a certificate for www",
            explanation="Request a certificate for www.example.com in the API's region. Change "
            "the domain in the field, then Run.",
            action=_request_other,
            cli=lambda ctx: cli(
                "acm",
                "request-certificate",
                {
                    "--domain-name": ctx.params.get("domain_name", "www.example.com"),
                    "--validation-method": "DNS",
                },
                ctx.region,
            ),
            params=(params.domain_name(lambda ctx: common.names(ctx).domain()),),
            requires=("request_certificate",),
            checks=(
                field_is(
                    "an issued certificate for www.example.com in the API's region",
                    _status_of("www.example.com"),
                    "ISSUED",
                ),
            ),
            hint="The check looks for a certificate whose domain is exactly www.example.com.",
            replay=False,
            solution={"domain_name": "www.example.com"},
        ),
    ),
)
