"""`gwlab lab` finds the notebooks in a checkout, or copies the packaged ones once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gwlab.cli.lab import find_notebooks, jupyter_command
from gwlab.errors import NotebooksNotFoundError

ROOT = Path(__file__).resolve().parent.parent


def test_source_checkout_uses_its_own_notebooks() -> None:
    assert find_notebooks() == ROOT / "notebooks"


def test_wheel_install_copies_notebooks_once_and_keeps_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "gwlab"
    (package / "_notebooks").mkdir(parents=True)
    (package / "_notebooks" / "00_welcome.ipynb").write_text("packaged")
    (package / "_notebooks" / "01_next.ipynb").write_text("packaged")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    folder = find_notebooks(package=package)
    assert folder == work / "gwlab-notebooks"
    assert sorted(p.name for p in folder.iterdir()) == ["00_welcome.ipynb", "01_next.ipynb"]

    (folder / "00_welcome.ipynb").write_text("the learner's edits")
    find_notebooks(package=package)
    assert (folder / "00_welcome.ipynb").read_text() == "the learner's edits"


def test_no_notebooks_anywhere_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotebooksNotFoundError, match="reinstall gwlab or pass --dir"):
        find_notebooks(package=tmp_path / "gwlab")


def test_command_opens_the_first_notebook_and_passes_options_on() -> None:
    folder = ROOT / "notebooks"
    command = jupyter_command(folder, ["--no-browser"])
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={folder}" in command
    assert "--no-browser" in command
    assert Path(command[-1]).name.startswith("00_")
