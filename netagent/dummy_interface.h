// netagent/dummy_interface.h — the dummy interface that carries every
// ClusterIP as a /32 in IPVS mode (minik-ipvs0, as kube-proxy's kube-ipvs0):
// IPVS only sees traffic to local addresses, and locally originated traffic
// to a ClusterIP needs the address to be routed at all. The link is made
// and removed through libnl-route; addresses change in one netlink batch.
//
// Contract: the interface stays down (its addresses are local all the
// same, and a down link never answers ARP for them); only addresses of the
// interface itself are read or changed.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace minik::netagent {

class NetlinkChannel;

class DummyInterface {
 public:
  // Creates the interface when missing. Null with error set when the
  // kernel has no dummy links.
  static std::unique_ptr<DummyInterface> ensure(const std::string& name, std::string* error);
  // Deletes the interface if present.
  static bool remove(const std::string& name, std::string* error);
  ~DummyInterface();

  int index() const { return index_; }
  // The IPv4 addresses on the interface (host byte order).
  bool addresses(std::set<uint32_t>* out, std::string* error);
  // Adds and removes /32 addresses in one batch; adding one present or
  // removing one absent is not an error.
  bool change(const std::vector<uint32_t>& add, const std::vector<uint32_t>& remove, std::string* error);
  uint64_t messagesSent() const;

 private:
  DummyInterface(std::string name, int index, std::unique_ptr<NetlinkChannel> channel);
  std::string name_;
  int index_;
  std::unique_ptr<NetlinkChannel> channel_;
};

}  // namespace minik::netagent
