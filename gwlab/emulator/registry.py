"""Switch gwlab's changes to moto on for an environment, and off again.

Every change gwlab makes to moto, werkzeug, botocore or boto3 objects is one of
these additions (built from :mod:`gwlab.emulator.patching`): nothing is changed
at import, and nothing stays changed once the environment is closed.

An addition is a pair of callables: ``apply`` changes moto and returns an
``undo`` that puts it back exactly. Additions are applied in the order they
are registered and undone in reverse.
"""

from __future__ import annotations

from collections.abc import Callable

Undo = Callable[[], None]
Addition = Callable[[], Undo]

_ADDITIONS: list[tuple[str, Addition]] = []
_undo_stack: list[Undo] = []


def addition(name: str) -> Callable[[Addition], Addition]:
    """Register ``apply`` (a function returning its own undo) under ``name``."""

    def register(apply: Addition) -> Addition:
        if any(existing == name for existing, _ in _ADDITIONS):
            raise ValueError(f"emulator addition {name!r} is registered twice")
        _ADDITIONS.append((name, apply))
        return apply

    return register


def registered() -> list[str]:
    """Names of the registered additions, in the order they are applied."""
    return [name for name, _ in _ADDITIONS]


def is_active() -> bool:
    """Whether the additions are applied right now."""
    return bool(_undo_stack)


def activate() -> None:
    """Apply every addition (idempotent)."""
    if _undo_stack:
        return
    _import_additions()
    try:
        for _, apply in _ADDITIONS:
            _undo_stack.append(apply())
    except BaseException:
        deactivate()
        raise


def deactivate() -> None:
    """Undo every applied addition, newest first (idempotent)."""
    while _undo_stack:
        _undo_stack.pop()()


def _import_additions() -> None:
    """Import the modules whose import registers additions."""
    # Imported here, not at module level: they import this module. The speed-ups come
    # first, so that moto reads the shared botocore data from the first addition on.
    from gwlab.emulator import speedups  # noqa: F401, I001
    from gwlab.emulator import acm, apigatewayv2, moto_settings, offline, route53  # noqa: F401
