"""Route 53's URLs, answered by gwlab's response class.

moto looks for a backend's URL table next to the backend's class, so while
:class:`~gwlab.emulator.route53.models.GwlabRoute53Backend` is in use, these
are the routes of every Route 53 request, in-process and in server mode.
"""

from __future__ import annotations

from moto.route53 import urls as moto_urls

from gwlab.emulator.route53.responses import GwlabRoute53Response

url_bases = list(moto_urls.url_bases)

url_paths = dict.fromkeys(moto_urls.url_paths, GwlabRoute53Response.dispatch)
