"""The two start-up speed-ups that change moto, switched on only while an environment is open.

The machinery itself lives in :mod:`gwlab.startup`; these additions only point moto at
it, through the emulator's reversible registry like every other change to moto.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwlab.emulator.patching import combine, replace_attribute
from gwlab.emulator.registry import Undo, addition
from gwlab.startup import loaders


def _get_session(cls: type) -> Any:
    return loaders.moto_session()


@addition("core: moto reads botocore's data through the shared loaders")
def share_with_moto() -> Undo:
    """Make moto's request parsing, error rendering and region lists read the shared data."""
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend

    return combine(
        replace_attribute(moto.core.utils, "create_loader", loaders.moto_loader),
        replace_attribute(
            moto.core.utils,
            "service_name_from_moto_package_name",
            loaders.service_name_from_moto_package_name,
        ),
        replace_attribute(AccountSpecificBackend, "get_session", classmethod(_get_session)),
    )


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
