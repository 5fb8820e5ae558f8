"""Modules moto imports but a lesson never uses wait until first use (gwlab/deferred_imports.py)."""

from __future__ import annotations

import json
import subprocess
import sys

LESSON_THEN_USE = """
import json, sys
import gwlab

with gwlab.start() as env:
    api = env.client("apigatewayv2")
    api_id = api.create_api(Name="x", ProtocolType="HTTP")["ApiId"]
    before = {name: type(sys.modules[name]).__name__ for name in ("rfc3987_syntax", "yaml")}
    loaded_early = "yaml.loader" in sys.modules
    # moto's ReimportApi reads a YAML body through the module it imported at start-up.
    body = "openapi: 3.0.1\\ninfo: {title: from-yaml, version: '1'}\\npaths: {}\\n"
    imported = api.reimport_api(ApiId=api_id, Body=body)["Name"]

from jsonschema import FormatChecker

checker = FormatChecker()
iri = [checker.conforms("https://例え.jp/items?q=1", "iri"), checker.conforms("no iri", "iri")]
from rfc3987_syntax import is_valid_syntax
import yaml
print(json.dumps({
    "before": before,
    "loaded_early": loaded_early,
    "imported": imported,
    "iri": iri,
    "is_valid_syntax": is_valid_syntax("iri", "https://example.com/"),
    "yaml": yaml.safe_load("a: [1, 2]"),
    "after": {name: type(sys.modules[name]).__name__ for name in ("rfc3987_syntax", "yaml")},
}))
"""

INTROSPECTION = """
import inspect, sys
import gwlab
import yaml
assert yaml.__file__.endswith("__init__.py"), yaml.__file__
inspect.getmodule(len.__call__)  # walks sys.modules, reading __file__
print(type(sys.modules["yaml"]).__name__, "yaml.loader" in sys.modules)
from yaml import safe_dump
print(type(sys.modules["yaml"]).__name__, safe_dump({"b": 1}).strip())
"""


def _run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rarely_used_modules_wait_until_used_and_then_work() -> None:
    out = json.loads(_run(LESSON_THEN_USE))
    assert out["before"] == {"rfc3987_syntax": "DeferredModule", "yaml": "DeferredModule"}
    assert out["loaded_early"] is False
    assert out["imported"] == "from-yaml"
    assert out["iri"] == [True, False]
    assert out["is_valid_syntax"] is True
    assert out["yaml"] == {"a": [1, 2]}
    assert out["after"] == {"rfc3987_syntax": "module", "yaml": "module"}


def test_introspection_does_not_load_a_deferred_module_but_a_name_does() -> None:
    assert _run(INTROSPECTION).split("\n")[:2] == ["DeferredModule False", "module b: 1"]
