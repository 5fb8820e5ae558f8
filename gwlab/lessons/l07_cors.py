"""Lesson 7: CORS for the custom domain — and the routes that swallow preflights."""

from __future__ import annotations

from typing import Any

from gwlab.gateway.cors import preflight_headers
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.step import Action
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import answers, cli, domain_url, field_is, holds
from gwlab.lessons.exercise_checks import code

ORIGINS = ("https://example.com", "http://localhost:3000")
METHODS = ("GET", "POST", "PUT", "DELETE")
HEADERS = ("Content-Type", "Authorization")
MAX_AGE = 86400
ROUTES = ("GET /items", "POST /items", "PUT /items", "DELETE /items")


#: The fields of a CORS configuration step (the lesson's values as defaults).
_CORS_PARAMS = (
    params.origins(ORIGINS),
    params.methods(METHODS),
    params.headers(HEADERS),
    params.max_age(MAX_AGE),
)


def _configure(ctx: StepContext) -> Outcome:
    cors = {
        "AllowOrigins": list(ctx.params["origins"]),
        "AllowMethods": list(ctx.params["methods"]),
        "AllowHeaders": list(ctx.params["headers"]),
        "MaxAge": ctx.params["max_age"],
    }
    updated = ctx.client("apigatewayv2").update_api(ApiId=ctx.id("api_id"), CorsConfiguration=cors)
    return Outcome(f"CORS configured: {updated['CorsConfiguration']}")


def _cors_cli(ctx: StepContext) -> str:
    def quoted(values: Any) -> str:
        return ",".join(f'"{v}"' for v in values)

    value = (
        f"AllowOrigins={quoted(ctx.params.get('origins', ORIGINS))},"
        f"AllowMethods={quoted(ctx.params.get('methods', METHODS))},"
        f"AllowHeaders={quoted(ctx.params.get('headers', HEADERS))},"
        f"MaxAge={ctx.params.get('max_age', MAX_AGE)}"
    )
    return common.api_cli("update-api", lambda _: {"--cors-configuration": value})(ctx)


def _send_preflight(path: str, origin: str) -> Action:
    def action(ctx: StepContext) -> Outcome:
        response = common.send(ctx, "OPTIONS", domain_url(path), preflight_headers(origin))
        who = "the function" if response.event is not None else "API Gateway itself"
        allowed = response.headers.get("access-control-allow-origin", "no")
        return Outcome(
            f"Preflight from {origin}: {response.status}, answered by {who}; "
            f"Access-Control-Allow-Origin: {allowed}",
            shown=response,
        )

    return action


def _explicit_routes(ctx: StepContext) -> Outcome:
    api_id = ctx.id("api_id")
    apigw = ctx.client("apigatewayv2")
    target = common.integration_target(ctx, api_id)
    for key in ctx.params["routes"]:
        if common.find_route(ctx, api_id, key) is None:
            apigw.create_route(ApiId=api_id, RouteKey=key, Target=target)
    default = common.find_route(ctx, api_id, "$default")
    if default is not None:
        apigw.delete_route(ApiId=api_id, RouteId=default["RouteId"])
    return Outcome(f"Routes {', '.join(ctx.params['routes'])}; the $default route is gone")


def _refused(
    step_id: str, title: str, explanation: str, cors: dict[str, Any], cli_value: str
) -> Step:
    """A step that shows AWS refusing ``cors`` (written ``cli_value`` on the AWS CLI)."""

    def action(ctx: StepContext) -> Outcome:
        ctx.client("apigatewayv2").update_api(ApiId=ctx.id("api_id"), CorsConfiguration=cors)
        return Outcome("unreachable: AWS refuses this configuration")

    return Step(
        id=step_id,
        title=title,
        explanation=explanation,
        action=action,
        cli=common.api_cli("update-api", lambda ctx: {"--cors-configuration": cli_value}),
        expects_error="BadRequestException",
        requires=("configure_cors",),
        replay=False,
    )


def _deploy_prod(ctx: StepContext) -> Outcome:
    deployment = ctx.client("apigatewayv2").create_deployment(
        ApiId=ctx.id("api_id"), StageName=ctx.id("stage"), Description="CORS for prod"
    )
    return Outcome(f"Deployed prod: {deployment['DeploymentId']}")


ANSWERED_BY_GATEWAY = {"access-control-allow-origin": "https://example.com"}


ADMIN = "https://admin.example.com"


def _preflight_allows(ctx: StepContext, origin: str) -> tuple[bool, str]:
    """Whether a preflight from ``origin`` to the custom domain's /items gets it echoed back."""
    url = common.custom_domain_url("/items")(ctx)
    response = exercise_checks.request(ctx, "OPTIONS", url, preflight_headers(origin))
    if response is None:  # real AWS: no local gateway; the configuration decides
        return True, ""
    allowed = response.headers.get("access-control-allow-origin")
    return 200 <= response.status < 300 and allowed == origin, exercise_checks.answered(response)


def _check_admin_origin(ctx: StepContext) -> Feedback:
    api = ctx.client("apigatewayv2").get_api(ApiId=ctx.id("api_id"))
    cors = api.get("CorsConfiguration") or {}
    origins = list(cors.get("AllowOrigins") or [])
    if origins == list(ORIGINS):
        return not_attempted(f"The API still allows {', '.join(map(code, ORIGINS))} only.")
    if not cors:
        return failed(
            "The API has no CORS configuration any more: browsers now block every call from "
            "another origin. Give it the whole configuration again, with the admin origin."
        )
    if "*" in origins:
        return failed(
            f"AllowOrigins {code('*')} lets any website call the API from a browser: list "
            f"{code(ADMIN)} beside the other origins instead."
        )
    if ADMIN not in origins:
        near = [o for o in origins if "admin.example.com" in o]
        if near:
            return failed(
                f"{code(near[0])} is not {code(ADMIN)}: origins match exactly, scheme "
                "included, and the admin site is served over HTTPS."
            )
        return failed(f"{code(ADMIN)} is not among the allowed origins yet.")
    lost = [origin for origin in ORIGINS if origin not in origins]
    if lost:
        return failed(
            f"{code(ADMIN)} is allowed now, but {code(lost[0])} no longer is: "
            f"{code('--cors-configuration')} replaces the whole configuration, so give every "
            "origin (and the methods and headers) again."
        )
    allows, answer = _preflight_allows(ctx, ADMIN)
    if not allows:
        return failed(
            f"A preflight from {code(ADMIN)} asking for GET got {code(answer)}, without "
            f"{code('Access-Control-Allow-Origin: ' + ADMIN)}: does the configuration still "
            f"allow the methods ({', '.join(map(code, cors.get('AllowMethods') or [])) or 'none'})?"
        )
    allows, answer = _preflight_allows(ctx, ORIGINS[0])
    if not allows:
        return failed(f"A preflight from {code(ORIGINS[0])} is no longer allowed: {code(answer)}.")
    return passed(
        f"API Gateway answers a preflight from {code(ADMIN)} with "
        f"{code('Access-Control-Allow-Origin: ' + ADMIN)}, and the other origins still work."
    )


def _origins_cli(ctx: StepContext, origins: tuple[str, ...], *, whole: bool = True) -> str:
    def quoted(values: tuple[str, ...]) -> str:
        return ",".join(f'"{v}"' for v in values)

    value = f"AllowOrigins={quoted(origins)}"
    if whole:
        value += f",AllowMethods={quoted(METHODS)},AllowHeaders={quoted(HEADERS)},MaxAge={MAX_AGE}"
    return cli(
        "apigatewayv2",
        "update-api",
        {"--api-id": ctx.id("api_id"), "--cors-configuration": value},
        ctx.region,
    )


ADMIN_ORIGIN = Exercise(
    id="admin_origin",
    title="Allow the admin site",
    task="The admin frontend runs on `https://admin.example.com` and calls "
    "`https://api.example.com` from the browser. Let it, while `https://example.com` and "
    "`http://localhost:3000` keep working.",
    check=_check_admin_origin,
    hints=(
        "Browsers ask first (a preflight), and API Gateway answers from the API's CORS "
        "configuration: which list in it names who may call?",
        "`update-api` (boto3: `update_api`) with `ApiId` and `CorsConfiguration` "
        "(`AllowOrigins`, `AllowMethods`, `AllowHeaders`, `MaxAge`); `get-api` (`get_api`) "
        "shows the configuration as it is now.",
    ),
    solution=lambda ctx: (_origins_cli(ctx, (*ORIGINS, ADMIN)),),
    mistakes=(
        Mistake(
            "only the new origin given",
            lambda ctx: (_origins_cli(ctx, (ADMIN,), whole=False),),
            says="replaces the whole configuration",
        ),
        Mistake(
            "http instead of https",
            lambda ctx: (_origins_cli(ctx, (*ORIGINS, ADMIN.replace("https", "http"))),),
            says="scheme included",
        ),
        Mistake(
            "every origin allowed",
            lambda ctx: (_origins_cli(ctx, ("*",)),),
            says="lets any website call the API",
        ),
    ),
    requires=("explicit_routes",),
)


LESSON = Lesson(
    id="07-cors",
    title="CORS for the custom domain",
    goal="Allow the frontend's origins, see who answers a preflight, and avoid the traps.",
    steps=(
        Step(
            id="configure_cors",
            title="Configure CORS",
            explanation="The frontend on https://example.com (and http://localhost:3000 while "
            "developing) calls api.example.com: allow those origins, methods and headers.",
            action=_configure,
            cli=_cors_cli,
            params=_CORS_PARAMS,
            requires=("05-api-mappings/map_v1",),
            checks=(
                field_is(
                    "the API has the configuration",
                    lambda ctx: (
                        ctx.client("apigatewayv2")
                        .get_api(ApiId=ctx.id("api_id"))
                        .get("CorsConfiguration", {})
                        .get("AllowOrigins")
                    ),
                    list(ORIGINS),
                ),
            ),
        ),
        Step(
            id="preflight_reaches_function",
            title="Surprise: the $default route takes the preflight",
            explanation="API Gateway answers a preflight itself only when no route matches it. "
            "The quick-created $default route matches everything, OPTIONS included, so the "
            "function gets the preflight — and must answer it.",
            action=_send_preflight("/items", "https://example.com"),
            cli=lambda ctx: common.curl(
                "OPTIONS", domain_url("/items"), preflight_headers("https://example.com")
            ),
            requires=("configure_cors",),
            until=("explicit_routes",),
            checks=(
                answers(
                    "the function received the OPTIONS request",
                    "OPTIONS",
                    common.custom_domain_url("/items"),
                    200,
                    headers=preflight_headers("https://example.com"),
                    event={"requestContext.http.method": "OPTIONS", "routeKey": "$default"},
                ),
            ),
            replay=False,
        ),
        Step(
            id="explicit_routes",
            title="Explicit routes instead of $default",
            explanation="Give the API the routes it serves and remove $default: now no route "
            "matches OPTIONS, and API Gateway answers preflights from the CORS configuration.",
            action=_explicit_routes,
            cli=common.api_cli(
                "delete-route",
                lambda ctx: {
                    "--route-id": "<id of the $default route>",
                },
            ),
            params=(params.route_keys(ROUTES),),
            requires=("configure_cors",),
            checks=(
                field_is(
                    "the $default route is gone",
                    lambda ctx: common.find_route(ctx, ctx.id("api_id"), "$default"),
                    None,
                ),
                answers(
                    "API Gateway answers the preflight from https://example.com",
                    "OPTIONS",
                    common.custom_domain_url("/items"),
                    204,
                    headers=preflight_headers("https://example.com"),
                    response_headers={
                        **ANSWERED_BY_GATEWAY,
                        "access-control-allow-methods": ",".join(METHODS),
                    },
                ),
            ),
        ),
        Step(
            id="preflight_localhost",
            title="The development origin is allowed too",
            explanation="http://localhost:3000 is in AllowOrigins, so it is echoed back.",
            action=_send_preflight("/items", "http://localhost:3000"),
            cli=lambda ctx: common.curl(
                "OPTIONS", domain_url("/items"), preflight_headers("http://localhost:3000")
            ),
            requires=("explicit_routes",),
            checks=(
                answers(
                    "localhost:3000 is allowed",
                    "OPTIONS",
                    common.custom_domain_url("/items"),
                    204,
                    headers=preflight_headers("http://localhost:3000"),
                    response_headers={"access-control-allow-origin": "http://localhost:3000"},
                ),
            ),
            replay=False,
        ),
        Step(
            id="preflight_other_origin",
            title="Another origin is not",
            explanation="API Gateway still answers, but without Access-Control-Allow-Origin: "
            "the browser then blocks the request.",
            action=_send_preflight("/items", "https://evil.example"),
            cli=lambda ctx: common.curl(
                "OPTIONS", domain_url("/items"), preflight_headers("https://evil.example")
            ),
            requires=("explicit_routes",),
            checks=(
                answers(
                    "no Access-Control-Allow-Origin for other origins",
                    "OPTIONS",
                    common.custom_domain_url("/items"),
                    204,
                    headers=preflight_headers("https://evil.example"),
                    response_headers={"access-control-allow-origin": None},
                ),
            ),
            replay=False,
        ),
        _refused(
            "credentials_with_wildcard",
            "Refused: credentials with any origin",
            "AllowCredentials cannot go with AllowOrigins *.",
            {"AllowOrigins": ["*"], "AllowCredentials": True},
            'AllowOrigins="*",AllowCredentials=true',
        ),
        _refused(
            "partial_wildcard",
            "Refused: a partial wildcard origin",
            "Only *, https://* and http://* are wildcards; https://*.example.com is "
            "refused — list each origin instead.",
            {"AllowOrigins": ["https://*.example.com"]},
            'AllowOrigins="https://*.example.com"',
        ),
        Step(
            id="prod_waits",
            title="prod does not have it yet",
            explanation="CORS is part of what a deployment freezes. prod does not auto-deploy, "
            "so /v1 (mapped to prod) still has no CORS until the next deployment.",
            action=_send_preflight("/v1/items", "https://example.com"),
            cli=lambda ctx: common.curl(
                "OPTIONS", domain_url("/v1/items"), preflight_headers("https://example.com")
            ),
            requires=("explicit_routes",),
            until=("deploy_prod",),
            checks=(
                holds(
                    "prod's answer has no Access-Control-Allow-Origin",
                    lambda ctx: common.send(
                        ctx,
                        "OPTIONS",
                        common.custom_domain_url("/v1/items")(ctx),
                        preflight_headers("https://example.com"),
                    ).headers.get("access-control-allow-origin"),
                    lambda value: value is None,
                    "no header",
                ),
            ),
            replay=False,
        ),
        Step(
            id="deploy_prod",
            title="Deploy prod",
            explanation="A new deployment brings the CORS configuration (and the explicit "
            "routes) to prod.",
            action=_deploy_prod,
            cli=common.DEPLOY_STAGE_CLI,
            requires=("explicit_routes",),
            checks=(
                answers(
                    "prod answers the preflight",
                    "OPTIONS",
                    common.custom_domain_url("/v1/items"),
                    204,
                    headers=preflight_headers("https://example.com"),
                    response_headers=ANSWERED_BY_GATEWAY,
                ),
            ),
        ),
    ),
    exercises=(ADMIN_ORIGIN,),
)
