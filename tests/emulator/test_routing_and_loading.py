"""How the embedded AWS routes API Gateway requests and loads botocore's data.

API Gateway v1 and v2 share a host; gwlab routes v2's ``/v2/`` paths to v2 (in-process
and in server mode) so that v1's heavy import stays out of the lab, while v1 keeps
working. moto and gwlab's clients read botocore's data through one loader, and moto
compiles URL builders only when one is used.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import botocore.session
import pytest
from moto import backend_index
from moto.core.routing import RestRouter
from moto.core.utils import get_service_model

import gwlab
from gwlab.emulator.apigatewayv2.urls import BACKEND_URL_PATTERN
from gwlab.startup.loaders import LOADER, moto_session

FRESH_LAB = """
import sys
import gwlab

with gwlab.start(backend=sys.argv[1]) as env:
    apigw = env.client("apigatewayv2")
    api = apigw.create_api(Name="x", ProtocolType="HTTP", Target="{arn}")
    apigw.create_stage(ApiId=api["ApiId"], StageName="prod")
    apigw.create_deployment(ApiId=api["ApiId"], StageName="prod")
    print(sorted(s["StageName"] for s in apigw.get_stages(ApiId=api["ApiId"])["Items"]))
print("moto.apigateway.models" in sys.modules, "jsonschema" in sys.modules)
"""


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_api_gateway_v2_calls_never_import_v1(backend: str) -> None:
    script = FRESH_LAB.replace("{arn}", "arn:aws:lambda:us-east-1:123456789012:function:f")
    result = subprocess.run(
        [sys.executable, "-c", script, backend],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['$default', 'prod']", "False False"]


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_api_gateway_v1_and_v2_both_answer(backend: str) -> None:
    with gwlab.start(backend=backend) as env:
        rest = env.client("apigateway").create_rest_api(name="classic")
        assert env.client("apigateway").get_rest_api(restApiId=rest["id"])["name"] == "classic"
        v2 = env.client("apigatewayv2")
        api = v2.create_api(Name="http", ProtocolType="HTTP")
        # gwlab's v2 (not moto's) answers: deployments exist, and AWS's validation applies.
        with pytest.raises(v2.exceptions.BadRequestException, match="no routes"):
            v2.create_deployment(ApiId=api["ApiId"])


def test_the_v2_route_is_in_moto_s_index_only_while_open() -> None:
    assert BACKEND_URL_PATTERN not in backend_index.backend_url_patterns
    with gwlab.start():
        assert backend_index.backend_url_patterns[0] == BACKEND_URL_PATTERN
    assert BACKEND_URL_PATTERN not in backend_index.backend_url_patterns


def test_moto_and_the_clients_read_through_one_file_loader() -> None:
    from moto.core import utils
    from moto.core.base_backend import AccountSpecificBackend

    with gwlab.start() as env:
        client = env.client("route53")
        moto_s = utils.create_loader()
        assert moto_s is utils.create_loader()  # one loader, not one per model
        assert moto_s.file_loader is LOADER.file_loader
        # moto lists regions with a session of its own reading the shared loader.
        assert AccountSpecificBackend.get_session() is moto_session()
        assert moto_session().get_available_regions("lambda") == (
            botocore.session.Session().get_available_regions("lambda")
        )
        # The client's model is botocore's own, parsed by the shared loader.
        cached = LOADER.load_service_model("route53", "service-2")
        assert client.meta.service_model._service_description is cached
        assert (
            get_service_model("route53").operation_names
            == client.meta.service_model.operation_names
        )


def test_moto_s_own_model_extras_still_apply() -> None:
    """moto's loader merges ``moto-extras`` (route53's XML namespace); the clients' does not."""
    with gwlab.start() as env:
        env.client("route53").list_hosted_zones()
        metadata = get_service_model("route53").metadata
        assert metadata["xmlNamespace"] == "https://route53.amazonaws.com/doc/2013-04-01/"
        assert "xmlNamespace" not in LOADER.load_service_model("route53", "service-2")["metadata"]


def test_moto_names_services_from_botocore_s_folders_without_a_new_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """moto's lookup when it renders an error: the same answers, no session per package."""
    import pkgutil

    import botocore.session
    import moto
    from moto.core import utils

    expected = {
        name.replace("-", ""): name for name in botocore.session.Session().get_available_services()
    }
    packages = [m.name for m in pkgutil.iter_modules(moto.__path__) if m.ispkg]
    sessions: list[object] = []
    with gwlab.start() as env:
        real_init = botocore.session.Session.__init__
        monkeypatch.setattr(
            botocore.session.Session,
            "__init__",
            lambda self, *a, **k: sessions.append(self) or real_init(self, *a, **k),
        )
        with pytest.raises(env.client("iam").exceptions.NoSuchEntityException):
            env.client("iam").get_role(RoleName="missing")
        assert sessions == []
        assert [utils.service_name_from_moto_package_name(p) for p in packages] == [
            expected.get(p, p) for p in packages
        ]


def test_the_shared_loader_reads_botocore_s_data_as_botocore_does_in_plain_dicts() -> None:
    import botocore.loaders

    from gwlab.startup.loaders import PlainJSONFileLoader

    assert isinstance(LOADER.file_loader, PlainJSONFileLoader)
    botocore_s = botocore.loaders.create_loader()
    ours = botocore.loaders.create_loader()  # fresh: resolving endpoints edits what is cached
    ours.file_loader = PlainJSONFileLoader()
    for service in ("apigatewayv2", "lambda", "route53"):
        for kind in ("service-2", "endpoint-rule-set-1", "paginators-1"):
            theirs, mine = (
                botocore_s.load_service_model(service, kind),
                ours.load_service_model(service, kind),
            )
            assert mine == theirs and type(mine) is dict
            assert list(mine) == list(theirs)  # the same order, too
            assert list(mine.get("shapes", {})) == list(theirs.get("shapes", {}))
    assert ours.load_data("endpoints") == botocore_s.load_data("endpoints")


def _compiled(builder: Any) -> bool:
    code, closure = builder.__func__.__code__, builder.__func__.__closure__
    cells = dict(zip(code.co_freevars, closure, strict=True))
    return cells["compiled"].cell_contents is not None


def test_url_builders_are_compiled_on_first_use_and_still_build() -> None:
    with gwlab.start():
        router = RestRouter(get_service_model("lambda"))
    rules = list(router._map.iter_rules())
    assert rules and not any(_compiled(r._build) or _compiled(r._build_unknown) for r in rules)
    adapter = router._map.bind("lambda.us-east-1.amazonaws.com")
    rule = next(r for r in rules if "/functions/<" in r.rule)
    values = {name: "items" for name in rule.arguments}
    built = adapter.build(rule.endpoint, values, method=sorted(rule.methods or {"GET"})[0])
    assert "/functions/items" in built  # after close too: a deferred builder still builds
    assert sum(_compiled(r._build) or _compiled(r._build_unknown) for r in rules) >= 1


@pytest.mark.parametrize("service", ["apigatewayv2", "lambda", "iam", "acm", "route53"])
def test_moto_parses_with_the_data_its_own_loader_gives(service: str) -> None:
    """Extras included (route53's namespace, lambda's paginators without botocore's sdk ones)."""
    from moto.core import loaders, utils

    moto_s = loaders.create_loader()
    with gwlab.start():
        ours = utils.create_loader()
        for kind in ("service-2", "paginators-1"):
            theirs = moto_s.load_service_model(service, kind)
            assert ours.load_service_model(service, kind) == theirs


def test_a_model_without_extras_is_parsed_once_for_moto_and_the_clients() -> None:
    from moto.core import utils

    with gwlab.start():
        model = utils.create_loader().load_service_model("apigatewayv2", "service-2")
        assert model is LOADER.load_service_model("apigatewayv2", "service-2")
