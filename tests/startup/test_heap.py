"""gwlab.heap.settled: heavy one-off work without collector passes; one freeze per process."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from gwlab.startup.heap import settled

from support import fresh_python


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_the_block_runs_without_collections() -> None:
    passes: list[str] = []
    gc.callbacks.append(lambda phase, info: passes.append(phase))
    try:
        with settled():
            assert not gc.isenabled()
            [Node() for _ in range(50_000)]  # enough to trigger many young passes
            assert passes == []
        assert gc.isenabled()
    finally:
        gc.callbacks.pop()


def test_later_garbage_is_still_collected() -> None:
    with settled():
        pass
    Node()
    assert gc.collect() >= 1


def test_a_collector_the_program_disabled_stays_disabled() -> None:
    gc.disable()
    with settled():
        Node()
    assert not gc.isenabled()


def test_an_error_in_the_block_still_turns_the_collector_back_on() -> None:
    with pytest.raises(ValueError), settled():
        raise ValueError("a learner's typo")
    assert gc.isenabled()


def test_usable_as_a_decorator() -> None:
    @settled()
    def heavy() -> bool:
        return gc.isenabled()

    assert heavy() is False and gc.isenabled()


FREEZES = """
import gc
from gwlab.startup.heap import settled

class Node:
    def __init__(self):
        self.me = self

gc.disable()
with settled():
    kept = [Node() for _ in range(1000)]
print(gc.get_freeze_count())            # a collector the program disabled: no freeze
gc.enable()
with settled():
    with settled():
        kept += [Node() for _ in range(1000)]
    print(gc.isenabled(), gc.get_freeze_count())   # the inner block leaves it to the outer
first = gc.get_freeze_count()
print(first >= len(kept))               # the outermost block froze what existed
import weakref
for _ in range(3):
    with settled():
        garbage = Node()
        left = weakref.ref(garbage)
        del garbage
print(gc.get_freeze_count() <= first)   # later blocks freeze nothing more
gc.collect()
print(left() is None)                   # so the garbage they left is still freed
"""


def test_only_the_first_outermost_block_of_a_process_freezes() -> None:
    assert fresh_python(FREEZES) == ["0", "False 0", "True", "True", "True"]


def test_a_notebook_s_first_cells_run_without_full_passes_and_re_runs_freeze_nothing(
    tmp_path: Path,
) -> None:
    """``gwlab.Lab`` (import and rebuild), then a card: no full pass; re-running the
    ``Lab(...)`` cell, reading ``gwlab.Lab`` again and clicks freeze nothing more."""
    progress = str(tmp_path / "progress.json")
    script = (
        "import gc, gwlab\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: passes.append(info['generation']))\n"
        f"lab = gwlab.Lab('05', progress={progress!r})\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 100_000, 2 in passes, lab.notices)\n"
        "frozen = gc.get_freeze_count()\n"
        "class Node:\n"
        "    def __init__(self): self.me = self\n"
        "for _ in range(3):\n"
        "    waiting = [Node() for _ in range(300)]; del waiting  # garbage not yet collected\n"
        f"    lab = gwlab.Lab('05', progress={progress!r})\n"
        "lab.card('map_root'); lab.run('map_root'); lab.results\n"
        "print(2 in passes, gc.get_freeze_count() <= frozen)  # frozen objects can still be freed\n"
    )
    assert fresh_python(script) == ["True True False []", "False True"]
