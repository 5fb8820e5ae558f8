"""gwlab's changes to moto are on exactly while an environment is open."""

from __future__ import annotations

import pytest
from moto import settings

import gwlab
from gwlab import emulator
from gwlab.emulator import registry


def test_additions_are_applied_while_open_and_undone_after() -> None:
    before = settings.ACM_VALIDATION_WAIT
    with gwlab.start():
        assert emulator.is_active()
        assert settings.ACM_VALIDATION_WAIT == 0
    assert not emulator.is_active()
    assert before == settings.ACM_VALIDATION_WAIT


def test_a_failing_addition_undoes_the_ones_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = settings.ACM_VALIDATION_WAIT

    def broken() -> registry.Undo:
        raise RuntimeError("broken addition")

    monkeypatch.setattr(registry, "_ADDITIONS", [*registry._ADDITIONS, ("broken", broken)])
    registry._import_additions()
    with pytest.raises(RuntimeError, match="broken addition"):
        emulator.activate()
    assert not emulator.is_active()
    assert before == settings.ACM_VALIDATION_WAIT


def test_an_addition_name_is_registered_once() -> None:
    name = registry.registered()[0]
    with pytest.raises(ValueError, match="registered twice"):
        registry.addition(name)(lambda: lambda: None)


def test_untested_moto_version_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gwlab.emulator.versions.TESTED_MOTO_VERSIONS", ("0.0.1",))
    with pytest.warns(RuntimeWarning, match="tested with moto 0.0.1"):
        emulator.check_moto_version()
