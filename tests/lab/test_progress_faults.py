"""Progress faults never raise into the notebook; readable results are kept (issue 16, item 6).

Read-only folders: the tests run as root, which ignores permission bits, and chattr is
not available, so a read-only folder is simulated by giving the progress module an
``os`` whose ``open`` for writing, ``replace`` and ``unlink`` fail with ``EACCES`` as
they do in a read-only folder (reading is untouched). gwlab before issue 16 wrote
through the same ``os`` (``os.replace``), so the simulation fails it the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gwlab.lab import Lab, StepResult
from gwlab.lab import progress as progress_module
from gwlab.lab.progress import Progress

RESULT = StepResult("00-welcome", "check_backend", "Check", "run", "passed", "It works.")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class ReadOnlyOs:
    """``os`` as the progress module sees it in a read-only folder."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def open(self, path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITE_FLAGS:
            raise PermissionError(13, "Permission denied", str(path))
        return int(self._real.open(path, flags, *args, **kwargs))

    def replace(self, source: Any, target: Any) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    def unlink(self, path: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the progress module's folder read-only (see the module's docstring)."""
    monkeypatch.setattr(progress_module, "os", ReadOnlyOs(os))


def _lines(*entries: Any) -> str:
    return "".join(json.dumps(entry) + "\n" for entry in entries)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


# --- a folder that cannot be written ------------------------------------------------------


def test_run_hint_and_solution_in_a_read_only_folder_say_so_in_one_line(
    tmp_path: Path, kernel_session: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    Progress.load(path).record(replace(RESULT, status="failed", message="Not yet."))
    before = path.read_bytes()
    lab = Lab("00", progress=path)
    monkeypatch.setattr(progress_module, "os", ReadOnlyOs(os))
    result = lab.run("check_backend")
    assert result.passed  # the action ran and its result is returned ...
    first, note = result.message.split(" Not saved: ")
    assert first and "Permission denied" in note and "\n" not in result.message  # ... saying so
    assert "Not saved: " in repr(result) and "Not saved: " in result._repr_html_()
    assert lab.status("check_backend") == "passed"  # this kernel keeps it in memory
    assert list(lab.results["status"]) == ["passed"]
    assert "Not saved: " in lab.verify("check_backend").message
    hint = lab.hint("check_backend")
    assert hint.notice.startswith("Not saved: ") and "\n  note: Not saved: " in repr(hint)
    assert "Not saved: " in hint._repr_html_()
    solution = lab.solution("check_backend")
    assert solution.notice.startswith("Not saved: ")
    assert path.read_bytes() == before  # nothing half-written
    assert _files(tmp_path) == ["progress.json"]


def test_the_card_shows_the_result_not_running_in_a_read_only_folder(
    tmp_path: Path, kernel_session: None, read_only: None
) -> None:
    from gwlab.ui.card import StepCard

    lab = Lab("00", progress=tmp_path / "progress.json")
    card = StepCard(lab, lab.lesson.step("check_backend"))
    result = card.run()
    assert result is not None and "Not saved: " in result.message
    assert "passed" in card.badge.value and "running" not in card.badge.value
    lab.ui()  # the panel builds


def test_a_corrupt_file_in_a_read_only_folder_is_read_as_far_as_it_can_be(
    tmp_path: Path, kernel_session: None
) -> None:
    path = tmp_path / "progress.json"
    path.write_text(
        _lines({"format": 2}, {"result": RESULT.to_record()}) + '{"result": {"lesson": "00-w'
    )
    before = path.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(progress_module, "os", ReadOnlyOs(os))
        lab = Lab("00", progress=path)  # no PermissionError from setting it aside
        (notice,) = [n for n in lab.notices if "progress file" in n]
        assert "had 1 line(s) that could not be read; 1 result(s) were kept" in notice
        assert "could not be changed (PermissionError)" in notice and "\n" not in notice
        assert lab.status("check_backend") == "passed"
        assert "Not saved: " in lab.run("check_backend").message
        assert path.read_bytes() == before
    assert lab.progress.skipped == 1


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    progress = Progress.load(blocker / "sub" / "progress.json")
    unsaved = progress.record(RESULT)
    assert unsaved.startswith("Not saved: ") and "\n" not in unsaved
    assert progress.results  # kept in memory


# --- lines that do not fit --------------------------------------------------------------

GOOD = {"result": RESULT.to_record()}
BAD_RECORDS: list[Any] = [
    {**RESULT.to_record(), "status": 5},
    {**RESULT.to_record(), "status": "bogus"},
    {**RESULT.to_record(), "step": ["x"]},
    {**RESULT.to_record(), "message": None},
    {**RESULT.to_record(), "duration_ms": "x"},
    {**RESULT.to_record(), "duration_ms": True},
    {**RESULT.to_record(), "checks": "x"},
    {**RESULT.to_record(), "checks": [{"description": 1}]},
    {**RESULT.to_record(), "checks": [{"description": "d", "passed": "yes"}]},
    {**RESULT.to_record(), "resources": "x"},
    {**RESULT.to_record(), "resources": {"api_id": 5}},
    {k: v for k, v in RESULT.to_record().items() if k != "status"},
    {k: v for k, v in RESULT.to_record().items() if k != "lesson"},
    "x",
    5,
    None,
]


@pytest.mark.parametrize("bad", BAD_RECORDS, ids=[str(n) for n in range(len(BAD_RECORDS))])
def test_a_result_with_wrong_field_types_is_skipped_and_counted(
    tmp_path: Path, kernel_session: None, bad: Any
) -> None:
    """A format-1 file (gwlab before issue 16) with one good and one bad result."""
    path = tmp_path / "progress.json"
    other = {**RESULT.to_record(), "step": "other"}
    document = {"format": 1, "results": {"00-welcome/x": bad, "00-welcome/other": other}}
    original = json.dumps(document, indent=1)
    path.write_text(original)
    lab = Lab("00", progress=path)
    assert lab.progress.skipped == 1
    (notice,) = [n for n in lab.notices if "progress file" in n]
    assert "had 1 line(s) that could not be read; 1 result(s) were kept" in notice
    assert list(lab.results["step"]) == ["other"]  # lab.results works ...
    lab.ui()  # ... and so does the panel
    (aside,) = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert aside.read_text() == original  # the original bytes are kept
    assert set(Progress.load(path).results) == {"00-welcome/other"}  # written back, clean


@pytest.mark.parametrize(
    "text",
    [
        '{"format": 1, "results": "x"}',
        '{"format": 1, "revealed": [], "results": {}}',
        _lines({"format": 2}, {"revealed": 5, "kind": "hint"}),
        _lines({"format": 2}, {"revealed": "00-welcome/x", "kind": ["hint"]}),
        _lines({"format": 2}, {"forget": 5}),
        _lines({"format": 2}, {"something": "else"}),
        _lines({"format": 2}, [1, 2]),
        "[" * 100_000 + "\n",
        b'{"result": "\xff"}\n',
    ],
    ids=range(9),
)
def test_other_lines_that_do_not_fit_are_skipped(tmp_path: Path, text: str | bytes) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(_lines(GOOD).encode() + (text if isinstance(text, bytes) else text.encode()))
    progress = Progress.load(path)
    assert progress.skipped == 1
    assert set(progress.results) == {"00-welcome/check_backend"}


def test_the_intact_lines_of_a_truncated_file_are_kept(tmp_path: Path) -> None:
    """A format-1 file cut short: every whole line is a result and is kept."""
    path = tmp_path / "progress.json"
    records = [{**RESULT.to_record(), "step": f"s{n}"} for n in range(3)]
    lines = ",\n".join(f'  "00-welcome/s{n}": {json.dumps(r)}' for n, r in enumerate(records))
    whole = '{\n "format": 1,\n "gwlab": "0.1.0",\n "revealed": {"00-welcome/s0": ["hint"]},\n'
    whole += f' "results": {{\n{lines}\n }}\n}}\n'
    truncated = whole[: whole.index('"00-welcome/s2"') + 40]
    path.write_text(truncated)
    progress = Progress.load(path)
    assert set(progress.results) == {"00-welcome/s0", "00-welcome/s1"}
    assert progress.revealed == {"00-welcome/s0": ["hint"]}
    assert progress.skipped == 1
    (aside,) = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert aside.read_text() == truncated
    assert aside.name in progress.notices[0]
    assert set(Progress.load(path).results) == {"00-welcome/s0", "00-welcome/s1"}


def test_a_log_cut_short_keeps_its_whole_lines_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    for n in range(3):
        progress.record(replace(RESULT, step=f"s{n}"))
    data = path.read_bytes()
    path.write_bytes(data[:-10])  # the last line lost its end
    again = Progress.load(path)
    assert set(again.results) == {"00-welcome/s0", "00-welcome/s1"}
    assert again.skipped == 1
    again.record(replace(RESULT, step="s3"))
    assert set(Progress.load(path).results) == {"00-welcome/s0", "00-welcome/s1", "00-welcome/s3"}
    assert Progress.load(path).notices == []


def test_a_valid_last_line_without_its_line_end_is_kept_and_ended(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(_lines({"format": 2}, GOOD).rstrip("\n"))  # edited by hand
    progress = Progress.load(path)
    progress.record(replace(RESULT, step="next"))
    again = Progress.load(path)
    assert set(again.results) == {"00-welcome/check_backend", "00-welcome/next"}
    assert again.notices == [] and again.skipped == 0


# --- several kernels at once ------------------------------------------------------------

WRITER = """
import sys
from gwlab.lab.progress import Progress
from gwlab.lab.results import StepResult
path, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
progress = Progress.load(path)
for n in range(count):
    progress.record(StepResult(f"l{who}", f"s{n}", "t", "run", "passed", "m"))
    if n % 10 == 0:
        progress.reveal(f"l{who}/s{n}", "hint")
"""


@pytest.mark.parametrize("writers", [2, 4])
def test_kernels_writing_at_once_lose_no_update(tmp_path: Path, writers: int) -> None:
    path = tmp_path / "progress.json"
    count = 150
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n), str(count)])
        for n in range(writers)
    ]
    try:
        for process in processes:
            assert process.wait(timeout=120) == 0
    finally:
        for process in processes:
            process.kill()
            process.wait()
    progress = Progress.load(path)
    assert len(progress.results) == writers * count  # 0 lost
    assert sum(len(kinds) for kinds in progress.revealed.values()) == writers * count // 10
    assert progress.notices == []
    assert _files(tmp_path) == ["progress.json"]


def test_without_fcntl_changes_still_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "fcntl", None)
    path = tmp_path / "progress.json"
    first, second = Progress.load(path), Progress.load(path)
    assert first.record(RESULT) == ""
    assert second.record(replace(RESULT, step="other")) == ""
    assert set(first.results) == {"00-welcome/check_backend"}
    first.refresh()
    assert set(first.results) == {"00-welcome/check_backend", "00-welcome/other"}
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]  # no lock file


def test_a_lock_held_too_long_is_waited_for_then_gone_around(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    path = tmp_path / "progress.json"
    Progress.load(path).record(RESULT)
    monkeypatch.setattr(progress_module, "LOCK_WAIT", 0.05)
    holder = os.open(tmp_path / ".progress.json.lock", os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        progress = Progress.load(path)
        assert progress.record(replace(RESULT, step="other")) == ""
    finally:
        os.close(holder)
    assert set(Progress.load(path).results) == {"00-welcome/check_backend", "00-welcome/other"}


# --- where the file is --------------------------------------------------------------------


def test_a_folder_as_the_progress_path_holds_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    monkeypatch.setenv("GWLAB_PROGRESS", str(folder))
    progress = Progress.load()
    assert folder.is_dir() and (folder / "notes.txt").read_text() == "mine"  # never renamed
    assert [p.name for p in tmp_path.iterdir()] == ["work"]
    assert progress.path == folder / "gwlab-progress.json"
    assert progress.notices == [
        f"The progress path {folder} is a folder, not a file: "
        f"progress is kept in {folder / 'gwlab-progress.json'}."
    ]
    assert progress.record(RESULT) == ""
    assert Progress.load(folder).results == {"00-welcome/check_backend": RESULT}


def test_a_special_file_is_not_read_or_written(tmp_path: Path) -> None:
    fifo = tmp_path / "progress.json"
    os.mkfifo(fifo)
    progress = Progress.load(fifo)  # would block reading a FIFO
    assert "not a regular file" in progress.notices[0]
    assert "could not be read" in progress.record(RESULT)
    assert progress.results  # in memory


# --- a large file -----------------------------------------------------------------------


def test_a_click_appends_one_line_to_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    records = [{**RESULT.to_record(), "step": f"s{n}", "message": "x" * 1000} for n in range(3000)]
    document = {"format": 1, "results": {f"00-welcome/s{n}": r for n, r in enumerate(records)}}
    path.write_text(json.dumps(document))
    progress = Progress.load(path)
    progress.record(RESULT)  # the first change writes the old format out as JSON lines
    inode, size = path.stat().st_ino, path.stat().st_size
    for n in range(5):
        assert progress.record(replace(RESULT, message=f"again {n}")) == ""
    assert path.stat().st_ino == inode  # not rewritten: five lines appended
    added = path.read_bytes()[size:].splitlines()
    assert [json.loads(line)["result"]["message"] for line in added] == [
        f"again {n}" for n in range(5)
    ]
    assert len(Progress.load(path).results) == 3001


def test_a_log_of_mostly_history_is_compacted_to_a_line_per_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "COMPACT_AT", 64 << 10)
    path = tmp_path / "progress.json"
    progress = Progress.load(path)
    for n in range(400):
        progress.record(replace(RESULT, step=f"s{n % 4}", message=f"{n} " + "x" * 200))
    progress.reveal("00-welcome/s0", "hint")
    assert path.stat().st_size < (64 << 10) + 1000  # compacted on the way
    other = Progress.load(path)
    assert other.results == progress.results and other.revealed == {"00-welcome/s0": ["hint"]}
    assert other.results["00-welcome/s3"].message.startswith("399 ")
    assert len(path.read_text().splitlines()) < 300  # not the 400 lines written
