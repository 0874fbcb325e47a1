// runtime-shim/pod_address_pool.h — the node-local IPAM of pod addresses: one
// IPv4 address per pod out of the node's pod CIDR (k3s: 10.42.0.0/24 of
// 10.42.0.0/16), the first address being the bridge's gateway.
//
// Contract:
//  - Allocations are files, one per address, named by the address and holding
//    the owner (the pod UID), written with O_EXCL: they survive restarts of
//    minik and two pools over the same folder never hand out one address
//    twice (as CNI's host-local plugin keeps them).
//  - allocate() is idempotent: the same owner gets its address back.
//  - The network address, the gateway and the broadcast address are never
//    handed out. Addresses are taken round-robin after the last one handed
//    out, so a freed address is not reused at once (stale ARP, conntrack).
//  - Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace minik {

// An IPv4 CIDR ("10.42.0.0/24"), host-order.
struct Ipv4Cidr {
  uint32_t network = 0;
  int prefix = 0;
  static bool parse(const std::string& text, Ipv4Cidr* out);
  uint32_t size() const { return prefix >= 32 ? 1u : (1u << (32 - prefix)); }
  bool contains(uint32_t address) const;
  std::string text() const;
};
std::string ipv4ToText(uint32_t hostOrder);
bool ipv4FromText(const std::string& text, uint32_t* hostOrder);

class PodAddressPool {
 public:
  // dir is created if missing. valid() is false when cidr is not an IPv4
  // range of at least 4 addresses.
  PodAddressPool(std::string dir, const std::string& cidr);

  bool valid() const { return valid_; }
  const Ipv4Cidr& cidr() const { return cidr_; }
  std::string gateway() const { return ipv4ToText(cidr_.network + 1); }

  // The owner's address, allocating one if it has none; "" with error set
  // when the range is exhausted or the folder cannot be written.
  std::string allocate(const std::string& owner, std::string* error);
  // Frees the owner's address (no-op when it has none).
  void release(const std::string& owner);
  std::string addressOf(const std::string& owner) const;
  // owner -> address, as on disk.
  std::map<std::string, std::string> allocations() const;

 private:
  void load();

  std::string dir_;
  Ipv4Cidr cidr_;
  bool valid_ = false;
  mutable std::mutex mutex_;
  std::map<std::string, uint32_t> byOwner_;
  uint32_t last_ = 0;
};

}  // namespace minik
