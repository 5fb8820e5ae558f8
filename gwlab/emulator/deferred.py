"""Defer what moto would compile with every routing table: its URL builders.

(The modules moto imports but a lesson never uses are deferred in
:mod:`gwlab.deferred_imports`, when gwlab is imported.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def defer_url_builders() -> None:
    """Compile moto's URL *builders* on first use instead of with each routing table.

    moto routes a REST service's requests with a werkzeug ``Map`` of ``SmithyRule``s,
    made at the service's first request. Binding a rule compiles both its matcher and
    two URL builders (Python source generated per rule and compiled: ~60 ms for
    Lambda's table). moto only ever matches; a builder is compiled on its first call.
    """
    from moto.core.routing import SmithyRule

    if getattr(SmithyRule._compile_builder, "_gwlab_lazy", False):
        return
    compile_now = SmithyRule._compile_builder

    def compile_later(rule: SmithyRule, append_unknown: bool = True) -> Callable[..., Any]:
        compiled: Callable[..., Any] | None = None

        def build(bound: SmithyRule, *args: Any, **kwargs: Any) -> Any:
            nonlocal compiled
            if compiled is None:
                compiled = compile_now(bound, append_unknown)
            return compiled(bound, *args, **kwargs)

        return build

    compile_later._gwlab_lazy = True  # type: ignore[attr-defined]
    SmithyRule._compile_builder = compile_later  # type: ignore[method-assign,assignment]
