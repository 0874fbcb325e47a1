// netagent/conntrack_flows.h — deletes the conntrack entries that keep UDP
// traffic going to an endpoint that left (kubernetes/kubernetes#71514:
// without this, a client reusing its source port keeps sending to a dead
// backend until the entry times out). Through ctnetlink, hand-built.
//
// Contract: one dump of the IPv4 conntrack table per call, then one delete
// per matching entry; entries that vanish meanwhile are not errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace minik::netagent {

// A UDP flow that was DNATed to a backend: 0 in a field matches anything.
struct NattedFlow {
  uint32_t originalDestination = 0;  // the ClusterIP (or node address)
  uint16_t originalPort = 0;         // the Service port or node port
  uint32_t backend = 0;              // where it was sent (reply source)
  uint16_t backendPort = 0;
};

// Deletes the UDP conntrack entries matching any of flows; returns how many
// were deleted, or -1 with error set.
int deleteUdpFlows(const std::vector<NattedFlow>& flows, std::string* error);

}  // namespace minik::netagent
