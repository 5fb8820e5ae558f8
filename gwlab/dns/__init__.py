"""The lab's DNS: Route 53's hosted zones served by a real DNS server on 127.0.0.1.

- :mod:`gwlab.dns.zones` turns Route 53's served state into DNS data;
- :mod:`gwlab.dns.answers` answers a query as Route 53's name servers do;
- :mod:`gwlab.dns.addresses` gives API Gateway endpoint names their addresses;
- :mod:`gwlab.dns.server` serves it all over UDP and TCP;
- :mod:`gwlab.dns.lookup` asks a server from Python.

Learners reach it as ``env.dns`` (see :class:`gwlab.LabEnv`).
"""

from __future__ import annotations

from gwlab.dns.addresses import endpoint_address
from gwlab.dns.lookup import resolve
from gwlab.dns.server import DnsServer, DnsStats

__all__ = ["DnsServer", "DnsStats", "endpoint_address", "resolve"]
