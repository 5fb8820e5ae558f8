"""Lesson 3: stage variables — one function, a table per stage."""

from __future__ import annotations

from gwlab.functions import deploy_function
from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.step import Action, CliCommand
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import Reader, answers, cli, field_is, holds
from gwlab.lessons.exercise_checks import code

PROD_VARIABLES = {"TABLE_NAME": "my-frontend-app-data", "LOG_LEVEL": "warn"}
DEV_VARIABLES = {"TABLE_NAME": "my-frontend-app-data-dev", "LOG_LEVEL": "debug"}


def _deploy_handler(ctx: StepContext) -> Outcome:
    name = common.names(ctx)
    deploy_function(
        ctx, name.function, ctx.params["source"], runtime=common.RUNTIME, role_name=name.role
    )
    return Outcome(f"Updated {name.function}: it now reads TABLE_NAME and LOG_LEVEL")


def _set_variables(stage_key: str) -> Action:
    def action(ctx: StepContext) -> Outcome:
        stage = ctx.id(stage_key)
        updated = ctx.client("apigatewayv2").update_stage(
            ApiId=ctx.id("api_id"), StageName=stage, StageVariables=ctx.params["variables"]
        )
        return Outcome(f"{stage} stage variables: {updated.get('StageVariables', {})}")

    return action


def _remove_variable(ctx: StepContext) -> Outcome:
    name = ctx.params["name"]
    ctx.client("apigatewayv2").update_stage(
        ApiId=ctx.id("api_id"), StageName=ctx.id("stage"), StageVariables={name: ""}
    )
    return Outcome(f"Removed {name} from {ctx.id('stage')} (an empty value removes a variable)")


def _bad_value(ctx: StepContext) -> Outcome:
    ctx.client("apigatewayv2").update_stage(
        ApiId=ctx.id("api_id"),
        StageName=ctx.id("stage"),
        StageVariables={"DB_PASSWORD": "p@ss word!"},
    )
    return Outcome("unreachable: AWS refuses the value")


def _table_read_and_wanted(ctx: StepContext) -> tuple[object, str]:
    """The table prod's answer names, and the one its TABLE_NAME (or the default) says."""
    response = common.send(ctx, "GET", common.stage_url("/items", "stage")(ctx))
    variables = _variables("stage")(ctx) or {}
    return common.body_field(response, "table"), variables.get(
        "TABLE_NAME", DEV_VARIABLES["TABLE_NAME"]
    )


def _variables(stage_key: str) -> Reader:
    return common.stage_field(stage_key, "StageVariables", {})


def _update_cli(stage_key: str, default_stage: str, variables: str) -> CliCommand:
    return common.api_cli(
        "update-stage",
        lambda ctx: {
            "--stage-name": ctx.id_or(stage_key, default_stage),
            "--stage-variables": variables,
        },
    )


def _variables_of(ctx: StepContext, stage: str) -> dict[str, str]:
    found = common.find_stage(ctx, ctx.id("api_id"), stage) or {}
    return dict(found.get("StageVariables") or {})


def _check_trace_level(ctx: StepContext) -> Feedback:
    dev_stage, prod_stage = ctx.id("dev_stage"), ctx.id("stage")
    if common.find_stage(ctx, ctx.id("api_id"), dev_stage) is None:
        return failed(f"There is no stage {code(dev_stage)} any more: lesson 2 made it.")
    dev, prod = _variables_of(ctx, dev_stage), _variables_of(ctx, prod_stage)
    level = dev.get("LOG_LEVEL")
    if prod.get("LOG_LEVEL") == "trace":
        return failed(
            f"{code(prod_stage)} logs at {code('trace')} now, but that is prod: only "
            f"{code(dev_stage)} should change (the stage name says which stage you change)."
        )
    if level != "trace":
        if dev == DEV_VARIABLES:
            return not_attempted(f"{code(dev_stage)} still logs at {code(level)}.")
        lookalike = [name for name in dev if name.upper() == "LOG_LEVEL" and name != "LOG_LEVEL"]
        if lookalike:
            return failed(
                f"{code(dev_stage)} has a variable {code(lookalike[0])}, but the handler reads "
                f"{code('LOG_LEVEL')}: stage variable names are case-sensitive."
            )
        if level is None:
            return failed(
                f"{code(dev_stage)} has no {code('LOG_LEVEL')} any more, so the handler logs at "
                f"its default, {code('info')}: set it to {code('trace')}."
            )
        return failed(
            f"{code(dev_stage)}'s {code('LOG_LEVEL')} is {code(level)}, not {code('trace')} "
            "(values are used exactly as written)."
        )
    table = dev.get("TABLE_NAME")
    if table != DEV_VARIABLES["TABLE_NAME"]:
        if table == PROD_VARIABLES["TABLE_NAME"]:
            return failed(
                f"{code(dev_stage)} logs at trace, but now reads {code(table)}, prod's table: "
                "`update-stage` changes only the variables you give, so give `LOG_LEVEL` alone."
            )
        return failed(
            f"{code(dev_stage)} logs at trace, but its {code('TABLE_NAME')} is {code(table)}: "
            f"keep {code(DEV_VARIABLES['TABLE_NAME'])}."
        )
    url = common.stage_url("/items", "dev_stage")(ctx)
    response = exercise_checks.request(ctx, "GET", url)
    if response is None:
        return passed(f"{code(dev_stage)}'s variables say trace, on dev's table.")
    got = (common.body_field(response, "logLevel"), common.body_field(response, "table"))
    if response.status != 200 or got != ("trace", DEV_VARIABLES["TABLE_NAME"]):
        return failed(
            f"The variables are right, but GET {code(url)} answered "
            f"{code(exercise_checks.answered(response))}: is the handler of step 1 deployed?"
        )
    return passed(
        f"GET {code(url)}: the function logs at {code('trace')} on "
        f"{code(DEV_VARIABLES['TABLE_NAME'])}, read from {code(dev_stage)}'s stage variables — "
        "no deployment needed."
    )


def _set_dev_cli(ctx: StepContext, stage: str, variables: str) -> str:
    return cli(
        "apigatewayv2",
        "update-stage",
        {"--api-id": ctx.id("api_id"), "--stage-name": stage, "--stage-variables": variables},
        ctx.region,
    )


TRACE_LEVEL = Exercise(
    id="trace_level",
    title="Trace logging on dev",
    task="Make the `dev` stage log at the level `trace`, while it keeps reading dev's table "
    "(`my-frontend-app-data-dev`). prod must not change.",
    check=_check_trace_level,
    hints=(
        "The handler reads the level from a stage variable, as it reads the table; which "
        "variable, and on which stage?",
        "`update-stage` (boto3: `update_stage`) with `ApiId`, `StageName` and "
        "`StageVariables`: it changes only the variables you give and keeps the others.",
    ),
    solution=lambda ctx: (_set_dev_cli(ctx, ctx.id("dev_stage"), "LOG_LEVEL=trace"),),
    mistakes=(
        Mistake(
            "the variable set on prod",
            lambda ctx: (_set_dev_cli(ctx, ctx.id("stage"), "LOG_LEVEL=trace"),),
            says="but that is prod",
        ),
        Mistake(
            "prod's variables copied, table included",
            lambda ctx: (
                _set_dev_cli(
                    ctx,
                    ctx.id("dev_stage"),
                    f"TABLE_NAME={PROD_VARIABLES['TABLE_NAME']},LOG_LEVEL=trace",
                ),
            ),
            says="prod's table",
        ),
        Mistake(
            "the name in lower case",
            lambda ctx: (_set_dev_cli(ctx, ctx.id("dev_stage"), "log_level=trace"),),
            says="names are case-sensitive",
        ),
    ),
    requires=("set_dev_variables",),
)


LESSON = Lesson(
    id="03-stage-variables",
    title="Stage variables",
    goal="Point prod and dev at different tables with stage variables, read in the handler.",
    steps=(
        Step(
            id="deploy_handler",
            title="A handler that reads stage variables",
            explanation="The function reads event['stageVariables'] — absent when the stage has "
            "none — and falls back to the dev table.",
            action=_deploy_handler,
            cli=lambda ctx: cli(
                "lambda",
                "update-function-code",
                {
                    "--function-name": common.names(ctx).function,
                    "--zip-file": "fileb://function.zip",
                },
                ctx.region,
            ),
            params=(params.source(common.STAGE_VARIABLES_HANDLER),),
            vet={"source": common.defines_handler(common.HANDLER)},
            requires=("02-stages/auto_deploy_dev",),
            until=("set_prod_variables",),
            checks=(
                holds(
                    "the handler answers with the table its stage's variables name",
                    _table_read_and_wanted,
                    common.same_nonempty,
                    "prod's TABLE_NAME, else my-frontend-app-data-dev",
                ),
                answers(
                    "without variables the handler falls back to the dev table",
                    "GET",
                    common.stage_url("/items", "stage"),
                    200,
                    body={"table": "my-frontend-app-data-dev"},
                ),
            ),
        ),
        Step(
            id="set_prod_variables",
            title="Stage variables for prod",
            explanation="update-stage --stage-variables sets or changes variables; they reach "
            "the function in event['stageVariables'] at once, without a deployment.",
            action=_set_variables("stage"),
            cli=_update_cli(
                "stage", "prod", '{"TABLE_NAME":"my-frontend-app-data","LOG_LEVEL":"warn"}'
            ),
            params=(params.stage_variables(PROD_VARIABLES),),
            requires=("deploy_handler",),
            checks=(
                field_is("prod has the variables", _variables("stage"), PROD_VARIABLES),
                answers(
                    "prod's function reads prod's table",
                    "GET",
                    common.stage_url("/items", "stage"),
                    200,
                    event={"stageVariables": PROD_VARIABLES},
                    body={"table": "my-frontend-app-data", "logLevel": "warn"},
                ),
            ),
        ),
        Step(
            id="set_dev_variables",
            title="Stage variables for dev",
            explanation="Same function, another stage, another table.",
            action=_set_variables("dev_stage"),
            cli=_update_cli(
                "dev_stage", "dev", '{"TABLE_NAME":"my-frontend-app-data-dev","LOG_LEVEL":"debug"}'
            ),
            params=(params.stage_variables(DEV_VARIABLES),),
            requires=("deploy_handler",),
            checks=(
                answers(
                    "dev's function reads dev's table",
                    "GET",
                    common.stage_url("/items", "dev_stage"),
                    200,
                    body={"table": "my-frontend-app-data-dev", "logLevel": "debug"},
                ),
            ),
        ),
        Step(
            id="remove_variable",
            title="Remove a stage variable",
            explanation="In update-stage an empty value removes a variable.",
            action=_remove_variable,
            cli=_update_cli("stage", "prod", '{"LOG_LEVEL":""}'),
            params=(params.variable_name("LOG_LEVEL"),),
            requires=("set_prod_variables",),
            checks=(
                field_is(
                    "prod keeps only TABLE_NAME",
                    _variables("stage"),
                    {"TABLE_NAME": "my-frontend-app-data"},
                ),
                answers(
                    "the handler falls back to its default log level",
                    "GET",
                    common.stage_url("/items", "stage"),
                    200,
                    body={"logLevel": "info"},
                ),
            ),
        ),
        Step(
            id="not_for_secrets",
            title="Values are checked — and visible",
            explanation="Stage variable values allow only letters, digits and -._~:/?#&=, — and "
            "anyone who can read the API sees them. Secrets belong in Secrets Manager.",
            action=_bad_value,
            cli=_update_cli("stage", "prod", '{"DB_PASSWORD":"p@ss word!"}'),
            expects_error="BadRequestException",
            requires=("set_prod_variables",),
            replay=False,
        ),
    ),
    exercises=(TRACE_LEVEL,),
)
