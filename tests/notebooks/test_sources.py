"""The notebook sources are MyST Markdown notebooks that jupytext (and so JupyterLab) reads.

tools/build_notebooks.py reads them with jupytext; these tests hold the sources to
that format, check that a bad source stops the build with a clear error, and that
``--check`` compares the whole notebook, not only its cells' texts.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from test_notebooks import ROOT, SOURCES, _builder

from support import running_jupyterlab

#: A small source, copied into temporary folders by the tests below.
REVIEW = ROOT / "tools" / "notebooks" / "09_review.md"
#: A source with tagged cells (its exercise cells).
TAGGED = ROOT / "tools" / "notebooks" / "01_default_stage.md"
#: The header line jupytext rewrites with its own version whenever it saves.
VERSION_LINE = re.compile(r"^    jupytext_version: .*\n", re.M)


def _shape(cells: list[Any]) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in cells]


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_jupytext_reads_every_source_as_the_notebook_the_build_makes(path: Path) -> None:
    """jupytext's own reader (format from the file's header), as JupyterLab opens it."""
    notebook = jupytext.read(path)
    assert notebook.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    assert notebook.metadata["kernelspec"] == _builder().KERNELSPEC
    assert _shape(notebook.cells) == _shape(_builder().build(path).cells)


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_source_is_as_jupytext_writes_it(path: Path) -> None:
    """Saving a source from JupyterLab (jupytext's writer) changes nothing in git
    (but the header's jupytext_version line, after an upgrade of jupytext)."""
    text = path.read_text(encoding="utf-8")
    written = jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst")
    assert VERSION_LINE.sub("", written) == VERSION_LINE.sub("", text)


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_a_source_keeps_no_cell_metadata_but_tags(path: Path) -> None:
    """What JupyterLab's property inspector adds (editable, deletable, slideshow) is noise
    in the diff and never reaches the notebook: delete it from the source."""
    extra = [
        (n, sorted(set(c.metadata) - {"tags"})) for n, c in enumerate(jupytext.read(path).cells)
    ]
    assert [(n, keys) for n, keys in extra if keys] == []


def test_the_old_cell_markers_are_gone() -> None:
    """No ``%% markdown`` / ``%% code`` line of the home-made format is left anywhere."""
    files = sorted((ROOT / "tools" / "notebooks").glob("*.md"))
    assert len(files) == len(SOURCES) >= 10
    old = [p.name for p in files if _builder().OLD_MARKER.search(p.read_text(encoding="utf-8"))]
    assert old == []


def _header() -> str:
    text = REVIEW.read_text(encoding="utf-8")
    return text[: text.index("---\n", 4) + 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Intro.\n\n" + REVIEW.read_text(encoding="utf-8"), "nothing before it"),
        ("# Title\n\n```{code-cell} ipython3\nx = 1\n```\n", "nothing before it"),
        ("---\njupytext: [unclosed\n---\n\n# Title\n", "jupytext cannot read it as MyST"),
        ("---\ntitle: A page\n---\n\n# Title\n", "no jupytext text_representation"),
        ("---\njupytext:\n  formats: md:myst\n\n# Title\n", "no closing '---' line"),
        (
            _header().replace("format_name: myst", "format_name: markdown") + "\n# Title\n",
            "format_name 'markdown'",
        ),
        (
            _header() + "\n# Title\n\n```{code-cell} ipython3\n:tags: [solution\n\nx = 1\n```\n",
            "jupytext cannot read it as MyST",
        ),
        (_header() + "\n# Title\n\n```{raw-cell}\nraw\n```\n", "a raw cell"),
        (_header() + "\n# Title\n\n%% code\nx = 1\n", "a .%% code. line of the old format"),
        (
            _header() + "\n```{code-cell} ipython3\nx = 1\n\n```{code-cell} ipython3\ny = 2\n```\n",
            "left unclosed",
        ),
    ],
    ids=[
        "text-before-header",
        "no-header",
        "bad-yaml-header",
        "front-matter-not-jupytext",
        "header-never-closed",
        "markdown-not-myst",
        "bad-cell-options",
        "raw-cell",
        "old-marker",
        "unclosed-fence",
    ],
)
def test_a_bad_source_stops_the_build_with_a_clear_error(
    tmp_path: Path, text: str, message: str
) -> None:
    source = tmp_path / "10_bad.md"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(_builder().SourceError, match=message) as raised:
        _builder().build(source)
    assert str(raised.value).startswith("10_bad.md")


def test_a_bad_source_writes_no_notebook_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = _builder()
    sources, notebooks = tmp_path / "sources", tmp_path / "notebooks"
    sources.mkdir()
    notebooks.mkdir()
    shutil.copy(REVIEW, sources / "09_review.md")
    (sources / "10_bad.md").write_text("# No header\n", encoding="utf-8")
    monkeypatch.setattr(builder, "SOURCES", sources)
    monkeypatch.setattr(builder, "NOTEBOOKS", notebooks)
    assert builder.main(["--no-execute"]) == 2
    assert "10_bad.md: a source starts with its jupytext header" in capsys.readouterr().err
    assert list(notebooks.iterdir()) == []


def test_tags_reach_the_notebook_and_other_cell_metadata_does_not(tmp_path: Path) -> None:
    """Any tag is kept (an unknown one too); editor state JupyterLab saves is not."""
    source = tmp_path / "10_tags.md"
    source.write_text(
        _header() + '\n+++ {"jp-MarkdownHeadingCollapsed": true}\n\n# Title\n\n'
        "```{code-cell} ipython3\n---\ntags: [solution, made-up]\neditable: false\n---\n"
        "x = 1\n```\n",
        encoding="utf-8",
    )
    notebook = _builder().build(source)
    assert [(c.id, dict(c.metadata)) for c in notebook.cells] == [
        ("10-00", {}),
        ("10-01", {"tags": ["solution", "made-up"]}),
    ]
    assert set(notebook.metadata) == {"kernelspec", "language_info"}


def _stored_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Path]:
    """The builder, looking at 09's source and a copy of its stored notebook."""
    builder = _builder()
    sources, notebooks = tmp_path / "sources", tmp_path / "notebooks"
    sources.mkdir()
    notebooks.mkdir()
    shutil.copy(REVIEW, sources / REVIEW.name)
    shutil.copy(ROOT / "notebooks" / "09_review.ipynb", notebooks / "09_review.ipynb")
    monkeypatch.setattr(builder, "SOURCES", sources)
    monkeypatch.setattr(builder, "NOTEBOOKS", notebooks)
    return builder, notebooks / "09_review.ipynb"


def test_check_ignores_only_what_running_a_notebook_adds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder, stored = _stored_review(tmp_path, monkeypatch)
    assert builder.differences() == []
    notebook = nbformat.read(stored, as_version=4)
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="other\n")]
    code.execution_count = 99
    code.metadata["execution"] = {"iopub.status.busy": "2000-01-01T00:00:00Z"}
    notebook.metadata["widgets"] = {}
    notebook.metadata["language_info"]["version"] = "3.99"
    nbformat.write(notebook, stored)
    assert builder.differences() == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda nb: nb.cells[3].update(id="09-99"), "cell 3 (09-03)"),
        (lambda nb: nb.cells[3].metadata.update(editable=False), "cell 3 (09-03)"),
        (lambda nb: nb.cells[1].update(source=nb.cells[1].source + " "), "cell 1 (09-01)"),
        (lambda nb: nb.metadata.update(jupytext={"formats": "md:myst"}), "notebook metadata"),
        (lambda nb: nb.metadata.kernelspec.update(name="python2"), "notebook metadata"),
        (lambda nb: nb.cells.pop(), "cells instead of"),
    ],
    ids=["cell-id", "cell-metadata", "cell-text", "jupytext-metadata", "kernelspec", "cells"],
)
def test_check_finds_any_other_difference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any, where: str
) -> None:
    builder, stored = _stored_review(tmp_path, monkeypatch)
    notebook = nbformat.read(stored, as_version=4)
    change(notebook)
    nbformat.write(notebook, stored)
    (problem,) = builder.differences()
    assert problem.startswith("09_review.ipynb differs from") and where in problem
    assert builder.main(["--check"]) == 1


@pytest.mark.slow
def test_jupyterlab_opens_a_source_as_a_notebook_and_saves_it_unchanged(tmp_path: Path) -> None:
    """Through jupytext's contents manager, as JupyterLab's "Open With → Notebook" does."""
    root = tmp_path / "root"
    root.mkdir()
    source = root / TAGGED.name
    shutil.copy(TAGGED, source)
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    with running_jupyterlab(command, tmp_path / "jupyter") as base:
        with opener.open(f"{base}/api/contents/{source.name}?type=notebook&content=1") as answer:
            model = json.load(answer)
        assert model["type"] == "notebook"
        notebook = nbformat.from_dict(model["content"])
        assert _shape(notebook.cells) == _shape(_builder().build(TAGGED).cells)
        assert ["gwlab-exercise"] in [c.metadata.get("tags") for c in notebook.cells]
        # Save it as a learner's run would leave it: the kernel's language_info, outputs.
        notebook.metadata["language_info"] = {"name": "python", "version": "3.11"}
        notebook.cells[2].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
        opener.open(f"{base}/lab").close()  # sets the _xsrf cookie a PUT must echo
        xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
        request = urllib.request.Request(
            f"{base}/api/contents/saved.md",
            data=json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode(),
            method="PUT",
            headers={"Content-Type": "application/json", "X-XSRFToken": xsrf},
        )
        with opener.open(request) as answer:
            assert answer.status == 201
    assert (root / "saved.md").read_bytes() == TAGGED.read_bytes()
