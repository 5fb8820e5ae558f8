"""Defer what moto would compile with every routing table: its URL builders.

(The modules moto imports but a lesson never uses are deferred in
:mod:`gwlab.deferred_imports`, when gwlab is imported.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwlab.emulator.patching import replace_attribute
from gwlab.emulator.registry import Undo, addition


@addition("core: moto's URL builders compiled on first use")
def defer_url_builders() -> Undo:
    """Compile moto's URL *builders* on first use instead of with each routing table.

    moto routes a REST service's requests with a werkzeug ``Map`` of ``SmithyRule``s,
    made at the service's first request. Binding a rule compiles both its matcher and
    two URL builders (Python source generated per rule and compiled). moto only ever
    matches; while an environment is open a builder is compiled on its first call.
    Rules bound meanwhile keep their deferred builders after close; they still build.
    """
    from moto.core.routing import SmithyRule

    compile_now = SmithyRule._compile_builder

    def compile_later(rule: SmithyRule, append_unknown: bool = True) -> Callable[..., Any]:
        compiled: Callable[..., Any] | None = None

        def build(bound: SmithyRule, *args: Any, **kwargs: Any) -> Any:
            nonlocal compiled
            if compiled is None:
                compiled = compile_now(bound, append_unknown)
            return compiled(bound, *args, **kwargs)

        return build

    return replace_attribute(SmithyRule, "_compile_builder", compile_later)
