"""Binder's set-up, rehearsed: a fresh environment from binder/ alone runs the notebooks.

No Docker engine runs here, so instead of repo2docker this builds a fresh virtual
environment, runs ``binder/postBuild`` in it from the repository's top folder (as
repo2docker does), and executes every notebook with that environment's Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def test_binder_folder_is_what_repo2docker_reads() -> None:
    assert (BINDER / "runtime.txt").read_text().strip().startswith("python-3.")
    post_build = (BINDER / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash") and "set -e" in post_build
    assert os.access(BINDER / "postBuild", os.X_OK)
    for name in ("requirements.txt", "environment.yml"):
        if (BINDER / name).exists():
            assert "jupyterlab" not in (BINDER / name).read_text()  # Binder brings its own


@pytest.mark.slow
def test_a_fresh_environment_from_binder_runs_every_notebook(tmp_path: Path) -> None:
    venv = tmp_path / "binder-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "GWLAB_PROGRESS": str(tmp_path / "progress.json"),
    }
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [str(BINDER / "postBuild")], cwd=ROOT, env=env, check=True, capture_output=True, timeout=900
    )
    script = (
        "import sys, glob, nbformat\n"
        "from nbclient import NotebookClient\n"
        "for path in sorted(glob.glob('notebooks/[0-9][0-9]_*.ipynb')):\n"
        "    nb = nbformat.read(path, as_version=4)\n"
        "    NotebookClient(nb, timeout=300, kernel_name='python3',\n"
        "                   resources={'metadata': {'path': 'notebooks'}}).execute()\n"
        "    print('ran', path)\n"
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("ran notebooks/") == 10
