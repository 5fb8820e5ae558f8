"""The moto versions gwlab's emulator additions are tested with."""

from __future__ import annotations

import warnings
from importlib.metadata import version

#: moto releases the additions in :mod:`gwlab.emulator` were tested against.
TESTED_MOTO_VERSIONS: tuple[str, ...] = ("5.2.5",)


def check_moto_version() -> str:
    """Return the installed moto version, warning once if it was never tested."""
    installed = version("moto")
    if installed not in TESTED_MOTO_VERSIONS:
        warnings.warn(
            f"gwlab's embedded AWS was tested with moto {', '.join(TESTED_MOTO_VERSIONS)}, "
            f"not {installed}; the lab may teach behaviour AWS does not have",
            RuntimeWarning,
            stacklevel=2,
        )
    return installed
