"""Lesson 4: a custom domain name and its ACM certificate — in the API's region."""

from __future__ import annotations

from typing import Any

from gwlab.emulator.aws_constants import (
    APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS,
    apigateway_hosted_zone_id,
)
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import Reader, cli, field_is, holds
from gwlab.lessons.exercise_checks import code


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


def _www(ctx: StepContext) -> str:
    return common.names(ctx).domain("www")


def _check_www_certificate(ctx: StepContext) -> Feedback:
    www, region = _www(ctx), ctx.region
    covering = exercise_checks.covering(ctx, www, region)
    for certificate in covering:
        ctx.created("certificate", certificate["CertificateArn"], region=region)
    issued = [c for c in covering if c["Status"] == "ISSUED"]
    if issued:
        name = issued[0]["DomainName"]
        how = "exactly" if name == www else f"as {code(name)}"
        return passed(
            f"An issued certificate in {code(region)}, the API's region, covers {code(www)} "
            f"{how}: a custom domain name {code(www)} can use it."
        )
    if covering:
        status = covering[0]["Status"]
        return failed(
            f"The certificate for {code(www)} is {code(status)}, not ISSUED: ACM issues it "
            "once it can read the validation record it asked for (`DescribeCertificate` shows it)."
        )
    elsewhere = {
        other: exercise_checks.covering(ctx, www, other)
        for other in APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS
        if other != region
    }
    for other, found in elsewhere.items():
        for certificate in found:
            ctx.created("certificate", certificate["CertificateArn"], region=other)
        if found:
            return failed(
                f"The certificate for {code(www)} is in {code(other)}, but the API is in "
                f"{code(region)}: a custom domain name of an HTTP API takes a certificate "
                "only in the API's region."
            )
    near = [
        name
        for certificate in exercise_checks.certificates(ctx, region)
        for name in exercise_checks.names_of(certificate)
        if name == common.names(ctx).zone or "www" in name
    ]
    if near:
        return failed(
            f"The certificate for {code(near[0])} does not cover {code(www)}: a certificate "
            f"covers exactly the names it lists (a {code('*.')} wildcard covers one label)."
        )
    return not_attempted(f"No certificate in {code(region)} covers {code(www)} yet.")


def _request_cli(ctx: StepContext, domain: str, region: str) -> str:
    return cli(
        "acm",
        "request-certificate",
        {"--domain-name": domain, "--validation-method": "DNS"},
        region,
    )


WWW_CERTIFICATE = Exercise(
    id="www_certificate",
    title="A certificate for www",
    task="The site will also answer at `www.example.com`. Request the ACM certificate its "
    "custom domain name will need, validated through DNS, where API Gateway can use it.",
    check=_check_www_certificate,
    hints=(
        "Two things decide whether API Gateway can use a certificate: the names it covers, "
        "and the region it lives in.",
        "ACM's `request-certificate` (boto3: `acm.request_certificate`) with `DomainName` "
        "and `ValidationMethod` `DNS`, in the API's own region.",
    ),
    solution=lambda ctx: (_request_cli(ctx, _www(ctx), ctx.region),),
    mistakes=(
        Mistake(
            "requested in another region",
            lambda ctx: (_request_cli(ctx, _www(ctx), "us-west-2"),),
            says="only in the API's region",
        ),
        Mistake(
            "the apex instead of www",
            lambda ctx: (_request_cli(ctx, common.names(ctx).zone, ctx.region),),
            says="covers exactly the names it lists",
        ),
    ),
    requires=("request_certificate",),
)


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
    ),
    exercises=(WWW_CERTIFICATE,),
)
