"""gwlab's changes to moto are on exactly while an environment is open."""

from __future__ import annotations

import pytest
from moto import settings

import gwlab
from gwlab import emulator
from gwlab.emulator import patching, registry


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


class _Base:
    inherited = "base"


class _Owner(_Base):
    @classmethod
    def made(cls) -> str:
        return "own"


def test_a_replaced_class_attribute_is_put_back_as_it_was() -> None:
    own = vars(_Owner)["made"]
    undo = patching.combine(
        patching.replace_attribute(_Owner, "made", classmethod(lambda cls: "gwlab's")),
        patching.replace_attribute(_Owner, "inherited", "gwlab's"),
    )
    assert _Owner.made() == "gwlab's" and _Owner.inherited == "gwlab's"
    undo()
    assert vars(_Owner)["made"] is own  # still the classmethod, not a bound method
    assert "inherited" not in vars(_Owner) and _Owner.inherited == "base"


def test_replacing_an_attribute_nothing_defines_fails() -> None:
    with pytest.raises(AttributeError):
        patching.replace_attribute(_Owner, "missing", 1)
