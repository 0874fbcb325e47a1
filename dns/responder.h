// dns/responder.h — one query packet in, one response out: decides between
// an error rcode, the cluster zone, the cache and the upstream resolvers.
// Shared by the UDP and TCP servers of one serving loop.
//
// Rcodes as real servers give them: a packet without a readable header, or a
// response, is dropped; an opcode other than QUERY gets NOTIMP; a question
// count other than one, or a malformed question or OPT record, FORMERR; an
// EDNS version above 0, BADVERS; a class other than IN (or ANY), REFUSED;
// zone transfers, REFUSED; other meta types, NOTIMP. Clients outside the
// allowed ranges get REFUSED for names the cluster zone does not hold.
//
// The per-query path allocates nothing: the query, the zone reference and
// the response buffer are the caller's or reused.
#pragma once

#include <cstdint>
#include <memory>

#include "dns/client_ranges.h"
#include "dns/forwarder.h"
#include "dns/wire.h"
#include "dns/zone.h"

namespace minik::dns {

class Responder {
 public:
  enum class Outcome {
    Reply,    // out holds the response
    Drop,     // send nothing
    Pending,  // the forwarder delivers the response to the route later
  };

  // forwarder may be null (no upstreams: names outside the zone get SERVFAIL).
  Responder(const ZoneSlot& zones, Forwarder* forwarder, const ClientRanges& recursionClients)
      : zones_(zones), forwarder_(forwarder), recursionClients_(recursionClients) {}

  Outcome respond(const uint8_t* packet, size_t length, const ReplyRoute& route, uint8_t* out,
                  size_t capacity, size_t* outLength);

  // The zone in use (re-read when the slot's generation moved).
  const Zone* zone();

 private:
  // An ExternalName pointing into the cluster zone: its target's records,
  // answered here, appended after the CNAME.
  void chaseInZone(const Zone& zone, const Query& query, const uint8_t* target, MessageWriter& response);

  const ZoneSlot& zones_;
  Forwarder* forwarder_;
  const ClientRanges& recursionClients_;
  std::shared_ptr<const Zone> zone_;
  uint64_t generation_ = ~uint64_t(0);
  Query query_;  // reused: 500 bytes we need not zero per packet
  Query chaseQuery_;
  uint8_t chaseBuffer_[kMaxMessageSize];
};

}  // namespace minik::dns
