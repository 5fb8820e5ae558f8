"""``%aws``: the AWS CLI in the kernel against the same operation through boto3.

- ``aws_magic_first``: a fresh interpreter with an IPython shell (as a kernel has) that
  has imported gwlab runs its first cell, ``%aws apigatewayv2 get-apis``: the lab's
  environment starts, awscli is imported, its driver built and the command run. Timed
  inside the child around that cell, against the same first cell written with boto3
  (``gwlab.start().client("apigatewayv2").get_apis()``). Target: at most 1.5 s.
- ``aws_magic``: later commands in one process, ``run_cli("apigatewayv2 get-stages
  ...")`` against ``env.client("apigatewayv2").get_stages(...)``, interleaved call by
  call on one embedded environment. Target: at most 3 times boto3. The details give
  the same through the magic in an IPython cell against boto3 in a cell.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.cold_start import clean_environment
from benchmarks.measure import Figure, Settings, Side, Target, alternate, run_checked, scaled

NAME = "aws_magic"
FIRST_LIMIT_S = 1.5
RATIO_LIMIT = 3.0

_SHELL = """
import os, sys, time
os.environ["IPYTHONDIR"] = sys.argv[1]
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config
config = Config()
config.HistoryManager.hist_file = ":memory:"
shell = InteractiveShell.instance(config=config)
shell.run_cell("import gwlab")
started = time.perf_counter()
shell.run_cell(CELL)
print(time.perf_counter() - started)
"""
FIRST_CLI = 'CELL = "%aws apigatewayv2 get-apis"\n' + _SHELL
FIRST_BOTO3 = "CELL = 'gwlab.start().client(\"apigatewayv2\").get_apis()'\n" + _SHELL


def first_cell(script: str, scratch: Path) -> float:
    """Seconds the first cell takes in a fresh interpreter (printed by the child)."""
    printed = run_checked(
        [sys.executable, "-c", script, str(scratch / "ipython")],
        cwd=scratch,
        env=clean_environment(),
    )
    return float(printed.split()[-1])


def _later(settings: Settings) -> tuple[list[float], list[float], list[float], list[float]]:
    """Milliseconds per later command: run_cli vs boto3, and %aws vs boto3 in a cell."""
    import io
    from contextlib import redirect_stdout

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    import gwlab
    from gwlab.awscli_runner import run_cli

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell: Any = InteractiveShell.instance(config=config)
    with gwlab.start() as env:
        api = env.client("apigatewayv2")
        api_id = api.create_api(Name="bench", ProtocolType="HTTP")["ApiId"]
        api.create_stage(ApiId=api_id, StageName="prod")
        command = f"apigatewayv2 get-stages --api-id {api_id}"
        for _ in range(20):  # warm: the first commands build the argument tables
            run_cli(command, env=env)

        def cli() -> float:
            started = time.perf_counter()
            result = run_cli(command, env=env)
            elapsed = time.perf_counter() - started
            if result.error:
                raise RuntimeError(result.error)
            return elapsed

        def boto3() -> float:
            started = time.perf_counter()
            api.get_stages(ApiId=api_id)
            return time.perf_counter() - started

        rounds = settings.pick(400, 40)
        cli_s, boto3_s = alternate(cli, boto3, rounds)
        shell.user_ns.update(api=api, api_id=api_id)
        sink = io.StringIO()
        with redirect_stdout(sink):
            shell.run_cell("%load_ext gwlab")

        def cell(source: str) -> float:
            with redirect_stdout(sink):
                started = time.perf_counter()
                shell.run_cell(source)
                return time.perf_counter() - started

        magic_s, boto3_cell_s = alternate(
            lambda: cell(f"%aws {command}"),
            lambda: cell("api.get_stages(ApiId=api_id);"),
            settings.pick(200, 20),
        )
    InteractiveShell.clear_instance()
    return (
        scaled(cli_s, 1000),
        scaled(boto3_s, 1000),
        scaled(magic_s, 1000),
        scaled(boto3_cell_s, 1000),
    )


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """The first command in a fresh interpreter, then later ones in this process."""
    if not settings.quick:
        first_cell(FIRST_CLI, scratch)  # warm the disk and the machine cache
    first_s, first_boto3_s = alternate(
        lambda: first_cell(FIRST_CLI, scratch),
        lambda: first_cell(FIRST_BOTO3, scratch),
        settings.pick(6, 1),
    )
    first = Figure.compare(
        f"{NAME}_first",
        "s",
        Side.of(
            "fresh IPython with gwlab imported: first cell %aws apigatewayv2 get-apis", first_s
        ),
        Side.of(
            "the same first cell with boto3: gwlab.start().client(...).get_apis()", first_boto3_s
        ),
    )
    first.targets.append(
        Target(f"median ≤ {FIRST_LIMIT_S:g} s", first.subject.stats.median, FIRST_LIMIT_S)
    )
    cli_ms, boto3_ms, magic_ms, boto3_cell_ms = _later(settings)
    later = Figure.compare(
        NAME,
        "ms",
        Side.of("run_cli('apigatewayv2 get-stages --api-id ...'), later calls", cli_ms),
        Side.of("env.client('apigatewayv2').get_stages(ApiId=...)", boto3_ms),
        limit=RATIO_LIMIT,
    )
    magic = Side.of("%aws in a cell", magic_ms).stats
    cell = Side.of("boto3 in a cell", boto3_cell_ms).stats
    later.details = {
        "magic_in_cell_median_ms": magic.median,
        "boto3_in_cell_median_ms": cell.median,
        "magic_in_cell_ratio": magic.median / cell.median,
    }
    return [first, later]
