"""gwlab.heap.settled: heavy one-off work without collector passes, then frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from gwlab.heap import settled

from support import fresh_python


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_the_block_runs_without_collections_and_its_objects_are_frozen() -> None:
    passes: list[str] = []
    gc.callbacks.append(lambda phase, info: passes.append(phase))
    try:
        with settled():
            assert not gc.isenabled()
            kept = [Node() for _ in range(50_000)]  # enough to trigger many young passes
            assert passes == []
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.callbacks.pop()


def test_later_garbage_is_still_collected() -> None:
    with settled():
        pass
    Node()
    assert gc.collect() >= 1


def test_nested_blocks_leave_the_freeze_to_the_outermost() -> None:
    with settled():
        with settled():
            pass
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_a_collector_the_program_disabled_stays_disabled_and_nothing_is_frozen() -> None:
    gc.disable()
    with settled():
        Node()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_an_error_in_the_block_still_turns_the_collector_back_on() -> None:
    with pytest.raises(ValueError), settled():
        raise ValueError("a learner's typo")
    assert gc.isenabled()


def test_usable_as_a_decorator() -> None:
    @settled()
    def heavy() -> bool:
        return gc.isenabled()

    assert heavy() is False and gc.isenabled()


def test_a_notebook_s_first_cells_run_without_full_passes_and_clicks_freeze_nothing(
    tmp_path: Path,
) -> None:
    """``gwlab.Lab`` (import and rebuild): no pass at all; the first card and table: no full
    pass; later calls freeze nothing, so garbage they leave is still collected."""
    script = (
        "import gc, gwlab, gwlab.heap\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: passes.append(info['generation']))\n"
        f"lab = gwlab.Lab('05', progress={str(tmp_path / 'progress.json')!r})\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 100_000, passes, lab.notices)\n"
        "lab.card('map_root'); lab.results\n"
        "print(2 in passes)\n"
        "frozen = gc.get_freeze_count()\n"
        "lab.card('map_v1'); lab.run('map_root'); lab.results\n"
        "print(gc.get_freeze_count() <= frozen)  # frozen objects can still be freed\n"
    )
    assert fresh_python(script) == ["True True [] []", "False", "True"]
