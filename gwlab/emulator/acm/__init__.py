"""ACM like AWS: validation records, name order, certificates in use kept.

Per-domain DNS validation records, a stable name order, and no deleting a
certificate a custom domain name uses. The addition registered here makes moto build
:class:`~gwlab.emulator.acm.models.GwlabCertBundle` for every certificate it
requests or imports, and :class:`~gwlab.emulator.acm.models.GwlabAcmBackend`
(so requests go through :mod:`gwlab.emulator.acm.urls`) while an environment
is open. moto's attribute names
(``status``, ``common_name``, ``sans``, ``arn``) stay as they are: other
additions read them.
"""

from __future__ import annotations

from moto.acm import models as moto_acm_models

from gwlab.emulator.acm.models import GwlabAcmBackend, GwlabCertBundle, validation_record
from gwlab.emulator.patching import replace_attribute, replace_backend_class
from gwlab.emulator.registry import Undo, addition

__all__ = ["GwlabAcmBackend", "GwlabCertBundle", "validation_record"]


@addition("acm: AWS's DNS validation records")
def acm_like_aws() -> Undo:
    """Make moto's ACM backend build gwlab's certificate class."""
    return replace_attribute(moto_acm_models, "CertBundle", GwlabCertBundle)


@addition("acm: a certificate a custom domain name uses is not deleted")
def certificates_in_use() -> Undo:
    """Make moto build gwlab's ACM backend, which refuses to delete a certificate in use."""
    return replace_backend_class(moto_acm_models.acm_backends, GwlabAcmBackend)
