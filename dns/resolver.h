// dns/resolver.h — answers one question from the cluster zone, as the
// Kubernetes DNS specification (schema 1.1.0) and CoreDNS's kubernetes plugin
// with `pods insecure` do:
//
//   dns-version.<zone> TXT "1.1.0"; <zone> SOA and NS; ns.dns.<zone> A
//   <svc>.<ns>.svc.<zone>            A/AAAA ClusterIPs; ready endpoint IPs when
//                                    headless (NXDOMAIN without any); CNAME for
//                                    ExternalName; SRV for every port
//   _<port>._<proto>.<svc>.<ns>.svc.<zone>  SRV per named port (headless: per
//                                    endpoint, target its hostname), A/AAAA of
//                                    the targets in the additional section
//   <hostname>.<svc>.<ns>.svc.<zone> A/AAAA of that endpoint
//   <a-b-c-d>.<ns>.pod.<zone>        A a.b.c.d (AAAA for dashed IPv6) when the
//                                    namespace exists
//   <reversed IP>.in-addr.arpa / ip6.arpa  PTR to the Service or endpoint name
//
// Negative answers carry the zone's SOA in the authority section: NXDOMAIN
// when the name does not exist, NOERROR without answers when it exists with
// other types. Names outside the zone, and reverse names of unknown IPs, are
// left to the forwarder.
//
// Allocation-free: it reads the zone and writes into the caller's buffer.
#pragma once

#include <cstdint>

#include "dns/wire.h"
#include "dns/zone.h"

namespace minik::dns {

struct Resolution {
  enum Kind {
    Answered,  // response holds the whole answer
    Forward,   // not ours: ask the upstream resolvers; response untouched
    Chase,     // an ExternalName CNAME was written; its target's records
               // come from upstream (target: wire form, in the zone)
  } kind = Answered;
  const uint8_t* target = nullptr;
};

// response must have been begun from query (MessageWriter::begin).
Resolution resolve(const Zone& zone, const Query& query, MessageWriter& response);

// Whether a wire name (lowercase) is the zone's apex or below it.
bool inZone(const Zone& zone, const uint8_t* name);

}  // namespace minik::dns
