"""moto settings the lab needs changed while an environment is open."""

from __future__ import annotations

from moto import settings

from gwlab.emulator.patching import replace_attribute
from gwlab.emulator.registry import Undo, addition


@addition("acm: certificates issue at once")
def issue_certificates_at_once() -> Undo:
    """Issue ACM certificates at once instead of after moto's 60 s default.

    On AWS a DNS-validated certificate is issued once its validation record
    resolves; the lab has no reason to make learners wait for that.
    """
    return replace_attribute(settings, "ACM_VALIDATION_WAIT", 0)
