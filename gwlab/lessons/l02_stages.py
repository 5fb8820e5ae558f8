"""Lesson 2: named stages and deployments — nothing is served until it is deployed."""

from __future__ import annotations

from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.step import Action, until
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import answers, execute_api_url, field_is, holds

API_PREREQ = "01-default-stage/quick_create"


def _create_stage(ctx: StepContext) -> Outcome:
    api_id, name = ctx.id("api_id"), ctx.params["stage_name"]
    stage = common.find_stage(ctx, api_id, name)
    verb = "Found"
    if stage is None:
        stage = ctx.client("apigatewayv2").create_stage(ApiId=api_id, StageName=name)
        verb = "Created"
    return Outcome(
        f"{verb} stage {name} (AutoDeploy {stage.get('AutoDeploy', False)})",
        {"stage": name},
        shown=common.without_dates(stage),
    )


def _deploy(stage_key: str, description: str) -> Action:
    def action(ctx: StepContext) -> Outcome:
        stage = ctx.id(stage_key)
        deployment = ctx.client("apigatewayv2").create_deployment(
            ApiId=ctx.id("api_id"), StageName=stage, Description=description
        )
        return Outcome(
            f"Deployed the API to {stage}: deployment {deployment['DeploymentId']}",
            {f"{stage_key}_deployment": deployment["DeploymentId"]},
        )

    return action


def _add_route(ctx: StepContext) -> Outcome:
    api_id, key = ctx.id("api_id"), ctx.params["route_key"]
    if common.find_route(ctx, api_id, key) is None:
        ctx.client("apigatewayv2").create_route(
            ApiId=api_id, RouteKey=key, Target=common.integration_target(ctx, api_id)
        )
    return Outcome(f"The API has the route {key}", {"route_key": key})


def _create_dev(ctx: StepContext) -> Outcome:
    api_id, name = ctx.id("api_id"), ctx.params["stage_name"]
    if common.find_stage(ctx, api_id, name) is None:
        ctx.client("apigatewayv2").create_stage(ApiId=api_id, StageName=name)
    stage = ctx.client("apigatewayv2").update_stage(ApiId=api_id, StageName=name, AutoDeploy=True)
    return Outcome(
        f"Stage {name} now deploys by itself (deployment {stage.get('DeploymentId')})",
        {"dev_stage": name},
    )


def _stage_cli(ctx: StepContext, command: str, stage: str) -> str:
    return common.cli(
        "apigatewayv2",
        command,
        {"--api-id": ctx.id("api_id"), "--stage-name": stage},
        ctx.region,
    )


def _staging_solution(ctx: StepContext) -> tuple[str, ...]:
    return (
        _stage_cli(ctx, "create-stage", STAGING),
        _stage_cli(ctx, "create-deployment", STAGING),
    )


def _route_for_items(ctx: StepContext, api_id: str) -> str:
    """The route of the API as it is now that ``GET /items`` matches."""
    keys = {
        route["RouteKey"] for route in ctx.client("apigatewayv2").get_routes(ApiId=api_id)["Items"]
    }
    return next((k for k in ("GET /items", "ANY /items", "$default") if k in keys), "none")


def _check_staging(ctx: StepContext) -> Feedback:
    """Whether a stage ``staging`` serves the API's current routes, and if not, why."""
    api_id = ctx.id("api_id")
    stages = ctx.client("apigatewayv2").get_stages(ApiId=api_id)["Items"]
    stage = next((s for s in stages if s["StageName"] == STAGING), None)
    if stage is None:
        near = [s["StageName"] for s in stages if s["StageName"].lower() == STAGING]
        if near:
            return failed(
                f"there is a stage `{near[0]}` but no `{STAGING}`: stage names are "
                "case-sensitive, and the URL uses the exact name (`/staging/items`)"
            )
        return not_attempted(
            f"the API has no stage `{STAGING}` yet: create it, then deploy the API to it"
        )
    if not stage.get("DeploymentId"):
        return failed(
            f"stage `{STAGING}` exists, but it serves no deployment: a named stage serves "
            "nothing until you deploy it"
        )
    response = exercise_checks.request(ctx, "GET", execute_api_url(ctx, "/staging/items"))
    if response is None:  # real AWS: no local gateway; the stage's deployment decides
        return passed(f"stage `{STAGING}` serves deployment {stage['DeploymentId']}")
    route = common.event_field(response, "routeKey")
    if response.status != 200 or common.event_field(response, "requestContext.stage") != STAGING:
        return failed(
            f"`GET /staging/items` answered {exercise_checks.answered(response)}: "
            f"stage `{STAGING}` does not serve the API's routes yet"
        )
    current = _route_for_items(ctx, api_id)
    if route != current:
        return failed(
            f"stage `{STAGING}` serves an old deployment (`/staging/items` matched route "
            f"`{route}`, but the API now has `{current}`): deploy the API to it again"
        )
    return passed(
        f"stage `{STAGING}` serves deployment {stage['DeploymentId']}: `GET /staging/items` "
        f"reached the function through route `{route}`, with rawPath "
        f"`{common.event_field(response, 'rawPath')}`"
    )


STAGING = "staging"
STAGING_EXERCISE = Exercise(
    id="staging_stage",
    title="A staging stage",
    task="Make a stage `staging` on the course's API that serves the API's current routes, "
    "so that `GET /staging/items` answers from it. Write the calls yourself: the API's id "
    'is `lab.ids["api_id"]`.',
    check=_check_staging,
    hints=(
        "A named stage answers only once a deployment points at it — like prod in step 2.",
        "Two operations: `create-stage` (boto3 `create_stage`) with `StageName` `staging`, "
        "then `create-deployment` (`create_deployment`) for that stage. Or create it with "
        "auto-deploy on, and API Gateway deploys it for you (at once in this lab: assumed).",
    ),
    solution=_staging_solution,
    mistakes=(
        Mistake(
            "created but never deployed",
            lambda ctx: (_stage_cli(ctx, "create-stage", STAGING),),
            says="serves no deployment",
        ),
        Mistake(
            "Staging instead of staging",
            lambda ctx: (
                _stage_cli(ctx, "create-stage", "Staging"),
                _stage_cli(ctx, "create-deployment", "Staging"),
            ),
            says="case-sensitive",
        ),
    ),
    requires=(API_PREREQ,),
)


LESSON = Lesson(
    id="02-stages",
    title="Named stages and deployments",
    goal="Create a prod stage, deploy to it, and see what a deployment freezes.",
    steps=(
        Step(
            id="create_stage",
            title="Create the prod stage",
            explanation="A named stage does not deploy by itself (AutoDeploy is false) and "
            "serves nothing until a deployment is made for it.",
            action=_create_stage,
            cli=common.api_cli(
                "create-stage",
                lambda ctx: {
                    "--stage-name": ctx.params.get("stage_name", "prod"),
                },
            ),
            params=(params.stage_name("prod"),),
            requires=(API_PREREQ,),
            checks=(
                field_is(
                    "the stage does not auto-deploy",
                    common.stage_field("stage", "AutoDeploy"),
                    False,
                ),
                until(
                    field_is(
                        "the stage has no deployment yet",
                        common.stage_field("stage", "DeploymentId"),
                        None,
                    ),
                    "deploy_stage",
                ),
                until(
                    answers(
                        "a request to the stage finds nothing to serve",
                        "GET",
                        common.stage_url("/items"),
                        404,
                        body={"message": "Not Found"},
                    ),
                    "deploy_stage",
                ),
            ),
        ),
        Step(
            id="deploy_stage",
            title="Deploy to prod",
            explanation="create-deployment snapshots the routes and integrations and points "
            "the stage at the snapshot. The stage name is now part of the URL — and, unlike "
            "what many tutorials say, it stays in the path the function receives.",
            action=_deploy("stage", "first prod deployment"),
            cli=common.DEPLOY_STAGE_CLI,
            requires=("create_stage",),
            checks=(
                holds(
                    "the stage points at a deployment",
                    common.stage_field("stage", "DeploymentId"),
                    bool,
                    "a deployment id",
                ),
                answers(
                    "the stage prefix is in the URL and in rawPath",
                    "GET",
                    common.stage_url("/items"),
                    200,
                    event={
                        "rawPath": "/prod/items",
                        "requestContext.http.path": "/prod/items",
                        "requestContext.stage": "prod",
                    },
                    hint="The stage prefix is not stripped: rawPath starts with /prod.",
                ),
            ),
        ),
        Step(
            id="add_route",
            title="Add a route after deploying",
            explanation="Add GET /items. The auto-deploying $default stage picks it up at once; "
            "prod keeps serving its snapshot, where only the $default route exists.",
            action=_add_route,
            cli=common.api_cli(
                "create-route",
                lambda ctx: {
                    "--route-key": ctx.params.get("route_key", "GET /items"),
                    "--target": "integrations/<integration-id>",
                },
            ),
            params=(params.route_key("GET /items"),),
            requires=("deploy_stage",),
            checks=(
                answers(
                    "$default (auto-deploy) already uses the new route",
                    "GET",
                    lambda ctx: execute_api_url(ctx, "/items"),
                    200,
                    event={"routeKey": "GET /items"},
                ),
                until(
                    answers(
                        "prod still serves its old snapshot",
                        "GET",
                        common.stage_url("/items"),
                        200,
                        event={"routeKey": "$default"},
                        hint="prod changes only with a new deployment.",
                    ),
                    "redeploy_stage",
                ),
            ),
        ),
        Step(
            id="redeploy_stage",
            title="Redeploy prod",
            explanation="A new deployment makes prod serve the API as it is now.",
            action=_deploy("stage", "prod with GET /items"),
            cli=common.DEPLOY_STAGE_CLI,
            requires=("add_route",),
            checks=(
                answers(
                    "prod now serves the new route",
                    "GET",
                    common.stage_url("/items"),
                    200,
                    event={"routeKey": "GET /items", "rawPath": "/prod/items"},
                ),
            ),
        ),
        Step(
            id="auto_deploy_dev",
            title="A dev stage that deploys by itself",
            explanation="Create a dev stage and turn auto-deploy on with update-stage: from now "
            "on every change reaches dev without a create-deployment.",
            action=_create_dev,
            cli=common.api_cli(
                "update-stage",
                lambda ctx: {
                    "--stage-name": ctx.params.get("stage_name", "dev"),
                    "--auto-deploy": True,
                },
            ),
            params=(params.stage_name("dev"),),
            requires=("redeploy_stage",),
            checks=(
                field_is("dev auto-deploys", common.stage_field("dev_stage", "AutoDeploy"), True),
                answers(
                    "dev serves the API as it is now",
                    "GET",
                    common.stage_url("/items", "dev_stage"),
                    200,
                    event={"routeKey": "GET /items", "requestContext.stage": "dev"},
                ),
            ),
        ),
    ),
    exercises=(STAGING_EXERCISE,),
)
