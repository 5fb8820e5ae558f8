"""Lesson 2: named stages and deployments — nothing is served until it is deployed."""

from __future__ import annotations

from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.step import Action, until
from gwlab.lessons import common, params
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


def _create_and_deploy(ctx: StepContext) -> Outcome:
    api_id, name = ctx.id("api_id"), ctx.params["stage_name"]
    apigw = ctx.client("apigatewayv2")
    if common.find_stage(ctx, api_id, name) is None:
        apigw.create_stage(ApiId=api_id, StageName=name)
    deployment = apigw.create_deployment(ApiId=api_id, StageName=name)
    return Outcome(f"Stage {name} serves deployment {deployment['DeploymentId']}")


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
        Step(
            id="exercise_staging",
            title="Exercise: a staging stage",
            explanation="Create a stage called staging and deploy the API to it, so that "
            "/staging/items answers. Change the stage name in the field, then Run.",
            action=_create_and_deploy,
            cli=common.api_cli(
                "create-deployment",
                lambda ctx: {
                    "--stage-name": ctx.params.get("stage_name", "staging"),
                },
            ),
            params=(params.stage_name("beta"),),
            requires=("create_stage",),
            checks=(
                answers(
                    "/staging/items answers from staging",
                    "GET",
                    lambda ctx: execute_api_url(ctx, "/staging/items"),
                    200,
                    event={"requestContext.stage": "staging", "rawPath": "/staging/items"},
                ),
            ),
            hint="A named stage serves nothing until a deployment points at it.",
            replay=False,
            solution={"stage_name": "staging"},
        ),
    ),
)
