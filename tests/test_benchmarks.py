"""The benchmark command runs (benchmarks are measurements, not tests: no figure is checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_benchmarks_run_and_write_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("figure"))
    assert header.split() == [
        "figure",
        "unit",
        "median",
        "p90",
        "floor/peer",
        "p90",
        "ratio",
        "targets",
    ]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["setting"] == "quick" and data["failures"] == []
    names = {figure["name"] for figure in data["figures"]}
    assert {"cold_start", "click", "click_server", "gateway", "gateway_http"} <= names
    assert {"dns_query", "dns_insync", "course", "memory"} <= names
    for figure in data["figures"]:
        assert figure["name"] in result.stdout
        assert figure["subject"]["stats"]["median"] > 0
        assert figure["floor"]["stats"]["median"] > 0
        assert figure["ratio"] > 0
        assert all(isinstance(target["met"], bool) for target in figure["targets"])
    assert isinstance(data["targets"]["missed"], list)


def test_an_http_client_that_starts_late_still_measures_a_rate() -> None:
    """On a loaded machine a client may start after the agreed moment: it counts from when
    it starts, for the whole time, so a rate is never 0 requests over 0 seconds."""
    from benchmarks.gateway import _constant_app
    from benchmarks.httpload import load
    from gwlab.loopback import LoopbackServer

    server = LoopbackServer(_constant_app, name="late-client")
    try:
        long_ago = 0.0  # the start moment passed before this client began
        counts = load(f"{server.url}/items", "example.com", long_ago, 0.2)
    finally:
        server.stop()
    assert counts["ok"] >= 1 and counts["other"] == 0
    assert counts["seconds"] >= 0.2
