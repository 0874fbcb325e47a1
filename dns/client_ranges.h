// dns/client_ranges.h — the address ranges whose clients may use the DNS
// server as a recursive resolver (the cluster's pod and Service ranges, the
// node, loopback). Everyone gets answers about the cluster zone; only these
// get names from the rest of the world, so the node is no open resolver.
//
// Immutable after construction; allows() allocates nothing.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

#include "dns/zone.h"

namespace minik::dns {

class ClientRanges {
 public:
  // Adds "10.42.0.0/16", "fd00::/64" or a bare address (a /32 or /128);
  // false when it does not parse.
  bool add(const std::string& cidr);
  bool allows(const Address& address) const;
  bool allows(const sockaddr* address) const;

 private:
  struct Range {
    Address network;
    int prefix = 0;
  };
  std::vector<Range> ranges_;
};

// The address of a socket address (IPv4-mapped IPv6 becomes IPv4).
Address addressOf(const sockaddr* address);

}  // namespace minik::dns
