"""Lesson 1: the ``$default`` stage — quick create, auto-deploy, no prefix."""

from __future__ import annotations

from gwlab.functions import deploy_function
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.step import until
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import answers, cli, field_is, holds, names
from gwlab.lessons.exercise_checks import code


def _deploy_function(ctx: StepContext) -> Outcome:
    name = names(ctx)
    created = deploy_function(
        ctx,
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


def _greetings(ctx: StepContext) -> str:
    """The second API's name: ``gwlab-greetings`` (with the learner's id in real AWS)."""
    return names(ctx).api.replace("items-api", "greetings")


def _check_second_api(ctx: StepContext) -> Feedback:
    name = _greetings(ctx)
    found = exercise_checks.apis_named(ctx, name)
    if not found:
        return not_attempted(f"There is no API named {code(name)} yet.")
    for api in found:
        ctx.created("api", api["ApiId"])  # so that clean-up deletes what the learner made
    if len(found) > 1:
        ids = ", ".join(code(api["ApiId"]) for api in found)
        return failed(
            f"There are {len(found)} APIs named {code(name)} ({ids}): each `create-api` makes a "
            "new one, since API names need not be unique. Delete the extra ones with "
            "`delete-api` and keep one."
        )
    api = found[0]
    api_id = api["ApiId"]
    if api.get("ProtocolType") != "HTTP":
        return failed(f"{code(name)} is a {api.get('ProtocolType')} API: make an HTTP API.")
    stage = common.find_stage(ctx, api_id, "$default")
    if stage is None:
        return failed(
            f"{code(name)} exists but has no {code('$default')} stage: a plain `create-api` makes "
            f"none. Quick create ({code('--target')} with the function's ARN) makes the stage, "
            "the route and the integration in one call."
        )
    if not stage.get("AutoDeploy"):
        return failed(
            f"The {code('$default')} stage of {code(name)} does not auto-deploy, so changes "
            "never reach it by themselves: quick create makes one that does."
        )
    integrations = ctx.client("apigatewayv2").get_integrations(ApiId=api_id)["Items"]
    function_arn = ctx.id("function_arn")
    if not any(function_arn in str(i.get("IntegrationUri", "")) for i in integrations):
        return failed(
            f"{code(name)} does not send requests to the items function "
            f"({code(names(ctx).function)}): give its ARN as the target."
        )
    routes = [r["RouteKey"] for r in ctx.client("apigatewayv2").get_routes(ApiId=api_id)["Items"]]
    if "$default" not in routes:
        only = ", ".join(code(key) for key in routes) or "no request"
        return failed(
            f"In {code(name)} only {only} reaches the function, but the task asks for every "
            f"request: without {code('--route-key')}, quick create makes a {code('$default')} "
            "route that takes them all."
        )
    url = f"https://{api_id}.execute-api.{ctx.region}.amazonaws.com/greetings/hello"
    response = exercise_checks.request(ctx, "GET", url)
    if response is None:
        return passed(f"{code(name)} ({api_id}) has an auto-deploying $default stage.")
    if response.status != 200 or response.event is None:
        return failed(
            f"GET {code(url)} answered {code(exercise_checks.answered(response))}: "
            f"{code(name)} has no route to the function. Quick create adds a "
            f"{code('$default')} route that takes every request."
        )
    return passed(
        f"{code(name)} ({api_id}) works: GET {code('/greetings/hello')} reached the items function "
        f"through its auto-deploying {code('$default')} stage and {code('$default')} route."
    )


def _quick_create_cli(ctx: StepContext, *, target: bool = True, route_key: str = "") -> str:
    """``create-api`` of the greetings API: quick create (with ``--target``), or not."""
    options = {"--name": _greetings(ctx), "--protocol-type": "HTTP"}
    return cli(
        "apigatewayv2",
        "create-api",
        {
            **options,
            "--target": ctx.id("function_arn") if target else None,
            "--route-key": route_key or None,
        },
        ctx.region,
    )


SECOND_API = Exercise(
    id="second_api",
    title="A second API for the same function",
    task="Quick-create a second HTTP API named `gwlab-greetings` that sends every request to "
    "the items function, with a `$default` stage that deploys by itself.",
    check=_check_second_api,
    hints=(
        "One call does it all, as in step 2: it is the option that names the function that "
        "turns `create-api` into quick create.",
        "`create-api` (boto3: `create_api`) with `Name`, `ProtocolType` `HTTP` and `Target`, "
        "the function's ARN (`lab.ids['function_arn']`).",
    ),
    solution=lambda ctx: (_quick_create_cli(ctx),),
    mistakes=(
        Mistake(
            "a plain `create-api`, without --target",
            lambda ctx: (_quick_create_cli(ctx, target=False),),
            says="a plain `create-api` makes none",
        ),
        Mistake(
            "quick create run twice",
            lambda ctx: (_quick_create_cli(ctx), _quick_create_cli(ctx)),
            says="API names need not be unique",
        ),
        Mistake(
            "quick create with one route key",
            lambda ctx: (_quick_create_cli(ctx, route_key="GET /hello"),),
            says="only `GET /hello` reaches the function",
        ),
    ),
    requires=("deploy_function",),
)

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
    ),
    exercises=(SECOND_API,),
)
