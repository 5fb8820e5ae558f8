"""Answer one DNS query the way Route 53's name servers do.

- A name outside every zone: ``REFUSED`` (the server is authoritative only).
- Records of the asked type: the answer, with the AA flag.
- A Route 53 alias of the asked type: the *target's* records under the
  alias's own name, no CNAME (an A query for ``api.example.com`` aliased to
  ``d-abc.execute-api...`` returns A records of ``api.example.com``).
- A CNAME: the CNAME, then the chase of its target while the target lies in
  a zone the server answers for.
- No such name: ``NXDOMAIN``; a name without the asked type: an empty
  answer. Both carry the zone's SOA in the authority section.
"""

from __future__ import annotations

import dns.flags
import dns.message
import dns.opcode
import dns.rcode

from gwlab.dns.zones import (
    IN,
    Alias,
    Authority,
    Cname,
    Lookup,
    NoData,
    NoSuchName,
    Records,
    renamed,
)

#: How many CNAMEs or aliases in a row are followed before giving up.
MAX_CHAIN = 8
#: The largest UDP answer to an EDNS query, and the payload size the answer's OPT
#: record advertises: Route 53 "permits responses up to 4096 bytes over UDP".
EDNS_UDP_SIZE = 4096


def answer(query: dns.message.Message, authority: Authority) -> dns.message.Message:
    """The response to ``query`` from the zones of ``authority``."""
    response = dns.message.make_response(query, our_payload=EDNS_UDP_SIZE)
    if query.opcode() != dns.opcode.QUERY:
        response.set_rcode(dns.rcode.NOTIMP)
        return response
    if len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
        return response
    question = query.question[0]
    zone = authority.zone_for(question.name)
    if zone is None or question.rdclass != IN:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    response.flags |= dns.flags.AA
    name, rdtype = question.name, question.rdtype
    for _ in range(MAX_CHAIN):
        result = _follow_alias(zone.lookup(name, rdtype), authority)
        if isinstance(result, Records):
            response.answer.append(result.rrset)
        elif isinstance(result, Cname):
            response.answer.append(result.rrset)
            next_zone = authority.zone_for(result.target)
            if next_zone is not None:
                zone, name = next_zone, result.target
                continue
        else:
            if isinstance(result, NoSuchName):
                response.set_rcode(dns.rcode.NXDOMAIN)
            response.authority.append(zone.soa)
        break
    return response


def _follow_alias(result: Lookup, authority: Authority) -> Lookup:
    """Replace an alias by its target's records (under the alias's name), or no data."""
    for _ in range(MAX_CHAIN):
        if not isinstance(result, Alias):
            return result
        zone = authority.zone_with_id(result.target_zone_id)
        if zone is None or not result.target.is_subdomain(zone.origin):
            return NoData()
        target = zone.lookup(result.target, result.rdtype)
        if isinstance(target, Records):
            return Records(renamed(target.rrset, result.owner))
        if isinstance(target, Alias):
            result = Alias(result.owner, result.rdtype, target.target, target.target_zone_id)
        else:
            return NoData()
    return NoData()
