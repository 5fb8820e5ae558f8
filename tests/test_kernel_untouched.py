"""After gwlab's start-up, the learner's kernel is the interpreter it was (issue 18, item 1).

gwlab replaces nothing in the standard library and stands in for no third-party
module: the AWS CLI's own driver, PyYAML's C loader and a module subclassing
PyYAML's loader all work in a kernel that has imported gwlab, started an
environment and opened a lab.
"""

from __future__ import annotations

import json
from pathlib import Path

from support import fresh_python

STARTED = """
import json, sys
sys.path.insert(0, sys.argv[1])
import gwlab
env = gwlab.start()
lab = gwlab.Lab("05-api-mappings", progress=sys.argv[1] + "/progress.json")
"""

COMPILER = (
    "import re\n"
    "print(json.dumps([re._compiler.compile.__module__,"
    " re._compiler.compile.__code__.co_filename]))\n"
)


def _run(tmp_path: Path, body: str) -> list[str]:
    return fresh_python(STARTED + body, str(tmp_path))


def test_re_compiles_with_the_standard_library_s_own_compiler(tmp_path: Path) -> None:
    pristine = json.loads(fresh_python("import json\n" + COMPILER)[0])
    stage = 'print(re.compile(r"(?P<stage>[a-z]+)/(?P<rest>.*)").match("prod/x").group("stage"))\n'
    out = _run(tmp_path, COMPILER + stage)
    assert json.loads(out[0]) == pristine == ["re._compiler", pristine[1]]
    assert out[1] == "prod"


def test_the_aws_cli_driver_runs_a_command_in_the_kernel(tmp_path: Path) -> None:
    body = """
api = env.client("apigatewayv2").create_api(Name="from-boto3", ProtocolType="HTTP")
import contextlib, io
from awscli.clidriver import create_clidriver
output = io.StringIO()
with contextlib.redirect_stdout(output):
    code = create_clidriver().main(
        ["apigatewayv2", "get-apis", "--region", env.region, "--output", "json"]
    )
print(code)
print(json.dumps(sorted(item["Name"] for item in json.loads(output.getvalue())["Items"])))
"""
    out = _run(tmp_path, body)
    assert out[0] == "0"
    assert "from-boto3" in json.loads(out[1])


def test_pyyaml_s_c_loader_and_a_subclass_made_at_import_work(tmp_path: Path) -> None:
    (tmp_path / "learner_loader.py").write_text(
        "import yaml\n\n"
        "class StrictLoader(yaml.SafeLoader):\n"
        "    pass\n\n"
        "StrictLoader.add_constructor('!upper', lambda loader, node: node.value.upper())\n"
    )
    body = """
import yaml
print(yaml.load("a: [1, 2]", Loader=yaml.CSafeLoader))
import learner_loader
print(yaml.load("name: !upper prod", Loader=learner_loader.StrictLoader))
print(type(sys.modules["yaml"]).__name__, yaml.__version__ == sys.modules["yaml"].__version__)
"""
    assert _run(tmp_path, body) == [
        "{'a': [1, 2]}",
        "{'name': 'PROD'}",
        "module True",
    ]


def test_no_module_is_stood_in_for(tmp_path: Path) -> None:
    """Every module in ``sys.modules`` is a real module of the interpreter's own type."""
    body = """
import types
print([name for name, module in sys.modules.items()
       if module is not None and type(module) is not types.ModuleType
       and type(module).__module__.startswith("gwlab")])
"""
    assert _run(tmp_path, body) == ["[]"]
