"""ACM like AWS: per-domain DNS validation records and a stable name order.

The addition registered here makes moto build
:class:`~gwlab.emulator.acm.models.GwlabCertBundle` for every certificate it
requests or imports while an environment is open. moto's attribute names
(``status``, ``common_name``, ``sans``, ``arn``) stay as they are: other
additions read them.
"""

from __future__ import annotations

from moto.acm import models as moto_acm_models

from gwlab.emulator.acm.models import GwlabCertBundle, validation_record
from gwlab.emulator.patching import replace_attribute
from gwlab.emulator.registry import Undo, addition

__all__ = ["GwlabCertBundle", "validation_record"]


@addition("acm: AWS's DNS validation records")
def acm_like_aws() -> Undo:
    """Make moto's ACM backend build gwlab's certificate class."""
    return replace_attribute(moto_acm_models, "CertBundle", GwlabCertBundle)
