"""The addresses API Gateway endpoint names resolve to in the lab.

On AWS, ``{api-id}.execute-api.{region}.amazonaws.com`` and a custom domain's
``d-{id}.execute-api.{region}.amazonaws.com`` resolve to addresses of AWS's
load balancers. The lab gives each such name one address of its own from
198.51.100.0/24, a range reserved for documentation (RFC 5737) that never
reaches a real host.

The address is a hash of the name (SHA-256, lower case, with the trailing
dot), so it is the same in every run, process and backend, and an alias record
visibly lands on the address of its target. With 254 addresses two names can
share one (about 1 chance in 254 for a pair); that is harmless, and on AWS
endpoints of one region share load-balancer addresses too.
"""

from __future__ import annotations

import hashlib
import ipaddress

from gwlab.emulator.state import name_key

#: TEST-NET-2 (RFC 5737): documentation addresses, never routed.
ENDPOINT_NETWORK = ipaddress.IPv4Network("198.51.100.0/24")

#: Hosts .1 to .254: neither the network nor the broadcast address.
_HOSTS = ENDPOINT_NETWORK.num_addresses - 2


def endpoint_address(name: str) -> str:
    """The lab's stable IPv4 address for the API Gateway endpoint ``name``."""
    digest = hashlib.sha256(name_key(name).encode()).digest()
    return str(ENDPOINT_NETWORK[1 + int.from_bytes(digest[:8], "big") % _HOSTS])
