"""``%aws`` / ``%%aws`` and ``run_cli``: the real AWS CLI in the kernel (issue 19 section 1).

Everything here runs the real awscli in this process, in a real IPython shell (and
once in a real Jupyter kernel), against both moto backends: what the CLI makes,
boto3 sees, and what boto3 made, the CLI lists.
"""

from __future__ import annotations

import io
import json
import os
import queue
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.awscli_runner import CliResult, run_cli, split_commands

from support import fresh_python

# Commands as the seed lesson prints them; only its made-up IDs are the learner's variables.
SEED_CREATE_STAGE = """aws apigatewayv2 create-stage \\
  --api-id $api_id \\
  --stage-name prod \\
  --region us-east-1 \\
  --output json
"""
SEED_DOMAIN_AND_MAPPING = """aws apigatewayv2 create-domain-name \\
  --domain-name api.example.com \\
  --domain-name-configurations \\
    CertificateArn=$certificate_arn \\
  --region us-east-1 \\
  --output json
aws apigatewayv2 create-api-mapping \\
  --domain-name api.example.com \\
  --api-id $api_id \\
  --stage '$default' \\
  --region us-east-1 \\
  --output json
"""
SEED_ALIAS_RECORD = """aws route53 change-resource-record-sets \\
  --hosted-zone-id $zone_id \\
  --change-batch '{
    "Changes": [
      {
        "Action": "CREATE",
        "ResourceRecordSet": {
          "Name": "api.example.com",
          "Type": "A",
          "AliasTarget": {
            "DNSName": "d-abc123.execute-api.us-east-1.amazonaws.com",
            "HostedZoneId": "Z1UJRXOUMOOFQ8",
            "EvaluateTargetHealth": false
          }
        }
      }
    ]
  }' \\
  --region us-east-1 \\
  --output json
"""
SEED_CORS = """aws apigatewayv2 update-api \\
  --api-id $api_id \\
  --cors-configuration \\
    AllowOrigins="https://example.com","http://localhost:3000" \\
    AllowMethods="GET","POST","PUT","DELETE" \\
    AllowHeaders="Content-Type","Authorization" \\
    MaxAge=86400 \\
  --region us-east-1 \\
  --output json
"""


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real IPython shell (history in memory, its folder temporary), cleared afterwards."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    saved = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    InteractiveShell.clear_instance()
    made = InteractiveShell.instance(config=config)
    try:
        yield made
    finally:
        InteractiveShell.clear_instance()
        if saved is None:
            os.environ.pop("IPYTHONDIR", None)
        else:
            os.environ["IPYTHONDIR"] = saved


@pytest.fixture
def ip(shell: Any) -> Iterator[Any]:
    """The shell with ``%load_ext gwlab`` done, and the test's variables removed after."""
    with redirect_stdout(io.StringIO()):
        shell.run_cell("%load_ext gwlab", store_history=True)
    before = set(shell.user_ns)
    yield shell
    for name in set(shell.user_ns) - before:
        del shell.user_ns[name]


class Cell:
    """What one cell printed and returned."""

    def __init__(self, shell: Any, source: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            self.info = shell.run_cell(source, store_history=True)
        # The terminal shell's bare ``Out[n]:`` prompt (a Jupyter kernel sends none) is dropped.
        self.stdout = re.sub(r"(?m)^Out\[\d+\]: \n?", "", out.getvalue())
        self.stderr = err.getvalue()
        self.value = self.info.result


def cell(shell: Any, source: str) -> Cell:
    return Cell(shell, source)


# --- the magics against both backends -------------------------------------------------------


def test_create_api_with_the_magic_then_boto3_sees_it(ip: Any, env: gwlab.LabEnv) -> None:
    made = cell(ip, "%aws apigatewayv2 create-api --name from-cli --protocol-type HTTP")
    assert made.stderr == "" and made.info.success
    printed = json.loads(made.stdout)
    assert printed["Name"] == "from-cli"
    assert made.value == printed  # the parsed result, the same data as printed
    items = env.client("apigatewayv2").get_apis()["Items"]
    assert [(item["ApiId"], item["Name"]) for item in items] == [(printed["ApiId"], "from-cli")]


def test_the_result_is_printed_once_and_kept_for_the_next_cell(ip: Any, env: gwlab.LabEnv) -> None:
    made = cell(ip, "%aws apigatewayv2 create-api --name once --protocol-type HTTP")
    assert made.stdout.count('"Name": "once"') == 1
    assert "'Name': 'once'" not in made.stdout  # not displayed again as the cell's value
    later = cell(ip, "_['Name'], type(_).__mro__[1] is not dict")
    assert later.value == ("once", True)
    shown = cell(ip, "x = %aws apigatewayv2 get-apis --query 'Items[0].ApiId' --output text")
    assert shown.stdout.strip() == made.value["ApiId"]
    assert ip.user_ns["x"] == made.value["ApiId"] and isinstance(ip.user_ns["x"], str)
    again = cell(ip, "x")
    assert repr(made.value["ApiId"]) in again.stdout  # a later cell shows the value as usual


def test_get_apis_with_query_and_each_output_format(ip: Any, env: gwlab.LabEnv) -> None:
    api = env.client("apigatewayv2")
    for name in ("alpha", "beta"):
        api.create_api(Name=name, ProtocolType="HTTP")
    names = cell(ip, "names = %aws apigatewayv2 get-apis --query 'Items[].Name'")
    assert json.loads(names.stdout) == ["alpha", "beta"] == ip.user_ns["names"]
    text = cell(
        ip, "%aws apigatewayv2 get-apis --query 'Items[].[Name,ProtocolType]' --output text"
    )
    assert text.stdout.splitlines() == ["alpha\tHTTP", "beta\tHTTP"]
    assert text.value == [["alpha", "HTTP"], ["beta", "HTTP"]]
    table = cell(ip, "%aws apigatewayv2 get-apis --output table --query 'Items[].{N:Name}'")
    lines = table.stdout.splitlines()
    assert lines[1].strip("| ") == "GetApis"
    assert [line.strip("| ") for line in lines if "alpha" in line or "beta" in line] == [
        "alpha",
        "beta",
    ]


def test_variables_expand_and_single_quotes_stay_literal(ip: Any, env: gwlab.LabEnv) -> None:
    api_id = env.client("apigatewayv2").create_api(Name="v", ProtocolType="HTTP")["ApiId"]
    ip.user_ns["api_id"] = api_id
    ip.user_ns["names"] = {"stage": "prod"}
    made = cell(ip, "%aws apigatewayv2 create-stage --api-id $api_id --stage-name '$default'")
    assert made.stderr == ""
    cell(ip, "%aws apigatewayv2 create-stage --api-id {api_id} --stage-name {names['stage']}")
    cell(
        ip,
        '%aws apigatewayv2 create-stage --api-id "${api_id}" --stage-name beta '
        "--description $$5\\$",
    )
    stages = env.client("apigatewayv2").get_stages(ApiId=api_id)["Items"]
    assert sorted(stage["StageName"] for stage in stages) == ["$default", "beta", "prod"]
    assert [stage.get("Description") for stage in stages if stage["StageName"] == "beta"] == ["$5$"]


def test_a_seed_command_with_continuations_runs_as_written(ip: Any, env: gwlab.LabEnv) -> None:
    ip.user_ns["api_id"] = env.client("apigatewayv2").create_api(Name="s", ProtocolType="HTTP")[
        "ApiId"
    ]
    made = cell(ip, "%%aws\n" + SEED_CREATE_STAGE)
    assert made.stderr == "" and json.loads(made.stdout)["StageName"] == "prod"
    stages = env.client("apigatewayv2").get_stages(ApiId=ip.user_ns["api_id"])["Items"]
    assert [stage["StageName"] for stage in stages] == ["prod"]


def test_the_seed_s_custom_domain_mapping_and_alias_record(ip: Any, env: gwlab.LabEnv) -> None:
    """Three seed commands in two cells: a domain and its mapping, then the JSON alias record."""
    api = env.client("apigatewayv2")
    api_id = api.create_api(Name="d", ProtocolType="HTTP")["ApiId"]
    api.create_stage(ApiId=api_id, StageName="$default")
    arn = env.client("acm").request_certificate(
        DomainName="api.example.com", ValidationMethod="DNS"
    )["CertificateArn"]
    zone = env.client("route53").create_hosted_zone(Name="example.com", CallerReference="z")
    ip.user_ns.update(api_id=api_id, certificate_arn=arn, zone_id=zone["HostedZone"]["Id"])
    both = cell(ip, "%%aws\n" + SEED_DOMAIN_AND_MAPPING)
    assert both.stderr == ""
    assert both.value["Stage"] == "$default" and both.value["ApiId"] == api_id
    target = api.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"][0][
        "ApiGatewayDomainName"
    ]
    assert target.startswith("d-") and target in both.stdout  # the domain printed first
    mappings = api.get_api_mappings(DomainName="api.example.com")["Items"]
    assert [(m["ApiId"], m["Stage"]) for m in mappings] == [(api_id, "$default")]
    record = SEED_ALIAS_RECORD.replace("d-abc123.execute-api.us-east-1.amazonaws.com", target)
    changed = cell(ip, "%%aws\n" + record)
    assert changed.stderr == "" and changed.value["ChangeInfo"]["Status"] in {"PENDING", "INSYNC"}
    records = env.client("route53").list_resource_record_sets(HostedZoneId=zone["HostedZone"]["Id"])
    alias = [r for r in records["ResourceRecordSets"] if r["Type"] == "A"]
    assert alias[0]["Name"] == "api.example.com." and alias[0]["AliasTarget"]["DNSName"].startswith(
        target
    )


def test_the_seed_s_cors_shorthand_fails_as_in_the_real_cli(ip: Any, env: gwlab.LabEnv) -> None:
    """The seed writes one --cors-configuration over four words: awscli takes one word for a
    structure, so it refuses the rest (as the AWS CLI does in a shell); commas join them."""
    api_id = env.client("apigatewayv2").create_api(Name="c", ProtocolType="HTTP")["ApiId"]
    ip.user_ns["api_id"] = api_id
    as_printed = cell(ip, "%%aws\n" + SEED_CORS)
    assert as_printed.stderr.startswith("Unknown options: ") and as_printed.stderr.count("\n") == 1
    assert "MaxAge=86400" in as_printed.stderr
    assert "CorsConfiguration" not in env.client("apigatewayv2").get_api(ApiId=api_id)
    joined = SEED_CORS.replace('" \\\n    Allow', '",Allow').replace('" \\\n    MaxAge', '",MaxAge')
    made = cell(ip, "%%aws\n" + joined)
    assert made.stderr == ""
    cors = env.client("apigatewayv2").get_api(ApiId=api_id)["CorsConfiguration"]
    assert cors["AllowOrigins"] == ["https://example.com", "http://localhost:3000"]
    assert cors["AllowMethods"] == ["GET", "POST", "PUT", "DELETE"] and cors["MaxAge"] == 86400


def test_json_in_single_quotes_survives(ip: Any, env: gwlab.LabEnv) -> None:
    ip.user_ns["api_id"] = env.client("apigatewayv2").create_api(Name="j", ProtocolType="HTTP")[
        "ApiId"
    ]
    made = cell(
        ip,
        "%aws apigatewayv2 update-api --api-id $api_id "
        """--cors-configuration '{"AllowOrigins": ["https://x.example"], "MaxAge": 5}'""",
    )
    assert made.stderr == ""
    assert made.value["CorsConfiguration"] == {"AllowOrigins": ["https://x.example"], "MaxAge": 5}


# --- mistakes: one line, nothing raised, nothing else run -----------------------------------


def test_an_aws_error_is_one_line(ip: Any, env: gwlab.LabEnv) -> None:
    api_id = env.client("apigatewayv2").create_api(Name="e", ProtocolType="HTTP")["ApiId"]
    ip.user_ns["api_id"] = api_id
    cell(ip, "%aws apigatewayv2 create-stage --api-id $api_id --stage-name prod")
    again = cell(ip, "%aws apigatewayv2 create-stage --api-id $api_id --stage-name prod")
    assert again.info.success and again.info.error_in_exec is None
    assert again.stderr == (
        "An error occurred (ConflictException) when calling the CreateStage operation: "
        "Stage already exists\n"
    )
    assert again.stdout == "" and again.value is None
    assert "Traceback" not in again.stderr


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (
            "apigatewayv2 create-stage --stage-name prod",
            "aws: error: the following arguments are required: --api-id",
        ),
        (
            "apigatewayv2 create-stag --api-id x --stage-name prod",
            "aws: error: argument operation: Invalid choice: 'create-stag', "
            "maybe you meant: create-stage",
        ),
        ("apigatewayv2 get-apis --nmae x", "Unknown options: --nmae, x"),
        (
            "apigatewayv2 get-apis --output yaml",
            "aws: error: argument --output: Invalid choice: 'yaml', "
            "valid choices are: json, text, table",
        ),
    ],
)
def test_a_usage_error_is_one_line(ip: Any, env: gwlab.LabEnv, command: str, line: str) -> None:
    made = cell(ip, f"%aws {command}")
    assert made.info.success and made.stdout == ""
    assert made.stderr == line + "\n"


def test_an_unknown_variable_runs_nothing(ip: Any, env: gwlab.LabEnv) -> None:
    made = cell(
        ip,
        "%%aws\naws apigatewayv2 create-api --name first --protocol-type HTTP\n"
        "aws apigatewayv2 create-stage --api-id $nowhere --stage-name prod\n",
    )
    assert made.stderr == (
        "name 'nowhere' is not defined (write '$nowhere' in single quotes for a literal $nowhere)\n"
    )
    assert env.client("apigatewayv2").get_apis()["Items"] == []  # not even the first line ran


def test_a_bare_dollar_default_is_named_as_the_mistake(ip: Any, env: gwlab.LabEnv) -> None:
    made = cell(ip, "%aws apigatewayv2 create-stage --api-id x --stage-name $default")
    assert made.stderr.startswith("name 'default' is not defined (write '$default' in single")


def test_commands_stop_at_the_first_error(env: gwlab.LabEnv) -> None:
    result = run_cli(
        "apigatewayv2 create-api --name one --protocol-type HTTP\n"
        "apigatewayv2 create-stage --api-id nope --stage-name prod\n"
        "apigatewayv2 create-api --name three --protocol-type HTTP\n",
        env=env,
    )
    assert result.exit_code == 255 and result.result is None
    assert result.error == (
        "An error occurred (NotFoundException) when calling the CreateStage operation: "
        "Invalid API identifier specified nope"
    )
    assert json.loads(result.output)["Name"] == "one"
    assert [item["Name"] for item in env.client("apigatewayv2").get_apis()["Items"]] == ["one"]


def test_a_failing_expression_is_one_line_and_runs_nothing(env: gwlab.LabEnv) -> None:
    result = run_cli("apigatewayv2 get-api --api-id {1/0}", env=env, namespace={})
    assert result.error.startswith("{1/0}: ZeroDivisionError: division by zero")
    assert result.output == "" and result.exit_code == 2


@pytest.mark.parametrize("operator", ["|", ">", "&", "<"])
def test_a_shell_operator_is_one_line_and_runs_nothing(env: gwlab.LabEnv, operator: str) -> None:
    result = run_cli(
        f"apigatewayv2 create-api --name x --protocol-type HTTP {operator} jq .ApiId", env=env
    )
    assert result.error.startswith(f"{operator!r} belongs to a shell: %aws runs AWS CLI")
    assert env.client("apigatewayv2").get_apis()["Items"] == []


def test_another_program_is_named_in_one_line(env: gwlab.LabEnv) -> None:
    result = run_cli("dig +short api.example.com @127.0.0.1", env=env)
    assert result.error == (
        "aws: error: argument command: Invalid choice: 'dig' "
        "(only AWS CLI commands run here: run other programs as !dig ...)"
    )
    close = run_cli("curl -s https://api.example.com/items", env=env)  # cur is a service
    assert close.error == (
        "aws: error: argument command: Invalid choice: 'curl', maybe you meant: cur "
        "(only AWS CLI commands run here: run other programs as !curl ...)"
    )


def test_a_value_named_help_is_a_value(env: gwlab.LabEnv) -> None:
    result = run_cli("apigatewayv2 get-api --api-id help", env=env)
    assert result.error == (
        "An error occurred (NotFoundException) when calling the GetApi operation: "
        "Invalid API identifier specified help"
    )


@pytest.mark.parametrize(
    ("command", "page"),
    [
        ("help", "index.html"),
        ("apigatewayv2 help", "apigatewayv2/index.html"),
        ("apigatewayv2 create-stage help", "apigatewayv2/create-stage.html"),
    ],
)
def test_help_points_at_its_page(env: gwlab.LabEnv, command: str, page: str) -> None:
    result = run_cli(command, env=env)
    assert result.error.endswith(f" https://docs.aws.amazon.com/cli/v1/reference/{page}")


def test_help_and_configure_are_declined_in_one_line(env: gwlab.LabEnv) -> None:
    for command in ("apigatewayv2 create-stage help", "configure", "apigatewayv2 get-apis --debug"):
        result = run_cli(command, env=env)
        assert result.exit_code == 2 and result.output == ""
        assert "\n" not in result.error and result.error


# --- credentials ----------------------------------------------------------------------------


@contextmanager
def learner_aws_files(folder: Path) -> Iterator[None]:
    """Files, a profile and variables that would break or show up if the CLI read them."""
    config = folder / "config"
    config.write_text(
        "[default]\noutput = text\nregion = eu-west-3\n"
        "[plugins]\nbroken = gwlab_no_such_plugin_module\n"
        "[profile other]\noutput = table\n"
    )
    credentials = folder / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIAREALLEARNERKEY01\n"
        "aws_secret_access_key = real/learner/secret/key/do/not/print\n"
    )
    (folder / ".aws" / "cli").mkdir(parents=True)
    (folder / ".aws" / "cli" / "alias").write_text("[toplevel]\napigatewayv2 = broken-alias\n")
    (folder / ".aws" / "config").write_text(config.read_text())
    planted = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_PROFILE": "nonexistent",
        "AWS_DEFAULT_OUTPUT": "table",
        "HOME": str(folder),  # ~/.aws is here: the alias file and config too
    }
    saved = {name: os.environ.get(name) for name in planted}
    os.environ.update(planted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _assert_unaffected(env: gwlab.LabEnv, made: CliResult, identity: CliResult) -> None:
    assert made.error == "" and json.loads(made.output)["Name"] == "safe"  # json, not text
    assert made.result["ApiEndpoint"].endswith(f".{env.region}.amazonaws.com")
    assert identity.error == "" and json.loads(identity.output)["Account"]
    for shown in (made.output, identity.output):
        assert "AKIAREAL" not in shown and "learner" not in shown
    assert [api["Name"] for api in env.client("apigatewayv2").get_apis()["Items"]] == ["safe"]


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_moto_modes_never_read_the_learner_s_aws_files(backend: str, tmp_path: Path) -> None:
    with learner_aws_files(tmp_path), gwlab.start(backend) as env:
        made = run_cli("apigatewayv2 create-api --name safe --protocol-type HTTP", env=env)
        identity = run_cli("sts get-caller-identity", env=env)
        _assert_unaffected(env, made, identity)


def test_the_cli_reads_none_of_them_even_when_set_while_an_env_is_open(
    env: gwlab.LabEnv, tmp_path: Path
) -> None:
    """The environment's sandbox set them aside at start; set afterwards, only the CLI's own
    session stands between them and the command (the env's clients exist already)."""
    env.client("apigatewayv2")
    env.client("sts")
    with learner_aws_files(tmp_path):
        made = run_cli("apigatewayv2 create-api --name safe --protocol-type HTTP", env=env)
        identity = run_cli("sts get-caller-identity", env=env)
    _assert_unaffected(env, made, identity)


@pytest.fixture
def aws_stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[gwlab.LabEnv, gwlab.LabEnv]]:
    """(the server backend playing AWS, an opted-in aws env pointed at it)."""
    from gwlab.backends.aws import ALLOW_REAL_AWS_ENV_VAR

    monkeypatch.setenv(ALLOW_REAL_AWS_ENV_VAR, "1")
    with (
        gwlab.start("server") as aws_itself,
        gwlab.start("aws", learner="ada", endpoint_url=aws_itself.endpoint_url) as env,
    ):
        yield aws_itself, env


def test_the_aws_backend_runs_the_cli_on_the_lab_s_own_clients(
    aws_stand_in: tuple[gwlab.LabEnv, gwlab.LabEnv],
) -> None:
    """Against (a stand-in for) real AWS the CLI's calls are the lab's: what it creates is
    tagged for the learner; another profile or endpoint is not a way around that."""
    aws_itself, env = aws_stand_in
    made = run_cli("apigatewayv2 create-api --name tagged --protocol-type HTTP", env=env)
    assert made.error == ""
    arn = f"arn:aws:apigateway:us-east-1::/apis/{made.result['ApiId']}"
    tags = aws_itself.client("apigatewayv2").get_tags(ResourceArn=arn)["Tags"]
    assert tags["gwlab:learner"] == "ada"
    for option in ("--profile default", f"--endpoint-url {aws_itself.endpoint_url}"):
        refused = run_cli(f"apigatewayv2 get-apis {option}", env=env)
        assert refused.exit_code == 2 and refused.output == ""
        assert refused.error.startswith(option.split()[0] + " is not used")


# --- run_cli itself -------------------------------------------------------------------------


def test_run_cli_uses_the_kernel_s_environment(kernel_session: None) -> None:
    from gwlab.lab.session import current_session

    with gwlab.start("server") as env:
        result = run_cli("apigatewayv2 create-api --name current --protocol-type HTTP")
        assert current_session().env is env
        assert [api["Name"] for api in env.client("apigatewayv2").get_apis()["Items"]] == [
            "current"
        ]
    assert result.exit_code == 0


def test_region_option_reaches_another_region_and_is_not_kept(env: gwlab.LabEnv) -> None:
    run_cli("apigatewayv2 create-api --name west --protocol-type HTTP --region us-west-2", env=env)
    here = run_cli("apigatewayv2 get-apis --query 'Items[].Name'", env=env)
    there = run_cli("apigatewayv2 get-apis --region us-west-2 --query 'Items[].Name'", env=env)
    assert here.result == [] and there.result == ["west"]


def test_result_repr_is_plain_and_deterministic(env: gwlab.LabEnv) -> None:
    result = run_cli("apigatewayv2 get-apis", env=env)
    assert repr(result) == "CliResult(exit_code=0, error='', output=3 line(s), result=dict)"
    assert result.result == {"Items": []} and result.ok
    failed = CliResult("", None, "aws: error: x", 2)
    assert (
        repr(failed)
        == "CliResult(exit_code=2, error='aws: error: x', output=0 line(s), result=None)"
    )
    assert "mathjax_ignore" in failed._repr_html_()


def test_the_process_keeps_its_import_machinery_and_aws_variables() -> None:
    """awscli's import adds a finder (for its own copy of botocore) and AWS_DATA_PATH; gwlab
    imports it at the first command and puts both back (a fresh process: nothing else
    imported awscli before)."""
    script = """
import os, sys
import gwlab
from gwlab.awscli_runner import run_cli
before = [type(finder).__name__ for finder in sys.meta_path]
with gwlab.start() as env:
    print(run_cli("apigatewayv2 get-apis", env=env).result)
    print([type(finder).__name__ for finder in sys.meta_path] == before)
    print("AWS_DATA_PATH" in os.environ, "awscli" in sys.modules)
import botocore
print(botocore.__file__.endswith(os.path.join("site-packages", "botocore", "__init__.py")))
"""
    assert fresh_python(script) == ["{'Items': []}", "True", "False True", "True"]


def test_another_thread_s_output_is_not_taken(env: gwlab.LabEnv) -> None:
    """A thread printing while commands run (the gateway's, a learner's) keeps its output."""
    stop = threading.Event()
    printed = io.StringIO()

    def chatter() -> None:
        while not stop.is_set():
            print("from another thread")

    with redirect_stdout(printed):
        thread = threading.Thread(target=chatter)
        thread.start()
        try:
            results = [run_cli("apigatewayv2 get-apis", env=env) for _ in range(20)]
        finally:
            stop.set()
            thread.join()
    assert all(json.loads(result.output) == {"Items": []} for result in results)
    assert "from another thread" in printed.getvalue() and "Items" not in printed.getvalue()


def test_a_closed_environment_is_one_line(env: gwlab.LabEnv) -> None:
    with gwlab.start("embedded") as newer:
        result = run_cli("apigatewayv2 get-apis", env=env)
        assert result.exit_code == 255 and "\n" not in result.error
        assert "superseded" in result.error
        assert run_cli("apigatewayv2 get-apis", env=newer).ok


def test_many_commands_leave_awscli_s_logging_as_one_handler(env: gwlab.LabEnv) -> None:
    import logging

    run_cli("apigatewayv2 get-apis", env=env)
    logger = logging.getLogger("awscli")
    handlers, level = list(logger.handlers), logger.level
    for _ in range(30):
        run_cli("apigatewayv2 get-apis", env=env)
    assert logger.handlers == handlers and len(handlers) == 1 and logger.level == level


def test_each_command_is_on_its_own_as_in_a_new_aws_process(env: gwlab.LabEnv) -> None:
    """awscli's customizations register handlers as if each command had its process: a
    skeleton is the asked operation's only, --cli-input-json is this command's JSON."""
    run_cli("route53 list-hosted-zones", env=env)
    skeleton = run_cli("apigatewayv2 get-apis --generate-cli-skeleton", env=env)
    assert json.loads(skeleton.output) == {"MaxResults": "", "NextToken": ""}
    first = run_cli(
        """apigatewayv2 create-api --cli-input-json '{"Name": "j", "ProtocolType": "HTTP"}'""",
        env=env,
    )
    second = run_cli(
        """apigatewayv2 create-api --cli-input-json '{"Name": "k", "ProtocolType": "HTTP"}'""",
        env=env,
    )
    assert (first.result["Name"], second.result["Name"]) == ("j", "k")
    names = [api["Name"] for api in env.client("apigatewayv2").get_apis()["Items"]]
    assert sorted(names) == ["j", "k"]


def test_dicts_expand_as_json_and_files_are_read(env: gwlab.LabEnv, tmp_path: Path) -> None:
    cors = {"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"]}
    api_id = env.client("apigatewayv2").create_api(Name="f", ProtocolType="HTTP")["ApiId"]
    made = run_cli(
        "apigatewayv2 update-api --api-id $api_id --cors-configuration $cors",
        env=env,
        namespace={"api_id": api_id, "cors": cors},
    )
    assert made.error == "" and made.result["CorsConfiguration"] == cors
    (tmp_path / "cors.json").write_text(json.dumps({"AllowOrigins": ["https://b.example"]}))
    from_file = run_cli(
        f"apigatewayv2 update-api --api-id {api_id} --cors-configuration file://{tmp_path}/cors.json",
        env=env,
    )
    assert from_file.result["CorsConfiguration"]["AllowOrigins"] == ["https://b.example"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("aws apigatewayv2 get-apis", [["apigatewayv2", "get-apis"]]),
        ("a \\\n  b\nc d # note\n# only a note\n", [["a", "b"], ["c", "d"]]),
        ("x '$default' \"$v\" '{\"k\": [1]}'", [["x", "$default", "1", '{"k": [1]}']]),
        ("x {{a}} \\$y $$ {v+1}", [["x", "{a}", "$y", "$", "2"]]),
        ("x 'multi\nline'", [["x", "multi\nline"]]),
        ('x A="b","c" D=e', [["x", "A=b,c", "D=e"]]),
        ("aws a b && aws c; d 'x;y' \"&&\"", [["a", "b"], ["c"], ["d", "x;y", "&&"]]),
    ],
)
def test_commands_are_split_like_a_shell(text: str, words: list[list[str]]) -> None:
    assert split_commands(text, {"v": 1}) == words


# --- registration ---------------------------------------------------------------------------


def test_load_ext_registers_the_magics(shell: Any) -> None:
    shell.magics_manager.magics["line"].pop("aws", None)
    shell.magics_manager.magics["cell"].pop("aws", None)
    shell.extension_manager.loaded.discard("gwlab")
    with redirect_stdout(io.StringIO()):
        shell.run_cell("%load_ext gwlab")
    assert "aws" in shell.magics_manager.magics["line"]
    assert "aws" in shell.magics_manager.magics["cell"]


def test_importing_gwlab_in_ipython_registers_them_without_loading_awscli(tmp_path: Path) -> None:
    script = f"""
import os, sys
os.environ["IPYTHONDIR"] = {str(tmp_path)!r}
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
print("aws" in shell.magics_manager.magics["line"])
import gwlab
print("aws" in shell.magics_manager.magics["line"], "aws" in shell.magics_manager.magics["cell"])
print("awscli" in sys.modules, "gwlab.lab" in sys.modules)
"""
    assert fresh_python(script) == ["False", "True True", "False False"]


@pytest.mark.slow
def test_in_a_real_kernel_the_output_shows_once_and_the_value_stays(tmp_path: Path) -> None:
    """A Jupyter kernel: the CLI's output is a stream, no execute_result; the value is kept."""
    from jupyter_client.manager import start_new_kernel

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GWLAB_"))}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(tmp_path), env=environment)
    try:

        def run(code: str) -> list[tuple[str, Any]]:
            msg_id = client.execute(code)
            seen: list[tuple[str, Any]] = []
            while True:
                try:
                    message = client.get_iopub_msg(timeout=60)
                except queue.Empty:
                    pytest.fail(f"no answer to {code!r}")
                if message["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "status" and message["content"]["execution_state"] == "idle":
                    return seen
                if kind in ("stream", "execute_result", "error", "display_data"):
                    seen.append((kind, message["content"]))

        assert run("import gwlab") == []
        made = run("%aws apigatewayv2 create-api --name kernel --protocol-type HTTP")
        assert [kind for kind, _ in made] == ["stream"]
        assert json.loads(made[0][1]["text"])["Name"] == "kernel"
        shown = run("_['Name']")
        assert [(k, c["data"]["text/plain"]) for k, c in shown] == [("execute_result", "'kernel'")]
        error = run("%aws apigatewayv2 get-api --api-id nope")
        assert [(k, c["name"]) for k, c in error] == [("stream", "stderr")]
        assert error[0][1]["text"].count("\n") == 1
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
