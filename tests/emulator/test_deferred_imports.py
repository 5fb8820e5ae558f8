"""rfc3987-syntax's grammar is built only when something uses it (gwlab/emulator/deferred.py)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import gwlab

with gwlab.start() as env:
    env.client("apigatewayv2").create_api(Name="x", ProtocolType="HTTP")
print(type(sys.modules["rfc3987_syntax"]).__name__)

from jsonschema import FormatChecker

checker = FormatChecker()
print(checker.conforms("https://例え.jp/items?q=1", "iri"), checker.conforms("no iri", "iri"))
print(type(sys.modules["rfc3987_syntax"]).__name__)
from rfc3987_syntax import is_valid_syntax
print(is_valid_syntax("iri", "https://example.com/"))
"""


def test_the_iri_grammar_waits_until_an_iri_is_checked_and_then_works() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == ["_StandIn", "True False", "module", "True"]
