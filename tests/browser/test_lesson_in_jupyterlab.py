"""A lesson notebook in real JupyterLab in headless Chromium: click Run, see it pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_server import jupyterlab as serve_jupyterlab

ROOT = Path(__file__).resolve().parents[2]
#: Where browser tests leave screenshots for a human to look at (ignored by git).
ARTIFACTS = ROOT / "test-artifacts"


def _notebook(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import gwlab"),
        nbformat.v4.new_code_cell('lab = gwlab.Lab("01-default-stage")'),
        nbformat.v4.new_code_cell("lab.ui()"),
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "lesson.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.shared_env
def test_run_button_turns_the_badge_to_passed_and_fills_the_table(
    launch_chromium: Any, tmp_path: Path
) -> None:
    root = tmp_path / "notebooks"
    root.mkdir()
    _notebook(root)
    browser = launch_chromium()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        with serve_jupyterlab(root, tmp_path / "jupyter") as base:
            page.goto(f"{base}/lab/tree/lesson.ipynb?reset", timeout=60_000)
            page.wait_for_selector(".jp-Toolbar-kernelName:has-text('Python 3')", timeout=60_000)
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
            )
            page.click("text=Run", timeout=30_000)
            page.click("text=Run All Cells", timeout=30_000)
            run = page.locator("button.jupyter-widgets.widget-button", has_text="Run").first
            run.wait_for(timeout=60_000)
            card = page.locator(".widget-vbox", has=run).first
            run.click()
            badge = page.locator(".gwlab-badge", has_text="passed").first
            badge.wait_for(timeout=30_000)
            assert badge.get_attribute("aria-label") == "status: passed"
            table = page.locator("table", has_text="deploy_function").last
            table.wait_for(timeout=30_000)
            assert "passed" in table.inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-step-card.png"), full_page=True)
            assert card.is_visible()
    finally:
        context.close()
