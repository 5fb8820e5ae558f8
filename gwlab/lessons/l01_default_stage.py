"""Lesson 1: the ``$default`` stage — quick create, auto-deploy, no prefix."""

from __future__ import annotations

from gwlab.functions import deploy_function
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.step import until
from gwlab.lessons import common, params
from gwlab.lessons.common import answers, cli, field_is, holds, names


def _deploy_function(ctx: StepContext) -> Outcome:
    name = names(ctx)
    created = deploy_function(
        ctx.env,
        name.function,
        ctx.params["source"],
        handler=common.HANDLER,
        runtime=common.RUNTIME,
        role_name=name.role,
    )
    ctx.created("role", name.role)
    ctx.created("function", name.function)
    return Outcome(
        f"Deployed {name.function} ({created['Runtime']}, handler {created['Handler']})",
        {"function_arn": created["FunctionArn"]},
        shown={k: created[k] for k in ("FunctionName", "Runtime", "Handler", "FunctionArn")},
    )


def _quick_create(ctx: StepContext) -> Outcome:
    api = common.find_api(ctx)
    if api is None:
        api = ctx.client("apigatewayv2").create_api(
            Name=names(ctx).api, ProtocolType="HTTP", Target=ctx.id("function_arn")
        )
        verb = "Created"
    else:
        verb = "Found"
    ctx.created("api", api["ApiId"])
    stage = common.find_stage(ctx, api["ApiId"], "$default")
    return Outcome(
        f"{verb} {names(ctx).api} ({api['ApiId']}) at {api['ApiEndpoint']}",
        {"api_id": api["ApiId"]},
        shown=common.without_dates(stage),
    )


def _call(ctx: StepContext) -> Outcome:
    response = common.send(ctx, "GET", common.execute_api_url(ctx, "/items"))
    return Outcome(f"GET /items answered {response.status}", shown=response)


def _default_stage(ctx: StepContext) -> dict[str, object] | None:
    return common.find_stage(ctx, ctx.id("api_id"), "$default")


def _quick_create_named(ctx: StepContext) -> Outcome:
    name = ctx.params["api_name"]
    api = common.find_api(ctx, name)
    if api is None:
        api = ctx.client("apigatewayv2").create_api(
            Name=name, ProtocolType="HTTP", Target=ctx.id("function_arn")
        )
    ctx.created("api", api["ApiId"])
    return Outcome(f"{name} is {api['ApiId']} at {api['ApiEndpoint']}")


def _auto_default(ctx: StepContext, name: str) -> bool:
    api = common.find_api(ctx, name)
    stage = common.find_stage(ctx, api["ApiId"], "$default") if api else None
    return bool(stage and stage.get("AutoDeploy"))


LESSON = Lesson(
    id="01-default-stage",
    title="The $default stage",
    goal="Quick-create an HTTP API and see that $default auto-deploys and has no prefix.",
    steps=(
        Step(
            id="deploy_function",
            title="Deploy the items function",
            explanation="Zip a small Python handler that echoes what API Gateway sends it, "
            "and create the Lambda function with boto3.",
            action=_deploy_function,
            cli=lambda ctx: cli(
                "lambda",
                "create-function",
                {
                    "--function-name": names(ctx).function,
                    "--runtime": common.RUNTIME,
                    "--handler": common.HANDLER,
                    "--zip-file": "fileb://function.zip",
                    "--role": "arn:aws:iam::<account-id>:role/gwlab-lambda-basic-execution",
                },
                ctx.region,
            ),
            params=(params.source(common.HELLO_HANDLER),),
            vet={"source": common.defines_handler(common.HANDLER)},
            checks=(
                field_is(
                    "the function exists and runs Python",
                    lambda ctx: ctx.client("lambda").get_function(FunctionName=names(ctx).function)[
                        "Configuration"
                    ]["Runtime"],
                    common.RUNTIME,
                ),
            ),
        ),
        Step(
            id="quick_create",
            title="Quick-create the HTTP API",
            explanation="create-api with --target makes the API, a $default route, a Lambda "
            "proxy integration and a $default stage with auto-deploy, in one call.",
            action=_quick_create,
            cli=lambda ctx: cli(
                "apigatewayv2",
                "create-api",
                {
                    "--name": names(ctx).api,
                    "--protocol-type": "HTTP",
                    "--target": ctx.id_or("function_arn", "<function-arn>"),
                },
                ctx.region,
            ),
            requires=("deploy_function",),
            checks=(
                field_is(
                    "the API has a $default stage",
                    lambda ctx: (_default_stage(ctx) or {}).get("StageName"),
                    "$default",
                ),
                field_is(
                    "$default deploys every change by itself",
                    lambda ctx: (_default_stage(ctx) or {}).get("AutoDeploy"),
                    True,
                ),
                until(
                    holds(
                        "the $default route sends everything to the function",
                        lambda ctx: common.find_route(ctx, ctx.id("api_id"), "$default"),
                        lambda route: route is not None,
                        "a route with key $default",
                    ),
                    "07-cors/explicit_routes",
                ),
            ),
            hint="Run deploy_function first: quick create needs the function's ARN.",
        ),
        Step(
            id="call_default_stage",
            title="Call the API: no stage in the URL",
            explanation="Send GET /items to the execute-api URL. The $default stage serves the "
            "root of the URL, so the function sees /items with no stage prefix.",
            action=_call,
            cli=lambda ctx: common.curl("GET", common.execute_api_url(ctx, "/items")),
            requires=("quick_create",),
            until=("02-stages/add_route", "07-cors/explicit_routes"),
            checks=(
                answers(
                    "the function answers at the root of the URL",
                    "GET",
                    lambda ctx: common.execute_api_url(ctx, "/items"),
                    200,
                    event={
                        "rawPath": "/items",
                        "requestContext.stage": "$default",
                        "routeKey": "$default",
                    },
                ),
            ),
            replay=False,
        ),
        Step(
            id="exercise_second_api",
            title="Exercise: a second API",
            explanation="Quick-create a second API called gwlab-greetings for the same function. "
            "Change the name in the field, then Run.",
            action=_quick_create_named,
            cli=lambda ctx: cli(
                "apigatewayv2",
                "create-api",
                {
                    "--name": ctx.params.get("api_name", "gwlab-greetings"),
                    "--protocol-type": "HTTP",
                    "--target": ctx.id_or("function_arn", "<function-arn>"),
                },
                ctx.region,
            ),
            params=(params.api_name("gwlab-second"),),
            requires=("deploy_function",),
            checks=(
                holds(
                    "gwlab-greetings exists with an auto-deploying $default stage",
                    lambda ctx: _auto_default(ctx, "gwlab-greetings"),
                    bool,
                    "an API gwlab-greetings whose $default stage auto-deploys",
                ),
            ),
            hint="The check looks for an API named gwlab-greetings.",
            replay=False,
            solution={"api_name": "gwlab-greetings"},
        ),
    ),
)
