"""gwlab's embedded AWS: moto, plus what gwlab adds so that it behaves like AWS.

Everything gwlab changes about moto is switched on and off here, in one place,
so that an embedded or server environment gets all of it and nothing leaks
into a process that uses moto on its own once the environment is closed.
Each addition follows moto's own layering (models / responses / urls /
exceptions) and is tested against the moto versions in
:data:`TESTED_MOTO_VERSIONS`.
"""

from __future__ import annotations

from gwlab.emulator.registry import activate, deactivate, is_active
from gwlab.emulator.versions import TESTED_MOTO_VERSIONS, check_moto_version

__all__ = ["TESTED_MOTO_VERSIONS", "activate", "check_moto_version", "deactivate", "is_active"]
