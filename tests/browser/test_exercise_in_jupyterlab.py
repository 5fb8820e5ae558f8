"""A learner solves an exercise in real JupyterLab: types boto3 code, runs it, clicks Check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_server import jupyterlab as serve_jupyterlab

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
#: What the learner types into the empty cell (one line: the editor indents new lines itself).
SOLUTION = (
    'apigw = lab.env.client("apigatewayv2"); '
    'apigw.create_stage(ApiId=lab.ids["api_id"], StageName="staging", AutoDeploy=True)'
)


def _notebook(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import gwlab"),
        nbformat.v4.new_code_cell('lab = gwlab.Lab("02-stages")'),
        nbformat.v4.new_code_cell('lab.exercise_card("staging_stage")'),
        nbformat.v4.new_code_cell(""),
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "exercise.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.shared_env
@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_learner_types_a_boto3_solution_and_check_says_passed(
    launch_chromium: Any, tmp_path: Path, theme: str
) -> None:
    root = tmp_path / "notebooks"
    root.mkdir()
    _notebook(root)
    home = tmp_path / "jupyter"
    themes = home / "settings" / "@jupyterlab" / "apputils-extension"
    themes.mkdir(parents=True)
    (themes / "themes.jupyterlab-settings").write_text(json.dumps({"theme": theme}))
    browser = launch_chromium()
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    try:
        with serve_jupyterlab(root, home) as base:
            page.goto(f"{base}/lab/tree/exercise.ipynb?reset", timeout=60_000)
            page.wait_for_selector(".jp-Toolbar-kernelName:has-text('Python 3')", timeout=60_000)
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
            )
            page.click("text=Run", timeout=30_000)
            page.click("text=Run All Cells", timeout=30_000)
            check = page.locator("button.jupyter-widgets.widget-button", has_text="Check").first
            check.wait_for(timeout=90_000)
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
            )
            # Check before any attempt: the card says so, it is not a failure.
            check.click()
            card = page.locator(".gwlab-exercise").first
            page.wait_for_function(
                "el => el.innerText.includes('not attempted')",
                arg=card.element_handle(),
                timeout=30_000,
            )
            # The learner types the solution into the empty cell and runs it.
            editor = page.locator(".jp-Cell .jp-InputArea-editor").nth(3)
            editor.click()
            page.keyboard.type(SOLUTION)
            page.keyboard.press("Shift+Enter")
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
            )
            assert "Error" not in page.locator(".jp-Cell").nth(3).inner_text()
            check.click()
            page.wait_for_function(
                "el => el.innerText.includes('passed')",
                arg=card.element_handle(),
                timeout=30_000,
            )
            assert "Traceback" not in page.locator(".jp-Notebook").inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            name = "dark" if "Dark" in theme else "light"
            page.screenshot(path=str(ARTIFACTS / f"jupyterlab-exercise-{name}.png"), full_page=True)
    finally:
        context.close()
