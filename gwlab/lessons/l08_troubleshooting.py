"""Lesson 8: three broken setups — the lab breaks each one, the learner diagnoses and fixes it.

Each case is a step that builds the broken setup (running it again undoes a fix, so a
case can be tried again) and an exercise the learner solves with their own call. The
exercises' checks send the real request through the gateway and read AWS, so any
correct fix passes; their feedback names the first thing still wrong. Nothing in the
lesson fixes a case for the learner, and no field holds an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.context import MissingResourceError
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lessons import common, exercise_checks
from gwlab.lessons.common import answers, cli, domain_url
from gwlab.lessons.exercise_checks import answered, code

PROD = "prod"
ROOT_STAGE = "$default"
#: The region case 2's wrong certificate is in (another one when the lab's is this one).
WRONG_REGION = "us-west-2"


def _status(ctx: StepContext) -> str:
    return common.names(ctx).domain("status")


def _eu(ctx: StepContext) -> str:
    return common.names(ctx).domain("eu")


def _api_domain(ctx: StepContext) -> str:
    return ctx.id_or("domain_name", common.names(ctx).domain())


def _frontend_url(ctx: StepContext) -> str:
    return domain_url("/prod/items", _api_domain(ctx))


def _wrong_region(ctx: StepContext) -> str:
    return WRONG_REGION if ctx.region != WRONG_REGION else "us-east-1"


def _mappings(ctx: StepContext, domain: str) -> list[dict[str, Any]]:
    """The API mappings of ``domain`` (recorded for clean-up: the learner may have made them)."""
    found = [
        dict(item)
        for item in ctx.client("apigatewayv2").get_api_mappings(DomainName=domain)["Items"]
    ]
    for mapping in found:
        ctx.created("api_mapping", mapping["ApiMappingId"], parent=domain)
    return found


def _remove_mappings(ctx: StepContext, domain: str, which: Callable[[str], bool]) -> int:
    """Delete the mappings of ``domain`` whose key ``which`` picks; how many there were."""
    apigw = ctx.client("apigatewayv2")
    removed = 0
    for mapping in apigw.get_api_mappings(DomainName=domain)["Items"]:
        if which(mapping.get("ApiMappingKey", "")):
            apigw.delete_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"])
            removed += 1
    return removed


def _undone(removed: int, what: str) -> str:
    return f" (undid an earlier fix: {removed} {what})" if removed else ""


def _create_mapping_cli(ctx: StepContext, domain: str, stage: str, key: str = "") -> str:
    return common.mapping_cli(ctx, domain, stage, key)


def _serves_prod_at_root(ctx: StepContext, domain: str, mappings: list[dict[str, Any]]) -> Feedback:
    """Cases 1 and 2 once the domain has mappings: the root must take ``/items`` to prod."""
    url = domain_url("/items", domain)
    root = next((m for m in mappings if not m.get("ApiMappingKey")), None)
    if root is None:
        keys = sorted(str(m["ApiMappingKey"]) for m in mappings)
        response = exercise_checks.request(ctx, "GET", url)
        still = f" still answers {code(answered(response))}" if response else " reaches nothing"
        has = "mapping has key" if len(keys) == 1 else "mappings have keys"
        return failed(
            f"GET {code(url)}{still}: the domain's {has} {', '.join(code(k) for k in keys)}, "
            f"so only paths under {code('/' + keys[0] + '/')} reach an API. `/items` needs a "
            "mapping at the root (no key)."
        )
    api_id = ctx.id("api_id")
    if root["ApiId"] != api_id:
        return failed(
            f"The root of {code(domain)} is mapped to API {code(root['ApiId'])}, not to the "
            f"course's API {code(api_id)}."
        )
    if root["Stage"] != PROD:
        return failed(
            f"GET {code(url)} reaches stage {code(root['Stage'])}, not {code(PROD)}: the "
            "mapping's stage decides which stage serves the domain."
        )
    response = exercise_checks.request(ctx, "GET", url)
    if response is None:  # real AWS: no local gateway; AWS state says it is mapped
        return passed(f"The root of {code(domain)} is mapped to stage {code(PROD)}.")
    stage = common.event_field(response, "requestContext.stage")
    if response.status != 200 or stage != PROD:
        return failed(
            f"The root is mapped to {code(PROD)}, but GET {code(url)} answered "
            f"{code(answered(response))}."
        )
    return passed(
        f"GET {code(url)} answers 200 from stage {code(PROD)}: the root mapping "
        f"{code(root['ApiMappingId'])} tells API Gateway which API and stage serve "
        f"{code(domain)}."
    )


# --- Case 1: a custom domain without a mapping ----------------------------------------------------


def _break_status(ctx: StepContext) -> Outcome:
    domain = _status(ctx)
    common.custom_domain(ctx, domain, common.certificate_in(ctx, domain, ctx.region))
    removed = _remove_mappings(ctx, domain, lambda key: True)
    return Outcome(
        f"{domain} exists, with a valid certificate{_undone(removed, 'mapping removed')}; "
        "every request to it is refused"
    )


def _check_status(ctx: StepContext) -> Feedback:
    domain = _status(ctx)
    url = domain_url("/items", domain)
    if common.find_domain(ctx, domain) is None:
        return failed(
            f"{code(domain)} is no longer a custom domain name, so no request to it reaches "
            "API Gateway: run Case 1's step again to rebuild it, then fix it."
        )
    mappings = _mappings(ctx, domain)
    if not mappings:
        return not_attempted(f"GET {code(url)} still answers `403 Forbidden`: nothing changed yet.")
    return _serves_prod_at_root(ctx, domain, mappings)


STATUS_SITE = Exercise(
    id="status_site",
    title="Fix status.example.com",
    task="`https://status.example.com/items` answers 403. Find out why with the tracer, then "
    "make it answer 200 from the API's `prod` stage with your own call. The API's id is "
    '`lab.ids["api_id"]`.',
    check=_check_status,
    hints=(
        "Trace `https://status.example.com/items` and read the hops: which one stops it? A "
        "custom domain name on its own does not say which API serves it.",
        "One call: `create-api-mapping` (boto3 `create_api_mapping`) with `DomainName` "
        '`status.example.com`, `ApiId` `lab.ids["api_id"]` and `Stage` `prod`. Leave out '
        "`ApiMappingKey`: that maps the root.",
    ),
    solution=lambda ctx: (_create_mapping_cli(ctx, _status(ctx), PROD),),
    mistakes=(
        Mistake(
            "a mapping key instead of the root",
            lambda ctx: (_create_mapping_cli(ctx, _status(ctx), PROD, "v1"),),
            says="only paths under `/v1/`",
        ),
        Mistake(
            "the root mapped to $default",
            lambda ctx: (_create_mapping_cli(ctx, _status(ctx), ROOT_STAGE),),
            says="not `prod`",
        ),
    ),
    requires=("broken_status_site",),
)


# --- Case 2: a certificate from another region ----------------------------------------------------


def _remove_domain(ctx: StepContext, domain: str) -> bool:
    """Delete ``domain`` and its mappings, if it exists; whether it did."""
    if common.find_domain(ctx, domain) is None:
        return False
    _remove_mappings(ctx, domain, lambda key: True)
    ctx.client("apigatewayv2").delete_domain_name(DomainName=domain)
    return True


def _eu_certificates(ctx: StepContext) -> list[str]:
    """The ARNs of the certificates for exactly eu.example.com in the API's region."""
    domain = _eu(ctx)
    return [
        str(item["CertificateArn"])
        for item in ctx.client("acm").list_certificates()["CertificateSummaryList"]
        if item["DomainName"] == domain
    ]


def _break_eu(ctx: StepContext) -> Outcome:
    domain = _eu(ctx)
    wrong = common.certificate_in(ctx, domain, _wrong_region(ctx))
    _remove_domain(ctx, domain)  # an earlier fix, undone: the domain name first,
    for extra in _eu_certificates(ctx)[1:]:  # then certificates requested since
        ctx.client("acm").delete_certificate(CertificateArn=extra)
    common.certificate_in(ctx, domain, ctx.region)  # the team asked in both regions
    ctx.client("apigatewayv2").create_domain_name(
        DomainName=domain, DomainNameConfigurations=[{"CertificateArn": wrong}]
    )
    return Outcome("unreachable: the certificate is in another region")


def _eu_certificate(ctx: StepContext) -> str:
    """The certificate for eu.example.com in the API's region that Case 2's step requested."""
    arn = common.find_certificate(ctx, _eu(ctx), ctx.region)
    if arn is None:
        raise MissingResourceError("eu_certificate")
    return arn


def _eu_domain_cli(ctx: StepContext) -> str:
    return common.create_domain_name_cli(ctx, _eu(ctx), _eu_certificate(ctx))


def _check_eu(ctx: StepContext) -> Feedback:
    domain = _eu(ctx)
    url = domain_url("/items", domain)
    if common.find_domain(ctx, domain) is None:
        if len(_eu_certificates(ctx)) <= 1:  # as the step left it
            return not_attempted(
                f"{code(domain)} is still not a custom domain name (AWS refused to create "
                f"it), so nothing answers at {code(url)}."
            )
        return failed(
            f"There is a new certificate for {code(domain)} in {code(ctx.region)}, but still "
            f"no custom domain name {code(domain)}: create it with a certificate from "
            f"{code(ctx.region)}, then map it."
        )
    ctx.created("domain_name", domain)
    mappings = _mappings(ctx, domain)
    if not mappings:
        return failed(
            f"{code(domain)} exists now, but GET {code(url)} answers `403 Forbidden`: it has "
            "no API mapping yet, so API Gateway does not know which API serves it."
        )
    return _serves_prod_at_root(ctx, domain, mappings)


EU_SITE = Exercise(
    id="eu_site",
    title="Create eu.example.com with a certificate AWS accepts",
    task="`eu.example.com` could not be created. Read AWS's message in the step's result, "
    "then create the custom domain name with a certificate AWS accepts and map its root to "
    "`prod`, so that `https://eu.example.com/items` answers 200 from `prod`.",
    check=_check_eu,
    hints=(
        "AWS's message names the region the certificate must be in. The team requested a "
        "certificate for `eu.example.com` in more than one region: is one of them there?",
        "`acm list-certificates` (boto3 `list_certificates`) in the API's region finds its "
        "ARN; then `create-domain-name` (`create_domain_name`) with that ARN in "
        "`DomainNameConfigurations`, and `create-api-mapping` (`create_api_mapping`) of the "
        "root to `prod`.",
    ),
    solution=lambda ctx: (_eu_domain_cli(ctx), _create_mapping_cli(ctx, _eu(ctx), PROD)),
    mistakes=(
        Mistake(
            "a new certificate, and no domain name",
            lambda ctx: (
                cli(
                    "acm",
                    "request-certificate",
                    {"--domain-name": _eu(ctx), "--validation-method": "DNS"},
                    ctx.region,
                ),
            ),
            says="still no custom domain name",
        ),
        Mistake(
            "the domain name without a mapping",
            lambda ctx: (_eu_domain_cli(ctx),),
            says="no API mapping yet",
        ),
        Mistake(
            "the root mapped to $default",
            lambda ctx: (_eu_domain_cli(ctx), _create_mapping_cli(ctx, _eu(ctx), ROOT_STAGE)),
            says="not `prod`",
        ),
    ),
    requires=("broken_eu_site",),
)


# --- Case 3: a stage name in a custom domain's path ----------------------------------------------


def _is_prod_key(key: str) -> bool:
    return key == PROD or key.startswith(PROD + "/")


def _break_frontend(ctx: StepContext) -> Outcome:
    domain = _api_domain(ctx)
    removed = _remove_mappings(ctx, domain, _is_prod_key)
    root = common.find_mapping(ctx, domain, "")
    if root is None:
        common.root_mapping(ctx, domain, ROOT_STAGE)
        removed += 1
    elif root["Stage"] != ROOT_STAGE:  # lesson 5 maps the root to $default
        ctx.client("apigatewayv2").update_api_mapping(
            DomainName=domain,
            ApiMappingId=root["ApiMappingId"],
            ApiId=root["ApiId"],
            Stage=ROOT_STAGE,
        )
        removed += 1
    url = _frontend_url(ctx)
    response = common.send(ctx, "GET", url)
    return Outcome(
        f"GET {url} answered {response.status}{_undone(removed, 'mapping change undone')}",
        shown=response,
    )


def _check_frontend(ctx: StepContext) -> Feedback:
    domain, url = _api_domain(ctx), _frontend_url(ctx)
    mappings = _mappings(ctx, domain)
    root = next((m for m in mappings if not m.get("ApiMappingKey")), None)
    prod_keys = [m for m in mappings if _is_prod_key(str(m.get("ApiMappingKey", "")))]
    response = exercise_checks.request(ctx, "GET", url)
    unchanged = root is not None and root["Stage"] == ROOT_STAGE and not prod_keys
    if unchanged and (response is None or response.status == 404):
        return not_attempted(f"GET {code(url)} still answers `404 Not Found`: nothing changed yet.")
    if prod_keys:
        mapping = prod_keys[0]
        key, stage = str(mapping["ApiMappingKey"]), str(mapping["Stage"])
        if stage != PROD:
            return failed(
                f"GET {code(url)} goes through mapping {code(key)} to stage {code(stage)}, "
                f"not {code(PROD)}: a mapping's key only matches the path; its stage decides "
                "which stage answers."
            )
        if key != PROD:
            return failed(
                f"Mapping {code(key)} takes {code('/' + key)} off the path, so {code(PROD)} "
                f"sees what is left of {code('/prod/items')} and no route matches it: the key "
                f"should be {code(PROD)} alone."
            )
    elif root is not None and root["Stage"] != ROOT_STAGE:
        return failed(
            f"GET {code(url)} now reaches stage {code(root['Stage'])} through the root "
            f"mapping, but as the path {code('/prod/items')}: the root passes the whole path "
            "on, and a stage name in a custom domain's path is just part of the path."
        )
    elif root is None:
        return failed(
            f"{code(domain)} has no root mapping any more: run Case 3's step again to put "
            "lesson 5's mappings back, then fix it."
        )
    if response is None:
        return passed(f"Mapping {code(PROD)} of {code(domain)} goes to stage {code(PROD)}.")
    if response.status != 200 or common.event_field(response, "requestContext.stage") != PROD:
        return failed(f"GET {code(url)} answered {code(answered(response))}, not prod's items.")
    root_url = domain_url("/items", domain)
    at_root = exercise_checks.request(ctx, "GET", root_url)
    reached = common.event_field(at_root, "requestContext.stage") if at_root else ROOT_STAGE
    if reached != ROOT_STAGE:
        return failed(
            f"{code(url)} works, but GET {code(root_url)} now answers from stage "
            f"{code(reached)}, not {code(ROOT_STAGE)} as before: put the root mapping back."
        )
    return passed(
        f"GET {code(url)} answers 200 from stage {code(PROD)} through mapping key "
        f"{code(PROD)}; the function saw the path "
        f"{code(common.event_field(response, 'rawPath'))}. On a custom domain a path "
        "prefix picks a mapping by its key, never a stage by its name."
    )


def _root_to_prod_cli(ctx: StepContext) -> str:
    domain = _api_domain(ctx)
    root = common.find_mapping(ctx, domain, "")
    if root is None:
        raise MissingResourceError("root_mapping")
    return cli(
        "apigatewayv2",
        "update-api-mapping",
        {
            "--domain-name": domain,
            "--api-mapping-id": root["ApiMappingId"],
            "--api-id": ctx.id("api_id"),
            "--stage": PROD,
        },
        ctx.region,
    )


FRONTEND_URL = Exercise(
    id="frontend_url",
    title="Make the frontend's /prod/items URL work",
    task="The frontend calls `https://api.example.com/prod/items`, meaning the `prod` stage, "
    "and its URL cannot change this week. With your own call, make that URL reach `prod`'s "
    "`GET /items`, and leave what already works (`/items` on `$default`, `/v1/items` on "
    "`prod`) as it is.",
    check=_check_frontend,
    hints=(
        "Trace `https://api.example.com/prod/items`: which mapping does it take, which stage "
        "answers, and which path does that stage see?",
        "`create-api-mapping` (boto3 `create_api_mapping`) on `api.example.com` with "
        "`ApiMappingKey` `prod` and `Stage` `prod`: the key is taken off the path, so `prod` "
        "sees `/items`.",
    ),
    solution=lambda ctx: (_create_mapping_cli(ctx, _api_domain(ctx), PROD, PROD),),
    mistakes=(
        Mistake(
            "the root re-pointed to prod",
            lambda ctx: (_root_to_prod_cli(ctx),),
            says="as the path `/prod/items`",
        ),
        Mistake(
            "mapping prod to $default",
            lambda ctx: (_create_mapping_cli(ctx, _api_domain(ctx), ROOT_STAGE, PROD),),
            says="to stage `$default`, not `prod`",
        ),
        Mistake(
            "the whole path as the key",
            lambda ctx: (_create_mapping_cli(ctx, _api_domain(ctx), PROD, "prod/items"),),
            says="takes `/prod/items` off the path",
        ),
    ),
    requires=("broken_frontend_url",),
)


LESSON = Lesson(
    id="08-troubleshooting",
    title="Troubleshooting lab",
    goal="Diagnose three broken setups with the request tracer and fix each with your own call.",
    steps=(
        Step(
            id="broken_status_site",
            title="Case 1: status.example.com answers 403",
            explanation="Builds the case: status.example.com with a good certificate, which "
            "refuses every request. Running it again undoes a fix, so you can retry.",
            action=_break_status,
            cli=lambda ctx: common.curl("GET", domain_url("/items", _status(ctx))),
            requires=("07-cors/deploy_prod",),
            checks=(
                answers(
                    "the site answers 403",
                    "GET",
                    lambda ctx: domain_url("/items", _status(ctx)),
                    403,
                ),
            ),
            replay=False,
        ),
        Step(
            id="broken_eu_site",
            title="Case 2: eu.example.com cannot be created",
            explanation="Builds the case: certificates for eu.example.com were requested in "
            "two regions, and the domain name is created with the wrong one. Running it again "
            "undoes a fix, so you can retry.",
            action=_break_eu,
            cli=lambda ctx: common.create_domain_name_cli(
                ctx,
                _eu(ctx),
                common.find_certificate(ctx, _eu(ctx), _wrong_region(ctx))
                or common.certificate_placeholder(_wrong_region(ctx)),
            ),
            expects_error="BadRequestException",
            requires=("07-cors/deploy_prod",),
            replay=False,
        ),
        Step(
            id="broken_frontend_url",
            title="Case 3: the frontend gets 404",
            explanation="The frontend calls https://api.example.com/prod/items, expecting the "
            "prod stage. Running this puts the domain's mappings back as lesson 5 left them "
            "and sends that request.",
            action=_break_frontend,
            cli=lambda ctx: common.curl("GET", _frontend_url(ctx)),
            requires=("07-cors/deploy_prod",),
            checks=(answers("the request gets 404", "GET", _frontend_url, 404),),
            replay=False,
        ),
    ),
    exercises=(STATUS_SITE, EU_SITE, FRONTEND_URL),
)
