"""What the lab writes next to the notebooks is never committed by a learner or an author."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
@pytest.mark.parametrize(
    "path",
    [
        "notebooks/gwlab-progress.json",
        "tools/notebooks/gwlab-progress.json",
        "gwlab-progress.json",
        "notebooks/.gwlab-progress.json.lock",
        "notebooks/gwlab-progress.json.unreadable-20261203-085500",
    ],
)
def test_the_progress_file_and_its_siblings_are_ignored(path: str) -> None:
    answer = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False
    )
    assert answer.returncode == 0, f"{path} is not ignored by .gitignore"


def test_the_notebooks_themselves_are_not_ignored() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    answer = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", "notebooks/02_stages.ipynb"],
        cwd=ROOT,
        check=False,
    )
    assert answer.returncode == 1
