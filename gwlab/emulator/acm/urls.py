"""ACM's URLs, as moto has them.

moto looks for a backend's URL table next to the backend's class, so while
:class:`~gwlab.emulator.acm.models.GwlabAcmBackend` is in use this module must
exist; moto's response class already reaches gwlab's backend through
``acm_backends``.
"""

from __future__ import annotations

from moto.acm import urls as moto_urls

url_bases = list(moto_urls.url_bases)

url_paths = dict(moto_urls.url_paths)
