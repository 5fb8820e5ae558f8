"""Lesson 5: API mappings — the path a custom domain hands to each API and stage."""

from __future__ import annotations

from gwlab.lab import Lesson, Outcome, Step, StepContext
from gwlab.lab.exercise import Exercise, Feedback, Mistake, failed, not_attempted, passed
from gwlab.lab.params import ParamError
from gwlab.lab.step import Action, CliCommand, until
from gwlab.lessons import common, exercise_checks, params
from gwlab.lessons.common import DOMAIN, answers, cli, domain_url

FORBIDDEN = {"message": "Forbidden"}

#: The step that maps each of the lesson's keys ("" is the root). A step may map a key
#: nobody else uses, but never re-points a mapping another step made.
OWNERS = {"": "map_root", "v1": "map_v1", "orders/v1": "map_multi_level"}


def _map(step_id: str, key_param: str | None, stage_param: str) -> Action:
    """Map (or keep) the key to the stage; ``key_param`` ``None`` maps the root."""

    def action(ctx: StepContext) -> Outcome:
        key = "" if key_param is None else str(ctx.params[key_param])
        stage = str(ctx.params[stage_param])
        domain, api_id = ctx.id("domain_name"), ctx.id("api_id")
        apigw = ctx.client("apigatewayv2")
        mapping = common.find_mapping(ctx, domain, key)
        owner = OWNERS.get(key, step_id)
        if mapping is not None and mapping["Stage"] != stage and owner != step_id:
            where = key or "the root (an empty key)"
            raise ParamError(
                "Mapping key",
                f"{where} is step {owner}'s mapping (to stage {mapping['Stage']}): this step "
                f"would re-point it to {stage}; change it in {owner}",
            )
        if mapping is None:
            mapping = apigw.create_api_mapping(
                DomainName=domain, ApiId=api_id, Stage=stage, ApiMappingKey=key
            )
        elif mapping["Stage"] != stage:
            mapping = apigw.update_api_mapping(
                DomainName=domain,
                ApiMappingId=mapping["ApiMappingId"],
                ApiId=api_id,
                Stage=stage,
            )
        ctx.created("api_mapping", mapping["ApiMappingId"], parent=domain)
        where = f"/{key}" if key else "the root"
        return Outcome(
            f"{domain} {where} -> stage {stage} (mapping {mapping['ApiMappingId']})",
            {f"mapping_{key or 'root'}": mapping["ApiMappingId"]},
        )

    return action


def _mapping_cli(key_param: str | None, default_key: str, default_stage: str) -> CliCommand:
    def command(ctx: StepContext) -> str:
        options = {
            "--domain-name": ctx.id_or("domain_name", common.names(ctx).domain()),
            "--api-id": ctx.id_or("api_id", "<api-id>"),
            "--stage": ctx.params.get("stage_name", default_stage),
        }
        if key_param is not None:
            options["--api-mapping-key"] = ctx.params.get(key_param, default_key)
        return cli("apigatewayv2", "create-api-mapping", options, ctx.region)

    return command


def _observe(path: str) -> Action:
    def action(ctx: StepContext) -> Outcome:
        response = common.send(ctx, "GET", domain_url(path, ctx.id("domain_name")))
        return Outcome(
            f"GET {domain_url(path, ctx.id('domain_name'))} answered "
            f"{response.status} {response.text}",
            shown=response,
        )

    return action


def _keyed_url(path: str) -> common.UrlOf:
    return lambda ctx: domain_url(
        f"/{ctx.params.get('mapping_key', 'v1')}{path}",
        ctx.id_or("domain_name", common.names(ctx).domain()),
    )


#: The exercise: api.example.com/v2/... reaches the dev stage.
V2_KEY, V2_STAGE = "v2", "dev"


def _v2_cli(ctx: StepContext, key: str, stage: str) -> str:
    return common.mapping_cli(ctx, ctx.id("domain_name"), stage, key)


def _check_v2(ctx: StepContext) -> Feedback:
    """Whether ``v2`` on the course's domain maps dev, and a request proves it; else why not."""
    domain, api_id = ctx.id("domain_name"), ctx.id("api_id")
    mappings = ctx.client("apigatewayv2").get_api_mappings(DomainName=domain)["Items"]
    keyed = {m.get("ApiMappingKey", ""): m for m in mappings}
    mapping = keyed.get(V2_KEY)
    if mapping is None:
        longer = sorted(k for k in keyed if k.startswith(f"{V2_KEY}/"))
        if longer:
            return failed(
                f"{domain} has a mapping `{longer[0]}`, not `{V2_KEY}`: the key is only the "
                f"part that picks the stage; with `{longer[0]}` only paths under "
                f"/{longer[0]} reach it, and the API gets what follows (`/` for "
                f"/{longer[0]}). Map the key `{V2_KEY}` instead"
            )
        cased = sorted(k for k in keyed if k.lower() == V2_KEY and k != V2_KEY)
        if cased:
            return failed(
                f"{domain} has a mapping `{cased[0]}`, but the key asked for is `{V2_KEY}`: "
                "mapping keys are case-sensitive, like the paths they match"
            )
        return not_attempted(
            f"{domain} has no mapping `{V2_KEY}` yet (a mapping key is written without a "
            "leading `/`: AWS refuses `/v2`)"
        )
    if mapping["ApiId"] != api_id:
        return failed(f"mapping `{V2_KEY}` points at API {mapping['ApiId']}, not the course's")
    if mapping["Stage"] != V2_STAGE:
        return failed(
            f"mapping `{V2_KEY}` points at stage `{mapping['Stage']}`, not `{V2_STAGE}`: "
            "update-api-mapping (or delete it and map it again) changes its stage"
        )
    response = exercise_checks.request(ctx, "GET", domain_url("/v2/items", domain))
    if response is None:  # real AWS: no local gateway; the mapping decides
        return passed(f"mapping `{V2_KEY}` -> stage `{V2_STAGE}` of the course's API")
    stage, path = (common.event_field(response, f) for f in ("requestContext.stage", "rawPath"))
    if response.status != 200 or stage != V2_STAGE or path != "/items":
        return failed(
            f"the mapping is there, but GET https://{domain}/v2/items answered "
            f"{response.status} (stage {stage!r}, rawPath {path!r}) instead of reaching "
            f"`{V2_STAGE}` as /items"
        )
    return passed(
        f"mapping `{V2_KEY}` -> stage `{V2_STAGE}`: GET https://{domain}/v2/items reached "
        "dev, and the function got rawPath `/items` (the key is removed)"
    )


V2_EXERCISE = Exercise(
    id="v2_mapping",
    title="v2 for dev",
    task="Connect `https://api.example.com/v2/...` to the `dev` stage of the course's API, so "
    "that `GET /v2/items` on the domain reaches dev as `/items`. The domain name is "
    '`lab.ids["domain_name"]`, the API\'s id `lab.ids["api_id"]`.',
    check=_check_v2,
    hints=(
        "It is the same kind of resource as the one that made `/v1` reach prod.",
        "One call: `create-api-mapping` (boto3 `create_api_mapping`) with the domain, the "
        "API, `Stage` `dev` and `ApiMappingKey` `v2` — no leading `/`.",
    ),
    solution=lambda ctx: (_v2_cli(ctx, V2_KEY, V2_STAGE),),
    mistakes=(
        Mistake(
            "v2 mapped to prod (the v1 call copied)",
            lambda ctx: (_v2_cli(ctx, V2_KEY, "prod"),),
            says="not `dev`",
        ),
        Mistake(
            "the key v2/items: the path is not part of the key",
            lambda ctx: (_v2_cli(ctx, "v2/items", V2_STAGE),),
            says="not `v2`",
        ),
        Mistake(
            "V2 in capitals",
            lambda ctx: (_v2_cli(ctx, "V2", V2_STAGE),),
            says="case-sensitive",
        ),
    ),
    requires=("04-custom-domain/create_domain_name", "02-stages/auto_deploy_dev"),
)


LESSON = Lesson(
    id="05-api-mappings",
    title="API mappings and mapping keys",
    goal="Connect api.example.com to stages with mapping keys, and see what path the API gets.",
    steps=(
        Step(
            id="forgotten_mapping",
            title="The classic mistake: a domain without a mapping",
            explanation="The domain name exists, but nothing connects it to an API: every "
            "request is answered 403 Forbidden.",
            action=_observe("/items"),
            cli=lambda ctx: common.curl("GET", domain_url("/items")),
            requires=("04-custom-domain/create_domain_name",),
            until=("map_root",),
            checks=(
                answers(
                    "the domain answers 403 Forbidden",
                    "GET",
                    common.custom_domain_url("/items"),
                    403,
                    body=FORBIDDEN,
                ),
            ),
            replay=False,
        ),
        Step(
            id="map_root",
            title="Map the root to $default",
            explanation="A mapping with an empty key catches every path no other key matches.",
            action=_map("map_root", None, "stage_name"),
            cli=_mapping_cli(None, "", "$default"),
            params=(params.stage_name("$default"),),
            requires=("04-custom-domain/create_domain_name",),
            checks=(
                answers(
                    "api.example.com/items reaches $default as /items",
                    "GET",
                    common.custom_domain_url("/items"),
                    200,
                    event={
                        "rawPath": "/items",
                        "requestContext.stage": "$default",
                        "requestContext.domainName": DOMAIN,
                    },
                ),
            ),
        ),
        Step(
            id="map_v1",
            title="Map v1 to prod",
            explanation="With --api-mapping-key v1, api.example.com/v1/items reaches prod. The "
            "key is removed: the function sees /items, with no stage prefix either.",
            action=_map("map_v1", "mapping_key", "stage_name"),
            cli=_mapping_cli("mapping_key", "v1", "prod"),
            params=(params.mapping_key("v1"), params.stage_name("prod")),
            requires=("map_root",),
            checks=(
                answers(
                    "/v1/items reaches prod as /items",
                    "GET",
                    _keyed_url("/items"),
                    200,
                    event={"rawPath": "/items", "requestContext.stage": "prod"},
                    hint="The mapping key never reaches the function.",
                ),
            ),
        ),
        Step(
            id="map_multi_level",
            title="A multi-level mapping key",
            explanation="Keys can have several levels. The longest key that matches whole path "
            "segments wins.",
            action=_map("map_multi_level", "mapping_key", "stage_name"),
            cli=_mapping_cli("mapping_key", "orders/v1", "dev"),
            params=(params.mapping_key("orders/v1"), params.stage_name("dev")),
            requires=("map_v1",),
            checks=(
                answers(
                    "/orders/v1/items reaches dev as /items",
                    "GET",
                    _keyed_url("/items"),
                    200,
                    event={"rawPath": "/items", "requestContext.stage": "dev"},
                ),
            ),
        ),
        Step(
            id="no_stage_prefix",
            title="No stage prefix on a custom domain",
            explanation="/v1/items already reaches prod. Adding /prod does not pick a stage on a "
            "custom domain: it is just part of the path the API gets.",
            action=_observe("/v1/prod/items"),
            cli=lambda ctx: common.curl("GET", domain_url("/v1/prod/items")),
            requires=("map_v1",),
            checks=(
                answers(
                    "/v1/items is prod's /items",
                    "GET",
                    common.custom_domain_url("/v1/items"),
                    200,
                    event={"requestContext.stage": "prod", "rawPath": "/items"},
                ),
                until(
                    answers(
                        "/v1/prod/items is prod's /prod/items",
                        "GET",
                        common.custom_domain_url("/v1/prod/items"),
                        200,
                        event={"requestContext.stage": "prod", "rawPath": "/prod/items"},
                    ),
                    "07-cors/deploy_prod",  # prod then has explicit routes: /prod/items is 404
                ),
            ),
            replay=False,
        ),
    ),
    exercises=(V2_EXERCISE,),
)
